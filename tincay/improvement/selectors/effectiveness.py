"""Effectiveness at the next campaign, and a unit's cycle (diagnosis → areas → actions → outcome).

**The next assessment** of an assessment A of unit U is the first assessment, in a campaign later than A's (by year,
then by the self-assessment deadline), of U or of a unit U became through lineage (merge, split, rename: the
successors found by following lineage events forwards), that is appraised (approved or published). When a later
assessment exists but is not appraised yet, it is reported as *pending*: outcomes wait for its final results.

**Outcomes** compare, for each criterion and indicator an action is linked to (directly or through its areas), the
final result in A with the final result in the next assessment, matched by **code**, because the two campaigns may
use different versions of the indicator set. A criterion compares its final level (a measured value decides the
level of a performance criterion, as in scoring); an indicator compares its final score (its colour is shown).
A code missing from the next assessment, not applicable or without a final result on either side is *not comparable*.

Every function reads a fixed number of queries whatever the number of actions, areas and criteria (the lineage walk
takes one query per generation of lineage events, at most ``MAX_LINEAGE_DEPTH``). Selectors never write: the pages
refresh stale scores first (``assessments.services.scores.scores_refresh``) on ``assessments_to_refresh``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tincay.assessments import scoring
from tincay.assessments.models import Assessment, AssessmentScore, CriterionResult
from tincay.assessments.selectors import class_labels, criterion_spec
from tincay.catalogue.models import Criterion, Indicator
from tincay.improvement import rules
from tincay.improvement.access import FINAL_STATES
from tincay.improvement.choices import Outcome, Verdict
from tincay.improvement.models import Action, ActionVerdict, ImprovementArea, Programme
from tincay.orgunits.choices import LinkRole
from tincay.orgunits.models import AdminUnit, LineageLink
from tincay.orgunits.selectors import lineage_closure

MAX_LINEAGE_DEPTH = 6
EPSILON = 1e-9
LEVEL_ORDER = {level: n for n, level in enumerate(scoring.LEVELS)}  # red 0, yellow 1, green 2

SUGGESTION_RULE = _(
    "Suggested verdict: effective when every comparable criterion and indicator improved, partly effective when "
    "some improved, not effective when none improved. Criteria compare their final level, indicators their final "
    "score; codes are matched between the two indicator sets."
)


# --- the next assessment -----------------------------------------------------------------------------------------


def campaign_order(assessment: Assessment) -> tuple[int, dt.date]:
    return (assessment.campaign.year, assessment.campaign.self_assessment_due)


def successor_depths(unit_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """For each unit: itself (depth 0) and every unit it became through lineage events, with the generation at
    which it was reached. One query per generation for all the units together."""
    origins = set(unit_ids)
    edges: dict[int, set[int]] = {}
    frontier, seen = set(origins), set(origins)
    for _depth in range(MAX_LINEAGE_DEPTH):
        if not frontier:
            break
        pairs = LineageLink.objects.filter(
            role=LinkRole.SUCCESSOR, event__links__role=LinkRole.PREDECESSOR, event__links__unit_id__in=frontier
        ).values_list("event__links__unit_id", "unit_id")
        frontier = set()
        for before, after in pairs:
            if before == after:
                continue
            edges.setdefault(before, set()).add(after)
            if after not in seen:
                seen.add(after)
                frontier.add(after)
    reach: dict[int, dict[int, int]] = {}
    for origin in origins:
        depths, level, current = {origin: 0}, 0, {origin}
        while current and level < MAX_LINEAGE_DEPTH:
            level += 1
            current = {s for u in current for s in edges.get(u, ()) if s not in depths}
            depths.update(dict.fromkeys(current, level))
        reach[origin] = depths
    return reach


@dataclass
class NextAssessment:
    """What follows an assessment: the appraised one outcomes are measured on, or a later one still in progress."""

    assessment: Assessment | None  # appraised (approved or published)
    pending: Assessment | None  # a later assessment not appraised yet (only when no appraised one exists)


def next_assessments(assessments: Iterable[Assessment], visible: QuerySet[Assessment]) -> dict[int, NextAssessment]:
    """For each assessment (its ``campaign`` and ``unit`` loaded), the next one among ``visible``: lineage walk,
    then one query for the candidates."""
    items = list(assessments)
    reach = successor_depths({a.unit_id for a in items})
    units = {u for depths in reach.values() for u in depths}
    candidates = list(
        visible.filter(unit_id__in=units).select_related("campaign__version", "unit").order_by("pk")
        if units
        else visible.none()
    )
    found: dict[int, NextAssessment] = {}
    for item in items:
        depths = reach.get(item.unit_id, {item.unit_id: 0})
        after = sorted(
            (c for c in candidates if c.unit_id in depths and campaign_order(c) > campaign_order(item)),
            key=lambda c: (*campaign_order(c), depths[c.unit_id], c.unit.sort_key, c.pk),
        )
        appraised = next((c for c in after if c.state in FINAL_STATES), None)
        pending = None if appraised is not None else (after[0] if after else None)
        found[item.pk] = NextAssessment(appraised, pending)
    return found


def assessments_to_refresh(assessments: Iterable[Assessment], nexts: dict[int, NextAssessment]) -> list[int]:
    """Ids of the assessments whose final scores the outcomes read (the caller refreshes stale ones first)."""
    ids = {a.pk for a in assessments}
    ids |= {n.assessment.pk for n in nexts.values() if n.assessment is not None}
    return sorted(ids)


# --- outcomes -------------------------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """One criterion or indicator an action is linked to, before (in the action's assessment) and after."""

    kind: str  # "criterion" | "indicator"
    code: str
    item: Criterion | Indicator  # as in the action's indicator set (title shown)
    before: str | None  # level (criterion) or colour (indicator)
    after: str | None
    before_score: float | None = None  # indicators only, 0..1
    after_score: float | None = None
    outcome: str = Outcome.UNKNOWN
    why: str = ""  # why not comparable

    @property
    def outcome_label(self) -> str:
        return str(Outcome(self.outcome).label)


@dataclass
class ActionEffect:
    action: Action
    comparisons: list[Comparison]
    verdict: ActionVerdict | None

    @property
    def outcomes(self) -> dict[str, str]:
        """Code → outcome, as a verdict stores them (criterion codes have one more part than indicator codes)."""
        return {c.code: str(c.outcome) for c in self.comparisons}

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(c.outcome for c in self.comparisons)
        return {o.value: counted.get(o.value, 0) for o in Outcome}

    @property
    def suggestion(self) -> str | None:
        """The verdict the outcomes suggest (``SUGGESTION_RULE``); None when nothing is comparable."""
        return suggest(self.comparisons)

    @property
    def suggestion_label(self) -> str:
        return str(Verdict(self.suggestion).label) if self.suggestion else ""

    @property
    def verdict_outdated(self) -> bool:
        """The outcomes moved since the verdict was recorded (a result was corrected, another assessment came)."""
        return self.verdict is not None and self.verdict.outcomes != self.outcomes


def suggest(comparisons: Iterable[Comparison]) -> str | None:
    comparable = [c for c in comparisons if c.outcome != Outcome.UNKNOWN]
    if not comparable:
        return None
    improved = sum(1 for c in comparable if c.outcome == Outcome.IMPROVED)
    if improved == len(comparable):
        return Verdict.EFFECTIVE
    return Verdict.PARTLY if improved else Verdict.NOT_EFFECTIVE


@dataclass
class ProgrammeEffect:
    programme: Programme
    assessment: Assessment
    next: NextAssessment
    actions: list[ActionEffect] = field(default_factory=list)

    @property
    def next_assessment(self) -> Assessment | None:
        return self.next.assessment

    @property
    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for effect in self.actions:
            total.update(effect.counts)
        return {o.value: total.get(o.value, 0) for o in Outcome}

    @property
    def verdict_counts(self) -> dict[str, int]:
        counted = Counter(e.verdict.verdict for e in self.actions if e.verdict is not None)
        return {v.value: counted.get(v.value, 0) for v in Verdict}

    @property
    def verdicts(self) -> int:
        return sum(1 for e in self.actions if e.verdict is not None)

    @property
    def progress(self) -> int | None:
        return rules.rollup(rules.Weighted(a.action.weight, a.action.progress, a.action.status) for a in self.actions)


def _compare_levels(before: str | None, after: str | None) -> str:
    if before not in LEVEL_ORDER or after not in LEVEL_ORDER:
        return Outcome.UNKNOWN
    step = LEVEL_ORDER[after] - LEVEL_ORDER[before]
    return Outcome.IMPROVED if step > 0 else Outcome.FELL if step < 0 else Outcome.STAYED


def _compare_scores(before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return Outcome.UNKNOWN
    if after > before + EPSILON:
        return Outcome.IMPROVED
    return Outcome.FELL if after < before - EPSILON else Outcome.STAYED


@dataclass(frozen=True)
class _Final:
    """A criterion's final result in one assessment: its level, or why it has none."""

    level: str | None
    na: bool


def _final_level(result: CriterionResult) -> _Final:
    if result.na:
        return _Final(None, True)
    answer = scoring.Answer(
        level=result.final_level if result.final_level in LEVEL_ORDER else None,
        value=None if result.final_value is None else float(result.final_value),
    )
    try:
        level = scoring.effective_level(criterion_spec(result.criterion), answer)
    except (TypeError, ValueError):
        level = None
    return _Final(level, False)


def _indicator_pair(score: AssessmentScore | None, code: str) -> tuple[float | None, str | None]:
    entry = (score.indicators or {}).get(code) if score is not None else None
    if not isinstance(entry, (list, tuple)) or len(entry) < 2:
        return None, None
    value = entry[0] if isinstance(entry[0], (int, float)) else None
    return value, entry[1] if entry[1] in LEVEL_ORDER else None


NOT_IN_NEXT = _("Not in the next assessment's indicator set")
NOT_APPLICABLE = _("Not applicable")
NO_FINAL = _("No final result")
NO_SCORE = _("Not applicable or no final score")
NO_NEXT = _("No appraised assessment yet")


def _criterion_comparison(
    criterion: Criterion, before: CriterionResult | None, after: CriterionResult | None, has_next: bool
) -> Comparison:
    first = _final_level(before) if before is not None else _Final(None, False)
    second = _final_level(after) if after is not None else _Final(None, False)
    outcome = _compare_levels(first.level, second.level)
    why = ""
    if outcome == Outcome.UNKNOWN:
        if not has_next:
            why = NO_NEXT
        elif after is None:
            why = NOT_IN_NEXT
        elif first.na or second.na:
            why = NOT_APPLICABLE
        else:
            why = NO_FINAL
    return Comparison("criterion", criterion.code, criterion, first.level, second.level, outcome=outcome, why=why)


def _indicator_comparison(
    indicator: Indicator,
    before: AssessmentScore | None,
    after: AssessmentScore | None,
    next_codes: set[str] | None,
) -> Comparison:
    """``next_codes``: the indicator codes of the next assessment's indicator set (None: no next assessment)."""
    score_a, colour_a = _indicator_pair(before, indicator.code)
    score_b, colour_b = _indicator_pair(after, indicator.code)
    outcome = _compare_scores(score_a, score_b)
    why = ""
    if outcome == Outcome.UNKNOWN:
        if next_codes is None:
            why = NO_NEXT
        elif indicator.code not in next_codes:
            why = NOT_IN_NEXT
        else:
            why = NO_SCORE
    return Comparison("indicator", indicator.code, indicator, colour_a, colour_b, score_a, score_b, outcome, why)


def _linked(action: Action) -> tuple[list[Criterion], list[Indicator]]:
    """The criteria and indicators an action serves: linked directly or through its areas, in code order."""
    criteria = {c.code: c for c in action.criteria.all()}
    indicators = {i.code: i for i in action.indicators.all()}
    for area in action.areas.all():
        if area.criterion_id:
            criteria.setdefault(area.criterion.code, area.criterion)
        else:
            indicators.setdefault(area.indicator.code, area.indicator)

    def order(item: Criterion | Indicator) -> tuple[int, ...]:
        return tuple(int(p) if p.isdigit() else 0 for p in item.code.split("."))

    return sorted(criteria.values(), key=order), sorted(indicators.values(), key=order)


def _actions(programme_ids: list[int]) -> list[Action]:
    """Four queries: the actions with their verdicts, criteria, indicators and areas."""
    return list(
        Action.objects.filter(programme_id__in=programme_ids)
        .select_related("verdict__reviewer", "verdict__next_assessment__unit", "department")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("indicator")),
            "indicators",
            Prefetch("areas", queryset=ImprovementArea.objects.select_related("indicator", "criterion")),
        )
        .order_by("programme_id", "number")
    )


def programmes_effectiveness(
    programmes: Iterable[Programme], nexts: dict[int, NextAssessment]
) -> dict[int, ProgrammeEffect]:
    """The outcomes of every action of ``programmes`` (``assessment`` loaded) at the next assessments found by
    ``next_assessments``, by programme id. Seven queries whatever the number of programmes and actions."""
    programmes = list(programmes)
    if not programmes:
        return {}
    actions = _actions([p.pk for p in programmes])
    by_programme: dict[int, list[Action]] = {}
    for action in actions:
        by_programme.setdefault(action.programme_id, []).append(action)
    pairs = {p.pk: (p.assessment_id, getattr(nexts.get(p.assessment_id), "assessment", None)) for p in programmes}
    ids = {a for a, _n in pairs.values()} | {n.pk for _a, n in pairs.values() if n is not None}
    codes = set()
    for action in actions:
        criteria, _indicators = _linked(action)
        codes |= {c.code for c in criteria}
    results: dict[tuple[int, str], CriterionResult] = {}
    if codes:
        rows = CriterionResult.objects.filter(assessment_id__in=ids, criterion__code__in=codes).select_related(
            "criterion"
        )
        results = {(r.assessment_id, r.criterion.code): r for r in rows}
    scores = {s.assessment_id: s for s in AssessmentScore.objects.filter(assessment_id__in=ids, track="final")}
    versions = {n.campaign.version_id for _a, n in pairs.values() if n is not None}
    indicator_codes: dict[int, set[str]] = {}
    if versions:
        for version_id, code in Indicator.objects.filter(version_id__in=versions).values_list("version_id", "code"):
            indicator_codes.setdefault(version_id, set()).add(code)
    effects = {}
    for programme in programmes:
        own_id, following = pairs[programme.pk]
        after_id = following.pk if following is not None else None
        after_score = scores.get(after_id) if after_id else None
        next_codes = indicator_codes.get(following.campaign.version_id, set()) if following is not None else None
        effect = ProgrammeEffect(programme, programme.assessment, nexts.get(own_id) or NextAssessment(None, None))
        for action in by_programme.get(programme.pk, []):
            criteria, indicators = _linked(action)
            comparisons = [
                _criterion_comparison(
                    c,
                    results.get((own_id, c.code)),
                    results.get((after_id, c.code)) if after_id else None,
                    bool(after_id),
                )
                for c in criteria
            ]
            comparisons += [_indicator_comparison(i, scores.get(own_id), after_score, next_codes) for i in indicators]
            effect.actions.append(ActionEffect(action, comparisons, getattr(action, "verdict", None)))
        effects[programme.pk] = effect
    return effects


def action_effect(action: Action, visible: QuerySet[Assessment]) -> tuple[NextAssessment, ActionEffect | None]:
    """The next assessment and the outcomes of one action (what a verdict records)."""
    programme = Programme.objects.select_related("assessment__campaign", "assessment__unit").get(pk=action.programme_id)
    nexts = next_assessments([programme.assessment], visible)
    effect = programmes_effectiveness([programme], nexts)[programme.pk]
    return effect.next, next((a for a in effect.actions if a.action.pk == action.pk), None)


# --- the unit's cycle -------------------------------------------------------------------------------------------------


@dataclass
class Diagnosis:
    total: float | None
    classification: str
    colours: dict[str, int]  # red / yellow / green: indicators of each final colour


@dataclass
class CycleStep:
    """One campaign of a unit's cycle: the assessment (of the unit, or of a unit it came from, with its name as it
    stood), its diagnosis, selected areas by stage, the programme and the outcome at the next assessment."""

    assessment: Assessment
    predecessor: bool
    diagnosis: Diagnosis | None  # None until appraised
    areas: dict[str, list[ImprovementArea]]  # stage → selected areas ("" = no stage yet)
    effect: ProgrammeEffect | None
    next: NextAssessment

    @property
    def appraised(self) -> bool:
        return self.assessment.state in FINAL_STATES

    @property
    def area_count(self) -> int:
        return sum(len(v) for v in self.areas.values())

    @property
    def overdue(self) -> int:
        if self.effect is None:
            return 0
        today = timezone.localdate()
        return sum(1 for a in self.effect.actions if rules.is_overdue(a.action.status, a.action.deadline, today))


def _diagnosis(score: AssessmentScore | None, labels: dict[str, str]) -> Diagnosis | None:
    if score is None:
        return None
    colours = Counter()
    for entry in (score.indicators or {}).values():
        if isinstance(entry, (list, tuple)) and len(entry) >= 2 and entry[1] in LEVEL_ORDER:
            colours[entry[1]] += 1
    return Diagnosis(
        score.total,
        labels.get(score.classification, score.classification),
        {level: colours.get(level, 0) for level in scoring.LEVELS},
    )


def cycle_assessments(unit: AdminUnit, visible: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The assessments of a unit's cycle among ``visible``: its own and those of the units it came from."""
    predecessors = [u.pk for _depth, u in lineage_closure(unit, "predecessors")]
    return visible.filter(unit_id__in=[unit.pk, *predecessors]).select_related("campaign__version", "unit")


def unit_cycle(unit: AdminUnit, assessments: Iterable[Assessment], nexts: dict[int, NextAssessment]) -> list[CycleStep]:
    """The cycle of each campaign, oldest first, over ``assessments`` (``cycle_assessments``) with their next
    assessments (``next_assessments``). A fixed number of queries whatever the number of campaigns, areas and
    actions."""
    items = sorted(assessments, key=lambda a: (*campaign_order(a), a.unit_id != unit.pk, a.unit.sort_key))
    if not items:
        return []
    ids = [a.pk for a in items]
    scores = {s.assessment_id: s for s in AssessmentScore.objects.filter(assessment_id__in=ids, track="final")}
    areas: dict[int, dict[str, list[ImprovementArea]]] = {}
    chosen = ImprovementArea.objects.filter(assessment_id__in=ids, selected=True).select_related(
        "indicator", "criterion"
    )
    for area in chosen.order_by("assessment_id", "stage", "rank", "id"):
        areas.setdefault(area.assessment_id, {}).setdefault(area.stage, []).append(area)
    programmes = list(Programme.objects.filter(assessment_id__in=ids).select_related("assessment"))
    by_assessment = {p.assessment_id: p for p in programmes}
    effects = programmes_effectiveness(programmes, nexts)
    labels_by_version: dict[int, dict[str, str]] = {}
    steps = []
    for assessment in items:
        version = assessment.campaign.version
        if version.pk not in labels_by_version:
            labels_by_version[version.pk] = class_labels(version.scoring)
        appraised = assessment.state in FINAL_STATES
        programme = by_assessment.get(assessment.pk)
        steps.append(
            CycleStep(
                assessment=assessment,
                predecessor=assessment.unit_id != unit.pk,
                diagnosis=_diagnosis(scores.get(assessment.pk), labels_by_version[version.pk]) if appraised else None,
                areas=areas.get(assessment.pk, {}),
                effect=effects.get(programme.pk) if programme is not None else None,
                next=nexts.get(assessment.pk) or NextAssessment(None, None),
            )
        )
    return steps
