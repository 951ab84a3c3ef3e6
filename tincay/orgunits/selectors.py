"""Reads about units: tree levels, search, history. Callers pass the queryset access.py allowed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat, Length, StrIndex, Substr

from tincay.common.text import UNIT_TYPE_WORDS, fold, printable
from tincay.orgunits.access import units_visible_to
from tincay.orgunits.choices import LinkRole
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink

NAME_RANKS = ("rank_campaign", "rank_scope", "rank_exact", "rank_standing")


def units_on(units: QuerySet[AdminUnit], date: dt.date | None) -> QuerySet[AdminUnit]:
    """Units as the tree stood on ``date``; today's units when no date is given."""
    if date is None:
        return units.filter(valid_to__isnull=True)
    return units.filter(AdminUnit.valid_on(date))


def units_search(units: QuerySet[AdminUnit], query: str) -> QuerySet[AdminUnit]:
    """Diacritic-insensitive search on name and code: "dang lam" finds "Phường Đằng Lâm"."""
    return units.filter(unit_search_q(query, ""))


def unit_search_q(query: str, to_unit: str = "unit__") -> Q:
    """``units_search`` as a condition on rows that lead to a unit through ``to_unit``: every word of ``query``
    (without diacritics) in the unit's name or code."""
    kept = Q()
    for word in fold(query).split():
        kept &= Q(**{f"{to_unit}search_text__contains": word})
    return kept


def _first_when(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(0)), default=Value(1), output_field=IntegerField())


def _exact_name(query: str) -> Q:
    """The folded name is the query, with or without its type word ("hoang van thu", "phuong hoang van thu"),
    or the query is the unit's code or key."""
    folded = fold(query)
    code = " ".join(printable(query).split())
    exact = Q(code=code) | Q(key=code)
    for prefix in ("", *(f"{fold(word)} " for word in UNIT_TYPE_WORDS)):
        exact |= Q(search_text=Concat(Value(f"{prefix}{folded} "), F("code")))
    return exact


def units_by_name(
    query: str,
    *,
    actor: Any = None,
    units: QuerySet[AdminUnit] | None = None,
    campaign: Any = None,
    on: dt.date | None = None,
    limit: int | None = 20,
) -> list[AdminUnit]:
    """Every unit whose name or code holds each word typed (diacritics ignored), ranked, best first:

    1. assessed in ``campaign``: the unit or a unit below it (a 2023 campaign finds the 2023 district, not
       today's ward of the same name);
    2. inside the ``actor``'s scope (the units their roles reach, ``access.units_visible_to``);
    3. the exact name, with or without its type word, or the code;
    4. standing on ``on`` (today's units when no date);
    then higher levels first and Vietnamese alphabetical order. All matches are ranked in the database before
    ``limit`` cuts. ``units`` are the candidates the caller may offer (default: what the actor sees, else every
    unit). Each unit carries its ranks (``NAME_RANKS``, 0 = better; compare with ``name_rank``).
    """
    if not fold(query):
        return []
    if units is None:
        units = units_visible_to(actor) if actor is not None else AdminUnit.objects.all()
    found = units_search(units, query)
    if campaign is not None:
        below = AdminUnit.objects.filter(assessments__campaign=campaign, path__startswith=OuterRef("path"))
        found = found.annotate(rank_campaign=_first_when(Exists(below)))
    else:
        found = found.annotate(rank_campaign=Value(0, output_field=IntegerField()))
    if actor is not None:
        found = found.annotate(rank_scope=_first_when(Q(pk__in=units_visible_to(actor).values("pk"))))
    else:
        found = found.annotate(rank_scope=Value(0, output_field=IntegerField()))
    standing = AdminUnit.valid_on(on) if on else Q(valid_to__isnull=True)
    found = found.annotate(rank_exact=_first_when(_exact_name(query)), rank_standing=_first_when(standing))
    found = found.select_related("parent").order_by(*NAME_RANKS, Length("path"), "sort_key", "key")
    return list(found[:limit] if limit else found)


def name_rank(unit: AdminUnit) -> tuple[int, ...]:
    """The ranks ``units_by_name`` gave a unit; a smaller tuple is a better match."""
    return tuple(getattr(unit, name) for name in NAME_RANKS)


def provinces_of(rows: QuerySet[Any], path_field: str = "unit__path") -> list[AdminUnit]:
    """The first-level units (provinces, today's or historical) that the units of ``rows`` lie in, for a filter:
    ``path_field`` leads from a row to its unit's path. One query, whatever the number of rows (the paths' first
    segments are compared in the database)."""
    first_segment = Substr(path_field, 1, StrIndex(path_field, Value("/")))
    prefixes = rows.order_by().annotate(province_path=first_segment).values("province_path")
    return list(AdminUnit.objects.filter(path__in=prefixes).order_by("valid_to", "sort_key"))


def unit_roots(units: QuerySet[AdminUnit]) -> QuerySet[AdminUnit]:
    """The top of what ``units`` contains: units whose parent is not in the set."""
    return units.exclude(parent__in=units.values("pk"))


def with_child_counts(units: QuerySet[AdminUnit], date: dt.date | None = None) -> QuerySet[AdminUnit]:
    """``child_count``: the units below each one as the tree stood on ``date`` (today's when no date)."""
    if date is None:
        on = Q(children__valid_to__isnull=True)
    else:
        on = (Q(children__valid_from__isnull=True) | Q(children__valid_from__lte=date)) & (
            Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=date)
        )
    return units.annotate(child_count=Count("children", filter=on))


def unit_children(units: QuerySet[AdminUnit], parent: AdminUnit, date: dt.date | None) -> QuerySet[AdminUnit]:
    """The units right below ``parent`` on ``date``; without a date, those of the parent's own period."""
    below = units.filter(parent=parent)
    below = units_on(below, date) if date else below.filter(valid_to=parent.valid_to)
    return with_child_counts(below, date).order_by("sort_key", "key")


def list_dates_before(units: QuerySet[AdminUnit], date: dt.date | None) -> list[dt.date]:
    """The dates of the lists that the units standing on ``date`` are only known from (their start is not in
    the sources and the list is later than ``date``): the page says "as listed on …" for them."""
    if date is None:
        return []
    listed = units_on(units, date).filter(listed_on__gt=date).order_by("listed_on")
    return list(listed.values_list("listed_on", flat=True).distinct())


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
