"""Checkpoints of the chain head, kept outside the database (Django file storage, ``audit/checkpoints/``).

A keyed chain shows an edited, deleted or rewritten event, but not the loss of its last events: what is left is
still a valid chain. A checkpoint records the head (count, last id, last hash, time, key id) in a file the
database owner does not control; every verification compares the database with the latest one. One JSON file per
checkpoint, named by time so that names sort in order, never overwritten, and signed with the current audit key so
that an edited checkpoint is noticed too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import Storage

from tincay.audit import chain
from tincay.audit.keys import Keyring

DIRECTORY = "audit/checkpoints"
FORMAT = 1
MAX_INVALID = 10  # invalid files reported before giving up on finding a usable checkpoint

TRUNCATED = "truncated"
DIVERGED = "diverged"
INVALID = "checkpoint_invalid"


@dataclass(frozen=True)
class Checkpoint:
    name: str
    count: int
    last_id: int | None
    last_hash: str
    at: str
    key_id: str


def _mac(body: dict, secret: bytes) -> str:
    unsigned = {name: value for name, value in body.items() if name != "mac"}
    return hmac.new(secret, chain.canonical(unsigned).encode(), hashlib.sha256).hexdigest()


def write(*, walk: chain.Walk, keyring: Keyring, storage: Storage, now: datetime) -> Checkpoint:
    """Save the head the walk reached as a new file (the storage never overwrites: a clash gets another name)."""
    body = {
        "format": FORMAT,
        "count": walk.count,
        "last_id": walk.last_id,
        "last_hash": walk.last_hash,
        "at": now.isoformat(timespec="seconds"),
        "key_id": keyring.current_id,
    }
    body["mac"] = _mac(body, keyring.secrets[keyring.current_id])
    wanted = f"{DIRECTORY}/{now:%Y%m%dT%H%M%S%fZ}-{walk.last_id or 0}.json"
    name = storage.save(wanted, ContentFile(json.dumps(body, indent=1).encode()))
    return Checkpoint(name, walk.count, walk.last_id, walk.last_hash, body["at"], keyring.current_id)


def _names(storage: Storage) -> list[str]:
    try:
        _dirs, files = storage.listdir(DIRECTORY)
    except FileNotFoundError:
        return []
    return sorted((f"{DIRECTORY}/{name}" for name in files if name.endswith(".json")), reverse=True)


def _read(storage: Storage, name: str, keyring: Keyring) -> Checkpoint | str:
    """The checkpoint, or why it cannot be trusted."""
    try:
        with storage.open(name, "rb") as handle:
            body = json.loads(handle.read().decode("utf-8"))
        secret = keyring.secret(str(body.get("key_id", "")))
        if secret is None:
            return "key"
        if not hmac.compare_digest(_mac(body, secret), str(body.get("mac", ""))):
            return "signature"
        return Checkpoint(
            name=name,
            count=int(body["count"]),
            last_id=None if body["last_id"] is None else int(body["last_id"]),
            last_hash=str(body["last_hash"]),
            at=str(body["at"]),
            key_id=str(body["key_id"]),
        )
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        return "unreadable"


def latest(*, storage: Storage, keyring: Keyring) -> tuple[Checkpoint | None, list[chain.Finding]]:
    """The newest trustworthy checkpoint, and a finding for each newer file that is not."""
    findings: list[chain.Finding] = []
    for name in _names(storage):
        found = _read(storage, name, keyring)
        if isinstance(found, Checkpoint):
            return found, findings
        findings.append(chain.Finding(INVALID, checkpoint=name, how=found))
        if len(findings) >= MAX_INVALID:
            break
    return None, findings


def compare(checkpoint: Checkpoint, walk: chain.Walk) -> list[chain.Finding]:
    """What the database lost or changed up to the checkpoint's last event (the walk probed that id)."""
    if checkpoint.last_id is None:
        return []
    missing = checkpoint.count - walk.probe_count
    common = {
        "checkpoint": checkpoint.name,
        "checkpoint_at": checkpoint.at,
        "last_id": checkpoint.last_id,
        "expected": checkpoint.count,
        "found": walk.probe_count,
        "before_id": walk.probe_last_id,
    }
    if walk.probe_hash is not None and walk.probe_hash != checkpoint.last_hash:
        return [chain.Finding(DIVERGED, event_id=checkpoint.last_id, **common)]
    if walk.probe_hash is None or missing > 0:
        return [chain.Finding(TRUNCATED, event_id=checkpoint.last_id, count=max(missing, 1), **common)]
    return []
