"""The audit keys: HMAC secrets kept outside the database, each with an id stored on the events it signs.

``TINCAY_AUDIT_KEYS="k2026:<secret>,k2025:<old secret>"``: the first key signs new events, the others only verify
events written before a rotation. Someone who can write to the database but does not hold the key cannot
recompute a chain that verifies. Parsing lives here (no Django import) so that settings can call it and fail at
start-up on a malformed value, without ever echoing a secret.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from dataclasses import dataclass

from tincay.common.env import ImproperlyConfiguredEnv

VARIABLE = "TINCAY_AUDIT_KEYS"
DEV_KEY_ID = "dev-derived"  # reserved: the development key derived from the secret key, never valid in production
MIN_SECRET_LENGTH = 32
KEY_ID_MAX_LENGTH = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")

KeyPairs = tuple[tuple[str, str], ...]


def parse_keys(items: list[str]) -> KeyPairs:
    """``["id:secret", ...]`` → ``(("id", "secret"), ...)``; a malformed entry names its position, never its secret."""
    pairs: list[tuple[str, str]] = []
    for position, item in enumerate(items, start=1):
        key_id, sep, secret = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or not secret:
            raise ImproperlyConfiguredEnv(
                f"{VARIABLE}: entry {position} must be '<key id>:<secret>' (comma-separated, newest first)"
            )
        if not _KEY_ID.match(key_id):
            raise ImproperlyConfiguredEnv(
                f"{VARIABLE}: key id {key_id!r} must be 1-{KEY_ID_MAX_LENGTH} letters, digits, '.', '_' or '-'"
            )
        if key_id == DEV_KEY_ID:
            raise ImproperlyConfiguredEnv(f"{VARIABLE}: key id {DEV_KEY_ID!r} is reserved for the development key")
        if len(secret) < MIN_SECRET_LENGTH:
            raise ImproperlyConfiguredEnv(
                f"{VARIABLE}: the secret of key {key_id!r} must be at least {MIN_SECRET_LENGTH} random characters"
            )
        if any(key_id == known for known, _secret in pairs):
            raise ImproperlyConfiguredEnv(f"{VARIABLE}: key id {key_id!r} appears twice")
        pairs.append((key_id, secret))
    return tuple(pairs)


def development_key(secret_key: str) -> tuple[str, str]:
    """A key derived from the (development) secret key, labelled so that nobody mistakes it for a real one."""
    derived = hmac.new(secret_key.encode(), b"tincay audit development key", hashlib.sha256).hexdigest()
    return DEV_KEY_ID, derived


def audit_keyring(items: list[str], *, secret_key: str, production: bool) -> KeyPairs:
    """The keys for settings: required in production; development derives one (and keeps it for verifying)."""
    pairs = parse_keys(items)
    if production:
        if not pairs:
            raise ImproperlyConfiguredEnv(
                f"{VARIABLE} is required in production ('<key id>:<secret of {MIN_SECRET_LENGTH}+ random "
                "characters>'); refusing to start"
            )
        return pairs
    return (*pairs, development_key(secret_key))


@dataclass(frozen=True)
class Keyring:
    current_id: str
    secrets: dict[str, bytes]

    def secret(self, key_id: str) -> bytes | None:
        return self.secrets.get(key_id)


@functools.lru_cache(maxsize=8)
def keyring_from(pairs: KeyPairs) -> Keyring:
    if not pairs:
        raise ImproperlyConfiguredEnv(f"{VARIABLE}: no audit key configured")
    return Keyring(current_id=pairs[0][0], secrets={key_id: secret.encode() for key_id, secret in pairs})


def configured_keyring() -> Keyring:
    """The keyring from settings (parsed once per distinct value, so appends cost nothing extra)."""
    from django.conf import settings

    return keyring_from(tuple(tuple(pair) for pair in settings.TINCAY_AUDIT_KEYS))
