"""Read-only analytics over the materialised scores: unit results, heat map, ranking, roll-up, trends.

Every function reads a fixed number of queries whatever the number of units (scores are refreshed first when
stale, which is rare: published assessments do not change).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, AssessmentScore, Campaign
from tincay.assessments.services.scores import scores_refresh
from tincay.catalogue.models import Indicator, Pillar
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import lineage_closure

APPRAISED = (State.APPROVED, State.PUBLISHED)
TRACKS = ("self", "scorer", "final")


def published_assessments() -> QuerySet[Assessment]:
    """What the public may see: published assessments only (their final results)."""
    return Assessment.objects.filter(state=State.PUBLISHED).select_related("campaign", "unit")


def public_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(assessments__state=State.PUBLISHED).distinct().order_by("-year", "code")


def version_structure(version_id: int) -> tuple[list[Pillar], list[Indicator]]:
    pillars = list(Pillar.objects.filter(version_id=version_id).order_by("order"))
    indicators = list(Indicator.objects.filter(version_id=version_id).select_related("pillar").order_by("order"))
    return pillars, indicators


def scores_of(assessments: QuerySet[Assessment], track: str) -> dict[int, AssessmentScore]:
    scores_refresh(assessments)
    rows = AssessmentScore.objects.filter(assessment__in=assessments, track=track)
    return {s.assessment_id: s for s in rows}


@dataclass
class Cell:
    indicator: Indicator
    scores: dict[str, float | None] = field(default_factory=dict)
    colours: dict[str, str | None] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        own, final = self.scores.get("self"), self.scores.get("final")
        return None if own is None or final is None else own - final


@dataclass
class UnitResults:
    assessment: Assessment
    pillars: list[tuple[Pillar, list[Cell], dict[str, float | None]]]
    totals: dict[str, float | None]
    classes: dict[str, str]
    complete: dict[str, bool]


def unit_results(assessment: Assessment) -> UnitResults:
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))
    by_track = {s.track: s for s in AssessmentScore.objects.filter(assessment=assessment)}
    pillars, indicators = version_structure(assessment.campaign.version_id)
    blocks = []
    for pillar in pillars:
        cells = []
        for indicator in (i for i in indicators if i.pillar_id == pillar.pk):
            cell = Cell(indicator)
            for track in TRACKS:
                score, colour = (
                    (by_track[track].indicators.get(indicator.code) or [None, None])
                    if track in by_track
                    else (None, None)
                )
                cell.scores[track], cell.colours[track] = score, colour
            if any(v is not None for v in cell.scores.values()) or any(t in by_track for t in TRACKS):
                cells.append(cell)
        pillar_scores = {t: by_track[t].pillars.get(pillar.code) if t in by_track else None for t in TRACKS}
        blocks.append((pillar, cells, pillar_scores))
    return UnitResults(
        assessment=assessment,
        pillars=blocks,
        totals={t: by_track[t].total if t in by_track else None for t in TRACKS},
        classes={t: by_track[t].classification if t in by_track else "" for t in TRACKS},
        complete={t: by_track[t].complete if t in by_track else False for t in TRACKS},
    )


@dataclass
class HeatRow:
    assessment: Assessment
    colours: list[str | None]
    total: float | None
    appraised: bool


def heatmap(
    campaign: Campaign, assessments: QuerySet[Assessment], track: str = "final"
) -> tuple[list[Indicator], list[HeatRow]]:
    """Units × indicators colours for one campaign (the assessments the caller may see)."""
    _pillars, indicators = version_structure(campaign.version_id)
    scoped = assessments.filter(campaign=campaign)
    scores = scores_of(scoped, track)
    rows = []
    for assessment in scoped.select_related("unit__parent").order_by("unit__sort_key"):
        score = scores.get(assessment.pk)
        data = score.indicators if score else {}
        rows.append(
            HeatRow(
                assessment,
                [(data.get(i.code) or [None, None])[1] for i in indicators],
                score.total if score else None,
                assessment.state in APPRAISED,
            )
        )
    return indicators, rows


def ranking(rows: list[Any]) -> list[tuple[int, Any]]:
    """Rank rows by ``total``, best first; equal totals share a rank; rows without a total come last (rank 0)."""
    ranked = sorted((r for r in rows if r.total is not None), key=lambda r: -r.total)
    result, previous, rank = [], None, 0
    for position, row in enumerate(ranked, start=1):
        if row.total != previous:
            rank, previous = position, row.total
        result.append((rank, row))
    return result + [(0, r) for r in rows if r.total is None]


def rollup(indicators: list[Indicator], rows: list[HeatRow]) -> list[tuple[Indicator, dict[str, int]]]:
    """Distribution of colours per indicator across the units."""
    counts = [Counter() for _ in indicators]
    for row in rows:
        for n, colour in enumerate(row.colours):
            counts[n][colour or "none"] += 1
    return [(indicator, dict(counts[n])) for n, indicator in enumerate(indicators)]


@dataclass
class TrendPoint:
    assessment: Assessment
    total: float | None
    classification: str
    predecessor: bool  # the result belongs to a unit this one came from


def trend(unit: AdminUnit, assessments: QuerySet[Assessment], track: str = "final") -> list[TrendPoint]:
    """The unit's results across campaigns, with those of the units it came from (labelled as such)."""
    predecessors = [u.pk for _depth, u in lineage_closure(unit, "predecessors")]
    scoped = assessments.filter(unit_id__in=[unit.pk, *predecessors]).select_related("campaign", "unit")
    scores = scores_of(scoped, track)
    points = [
        TrendPoint(
            a,
            getattr(scores.get(a.pk), "total", None),
            getattr(scores.get(a.pk), "classification", ""),
            a.unit_id != unit.pk,
        )
        for a in scoped
    ]
    return sorted(points, key=lambda p: (p.assessment.campaign.year, p.assessment.unit.sort_key))


@dataclass
class Analysis:
    pillar_means: list[tuple[Pillar, float | None]]
    unit_gaps: list[tuple[Assessment, float]]  # self total − final total, largest first (who over-rates)
    indicator_gaps: list[tuple[Indicator, float]]
    pillar_gaps: list[tuple[Pillar, float]]
    sdgs: list[tuple[int, list[Indicator], float | None, dict[str, int]]]
    iso_clauses: list[tuple[str, list[Indicator], float | None, dict[str, int]]]


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _linked(indicators: list[Indicator], finals: list[AssessmentScore]) -> tuple[float | None, dict[str, int]]:
    scores, colours = [], Counter()
    for score in finals:
        for indicator in indicators:
            value, colour = score.indicators.get(indicator.code) or [None, None]
            if value is not None:
                scores.append(value)
            if colour:
                colours[colour] += 1
    return _mean(scores), dict(colours)


def analysis(campaign: Campaign, assessments: QuerySet[Assessment]) -> Analysis:
    """Province roll-up: pillar averages, self-vs-final gaps, SDG and ISO 9001 views (final results)."""
    pillars, indicators = version_structure(campaign.version_id)
    scoped = assessments.filter(campaign=campaign)
    scores_refresh(scoped)
    rows = list(AssessmentScore.objects.filter(assessment__in=scoped).select_related("assessment__unit"))
    finals = [r for r in rows if r.track == "final"]
    own = {r.assessment_id: r for r in rows if r.track == "self"}
    unit_gaps = sorted(
        (
            (f.assessment, own[f.assessment_id].total - f.total)
            for f in finals
            if f.total is not None and f.assessment_id in own and own[f.assessment_id].total is not None
        ),
        key=lambda pair: -pair[1],
    )

    def indicator_gap(code: str) -> float | None:
        diffs = [
            own[f.assessment_id].indicators[code][0] - f.indicators[code][0]
            for f in finals
            if f.assessment_id in own
            and code in f.indicators
            and code in own[f.assessment_id].indicators
            and None not in (f.indicators[code][0], own[f.assessment_id].indicators[code][0])
        ]
        return _mean(diffs)

    gaps = {i.code: indicator_gap(i.code) for i in indicators}
    sdg_numbers = sorted({n for i in indicators for n in i.sdgs})
    clauses = sorted(
        {c for i in indicators for c in i.iso9001}, key=lambda c: [int(p) for p in c.split(".") if p.isdigit()]
    )
    return Analysis(
        pillar_means=[
            (p, _mean([f.pillars.get(p.code) for f in finals if f.pillars.get(p.code) is not None])) for p in pillars
        ],
        unit_gaps=unit_gaps,
        indicator_gaps=sorted(((i, gaps[i.code]) for i in indicators if gaps[i.code] is not None), key=lambda x: -x[1]),
        pillar_gaps=[
            (p, g)
            for p in pillars
            if (g := _mean([gaps[i.code] for i in indicators if i.pillar_id == p.pk and gaps[i.code] is not None]))
            is not None
        ],
        sdgs=[
            (n, linked, *_linked(linked, finals))
            for n in sdg_numbers
            for linked in ([i for i in indicators if n in i.sdgs],)
        ],
        iso_clauses=[
            (c, linked, *_linked(linked, finals))
            for c in clauses
            for linked in ([i for i in indicators if c in i.iso9001],)
        ],
    )


def province_published(province: AdminUnit) -> list[tuple[Campaign, list[tuple[Assessment, AssessmentScore | None]]]]:
    """Published results of a province's units, and of the units of the provinces it came from, by campaign."""
    prefixes = [province.path, *[u.path for _d, u in lineage_closure(province, "predecessors")]]
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(unit__path__startswith=prefix)
    assessments = published_assessments().filter(condition)
    scores = scores_of(assessments, "final")
    grouped: dict[int, tuple[Campaign, list]] = {}
    for assessment in assessments.order_by("-campaign__year", "campaign__code", "unit__sort_key"):
        entry = grouped.setdefault(assessment.campaign_id, (assessment.campaign, []))
        entry[1].append((assessment, scores.get(assessment.pk)))
    return list(grouped.values())


HEATMAP_MAX_UNITS = 300


@dataclass
class RankRow:
    assessment_id: int
    unit_key: str
    unit_name: str
    parent_name: str
    total: float | None
    classification: str
    appraised: bool


def ranking_rows(
    campaign: Campaign, assessments: QuerySet[Assessment], track: str = "final"
) -> list[tuple[int, RankRow]]:
    """Totals only (no per-indicator data): a national ranking reads two narrow result sets."""
    scoped = assessments.filter(campaign=campaign)
    scores_refresh(scoped)
    totals = dict(
        AssessmentScore.objects.filter(assessment__in=scoped, track=track).values_list("assessment_id", "total")
    )
    classes = dict(
        AssessmentScore.objects.filter(assessment__in=scoped, track=track).values_list(
            "assessment_id", "classification"
        )
    )
    rows = [
        RankRow(pk, key, name, parent or "", totals.get(pk), classes.get(pk, ""), state in APPRAISED)
        for pk, key, name, parent, state in scoped.order_by("unit__sort_key").values_list(
            "pk", "unit__key", "unit__name", "unit__parent__name", "state"
        )
    ]
    return ranking(rows)
