"""Reads of the public portal that ``reports`` does not already give: the methodology of the versions in use, the
publication of a campaign, the units a citizen can open, a unit's predecessors and successors.

Only published assessments (``reports.published_assessments``) are ever read; every function runs a fixed number of
queries whatever the number of units.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Min
from django.utils import timezone

from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import Campaign, CampaignMember
from tincay.catalogue.models import Criterion, FrameworkVersion, Indicator, Pillar
from tincay.catalogue.scheme import number
from tincay.common.i18n import current_language
from tincay.orgunits.choices import LinkRole
from tincay.orgunits.models import AdminUnit, LineageLink
from tincay.orgunits.selectors import unit_history, units_by_name, units_search
from tincay.reports.selectors import public_campaigns, published_assessments

LINEAGE_DEPTH = 6  # as reports.selectors.trend_assessments (lineage_closure's default)
SEARCH_LIMIT = 50


def on_scale(value: float | None, scale: float) -> float | None:
    """A score stored on 0..1 (indicator, pillar) on the scale of the totals (100)."""
    return None if value is None else value * scale


def scale_of(campaign: Campaign) -> float:
    return float(campaign.version.scoring.get("scale") or 100)


# --- methodology -------------------------------------------------------------------------------------------------


@dataclass
class IndicatorRule:
    indicator: Indicator
    criteria: int
    performance: int  # criteria scored from a measured value
    weights: list[tuple[Decimal, int]]  # (weight, how many criteria carry it), heaviest first


@dataclass
class ClassRule:
    code: str
    label: str
    all_green: bool
    minimum: float | None  # total from which the class applies (None for all_green)
    below: float | None  # the next higher class's minimum: the class holds totals below it


@dataclass
class Methodology:
    version: FrameworkVersion
    campaigns: list[Campaign]
    scheme: dict[str, Any]
    scale: float
    levels: list[tuple[str, float, float]]  # level, value in 0..1, value on the scale
    rollup: str
    yellow: float  # indicator thresholds on the scale
    green: float
    classes: list[ClassRule]
    pillars: list[tuple[Pillar, list[IndicatorRule]]]
    criteria: int
    performance: int
    weights: list[tuple[Decimal, int]]
    applies_to_some: int  # criteria that apply only to some kinds of unit

    @property
    def indicators(self) -> int:
        return sum(len(rules) for _pillar, rules in self.pillars)

    @property
    def equal_weights(self) -> bool:
        return len(self.weights) <= 1


def _class_rules(scheme: dict[str, Any]) -> list[ClassRule]:
    rules: list[ClassRule] = []
    above: float | None = None
    for entry in scheme.get("classes") or []:
        label = entry["label"].get(current_language()) or entry["label"]["vi"]
        if entry.get("all_green"):
            rules.append(ClassRule(entry["code"], label, True, None, None))
            continue
        minimum = number(entry["min"]) if entry.get("min") is not None else None
        rules.append(ClassRule(entry["code"], label, False, minimum, above))
        above = minimum
    return rules


def _weights(rows: list[dict[str, Any]]) -> list[tuple[Decimal, int]]:
    counts = Counter(Decimal(r["weight"]).normalize() for r in rows)
    return sorted(counts.items(), key=lambda item: -item[0])


def methodology(version: FrameworkVersion, campaigns: list[Campaign]) -> Methodology:
    """How ``version`` turns answers into published scores, from its stored scheme and criteria (three queries)."""
    scheme = version.scoring
    scale = number(scheme.get("scale") or 100)
    pillars = list(Pillar.objects.filter(version=version).order_by("order"))
    indicators = list(Indicator.objects.filter(version=version).order_by("order"))
    criteria = list(Criterion.objects.filter(version=version).values("indicator_id", "weight", "type", "applies_to"))
    by_indicator: dict[int, list[dict[str, Any]]] = {}
    for row in criteria:
        by_indicator.setdefault(row["indicator_id"], []).append(row)

    def rule(indicator: Indicator) -> IndicatorRule:
        rows = by_indicator.get(indicator.pk, [])
        return IndicatorRule(indicator, len(rows), sum(r["type"] == "performance" for r in rows), _weights(rows))

    levels = scheme["levels"]
    thresholds = scheme["indicator_thresholds"]
    return Methodology(
        version=version,
        campaigns=campaigns,
        scheme=scheme,
        scale=scale,
        levels=[
            (name, number(levels[name]), number(float(levels[name]) * scale)) for name in ("green", "yellow", "red")
        ],
        rollup=scheme["rollup"],
        yellow=number(float(thresholds["yellow"]) * scale),
        green=number(float(thresholds["green"]) * scale),
        classes=_class_rules(scheme),
        pillars=[(p, [rule(i) for i in indicators if i.pillar_id == p.pk]) for p in pillars],
        criteria=len(criteria),
        performance=sum(r["type"] == "performance" for r in criteria),
        weights=_weights(criteria),
        applies_to_some=sum(1 for r in criteria if r["applies_to"]),
    )


def methodologies(campaign: Campaign | None = None) -> list[Methodology]:
    """One methodology per framework version used by the public campaigns (or by ``campaign`` alone), newest
    campaign first, each naming the campaigns that used it."""
    campaigns = [campaign] if campaign else list(public_campaigns().select_related("version__framework"))
    by_version: dict[int, list[Campaign]] = {}
    for item in campaigns:
        by_version.setdefault(item.version_id, []).append(item)
    return [methodology(group[0].version, group) for group in by_version.values()]


# --- publication -------------------------------------------------------------------------------------------------


@dataclass
class Publication:
    first: dt.datetime | None
    last: dt.datetime | None
    units: int
    council: int  # members of the campaign's appraisal council
    organiser: AdminUnit | None

    @property
    def same_day(self) -> bool:
        return bool(self.first and self.last) and timezone.localdate(self.first) == timezone.localdate(self.last)


def publication(campaign: Campaign) -> Publication:
    """When a campaign's results were published and who appraised them (two queries)."""
    dates = (
        published_assessments()
        .filter(campaign=campaign)
        .aggregate(first=Min("published_at"), last=Max("published_at"), units=Count("pk"))
    )
    council = CampaignMember.objects.filter(campaign=campaign, role=CampaignRole.COUNCIL).count()
    return Publication(dates["first"], dates["last"], dates["units"], council, campaign.owner_unit)


# --- units a citizen can open ------------------------------------------------------------------------------------


def public_unit_ids() -> set[int]:
    """Units with a public page: those with a published result and those that came from them (their page shows
    the predecessors' results). At most ``LINEAGE_DEPTH`` + 1 queries, whatever the number of units."""
    found = set(published_assessments().values_list("unit_id", flat=True).distinct())
    frontier = set(found)
    for _depth in range(LINEAGE_DEPTH):
        events = LineageLink.objects.filter(unit_id__in=frontier, role=LinkRole.PREDECESSOR).values("event_id")
        successors = set(
            LineageLink.objects.filter(event_id__in=events, role=LinkRole.SUCCESSOR).values_list("unit_id", flat=True)
        )
        frontier = successors - found
        if not frontier:
            break
        found |= frontier
    return found


@dataclass
class SearchResult:
    query: str
    units: list[AdminUnit] = field(default_factory=list)  # with a public page, current units first
    without_page: int = 0  # units matching the name that have no published result


def unit_search(text: str) -> SearchResult:
    """Units whose name or code matches ``text`` (no diacritics needed: "hoang van thu" finds "Hoàng Văn Thụ")
    and that have a public page, ranked by ``orgunits.selectors.units_by_name`` (exact name first, then today's
    units, higher levels, Vietnamese order)."""
    text = " ".join(text.split())[:100]
    if not text:
        return SearchResult(text)
    public = public_unit_ids()
    matches = units_by_name(text, units=AdminUnit.objects.filter(pk__in=public), limit=SEARCH_LIMIT)
    without = units_search(AdminUnit.objects.exclude(pk__in=public), text).count()
    return SearchResult(text, matches, without)


# --- lineage -----------------------------------------------------------------------------------------------------


@dataclass
class LineageEntry:
    date: dt.date
    kind: str  # LineageEvent.get_kind_display()
    legal_basis: str
    units: list[tuple[AdminUnit, bool]]  # the unit on the other side and whether it has a public page


def unit_lineage(unit: AdminUnit) -> tuple[list[LineageEntry], list[LineageEntry]]:
    """(came from, became): the events this unit took part in, the units on the other side linked when they have
    a public page."""
    history = unit_history(unit)
    others = {u.pk for entry in history for u in entry.others}
    public = public_unit_ids() & others if others else set()
    came_from, became = [], []
    for entry in history:
        item = LineageEntry(
            entry.event.date,
            entry.event.get_kind_display(),
            entry.event.legal_basis,
            [(u, u.pk in public) for u in entry.others],
        )
        (came_from if entry.role == LinkRole.SUCCESSOR else became).append(item)
    return came_from, became
