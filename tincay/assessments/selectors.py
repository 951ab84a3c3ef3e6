"""Reads of campaigns and assessments: workspace, board, scores. Constant query counts whatever the size."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments import rules, scoring
from tincay.assessments.choices import ClarificationStatus, Level, State
from tincay.assessments.models import (
    Assessment,
    AssessmentScore,
    Campaign,
    Clarification,
    CriterionResult,
    Document,
    EvidenceLink,
    ResultCorrection,
)
from tincay.catalogue.models import Criterion, FrameworkVersion, Indicator, Pillar
from tincay.common.i18n import current_language
from tincay.common.numbers import show_number
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import provinces_of, units_search

STATE_ORDER = list(State.values)
DOCUMENT_ORDER = tuple(Document._meta.ordering)  # how a result's evidence documents are listed

# --- the "answered" rule: one definition, as a database condition and a Python predicate side by side -----------
# A criterion is answered by the unit when it is marked not applicable, or has a level of the engine's vocabulary,
# a measured value or points. Whether the stored value also keeps today's rules is a separate question
# (``rules.stored_problems``; a value that breaks them is scored as not answered and flagged).
ANSWERED = Q(na=True) | Q(self_level__in=scoring.LEVELS) | Q(self_value__isnull=False) | Q(self_points__isnull=False)


def is_answered(result: Any) -> bool:
    """``ANSWERED`` for a row already in memory (a CriterionResult or a mapping of its values)."""
    get = result.get if isinstance(result, Mapping) else lambda name: getattr(result, name, None)
    return bool(
        get("na") is True
        or get("self_level") in scoring.LEVELS
        or get("self_value") is not None
        or get("self_points") is not None
    )


def results_with_details(assessment: Assessment) -> QuerySet[CriterionResult]:
    open_questions = Clarification.objects.filter(status=ClarificationStatus.OPEN)
    return (
        assessment.results.select_related("criterion", "updated_by", "measured")
        .annotate(evidence_count=Count("evidence_links", distinct=True))
        .prefetch_related(
            Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("document")),
            Prefetch("clarifications", queryset=Clarification.objects.order_by("created_at")),
        )
        .annotate(open_questions=Count("clarifications", filter=Q(clarifications__in=open_questions), distinct=True))
        .order_by("criterion__order")
    )


def _get(result: Any, name: str) -> Any:
    """A field of a result row, whether a CriterionResult or a mapping of its values."""
    return result.get(name) if isinstance(result, Mapping) else getattr(result, name, None)


@dataclass
class IndicatorBlock:
    """One indicator with its results: CriterionResult instances (``workspace``) or mappings of their values
    (``assessment_overview``)."""

    indicator: Indicator
    results: list[Any] = field(default_factory=list)
    assignment: Any = None

    @property
    def answered(self) -> int:
        return sum(1 for r in self.results if is_answered(r))

    @property
    def complete(self) -> bool:
        return self.answered == len(self.results)

    @property
    def missing_evidence(self) -> int:
        return sum(
            1
            for r in self.results
            if not _get(r, "na") and not _get(r, "evidence_count") and not _get(r, "no_evidence_reason")
        )

    @property
    def stored_problems(self) -> int:
        """Criteria holding a stored value that breaks today's rules (each result's ``stored_problems``)."""
        return sum(1 for r in self.results if _get(r, "stored_problems"))


@dataclass
class PillarBlock:
    pillar: Pillar
    indicators: list[IndicatorBlock] = field(default_factory=list)


INDICATOR_FIELDS = ("version", "pillar", "code", "order", "title_vi", "title_en")  # what the pages show
PILLAR_FIELDS = ("version", "code", "order", "title_vi", "title_en")


def _indicator_blocks(
    assessment: Assessment, indicator_code: str | None = None
) -> tuple[dict[int, PillarBlock], dict[int, IndicatorBlock]]:
    """The version's pillars and indicators (or the one indicator and its pillar) in order, as empty blocks with
    the indicators' assignments: two queries, or three with the pillars."""
    version_id = assessment.campaign.version_id
    indicators = Indicator.objects.filter(version_id=version_id).order_by("order").only(*INDICATOR_FIELDS)
    assignments = assessment.assignments.select_related("department", "assignee")
    if indicator_code:
        indicators = (
            indicators.filter(code=indicator_code)
            .select_related("pillar")
            .only(*INDICATOR_FIELDS, *(f"pillar__{name}" for name in PILLAR_FIELDS))
        )
        assignments = assignments.filter(indicator__code=indicator_code)
    blocks = {i.pk: IndicatorBlock(i) for i in indicators}
    if indicator_code:
        pillars = {b.indicator.pillar_id: PillarBlock(b.indicator.pillar) for b in blocks.values()}
    else:
        pillars = {
            p.pk: PillarBlock(p)
            for p in Pillar.objects.filter(version_id=version_id).order_by("order").only(*PILLAR_FIELDS)
        }
    for assignment in assignments:
        if assignment.indicator_id in blocks:
            blocks[assignment.indicator_id].assignment = assignment
    return pillars, blocks


def _filled_pillars(pillars: dict[int, PillarBlock], blocks: dict[int, IndicatorBlock]) -> list[PillarBlock]:
    for block in blocks.values():
        if block.results:
            pillars[block.indicator.pillar_id].indicators.append(block)
    return [p for p in pillars.values() if p.indicators]


def workspace(assessment: Assessment, indicator_code: str | None = None) -> list[PillarBlock]:
    """Pillars → indicators → results of one assessment (one query per level, whatever the size), with each
    result's evidence, clarifications and measured value. Each result carries ``stored_problems``: (field label,
    message) of its scored values that today's rules refuse (usually none), for the pages to flag.

    For the overview of the whole assessment, ``assessment_overview`` reads lighter rows and scores them once."""
    scheme = assessment.campaign.version.scoring
    pillars, blocks = _indicator_blocks(assessment, indicator_code)
    results = (
        assessment.results.select_related("criterion", "updated_by", "measured")
        .prefetch_related(
            Prefetch("evidence_links", queryset=EvidenceLink.objects.select_related("document")),
            Prefetch("clarifications", queryset=Clarification.objects.order_by("created_at")),
        )
        .order_by("criterion__order")
    )
    if indicator_code:
        results = results.filter(criterion__indicator__code=indicator_code)
    for result in results:
        # the counts of ``results_with_details``, from the rows prefetched anyway (no join fanning out)
        result.evidence_count = len(result.evidence_links.all())
        result.open_questions = sum(1 for q in result.clarifications.all() if q.status == ClarificationStatus.OPEN)
        found = stored_answers(result_values(result), criterion=result.criterion, scheme=scheme)[1]
        result.stored_problems = [(field_label(name), message) for name, message in found]
        blocks[result.criterion.indicator_id].results.append(result)
    return _filled_pillars(pillars, blocks)


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


BOARD_PAGE_SIZE = 100


@dataclass
class BoardFilters:
    """What the campaign board is narrowed by (all optional); ``late`` keeps the units past their current due date."""

    province: AdminUnit | None = None
    state: str = ""
    query: str = ""
    late: bool = False

    def as_query(self) -> dict[str, str]:
        return {
            "province": self.province.key if self.province else "",
            "state": self.state,
            "q": self.query,
            "late": "1" if self.late else "",
        }


@dataclass
class BoardPage:
    rows: list[BoardRow]
    page: Any  # django.core.paginator.Page over the narrowed assessments
    counts: list[tuple[str, str, int]]  # every visible unit of the campaign, by state
    total: int  # visible units of the campaign, before narrowing
    provinces: list[AdminUnit]  # provinces the campaign's visible units lie in (for the filter)


def late_states(campaign: Campaign, today: dt.date) -> list[str]:
    """The states whose due date has passed today: a unit in one of them is late."""
    return [
        state for state, name in DUE_BY_STATE.items() if getattr(campaign, name) and today > getattr(campaign, name)
    ]


def campaign_board_page(
    campaign: Campaign,
    assessments: QuerySet[Assessment],
    filters: BoardFilters,
    page_number: Any = 1,
    today: dt.date | None = None,
) -> BoardPage:
    """The campaign board, narrowed and paged: a fixed number of queries and work bounded by the page size, so a
    national campaign (3,321 units) costs what a small one does. Counts by state cover every visible unit."""
    today = today or timezone.localdate()
    base = assessments.filter(campaign=campaign)
    by_state = dict(base.order_by().values_list("state").annotate(n=Count("pk")))
    counts = [(value, State(value).label, by_state.get(value, 0)) for value in STATE_ORDER]
    provinces = provinces_of(base)
    narrowed = base
    if filters.province is not None:
        narrowed = narrowed.filter(unit__path__startswith=filters.province.path)
    if filters.state:
        narrowed = narrowed.filter(state=filters.state)
    if filters.late:
        narrowed = narrowed.filter(state__in=late_states(campaign, today))
    if filters.query.strip():
        narrowed = narrowed.filter(unit__in=units_search(AdminUnit.objects.all(), filters.query))
    page = Paginator(narrowed.order_by("unit__sort_key", "pk"), BOARD_PAGE_SIZE).get_page(page_number)
    # The page's ids from a narrow subquery, then only their criteria counted: the last page of a national campaign
    # costs what the first does (counting every row before the offset took 280 ms there).
    on_page = Assessment.objects.filter(pk__in=page.object_list.values("pk")).select_related("unit__parent")
    page.object_list = list(completeness(on_page).order_by("unit__sort_key", "pk"))
    rows = []
    for a in page.object_list:
        due_field = DUE_BY_STATE.get(a.state)
        due = getattr(campaign, due_field) if due_field else None
        percent = round(100 * a.answered_criteria / a.total_criteria) if a.total_criteria else 0
        rows.append(BoardRow(a, percent, bool(due and today > due), due))
    return BoardPage(rows, page, counts, sum(by_state.values()), provinces)


# --- scores: the one adapter from stored results to the scoring engine -----------------------------------------
# Single (``assessment_scores``) and bulk (``services.scores.campaign_rescore_bulk``) scoring both turn a stored
# row's values into engine answers through ``stored_answers`` and score an assessment through ``score_stored``,
# so they cannot disagree. A value that today's rules refuse (``rules.stored_problems``: data that predates them)
# makes that track's answer "not answered" and is reported as a ``StoredProblem``; it never raises.

SCORED_FIELDS: dict[str, tuple[str, ...]] = {
    "self": ("self_level", "self_value", "self_points"),
    "scorer": ("scorer_level", "scorer_value"),
    "final": ("final_level", "final_value"),
}  # plus ``na``, shared by the three tracks
RESULT_VALUES: tuple[str, ...] = ("na", *(name for names in SCORED_FIELDS.values() for name in names))


def field_label(name: str) -> str:
    """The label of a CriterionResult field (``self_value`` → "measured value") in the active language."""
    try:
        return str(CriterionResult._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # not a field: shown as it is
        return name


def tracks_of_field(name: str) -> tuple[str, ...]:
    """The tracks whose score a stored field affects: ``na`` all three, ``scorer_*`` the scorer's, the rest self."""
    if name == "na":
        return scoring.TRACKS
    return tuple(t for t in scoring.TRACKS if name.startswith(f"{t}_")) or ("self",)


@dataclass(frozen=True)
class StoredProblem:
    """A stored value that today's rules refuse: it is scored as not answered and flagged where it is shown."""

    criterion: str  # criterion code
    indicator: str  # indicator code
    field: str  # CriterionResult field
    message: str

    @property
    def tracks(self) -> tuple[str, ...]:
        return tracks_of_field(self.field)


@dataclass(frozen=True)
class VersionCriteria:
    """A version's criteria as the engine sees them (specs) and as the rules see them (rows: mappings of
    ``CRITERION_VALUES``), by code, in order."""

    specs: dict[str, scoring.CriterionSpec]
    rows: dict[str, Mapping[str, Any]]


# what the engine and the rules read of a criterion (the rules: type, units of measure, maximum points)
CRITERION_VALUES = (
    "code",
    "weight",
    "max_points",
    "type",
    "direction",
    "threshold_yellow",
    "threshold_green",
    "measure_unit_vi",
    "measure_unit_en",
)


def version_criteria(version_id: int) -> VersionCriteria:
    """One query, values only (no model instances)."""
    rows = (
        Criterion.objects.filter(version_id=version_id)
        .order_by("order")
        .values(*CRITERION_VALUES, indicator_code=F("indicator__code"), pillar_code=F("indicator__pillar__code"))
    )
    specs, by_code = {}, {}
    for c in rows:
        by_code[c["code"]] = c
        specs[c["code"]] = criterion_spec(c, indicator=c["indicator_code"], pillar=c["pillar_code"])
    return VersionCriteria(specs, by_code)


def criterion_spec(c: Criterion | Mapping[str, Any], *, indicator: str = "", pillar: str = "") -> scoring.CriterionSpec:
    """A catalogue criterion (an instance or a mapping of ``CRITERION_VALUES``) as the scoring engine sees it
    (no query: indicator and pillar codes are passed)."""
    get = c.get if isinstance(c, Mapping) else lambda name: getattr(c, name)
    yellow, green = get("threshold_yellow"), get("threshold_green")
    return scoring.CriterionSpec(
        code=get("code"),
        indicator=indicator,
        pillar=pillar,
        weight=float(get("weight")),
        max_points=float(get("max_points")),
        type=get("type"),
        direction=get("direction"),
        yellow=None if yellow is None else float(yellow),
        green=None if green is None else float(green),
    )


def measured_level(criterion: Criterion, value: Any) -> str | None:
    """The level a measured value takes from the criterion's thresholds, as the scoring engine decides it
    (``scoring.level_from_value``); None when the criterion is not measured, has no thresholds or no usable value."""
    if value is None or value == "" or criterion.type != "performance":
        return None
    if criterion.threshold_yellow is None or criterion.threshold_green is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number):
        return None
    return scoring.level_from_value(criterion_spec(criterion), number)


def criterion_specs(version_id: int) -> list[scoring.CriterionSpec]:
    return list(version_criteria(version_id).specs.values())


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _engine_problems(values: Mapping[str, Any], known: set[str]) -> list[tuple[str, str]]:
    """What the engine itself could not take, whatever the rules say: a level outside its vocabulary, a number
    that is not finite (belt and braces: the rules refuse these too)."""
    problems = []
    for fields in SCORED_FIELDS.values():
        level, *numbers = fields
        if level not in known and values.get(level) not in (None, "", *scoring.LEVELS):
            problems.append((level, _("“%(level)s” is not a level.") % {"level": str(values.get(level))[:40]}))
        for name in numbers:
            raw = values.get(name)
            if name in known or raw is None:
                continue
            try:
                finite = math.isfinite(float(raw))
            except (TypeError, ValueError):
                finite = False
            if not finite:
                problems.append((name, _("Enter a finite number (for example 12.5).")))
    return problems


def stored_answers(
    values: Mapping[str, Any], *, criterion: Any, scheme: Mapping[str, Any]
) -> tuple[dict[str, scoring.Answer], list[tuple[str, str]]]:
    """The engine's answer on each track for one stored row (``RESULT_VALUES``), and the (field, message) pairs of
    the scored values that today's rules refuse; a track with such a value counts as not answered."""
    problems = [
        (name, message)
        for name, message in rules.stored_problems(values, criterion=criterion, scheme=scheme)
        if name in RESULT_VALUES
    ]
    problems += _engine_problems(values, {name for name, _message in problems})
    bad = {name for name, _message in problems}
    answers = {}
    for track, fields in SCORED_FIELDS.items():
        if "na" in bad or bad.intersection(fields):
            answers[track] = scoring.Answer()
        elif values.get("na") is True:
            answers[track] = scoring.Answer(na=True)
        else:
            answers[track] = scoring.Answer(
                level=values.get(fields[0]) or None,
                value=_number(values.get(fields[1])),
                points=_number(values.get(fields[2])) if len(fields) > 2 else None,
            )
    return answers, problems


@dataclass(frozen=True)
class StoredScores:
    """The engine's results of one assessment on each track, and the stored values it could not count."""

    results: dict[str, scoring.Result]
    problems: list[StoredProblem]

    def problems_of(self, track: str) -> list[StoredProblem]:
        return [p for p in self.problems if track in p.tracks]


def score_stored(
    scheme: Mapping[str, Any],
    version: VersionCriteria,
    rows: Iterable[Mapping[str, Any]],
    tracks: Sequence[str] = scoring.TRACKS,
) -> StoredScores:
    """Score one assessment from its stored rows: mappings of ``code`` (the criterion's) and ``RESULT_VALUES``.
    Criteria without a row (they do not apply to the unit's kind) drop out."""
    answers: dict[str, dict[str, scoring.Answer]] = {track: {} for track in tracks}
    problems: list[StoredProblem] = []
    present = set()
    for row in rows:
        code = row["code"]
        present.add(code)
        by_track, found = stored_answers(row, criterion=version.rows[code], scheme=scheme)
        for track in tracks:
            answers[track][code] = by_track[track]
        indicator = version.specs[code].indicator
        problems += [StoredProblem(code, indicator, name, message) for name, message in found]
    specs = [spec for code, spec in version.specs.items() if code in present]
    order = {code: n for n, code in enumerate(version.specs)}
    problems.sort(key=lambda p: (order[p.criterion], RESULT_VALUES.index(p.field)))  # whatever the rows' order
    return StoredScores({track: scoring.score(scheme, specs, answers[track]) for track in tracks}, problems)


def score_columns(stored: StoredScores, track: str) -> dict[str, Any]:
    """The AssessmentScore columns of one track (what the scores services store and ``data_problems`` compares)."""
    result = stored.results[track]
    return {
        "total": result.total,
        "classification": result.classification or "",
        "complete": result.complete,
        "indicators": {code: [i.score, i.colour] for code, i in result.indicators.items() if i.applicable},
        "pillars": {code: p.score for code, p in result.pillars.items()},
        "problems": [
            {"criterion": p.criterion, "indicator": p.indicator, "field": p.field} for p in stored.problems_of(track)
        ],
    }


def result_values(result: CriterionResult) -> dict[str, Any]:
    """A CriterionResult as the adapter reads it (the same keys as the bulk path's ``values()`` rows)."""
    return {"code": result.criterion.code, **{name: getattr(result, name) for name in RESULT_VALUES}}


def class_labels(scheme: dict[str, Any]) -> dict[str, str]:
    """Classification code → label in the active language (Vietnamese when not translated)."""
    language = current_language()
    return {c["code"]: c["label"].get(language) or c["label"]["vi"] for c in scheme["classes"]}


def assessment_scores_checked(assessment: Assessment, results: list[CriterionResult] | None = None) -> StoredScores:
    """Self, scorer and final results of one assessment under its version's scheme, with the stored values that
    break today's rules (scored as not answered)."""
    version = version_criteria(assessment.campaign.version_id)
    if results is None:
        rows: Iterable[Mapping[str, Any]] = assessment.results.values(*RESULT_VALUES, code=F("criterion__code"))
    else:
        rows = (result_values(r) for r in results)
    return score_stored(assessment.campaign.version.scoring, version, rows)


def assessment_scores(
    assessment: Assessment, results: list[CriterionResult] | None = None
) -> dict[str, scoring.Result]:
    """Self, scorer and final results of one assessment under its version's scheme."""
    return assessment_scores_checked(assessment, results).results


OVERVIEW_VALUES = ("pk", *RESULT_VALUES, "no_evidence_reason")


@dataclass(frozen=True)
class Overview:
    """One assessment at a glance, from one read of its results.

    ``rows`` are mappings, in criterion order, of ``pk``, ``code`` (the criterion's), ``indicator_id``,
    ``RESULT_VALUES``, ``no_evidence_reason``, ``evidence_count`` and ``stored_problems`` ((field label, message)
    of the scored values that today's rules refuse, as in ``workspace``); ``pillars`` groups them by indicator;
    ``scores`` are the engine's results from the same rows (``assessment_scores_checked`` would give the same)."""

    pillars: list[PillarBlock]
    rows: list[dict[str, Any]]
    scores: StoredScores

    @property
    def answered(self) -> int:
        return sum(1 for r in self.rows if is_answered(r))


def assessment_overview(assessment: Assessment) -> Overview:
    """Pillars → indicators → result rows of one assessment, and its scores, in five queries whatever the size:
    the results are read once, as values, and passed on (to the scores here, to ``transitions.blockers`` by the
    page) instead of being read again."""
    pillars, blocks = _indicator_blocks(assessment)
    rows = list(
        assessment.results.order_by("criterion__order")
        .values(*OVERVIEW_VALUES, code=F("criterion__code"), indicator_id=F("criterion__indicator_id"))
        .annotate(evidence_count=Count("evidence_links"))
    )
    scores = score_stored(assessment.campaign.version.scoring, version_criteria(assessment.campaign.version_id), rows)
    problems: dict[str, list[tuple[str, str]]] = {}
    for p in scores.problems:
        problems.setdefault(p.criterion, []).append((field_label(p.field), p.message))
    for row in rows:
        row["stored_problems"] = problems.get(row["code"], [])
        blocks[row["indicator_id"]].results.append(row)
    return Overview(_filled_pillars(pillars, blocks), rows, scores)


def results_with_evidence_ids(assessment: Assessment) -> list[CriterionResult]:
    """The assessment's results in criterion order, with their criterion's code, each carrying ``evidence_ids``:
    its evidence documents' ids in the register's order (``Document.Meta.ordering``). Two queries, and no
    manager or queryset per result (for the API's list)."""
    results = list(
        assessment.results.select_related("criterion")
        .only(*(f.name for f in CriterionResult._meta.concrete_fields), "criterion__code")
        .order_by("criterion__order")
    )
    ids: dict[int, list[int]] = {}
    links = EvidenceLink.objects.filter(result__assessment=assessment).order_by(
        *(f"-document__{name[1:]}" if name.startswith("-") else f"document__{name}" for name in DOCUMENT_ORDER)
    )
    for result_id, document_id in links.values_list("result_id", "document_id"):
        ids.setdefault(result_id, []).append(document_id)
    for result in results:
        result.evidence_ids = ids.get(result.pk, [])
    return results


# --- stored data against today's rules (manage.py check_data) ---------------------------------------------------


@dataclass(frozen=True)
class DataProblem:
    """A stored value that breaks today's rules, or a stored score that is missing or differs from the results."""

    campaign: str
    unit: str  # unit key
    criterion: str  # criterion code; empty for a score
    field: str  # CriterionResult field, or "score:<track>"
    message: str


def _same(a: Any, b: Any) -> bool:
    """Equal, numbers within 1e-9 (scores go through JSON)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool | str):
        return not isinstance(b, bool) and abs(a - b) <= 1e-9
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


class _ScoresByAssessment:
    """Stored scores read in step with the results (both ordered by assessment): constant memory."""

    def __init__(self, rows: Iterator[dict[str, Any]]):
        self._rows, self._next = rows, next(rows, None)

    def take(self, assessment_id: int) -> dict[str, dict[str, Any]]:
        while self._next is not None and self._next["assessment_id"] < assessment_id:
            self._next = next(self._rows, None)
        found = {}
        while self._next is not None and self._next["assessment_id"] == assessment_id:
            found[self._next["track"]] = self._next
            self._next = next(self._rows, None)
        return found


def _score_problems(
    head: Mapping[str, Any], expected: StoredScores, stored: dict[str, dict[str, Any]]
) -> Iterator[DataProblem]:
    for track in scoring.TRACKS:
        have, now = stored.get(track), score_columns(expected, track)
        if have is None:
            message = _("No stored score for this track: run manage.py check_data --rescore to compute it.")
        elif not all(_same(have[name], value) for name, value in now.items()):
            message = _(
                "The stored score differs from what the results give now (total %(stored)s stored, %(now)s now): "
                "run manage.py check_data --rescore to recompute it."
            ) % {"stored": _total(have["total"]), "now": _total(now["total"])}
        else:
            continue
        yield DataProblem(head["campaign"], head["unit"], "", f"score:{track}", message)


def _total(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def data_problems(campaign_code: str | None = None, chunk_size: int = 2000) -> Iterator[DataProblem]:
    """Every stored value of the criterion results that today's rules refuse (``rules.stored_problems``), and the
    stored scores of up-to-date assessments that are missing or differ from what the results give now.

    Streams the results assessment by assessment (ordered reads in chunks), so memory stays constant whatever the
    number of rows. Assessments whose scores wait for rescoring (``scores_stale``) are counted by
    ``scores_waiting``, not compared."""
    results = CriterionResult.objects.order_by("assessment_id", "criterion__order")
    scores = AssessmentScore.objects.filter(assessment__scores_stale=False).order_by("assessment_id", "track")
    if campaign_code:
        results = results.filter(assessment__campaign__code=campaign_code)
        scores = scores.filter(assessment__campaign__code=campaign_code)
    rows = results.values(
        "assessment_id",
        *rules.ALL_FIELDS,
        code=F("criterion__code"),
        campaign=F("assessment__campaign__code"),
        unit=F("assessment__unit__key"),
        version=F("assessment__campaign__version_id"),
        stale=F("assessment__scores_stale"),
    ).iterator(chunk_size=chunk_size)
    stored = _ScoresByAssessment(
        scores.values("assessment_id", "track", *SCORE_COLUMNS).iterator(chunk_size=chunk_size)
    )
    versions: dict[int, tuple[VersionCriteria, dict[str, Any]]] = {}
    for assessment_id, group in groupby(rows, key=lambda row: row["assessment_id"]):
        batch = list(group)  # one assessment's results: a few hundred rows at most
        head = batch[0]
        if head["version"] not in versions:
            scheme = FrameworkVersion.objects.values_list("scoring", flat=True).get(pk=head["version"])
            versions[head["version"]] = (version_criteria(head["version"]), scheme)
        version, scheme = versions[head["version"]]
        for row in batch:
            found = rules.stored_problems(row, criterion=version.rows[row["code"]], scheme=scheme)
            found += _engine_problems(row, {name for name, _message in found})
            for name, message in found:
                yield DataProblem(head["campaign"], head["unit"], row["code"], name, str(message))
        have = stored.take(assessment_id)
        if not head["stale"]:
            yield from _score_problems(head, score_stored(scheme, version, batch), have)


SCORE_COLUMNS = ("total", "classification", "complete", "indicators", "pillars", "problems")


def scores_waiting(campaign_code: str | None = None) -> QuerySet[Assessment]:
    """Assessments whose scores wait for rescoring (the pages recompute them when they show them)."""
    waiting = Assessment.objects.filter(scores_stale=True)
    return waiting.filter(campaign__code=campaign_code) if campaign_code else waiting


def final_scores(assessments: QuerySet[Assessment]) -> dict[int, AssessmentScore]:
    """The final-track scores of ``assessments`` by assessment id (one query; the caller refreshes stale ones)."""
    return {s.assessment_id: s for s in AssessmentScore.objects.filter(assessment__in=assessments, track="final")}


def corrections_of(assessments: QuerySet[Assessment]) -> QuerySet[ResultCorrection]:
    """Recorded corrections of published results among ``assessments``, newest first (one query)."""
    return ResultCorrection.objects.filter(assessment__in=assessments).select_related(
        "assessment__unit", "result__criterion__indicator", "corrected_by"
    )


PUBLIC_CORRECTION_FIELDS = ("final_level", "final_value")  # the comment of the council stays internal


def correction_changes(correction: ResultCorrection, *, public: bool = False) -> list[tuple[str, str, str]]:
    """(field label, before, after) of a correction as readers see them: level names, numbers in the reader's
    style; ``public`` keeps only the level and the value (never the council's comment)."""

    def shown(name: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if name.endswith("_level"):
            return str(Level(value).label) if value in Level.values else str(value)
        if name.endswith("_value"):
            return show_number(value)
        return str(value)

    names = [n for n in correction.fields if not public or n in PUBLIC_CORRECTION_FIELDS]
    return [(field_label(n), shown(n, correction.before.get(n)), shown(n, correction.after.get(n))) for n in names]
