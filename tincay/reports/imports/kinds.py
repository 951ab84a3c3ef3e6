"""Every kind of import by its code: what the upload forms offer and the service dispatches on."""

from __future__ import annotations

from typing import Any

from tincay.reports.imports import people, results, units
from tincay.reports.imports.base import ImportKind

KINDS: dict[str, ImportKind] = {**results.KINDS, **people.KINDS, **units.KINDS}


def campaign_kinds() -> dict[str, ImportKind]:
    """The kinds imported into one campaign (from its board)."""
    return {code: kind for code, kind in KINDS.items() if kind.needs_campaign}


def general_kinds() -> dict[str, ImportKind]:
    """The kinds imported outside any campaign (people, units, lineage)."""
    return {code: kind for code, kind in KINDS.items() if not kind.needs_campaign}


def general_kinds_for(user: Any) -> dict[str, ImportKind]:
    """The kinds outside any campaign that ``user`` may import (coordinators: people; administrators: all)."""
    return {code: kind for code, kind in general_kinds().items() if kind.may_import(user, None)}
