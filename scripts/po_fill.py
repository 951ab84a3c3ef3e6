"""Developer helper: set Vietnamese translations from a JSON mapping {msgid: msgstr}, clear fuzzy flags, compile.

Usage: python scripts/po_fill.py translations.json   (then commit the .po and .mo files)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "tincay" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main(mapping_path: str) -> int:
    mapping = json.loads(Path(mapping_path).read_text(encoding="utf-8"))
    with PO.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in mapping:
            message.string = mapping[key] if isinstance(message.id, str) else (mapping[key],)
            message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=120, include_previous=False)
    missing = [
        m.id for m in catalog if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    print(f"untranslated or fuzzy: {len(missing)}", *missing[:20], sep="\n  ")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
