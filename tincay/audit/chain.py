"""The hash chain of audit events (pure functions; no ORM)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def canonical_roundtrip(value: Any) -> Any:
    """The value as it will read back from a JSON column (dates become strings, tuples lists)."""
    return None if value is None else json.loads(canonical(value))


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    payload = prev_hash + canonical({name: fields.get(name) for name in FIELDS})
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str


def verify(events: Iterable[Mapping[str, Any]]) -> BrokenLink | None:
    """Walk events in id order; return the first one whose link or content does not match, else None."""
    expected_prev = GENESIS
    for event in events:
        if event["prev_hash"] != expected_prev:
            return BrokenLink(event["id"], "prev_hash does not match the previous event (deleted or reordered)")
        if event_hash(event["prev_hash"], event) != event["hash"]:
            return BrokenLink(event["id"], "content does not match its hash (edited)")
        expected_prev = event["hash"]
    return None
