"""Read-only analytics over the materialised scores: unit results, heat map, ranking, roll-up, trends.

Every function reads a fixed number of queries whatever the number of units, and never writes: the views, the API
and the portal call ``assessments.services.scores.scores_refresh`` on what they are about to show first (stale
scores are rare: published assessments do not change). Stored values that break today's rules come with the
scores (``AssessmentScore.problems``) and are flagged, never fatal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, AssessmentScore, Campaign, TransitionRecord
from tincay.assessments.scoring import TRACKS
from tincay.assessments.selectors import completeness
from tincay.catalogue.models import Indicator, Pillar
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import lineage_closure

APPRAISED = (State.APPROVED, State.PUBLISHED)
DEFAULT_TRACK = "final"


def chosen_track(value: str | None) -> str:
    """The track asked for in a query string, or the final one."""
    return value if value in TRACKS else DEFAULT_TRACK


def flagged_indicators(score: AssessmentScore | None) -> frozenset[str]:
    """Indicator codes of a track's score that count a stored value breaking today's rules as not answered."""
    return frozenset(p.get("indicator", "") for p in score.problems) if score and score.problems else frozenset()


def has_problems() -> Exists:
    """Annotation: the assessment has a score (any track) counting a stored value that breaks today's rules."""
    return Exists(AssessmentScore.objects.filter(assessment=OuterRef("pk")).exclude(problems=[]))


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
    rows = AssessmentScore.objects.filter(assessment__in=assessments, track=track)
    return {s.assessment_id: s for s in rows}


@dataclass
class Cell:
    indicator: Indicator
    scores: dict[str, float | None] = field(default_factory=dict)
    colours: dict[str, str | None] = field(default_factory=dict)
    flagged: dict[str, bool] = field(default_factory=dict)  # a stored value of this track breaks today's rules

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
    problems: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # by track: criterion, indicator, field

    @property
    def flagged(self) -> list[dict[str, str]]:
        """Every stored value breaking today's rules once (a value of ``na`` concerns all three tracks)."""
        seen = {(p["criterion"], p["field"]): p for track in TRACKS for p in self.problems.get(track, [])}
        return list(seen.values())


def _pair(data: dict[str, Any], code: str) -> tuple[Any, Any]:
    """(score, colour) of an indicator in a stored score; missing or malformed entries read as nothing."""
    entry = data.get(code)
    return (entry[0], entry[1]) if isinstance(entry, (list, tuple)) and len(entry) >= 2 else (None, None)


def unit_results(assessment: Assessment) -> UnitResults:
    by_track = {s.track: s for s in AssessmentScore.objects.filter(assessment=assessment)}
    flagged = {track: flagged_indicators(score) for track, score in by_track.items()}
    pillars, indicators = version_structure(assessment.campaign.version_id)
    blocks = []
    for pillar in pillars:
        cells = []
        for indicator in (i for i in indicators if i.pillar_id == pillar.pk):
            cell = Cell(indicator)
            for track in TRACKS:
                score, colour = _pair(by_track[track].indicators, indicator.code) if track in by_track else (None, None)
                cell.scores[track], cell.colours[track] = score, colour
                cell.flagged[track] = indicator.code in flagged.get(track, ())
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
        problems={t: list(by_track[t].problems or []) if t in by_track else [] for t in TRACKS},
    )


@dataclass
class HeatRow:
    assessment: Assessment
    colours: list[str | None]
    total: float | None
    appraised: bool
    flags: list[bool] = field(default_factory=list)  # per indicator: a stored value breaks today's rules

    @property
    def flagged(self) -> bool:
        return any(self.flags)


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
        flagged = flagged_indicators(score)
        rows.append(
            HeatRow(
                assessment,
                [_pair(data, i.code)[1] for i in indicators],
                score.total if score else None,
                assessment.state in APPRAISED,
                [i.code in flagged for i in indicators],
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


def trend_assessments(unit: AdminUnit, assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments of a unit's trend: its own and those of the units it came from, among ``assessments``."""
    predecessors = [u.pk for _depth, u in lineage_closure(unit, "predecessors")]
    return assessments.filter(unit_id__in=[unit.pk, *predecessors]).select_related("campaign", "unit")


def trend(unit: AdminUnit, assessments: QuerySet[Assessment], track: str = "final") -> list[TrendPoint]:
    """The unit's results across campaigns, with those of the units it came from (labelled as such)."""
    return trend_points(unit, trend_assessments(unit, assessments), track)


def trend_points(unit: AdminUnit, scoped: QuerySet[Assessment], track: str = "final") -> list[TrendPoint]:
    """``trend`` over the assessments ``trend_assessments`` chose (so that a view can refresh them first)."""
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
class TrendYear:
    """One campaign of a unit's trend: its own result and/or those of the units it came from."""

    campaign: Campaign
    own: TrendPoint | None
    predecessors: list[TrendPoint]
    combined: float | None  # the predecessors' totals weighted by population, when every population is known
    rule: str  # "own", "population" or "side_by_side"


def trend_years(unit: AdminUnit, points: list[TrendPoint]) -> list[TrendYear]:
    """Group a trend by campaign and apply the merge rule: predecessors of the unit's own level are combined,
    weighted by population, when all their populations are known; otherwise they are listed side by side."""
    by_campaign: dict[int, list[TrendPoint]] = {}
    for point in points:
        by_campaign.setdefault(point.assessment.campaign_id, []).append(point)
    years = []
    for group in by_campaign.values():
        own = next((p for p in group if not p.predecessor), None)
        before = [p for p in group if p.predecessor]
        same_level = [p for p in before if p.assessment.unit.level == unit.level and p.total is not None]
        combined, rule = None, "own" if not before else "side_by_side"
        if own is None and same_level and all(p.assessment.unit.population for p in same_level):
            weight = sum(p.assessment.unit.population for p in same_level)
            combined = sum(p.total * p.assessment.unit.population for p in same_level) / weight
            rule = "population"
        years.append(TrendYear(group[0].assessment.campaign, own, before, combined, rule))
    return sorted(years, key=lambda y: (y.campaign.year, y.campaign.code))


def _rounded(total: float | None) -> float | None:
    return None if total is None else round(total, 1)


def trend_chart(years: list[TrendYear]) -> dict[str, Any]:
    """Series for the trend chart (totals on 0–100): the unit's own line, then its predecessors, combined by
    population or one line each."""
    labels = [str(y.campaign.year) for y in years]
    own = [_rounded(y.own.total) if y.own else None for y in years]
    series: list[dict[str, Any]] = [{"key": "own", "values": own}] if any(v is not None for v in own) else []
    combined = [_rounded(y.combined) for y in years]
    if any(v is not None for v in combined):
        series.append({"key": "combined", "values": combined})
    side_by_side = [
        {p.assessment.unit_id: p for p in y.predecessors} if y.rule == "side_by_side" else {} for y in years
    ]
    units = {p.assessment.unit_id: p.assessment.unit for by_unit in side_by_side for p in by_unit.values()}
    for unit_id, unit in sorted(units.items(), key=lambda item: item[1].sort_key):
        values = [_rounded(by_unit[unit_id].total) if unit_id in by_unit else None for by_unit in side_by_side]
        series.append({"key": "predecessor", "name": unit.name, "values": values})
    return {"labels": labels, "series": series}


@dataclass
class Analysis:
    pillar_means: list[tuple[Pillar, float | None]]
    unit_gaps: list[tuple[Assessment, float]]  # self total − final total, largest first (who over-rates)
    indicator_gaps: list[tuple[Indicator, float]]
    pillar_gaps: list[tuple[Pillar, float]]
    sdgs: list[tuple[int, list[Indicator], float | None, dict[str, int]]]
    iso_clauses: list[tuple[str, list[Indicator], float | None, dict[str, int]]]
    flagged: list[Assessment] = field(default_factory=list)  # units whose self or final score flags a stored value


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _linked(indicators: list[Indicator], finals: list[AssessmentScore]) -> tuple[float | None, dict[str, int]]:
    scores, colours = [], Counter()
    for score in finals:
        for indicator in indicators:
            value, colour = _pair(score.indicators, indicator.code)
            if value is not None:
                scores.append(value)
            if colour:
                colours[colour] += 1
    return _mean(scores), dict(colours)


def analysis(campaign: Campaign, assessments: QuerySet[Assessment]) -> Analysis:
    """Province roll-up: pillar averages, self-vs-final gaps, SDG and ISO 9001 views (final results)."""
    pillars, indicators = version_structure(campaign.version_id)
    scoped = assessments.filter(campaign=campaign)
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
        pairs = [(_pair(own[f.assessment_id].indicators, code)[0], _pair(f.indicators, code)[0]) for f in finals]
        return _mean([mine - final for mine, final in pairs if mine is not None and final is not None])

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
        flagged=sorted(
            {r.assessment_id: r.assessment for r in rows if r.problems and r.track in ("self", "final")}.values(),
            key=lambda a: a.unit.sort_key,
        ),
    )


def province_assessments(province: AdminUnit) -> QuerySet[Assessment]:
    """Published assessments of a province's units and of the units of the provinces it came from."""
    prefixes = [province.path, *[u.path for _d, u in lineage_closure(province, "predecessors")]]
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(unit__path__startswith=prefix)
    return published_assessments().filter(condition)


def province_published(
    assessments: QuerySet[Assessment],
) -> list[tuple[Campaign, list[tuple[Assessment, AssessmentScore | None]]]]:
    """``province_assessments`` with their final scores, by campaign."""
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
    problems: list[dict[str, str]] = field(default_factory=list)  # stored values breaking today's rules

    @property
    def flagged(self) -> bool:
        return bool(self.problems)


def ranking_rows(
    campaign: Campaign, assessments: QuerySet[Assessment], track: str = "final"
) -> list[tuple[int, RankRow]]:
    """Totals only (no per-indicator data): a national ranking reads two narrow result sets."""
    scoped = assessments.filter(campaign=campaign)
    scores = {
        pk: (total, classification, problems)
        for pk, total, classification, problems in AssessmentScore.objects.filter(
            assessment__in=scoped, track=track
        ).values_list("assessment_id", "total", "classification", "problems")
    }
    rows = []
    for pk, key, name, parent, state in scoped.order_by("unit__sort_key").values_list(
        "pk", "unit__key", "unit__name", "unit__parent__name", "state"
    ):
        total, classification, problems = scores.get(pk, (None, "", []))
        rows.append(RankRow(pk, key, name, parent or "", total, classification, state in APPRAISED, problems or []))
    return ranking(rows)


@dataclass
class TimelinessRow:
    assessment_id: int
    unit_name: str
    parent_name: str
    state: str
    percent: int  # criteria answered by the unit
    submitted_on: dt.date | None  # first submission
    days_late: int | None  # submission date minus the self-assessment deadline (negative: early)
    overdue: bool  # not submitted and the deadline has passed
    published_on: dt.date | None
    flagged: bool = False  # a score of the assessment counts a stored value that breaks today's rules

    @property
    def days_early(self) -> int:
        return -self.days_late if self.days_late is not None and self.days_late < 0 else 0


@dataclass
class Timeliness:
    rows: list[TimelinessRow]
    on_time: int
    late: int
    overdue: int
    waiting: int  # not submitted, deadline not reached
    unrecorded: int  # past the draft without a submission on record (results imported from paper)
    mean_percent: float | None


def _first(assessment_ref: str, to_state: str) -> Subquery:
    first = TransitionRecord.objects.filter(assessment=OuterRef(assessment_ref), to_state=to_state).order_by("at")
    return Subquery(first.values("at")[:1])


def timeliness(campaign: Campaign, assessments: QuerySet[Assessment], today: dt.date | None = None) -> Timeliness:
    """Completeness and timeliness of each unit: when it first submitted against the deadline, which units are
    overdue, how much each has answered. Latest first; two queries whatever the number of units."""
    today = today or timezone.localdate()
    due = campaign.self_assessment_due
    scoped = completeness(assessments.filter(campaign=campaign)).annotate(
        first_submitted_at=_first("pk", State.SUBMITTED),
        first_published_at=_first("pk", State.PUBLISHED),
        flagged=has_problems(),
    )
    rows = []
    for a in scoped.values(
        "pk",
        "unit__name",
        "unit__parent__name",
        "state",
        "total_criteria",
        "answered_criteria",
        "first_submitted_at",
        "first_published_at",
        "flagged",
    ):
        submitted = timezone.localdate(a["first_submitted_at"]) if a["first_submitted_at"] else None
        published = timezone.localdate(a["first_published_at"]) if a["first_published_at"] else None
        rows.append(
            TimelinessRow(
                a["pk"],
                a["unit__name"],
                a["unit__parent__name"] or "",
                a["state"],
                round(100 * a["answered_criteria"] / a["total_criteria"]) if a["total_criteria"] else 0,
                submitted,
                (submitted - due).days if submitted else None,
                submitted is None and a["state"] == State.DRAFT and today > due,
                published,
                a["flagged"],
            )
        )
    rows.sort(key=lambda r: (not r.overdue, -(r.days_late if r.days_late is not None else -(10**6)), r.unit_name))
    submitted_rows = [r for r in rows if r.days_late is not None]
    return Timeliness(
        rows=rows,
        on_time=sum(1 for r in submitted_rows if r.days_late <= 0),
        late=sum(1 for r in submitted_rows if r.days_late > 0),
        overdue=sum(1 for r in rows if r.overdue),
        waiting=sum(1 for r in rows if r.state == State.DRAFT and r.days_late is None and not r.overdue),
        unrecorded=sum(1 for r in rows if r.state != State.DRAFT and r.days_late is None),
        mean_percent=_mean([r.percent for r in rows]),
    )
