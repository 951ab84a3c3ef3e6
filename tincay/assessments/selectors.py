"""Reads of campaigns and assessments: workspace, board, scores. Constant query counts whatever the size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tincay.assessments import scoring
from tincay.assessments.choices import ClarificationStatus, State
from tincay.assessments.models import Assessment, Campaign, Clarification, CriterionResult, EvidenceLink
from tincay.catalogue.models import Criterion, Indicator, Pillar
from tincay.common.i18n import current_language

ANSWERED = Q(na=True) | ~Q(self_level="") | Q(self_value__isnull=False)
STATE_ORDER = list(State.values)


def results_with_details(assessment: Assessment) -> QuerySet[CriterionResult]:
    open_questions = Clarification.objects.filter(status=ClarificationStatus.OPEN)
    return (
        assessment.results.select_related("criterion", "updated_by")
        .annotate(evidence_count=Count("evidence_links", distinct=True))
        .prefetch_related(
            Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("document")),
            Prefetch("clarifications", queryset=Clarification.objects.order_by("created_at")),
        )
        .annotate(open_questions=Count("clarifications", filter=Q(clarifications__in=open_questions), distinct=True))
        .order_by("criterion__order")
    )


@dataclass
class IndicatorBlock:
    indicator: Indicator
    results: list[CriterionResult] = field(default_factory=list)
    assignment: Any = None

    @property
    def answered(self) -> int:
        return sum(1 for r in self.results if r.na or r.self_level or r.self_value is not None)

    @property
    def complete(self) -> bool:
        return self.answered == len(self.results)

    @property
    def missing_evidence(self) -> int:
        return sum(1 for r in self.results if not r.na and not r.evidence_count and not r.no_evidence_reason)


@dataclass
class PillarBlock:
    pillar: Pillar
    indicators: list[IndicatorBlock] = field(default_factory=list)


def workspace(assessment: Assessment, indicator_code: str | None = None) -> list[PillarBlock]:
    """Pillars → indicators → results of one assessment (one query per level, whatever the size)."""
    version_id = assessment.campaign.version_id
    pillars = {p.pk: PillarBlock(p) for p in Pillar.objects.filter(version_id=version_id).order_by("order")}
    indicators = Indicator.objects.filter(version_id=version_id).order_by("order")
    if indicator_code:
        indicators = indicators.filter(code=indicator_code)
    blocks = {i.pk: IndicatorBlock(i) for i in indicators}
    for assignment in assessment.assignments.select_related("department", "assignee"):
        if assignment.indicator_id in blocks:
            blocks[assignment.indicator_id].assignment = assignment
    results = results_with_details(assessment)
    if indicator_code:
        results = results.filter(criterion__indicator__code=indicator_code)
    for result in results:
        blocks[result.criterion.indicator_id].results.append(result)
    for block in blocks.values():
        if block.results:
            pillars[block.indicator.pillar_id].indicators.append(block)
    return [p for p in pillars.values() if p.indicators]


def completeness(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate total and answered criteria (subqueries, no join fan-out)."""

    def count(condition: Q) -> Coalesce:
        rows = (
            CriterionResult.objects.filter(condition, assessment=OuterRef("pk"))
            .order_by()
            .values("assessment")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return assessments.annotate(total_criteria=count(Q()), answered_criteria=count(ANSWERED))


@dataclass
class BoardRow:
    assessment: Assessment
    percent: int
    late: bool
    due: dt.date | None


DUE_BY_STATE = {
    State.DRAFT: "self_assessment_due",
    State.SUBMITTED: "self_assessment_due",
    State.SCORING: "scoring_due",
    State.CLARIFICATION: "scoring_due",
    State.SCORED: "appraisal_due",
    State.APPRAISAL: "appraisal_due",
    State.APPROVED: "publication_due",
}


def campaign_board(
    campaign: Campaign, assessments: QuerySet[Assessment], today: dt.date | None = None
) -> list[BoardRow]:
    today = today or timezone.localdate()
    rows = []
    for a in completeness(assessments.filter(campaign=campaign).select_related("unit__parent")).order_by(
        "unit__sort_key"
    ):
        due_field = DUE_BY_STATE.get(a.state)
        due = getattr(campaign, due_field) if due_field else None
        percent = round(100 * a.answered_criteria / a.total_criteria) if a.total_criteria else 0
        rows.append(BoardRow(a, percent, bool(due and today > due), due))
    return rows


def state_counts(rows: list[BoardRow]) -> list[tuple[str, str, int]]:
    counts = {s: 0 for s in State.values}
    for row in rows:
        counts[row.assessment.state] += 1
    return [(value, State(value).label, counts[value]) for value in STATE_ORDER]


# --- scores -------------------------------------------------------------------------------------------


def criterion_specs(version_id: int) -> list[scoring.CriterionSpec]:
    rows = Criterion.objects.filter(version_id=version_id).select_related("indicator__pillar").order_by("order")
    return [
        scoring.CriterionSpec(
            code=c.code,
            indicator=c.indicator.code,
            pillar=c.indicator.pillar.code,
            weight=float(c.weight),
            max_points=float(c.max_points),
            type=c.type,
            direction=c.direction,
            yellow=None if c.threshold_yellow is None else float(c.threshold_yellow),
            green=None if c.threshold_green is None else float(c.threshold_green),
        )
        for c in rows
    ]


def _answer(result: CriterionResult, track: str) -> scoring.Answer:
    def num(value: Any) -> float | None:
        return None if value is None else float(value)

    if track == "self":
        return scoring.Answer(
            level=result.self_level or None, value=num(result.self_value), points=num(result.self_points), na=result.na
        )
    level, value = getattr(result, f"{track}_level"), getattr(result, f"{track}_value")
    return scoring.Answer(level=level or None, value=num(value), na=result.na)


def class_labels(scheme: dict[str, Any]) -> dict[str, str]:
    """Classification code → label in the active language (Vietnamese when not translated)."""
    language = current_language()
    return {c["code"]: c["label"].get(language) or c["label"]["vi"] for c in scheme["classes"]}


def assessment_scores(
    assessment: Assessment, results: list[CriterionResult] | None = None
) -> dict[str, scoring.Result]:
    """Self, scorer and final results of one assessment under its version's scheme."""
    specs = criterion_specs(assessment.campaign.version_id)
    rows = results if results is not None else list(assessment.results.select_related("criterion"))
    present = {r.criterion.code for r in rows}
    specs = [s for s in specs if s.code in present]  # criteria that do not apply to this unit kind drop out
    answers = {track: {r.criterion.code: _answer(r, track) for r in rows} for track in scoring.TRACKS}
    return scoring.score_tracks(assessment.campaign.version.scoring, specs, answers)
