"""Reads about units: tree levels, search, history. Callers pass the queryset access.py allowed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from tincay.common.text import fold
from tincay.orgunits.choices import LinkRole
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink


def units_on(units: QuerySet[AdminUnit], date: dt.date | None) -> QuerySet[AdminUnit]:
    """Units as the tree stood on ``date``; today's units when no date is given."""
    if date is None:
        return units.filter(valid_to__isnull=True)
    return units.filter(AdminUnit.valid_on(date))


def units_search(units: QuerySet[AdminUnit], query: str) -> QuerySet[AdminUnit]:
    """Diacritic-insensitive search on name and code: "dang lam" finds "Phường Đằng Lâm"."""
    words = fold(query).split()
    for word in words:
        units = units.filter(search_text__contains=word)
    return units


def unit_roots(units: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
    """The top of what ``units`` contains: units whose parent is not in the set."""
    return units.exclude(parent__in=units.values("pk"))


def with_child_counts(units: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
    return units.annotate(child_count=Count("children", filter=Q(children__valid_to__isnull=True)))


def unit_ancestors(unit: AdminUnit) -> list[AdminUnit]:
    keys = [key for key in unit.path.split("/") if key][:-1]
    by_key = {u.key: u for u in AdminUnit.objects.filter(key__in=keys)}
    return [by_key[k] for k in keys if k in by_key]


@dataclass
class HistoryEntry:
    event: LineageEvent
    role: str  # the role of *this* unit in the event
    others: list[AdminUnit]  # the units on the other side


def unit_history(unit: AdminUnit) -> list[HistoryEntry]:
    """Lineage events this unit took part in, with the units on the other side (three queries)."""
    links = LineageLink.objects.filter(unit=unit).values_list("event_id", "role")
    role_by_event = dict(links)
    other_links = LineageLink.objects.select_related("unit").exclude(unit=unit)
    events = LineageEvent.objects.filter(pk__in=role_by_event.keys()).prefetch_related(
        Prefetch("links", queryset=other_links, to_attr="other_links")
    )
    entries = []
    for event in events:
        mine = role_by_event[event.pk]
        opposite = LinkRole.SUCCESSOR if mine == LinkRole.PREDECESSOR else LinkRole.PREDECESSOR
        others = sorted((link.unit for link in event.other_links if link.role == opposite), key=lambda u: u.sort_key)
        entries.append(HistoryEntry(event=event, role=mine, others=others))
    return sorted(entries, key=lambda e: (e.event.date, e.event.pk))


def lineage_closure(unit: AdminUnit, direction: str, max_depth: int = 6) -> list[tuple[int, AdminUnit]]:
    """All units reached by following events backwards (predecessors) or forwards (successors), with depth."""
    mine, other = (
        (LinkRole.SUCCESSOR, LinkRole.PREDECESSOR)
        if direction == "predecessors"
        else (LinkRole.PREDECESSOR, LinkRole.SUCCESSOR)
    )
    seen: dict[int, tuple[int, AdminUnit]] = {}
    frontier = [unit.pk]
    for depth in range(1, max_depth + 1):
        events = LineageLink.objects.filter(unit_id__in=frontier, role=mine).values("event_id")
        found = (
            AdminUnit.objects.filter(lineage_links__event_id__in=events, lineage_links__role=other)
            .exclude(pk__in=[*seen, unit.pk])
            .distinct()
        )
        frontier = []
        for u in found:
            seen[u.pk] = (depth, u)
            frontier.append(u.pk)
        if not frontier:
            break
    return sorted(seen.values(), key=lambda pair: (pair[0], pair[1].sort_key))
