"""Many closed surveys summarised at once, for comparing units, the public portal and open data: per survey its
real responses, overall satisfaction and the share satisfied per factor; then the totals across them.

:func:`surveys_summary` computes, for every **closed** survey of the queryset (the others are skipped), what
:func:`~tincay.feedback.selectors.results.survey_results` gives as ``responses``, ``factors`` and ``overall`` —
with the same code (``results._satisfactions``): the same rule for what counts (test responses never; values off the
template's scale ignored; satisfied from the template's ``satisfied_from``), the same pooling of a factor's likert
questions of aspect *satisfaction*, the same suppression below the survey's ``min_responses`` (or zero), the same
Wilson intervals and factor order. It checks no permission: pass it the surveys the reader may see (the portal:
closed surveys only, which it insists on anyway).

:func:`pooled_summary` adds the summaries up: the responses, and per factor and overall the share satisfied pooled
over the surveys whose own figure is **shown** (a suppressed figure has no ``n`` and is left out, so pooling cannot
reveal it), with how many surveys that is. Its interval is Wilson's over the pooled answers, as if they were one
sample; answers cluster by unit, so it is narrower than a design-based interval would be.

**Queries.** Three whatever the number of surveys and answers: the closed surveys with their template's scale and
their count of real responses (a correlated count on the ``(survey, test)`` index); their likert questions of
aspect satisfaction or keyed "overall", each with the order of its factor's first question; and the answers to
those questions grouped by (question, value), a few rows per question. That last statement counts every answer on
the ``(question, number)`` index alone and subtracts, in the same statement (``UNION ALL`` with negative counts),
the answers of test responses, found from the responses: joining every answer to its response to read its test flag
took twice as long at national size (3,321 surveys × 200 responses, 14.8 million answers: ``docs/benchmarks.md``).
Rows are read as tuples, not model instances (20,000 questions at national size).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from tincay.feedback.choices import Aspect, QuestionKind, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion
from tincay.feedback.selectors.results import (
    OVERALL,
    SatisfactionResult,
    _check_hidden,
    _satisfactions,
    _Tally,
)
from tincay.feedback.stats import Proportion


@dataclass(frozen=True)
class SurveySummary:
    """One closed survey: its real responses (always given), its factors (see ``SurveyResults.factors``) and
    overall satisfaction (None when it has no likert question keyed "overall"), each suppressed below
    ``min_responses``."""

    survey_id: int
    unit_id: int
    campaign_id: int | None
    min_responses: int
    responses: int
    factors: tuple[SatisfactionResult, ...] = ()
    overall: SatisfactionResult | None = None

    def factor(self, key: str) -> SatisfactionResult | None:
        return next((f for f in self.factors if f.key == key), None)


@dataclass(frozen=True)
class PooledSatisfaction:
    """A factor (``key`` its factor key) or overall ("overall") across surveys: ``surveys`` is how many show the
    figure, ``n`` and ``satisfied`` their answers pooled. With no survey showing it, it is ``suppressed`` and
    ``n`` and ``satisfied`` are None."""

    key: str
    title_vi: str
    title_en: str
    surveys: int
    suppressed: bool
    n: int | None = None
    satisfied: Proportion | None = None

    def __post_init__(self) -> None:
        _check_hidden(self, ("satisfied",))
        if self.suppressed != (self.surveys == 0):
            raise ValueError("a pooled figure is suppressed exactly when no survey shows it")


@dataclass(frozen=True)
class PooledSummary:
    """The totals of some surveys' summaries: how many surveys, their real responses, the factors (in the order
    they first appear) and overall satisfaction (None when no survey has an overall question)."""

    surveys: int
    responses: int
    factors: tuple[PooledSatisfaction, ...] = ()
    overall: PooledSatisfaction | None = None

    def factor(self, key: str) -> PooledSatisfaction | None:
        return next((f for f in self.factors if f.key == key), None)


def _counted(rows: QuerySet, path: str = "") -> QuerySet:
    """The questions whose answers make the summary (likert, of aspect satisfaction or keyed "overall"), or the
    rows whose question at ``path`` is one."""
    return rows.filter(**{f"{path}kind": QuestionKind.LIKERT}).filter(
        Q(**{f"{path}aspect": Aspect.SATISFACTION}) | Q(**{f"{path}key": OVERALL})
    )


class _Template(NamedTuple):
    """What ``results._satisfaction`` reads of a survey's template."""

    scale: list[dict[str, Any]]
    satisfied_from: int


# what ``results._satisfactions`` reads of a question
QUESTION_FIELDS = (
    "pk",
    "survey_id",
    "key",
    "kind",
    "aspect",
    "factor_key",
    "factor_vi",
    "factor_en",
    "text_vi",
    "text_en",
)


def surveys_summary(surveys: QuerySet[Survey]) -> list[SurveySummary]:
    """The summary of every closed survey of ``surveys`` (an unsliced queryset), in its order; see the module's
    docstring. Checks no permission."""
    closed = surveys.filter(status=SurveyStatus.CLOSED)
    real = (
        Response.objects.filter(survey=OuterRef("pk"), test=False)
        .order_by()
        .values("survey")
        .annotate(n=Count("*"))
        .values("n")
    )
    rows = list(
        closed.annotate(real_responses=Coalesce(Subquery(real, output_field=IntegerField()), Value(0))).values_list(
            "pk",
            "unit_id",
            "campaign_id",
            "min_responses",
            "real_responses",
            "template__scale",
            "template__satisfied_from",
            named=True,
        )
    )
    if not rows:
        return []
    ids = closed.values("pk")
    # in each survey, the factors in the order of their first question of any kind, as on the survey's own page
    first = (
        SurveyQuestion.objects.filter(survey=OuterRef("survey"), factor_key=OuterRef("factor_key"))
        .order_by("order", "pk")
        .values("order")[:1]
    )
    questions: dict[int, list[Any]] = defaultdict(list)
    counted = (
        _counted(SurveyQuestion.objects.filter(survey__in=ids))
        .annotate(first=Subquery(first))
        .order_by("survey_id", "first", "order", "pk")
        .values_list(*QUESTION_FIELDS, named=True)
    )
    for question in counted:
        questions[question.survey_id].append(question)
    answered = (
        _counted(Answer.objects.filter(question__survey__in=ids, number__isnull=False), "question__")
        .values_list("question_id", "number")
        .order_by()
    )
    # every answer counted on the (question, value) index alone, minus the few test ones found through their
    # responses: faster than joining every answer to its response to read its test flag
    answers = answered.annotate(n=Count("*")).union(
        answered.filter(response__in=Response.objects.filter(survey__in=ids, test=True).values("pk")).annotate(
            n=Value(0) - Count("*")
        ),
        all=True,
    )
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for question_id, number, count in answers:
        tallies[question_id].numbers[Decimal(number)] += count
    summaries = []
    for survey in rows:
        threshold = max(survey.min_responses, 1)
        template = _Template(survey.template__scale, survey.template__satisfied_from)
        factors, overall = _satisfactions(questions[survey.pk], tallies, template, threshold)
        summaries.append(
            SurveySummary(
                survey_id=survey.pk,
                unit_id=survey.unit_id,
                campaign_id=survey.campaign_id,
                min_responses=threshold,
                responses=survey.real_responses,
                factors=factors,
                overall=overall,
            )
        )
    return summaries


def _pool(key: str, figures: list[SatisfactionResult]) -> PooledSatisfaction:
    shown = [f for f in figures if not f.suppressed]
    head = {"key": key, "title_vi": figures[0].title_vi, "title_en": figures[0].title_en, "surveys": len(shown)}
    if not shown:
        return PooledSatisfaction(**head, suppressed=True)
    n = sum(f.satisfied.n for f in shown)
    satisfied = sum(f.satisfied.successes for f in shown)
    return PooledSatisfaction(**head, suppressed=False, n=n, satisfied=Proportion.wilson(satisfied, n))


def pooled_summary(summaries: Iterable[SurveySummary]) -> PooledSummary:
    """The totals of ``summaries`` (see the module's docstring): only figures shown in their own survey are
    pooled."""
    summaries = list(summaries)
    by_factor: dict[str, list[SatisfactionResult]] = {}
    overall: list[SatisfactionResult] = []
    for summary in summaries:
        for factor in summary.factors:
            by_factor.setdefault(factor.key, []).append(factor)
        if summary.overall is not None:
            overall.append(summary.overall)
    return PooledSummary(
        surveys=len(summaries),
        responses=sum(s.responses for s in summaries),
        factors=tuple(_pool(key, figures) for key, figures in by_factor.items()),
        overall=_pool(OVERALL, overall) if overall else None,
    )
