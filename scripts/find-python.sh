#!/bin/sh
# Print the path of a Python 3.12+ interpreter, or say in one line what to install and exit 1.
# Tried in order: $PYTHON, python3, python3.13, python3.12, pyenv's versions, uv-managed Pythons.
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

for name in "${PYTHON:-}" python3 python3.14 python3.13 python3.12; do
  [ -n "$name" ] || continue
  path=$(command -v "$name" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root 2>/dev/null)
  for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+(\.[0-9]+)?$' | sort -t. -k1,1n -k2,2n -k3,3n -r); do
    path="$root/versions/$version/bin/python"
    if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
  done
fi
if command -v uv >/dev/null 2>&1; then
  path=$(uv python find '>=3.12' 2>/dev/null)
  if [ -n "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
fi
echo "TinCậy needs Python 3.12 or newer and none was found: install one (apt-get install python3.12, pyenv install 3.12, or uv python install 3.12) and run make again." >&2
exit 1
