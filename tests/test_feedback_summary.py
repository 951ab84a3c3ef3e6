"""Many closed surveys summarised at once: the share satisfied and its Wilson interval equal a hand count and each
survey's own results, a figure below the minimum is suppressed, test responses never count, surveys not closed
are skipped, the pooled totals add the shown figures up, and the queries do not grow with the number of surveys."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from tests.conftest import HAI_AN
from tincay.feedback.choices import Aspect, Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion, SurveyTemplate
from tincay.feedback.selectors.results import survey_results
from tincay.feedback.selectors.summary import PooledSatisfaction, pooled_summary, surveys_summary
from tincay.feedback.services.surveys import question_from_template
from tincay.feedback.services.templates import SIPAS, survey_template_load
from tincay.feedback.stats import Proportion, wilson_interval
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 4)
FACTORS = ["access", "procedures", "civil-servant", "result", "feedback"]


def closed_survey(*, unit: str = HAI_AN, status: str = SurveyStatus.CLOSED, min_responses: int = 10) -> Survey:
    """A SIPAS survey copied with the ORM (no service: it can be made closed at once)."""
    template = survey_template_load(SIPAS)[0]
    survey = Survey.objects.create(
        unit=AdminUnit.objects.get(key=unit),
        template=template,
        title_vi=template.title_vi,
        status=status,
        public_code=f"tt-{uuid.uuid4().hex[:12]}",
        min_responses=min_responses,
    )
    SurveyQuestion.objects.bulk_create(
        question_from_template(q, survey_id=survey.pk)
        for q in template.questions.select_related("factor").order_by("order")
    )
    return survey


def respond(survey: Survey, columns: dict[str, list[int | None]], *, test: bool = False) -> None:
    """One response per row of ``columns`` ({question key: values}; None, or a column shorter than the longest,
    leaves the question empty); every other likert question answered 3, and the expectation and comment answered
    too (they never count)."""
    rows = max(len(values) for values in columns.values())
    questions = list(survey.questions.all())
    responses = Response.objects.bulk_create(
        Response(survey=survey, channel=Channel.LINK, day=DAY, test=test) for _ in range(rows)
    )
    answers = []
    for i, response in enumerate(responses):
        for q in questions:
            if q.kind == QuestionKind.MULTIPLE:
                answers.append(Answer(response=response, question=q, choices=["online"]))
            elif q.kind == QuestionKind.TEXT:
                answers.append(Answer(response=response, question=q, text="Tốt."))
            else:
                column = columns.get(q.key)
                value = 3 if column is None else column[i] if i < len(column) else None
                if value is not None:
                    answers.append(Answer(response=response, question=q, number=Decimal(value)))
    Answer.objects.bulk_create(answers)


def satisfied(count: int, of: int) -> list[int]:
    """``of`` answers, ``count`` of them satisfied (4 or 5), the others 1 to 3."""
    return [4 + i % 2 for i in range(count)] + [1 + i % 3 for i in range(of - count)]


def test_share_satisfied_and_its_interval_equal_a_hand_count():
    survey = closed_survey()
    respond(survey, {"overall": satisfied(21, 30), "access-satisfaction": satisfied(12, 30)})
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert (summary.survey_id, summary.unit_id, summary.responses) == (survey.pk, survey.unit_id, 30)
    assert (summary.overall.suppressed, summary.overall.n) == (False, 30)
    assert summary.overall.satisfied == Proportion.wilson(21, 30)
    assert (summary.overall.satisfied.low, summary.overall.satisfied.high) == wilson_interval(21, 30)
    assert summary.overall.satisfied.share == pytest.approx(0.7)
    assert summary.factor("access").satisfied == Proportion.wilson(12, 30)
    assert summary.factor("procedures").satisfied == Proportion.wilson(0, 30)  # answered 3 throughout
    assert [f.key for f in summary.factors] == FACTORS


def test_a_summary_equals_the_surveys_own_results():
    survey = closed_survey()
    respond(
        survey,
        {"overall": [5, 4, None, 2, 1, 4] * 3, "result-satisfaction": satisfied(7, 18), "access-seats": [5] * 18},
    )
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    results = survey_results(survey)
    assert (summary.responses, summary.factors, summary.overall) == (
        results.responses,
        results.factors,
        results.overall,
    )
    assert summary.overall.n == 15


def test_the_template_decides_what_is_satisfied():
    survey = closed_survey()
    respond(survey, {"overall": [3] * 10 + [4] * 5 + [9] * 4})  # 9 is off the scale: not an answer
    SurveyTemplate.objects.filter(pk=survey.template_id).update(satisfied_from=3)
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert (summary.overall.n, summary.overall.satisfied) == (15, Proportion.wilson(15, 15))


def test_a_figure_below_the_minimum_is_suppressed_with_its_n():
    survey = closed_survey(min_responses=10)
    respond(survey, {"overall": [5] * 10, "access-satisfaction": [5] * 9 + [None]})
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert summary.min_responses == 10
    assert (summary.overall.suppressed, summary.overall.n) == (False, 10)
    access = summary.factor("access")
    assert (access.suppressed, access.n, access.satisfied) == (True, None, None)
    assert summary.responses == 10  # the total is always given


def test_a_survey_without_answers_has_every_figure_suppressed():
    survey = closed_survey(min_responses=5)
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert summary.responses == 0
    assert summary.overall.suppressed and all(f.suppressed for f in summary.factors)
    assert [f.key for f in summary.factors] == FACTORS


def test_test_responses_never_count():
    survey = closed_survey()
    respond(survey, {"overall": satisfied(8, 12)})
    respond(survey, {"overall": [1] * 40, "access-satisfaction": [1] * 40}, test=True)
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert summary.responses == 12
    assert summary.overall.satisfied == Proportion.wilson(8, 12)
    assert summary.factor("access").satisfied == Proportion.wilson(0, 12)  # the real ones answered 3


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.TEST, SurveyStatus.OPEN])
def test_surveys_not_closed_are_skipped(status):
    kept = closed_survey()
    skipped = closed_survey(status=status, min_responses=5)
    respond(kept, {"overall": [5] * 10})
    respond(skipped, {"overall": [5] * 10})
    summaries = surveys_summary(Survey.objects.filter(pk__in=[kept.pk, skipped.pk]))
    assert [s.survey_id for s in summaries] == [kept.pk]
    assert surveys_summary(Survey.objects.filter(pk=skipped.pk)) == []


def test_pooled_figures_add_up_the_shown_ones():
    units = AdminUnit.objects.filter(valid_to__isnull=True, level="commune").values_list("key", flat=True)[:3]
    a, b, c = (closed_survey(unit=unit) for unit in units)
    respond(a, {"overall": satisfied(21, 30), "access-satisfaction": satisfied(10, 12)})
    respond(b, {"overall": satisfied(5, 20), "access-satisfaction": satisfied(3, 20)})
    respond(c, {"overall": satisfied(4, 6), "access-satisfaction": satisfied(2, 6)})  # below 10: suppressed
    summaries = surveys_summary(Survey.objects.filter(pk__in=[a.pk, b.pk, c.pk]).order_by("pk"))
    assert [s.survey_id for s in summaries] == [a.pk, b.pk, c.pk]
    pooled = pooled_summary(summaries)
    assert (pooled.surveys, pooled.responses) == (3, 30 + 20 + 6)
    assert pooled.overall == PooledSatisfaction(
        key="overall",
        title_vi=summaries[0].overall.title_vi,
        title_en=summaries[0].overall.title_en,
        surveys=2,
        suppressed=False,
        n=50,
        satisfied=Proportion.wilson(26, 50),
    )
    access = pooled.factor("access")
    assert (access.surveys, access.n, access.satisfied) == (2, 32, Proportion.wilson(13, 32))
    assert access.title_vi == "Tiếp cận dịch vụ"
    assert [f.key for f in pooled.factors] == FACTORS
    procedures = pooled.factor("procedures")
    assert (procedures.surveys, procedures.satisfied) == (2, Proportion.wilson(0, 50))


def test_a_pooled_figure_no_survey_shows_is_suppressed():
    survey = closed_survey(min_responses=50)
    respond(survey, {"overall": [5] * 10})
    pooled = pooled_summary(surveys_summary(Survey.objects.filter(pk=survey.pk)))
    assert (pooled.responses, pooled.overall.surveys, pooled.overall.suppressed, pooled.overall.n) == (
        10,
        0,
        True,
        None,
    )
    assert pooled_summary([]) == pooled_summary(surveys_summary(Survey.objects.none()))
    assert pooled_summary([]).overall is None
    with pytest.raises(ValueError, match="suppressed"):
        PooledSatisfaction(key="overall", title_vi="", title_en="", surveys=1, suppressed=True)
    with pytest.raises(ValueError, match="n"):
        PooledSatisfaction(key="overall", title_vi="", title_en="", surveys=0, suppressed=True, n=3)


def test_a_factor_pools_its_satisfaction_questions_as_the_results_do():
    survey = closed_survey(min_responses=1)
    SurveyQuestion.objects.filter(survey=survey, key="access-online").update(aspect=Aspect.SATISFACTION)
    respond(survey, {"access-satisfaction": [5, 2, 4], "access-online": [1, 4, None]})
    [summary] = surveys_summary(Survey.objects.filter(pk=survey.pk))
    assert (summary.factor("access").n, summary.factor("access").satisfied) == (5, Proportion.wilson(3, 5))
    assert summary.factors == survey_results(survey).factors


@pytest.mark.parametrize("count", [1, 5])
def test_the_summary_reads_three_queries_whatever_the_number_of_surveys(django_assert_num_queries, count):
    units = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").values_list("key", flat=True)[:count])
    surveys = [closed_survey(unit=unit) for unit in units]
    for n, survey in enumerate(surveys):
        respond(survey, {"overall": satisfied(10 + n, 12 + 2 * n)})
        respond(survey, {"overall": [1] * 3}, test=True)
    still_open = closed_survey(status=SurveyStatus.OPEN)
    mine = Survey.objects.filter(pk__in=[still_open.pk, *(s.pk for s in surveys)])  # the demo has surveys too
    with django_assert_num_queries(3):  # surveys with their real responses, their questions, grouped answers
        summaries = surveys_summary(mine)
    assert len(summaries) == count
    assert [s.overall.satisfied.successes for s in sorted(summaries, key=lambda s: s.survey_id)] == [
        10 + n for n in range(count)
    ]
    with django_assert_num_queries(0):
        pooled_summary(summaries)
