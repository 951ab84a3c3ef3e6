"""The keyed hash chain of audit events (pure functions; no ORM).

Each event's hash is HMAC-SHA256, under a key kept outside the database, of the previous event's hash and the
event's content (including the key's id). Events written before keys existed carry a plain SHA-256 and no key id;
they verify as "legacy", but only as a prefix: the first keyed event seals them (its HMAC covers their last hash),
and a legacy-style event after a keyed one is a rewrite.

:func:`verify` walks the events once, in id order, and tells apart:
- an **edited** event: its content no longer matches its hash, yet the next event still links to that hash;
- a **deleted** stretch: an event does not link to the one before it;
- a **rewritten** stretch: hashes that are consistent (plain SHA-256, another key's HMAC, legacy style after
  keyed events, or a run of mismatches that reaches the end of the chain) but are not signed with our key;
- events under a **key we do not hold** (an old key dropped from the settings, or an invented one).
Comparing with a checkpoint (truncation) is the caller's part: the walk reports count and the hash at one id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tincay.audit.keys import Keyring

GENESIS = "0" * 64
FIELDS = (
    "created_at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
)
MAX_LISTED = 20  # findings of one kind listed by id; the rest are counted


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical_roundtrip(value: Any) -> Any:
    """The value as it will read back from a JSON column (dates become strings, tuples lists)."""
    return None if value is None else json.loads(canonical(value))


def _payload(prev_hash: str, fields: Mapping[str, Any], key_id: str) -> bytes:
    content = {name: fields.get(name) for name in FIELDS}
    if key_id:
        content["key_id"] = key_id
    return (prev_hash + canonical(content)).encode("utf-8")


def legacy_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of events written before the chain was keyed (plain SHA-256, no key id)."""
    return hashlib.sha256(_payload(prev_hash, fields, "")).hexdigest()


def keyed_hash(secret: bytes, key_id: str, prev_hash: str, fields: Mapping[str, Any]) -> str:
    return hmac.new(secret, _payload(prev_hash, fields, key_id), hashlib.sha256).hexdigest()


# Kinds of finding, in the order a reader should act on them.
EDITED = "edited"
DELETED = "deleted"
REWRITTEN = "rewritten"
UNKNOWN_KEY = "unknown_key"


@dataclass
class Finding:
    """One problem, with what its message needs (the checkpoint and guard checks add their own kinds)."""

    kind: str
    event_id: int | None = None  # the first event concerned
    event_ids: list[int] = field(default_factory=list)  # edited: the events (up to MAX_LISTED)
    count: int = 1  # how many events the finding covers
    last_id: int | None = None  # rewritten / unknown key: the last event concerned
    before_id: int | None = None  # deleted: the last intact event before the gap (None: the start of the chain)
    key_id: str = ""
    how: str = ""  # rewritten: sha256 | other_key | legacy | unsigned; invalid checkpoint: why
    checkpoint: str = ""  # checkpoint findings: the file's name
    checkpoint_at: str = ""
    expected: int = 0  # truncated: events the checkpoint counted up to its last id
    found: int = 0  # truncated: how many of them are still there (before_id: the last of them)


@dataclass
class Walk:
    """What one pass over the chain found, and the head it reached."""

    findings: list[Finding] = field(default_factory=list)
    count: int = 0
    last_id: int | None = None
    last_hash: str = GENESIS
    probe_count: int = 0  # events with id <= probe_id
    probe_last_id: int | None = None  # the last of them
    probe_hash: str | None = None  # hash stored on event probe_id (None when it is gone)

    @property
    def intact(self) -> bool:
        return not self.findings


@dataclass
class _Run:
    """Consecutive events whose hash is not our key's, each linking to the one before."""

    first_id: int
    last_id: int
    ids: list[int] = field(default_factory=list)  # the first MAX_LISTED
    count: int = 0
    how: str = ""


class _Walker:
    def __init__(self, keyring: Keyring, probe_id: int | None) -> None:
        self.keyring = keyring
        self.probe_id = probe_id
        self.walk = Walk()
        self.seen_keyed = False
        self.run: _Run | None = None
        self.unknown: dict[str, Finding] = {}

    def signature(self, event: Mapping[str, Any]) -> str:
        """'ok', 'mismatch' (content differs from what was hashed) or how a consistent foreign hash was made."""
        key_id, prev, stored = event["key_id"], event["prev_hash"], event["hash"]
        if not key_id:
            if self.seen_keyed:
                return "legacy"  # whatever its hash: nothing unkeyed may follow a keyed event
            return "ok" if legacy_hash(prev, event) == stored else "mismatch"
        self.seen_keyed = True
        secret = self.keyring.secret(key_id)
        if secret is None:
            return "unknown"
        if hmac.compare_digest(keyed_hash(secret, key_id, prev, event), stored):
            return "ok"
        if hashlib.sha256(_payload(prev, event, key_id)).hexdigest() == stored or legacy_hash(prev, event) == stored:
            return "sha256"
        for other_id, other in self.keyring.secrets.items():
            if other_id != key_id and hmac.compare_digest(keyed_hash(other, key_id, prev, event), stored):
                return "other_key"
        return "mismatch"

    def close_run(self, *, at_end: bool) -> None:
        run, self.run = self.run, None
        if run is None:
            return
        # A run stops being an edit when its hashes were made by other means, or when nothing after it vouches for
        # its last hash (a good event after a run covers that hash with our key, so the run's hashes are genuine).
        if run.how or (at_end and run.count > 1):
            self.walk.findings.append(
                Finding(REWRITTEN, run.first_id, count=run.count, last_id=run.last_id, how=run.how or "unsigned")
            )
        else:
            self.walk.findings.append(Finding(EDITED, run.first_id, event_ids=run.ids, count=run.count))

    def step(self, event: Mapping[str, Any]) -> None:
        walk, event_id = self.walk, event["id"]
        if event["prev_hash"] != walk.last_hash:
            self.close_run(at_end=False)
            walk.findings.append(Finding(DELETED, event_id, before_id=walk.last_id))
        verdict = self.signature(event)
        if verdict == "ok":
            self.close_run(at_end=False)
        elif verdict == "unknown":
            self.close_run(at_end=False)
            known = self.unknown.get(event["key_id"])
            if known is None:
                self.unknown[event["key_id"]] = known = Finding(UNKNOWN_KEY, event_id, count=0, key_id=event["key_id"])
                walk.findings.append(known)
            known.count += 1
            known.last_id = event_id
        else:
            if self.run is None:
                self.run = _Run(first_id=event_id, last_id=event_id)
            self.run.count += 1
            self.run.last_id = event_id
            if len(self.run.ids) < MAX_LISTED:
                self.run.ids.append(event_id)
            if verdict != "mismatch" and not self.run.how:
                self.run.how = verdict
        walk.count += 1
        walk.last_id, walk.last_hash = event_id, event["hash"]
        if self.probe_id is not None and event_id <= self.probe_id:
            walk.probe_count += 1
            walk.probe_last_id = event_id
            if event_id == self.probe_id:
                walk.probe_hash = event["hash"]


def verify(events: Iterable[Mapping[str, Any]], keyring: Keyring, *, probe_id: int | None = None) -> Walk:
    """Walk events in id order (dicts with the model's columns, ``created_at`` as ISO text) once."""
    walker = _Walker(keyring, probe_id)
    for event in events:
        walker.step(event)
    walker.close_run(at_end=True)
    return walker.walk
