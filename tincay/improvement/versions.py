"""The differences between two contents of an action programme (pure: plain data in, plain data out).

A content is what ``services.programmes.programme_content`` freezes in a version:
``{"programme": {"title", "summary"}, "actions": [{"id", "number", "title", ...every field...}]}``. Actions are
matched by their id (their number when an id is missing), so a renamed action is a change, not a removal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PROGRAMME = "programme"
ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
# Keys that identify an action or repeat another key in a form people do not read; not shown as changes.
HIDDEN_KEYS = {"id", "department_id", "responsible_id"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Difference:
    """``kind`` is programme (its own fields changed), added, removed or changed (an action)."""

    kind: str
    number: int | None = None
    title: str = ""
    changes: tuple[FieldChange, ...] = field(default_factory=tuple)


def _key(action: dict[str, Any]) -> Any:
    return ("id", action["id"]) if action.get("id") is not None else ("number", action.get("number"))


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    names = [k for k in new if k not in HIDDEN_KEYS] + [k for k in old if k not in new and k not in HIDDEN_KEYS]
    return tuple(FieldChange(n, old.get(n), new.get(n)) for n in names if old.get(n) != new.get(n))


def diff(old_content: dict[str, Any] | None, new_content: dict[str, Any] | None) -> list[Difference]:
    """What changed from ``old_content`` to ``new_content``: the programme's fields first, then actions in the
    order of their numbers (added, removed or changed with each field's before → after)."""
    old = old_content or {}
    new = new_content or {}
    found: list[Difference] = []
    programme_changes = _changes(old.get("programme") or {}, new.get("programme") or {})
    if programme_changes:
        found.append(Difference(PROGRAMME, changes=programme_changes))
    old_actions = {_key(a): a for a in old.get("actions") or []}
    new_actions = {_key(a): a for a in new.get("actions") or []}
    rows: list[tuple[Any, Difference]] = []
    for key, action in new_actions.items():
        before = old_actions.get(key)
        if before is None:
            rows.append((action.get("number"), Difference(ADDED, action.get("number"), action.get("title", ""))))
            continue
        changes = _changes(before, action)
        if changes:
            rows.append(
                (action.get("number"), Difference(CHANGED, action.get("number"), action.get("title", ""), changes))
            )
    for key, action in old_actions.items():
        if key not in new_actions:
            rows.append((action.get("number"), Difference(REMOVED, action.get("number"), action.get("title", ""))))
    rows.sort(key=lambda row: (row[0] is None, row[0] or 0))
    return found + [d for _n, d in rows]
