"""What a write changes, as the pages that show it see it: the scopes of :class:`~tincay.audit.models.ChangeMark`.

A page that answers ``304 Not Modified`` (``tincay.accounts.freshness``) names the scopes it shows; every audited
write moves the mark of the scopes its object names (``change_scopes()`` on the model), and a write whose object
names none moves ``ALL``, which every such page reads. So a model without ``change_scopes`` is always safe: its
writes make every page new; naming a scope is a promise that no page outside it shows the object.
"""

from __future__ import annotations

from typing import Any

ALL = "all"


def unit_scope(unit_id: int) -> str:
    """What one unit's pages show: its assessments, results, evidence, documents."""
    return f"unit:{unit_id}"


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def scopes_of(obj: Any) -> tuple[str, ...]:
    named = getattr(obj, "change_scopes", None)
    scopes = tuple(named()) if callable(named) else ()
    return scopes or (ALL,)
