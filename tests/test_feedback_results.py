"""A closed survey's results: aggregates equal hand counts, test responses never count, channel totals add up, a
figure below the minimum of responses is suppressed with its n, nobody sees results before close, and the selector
reads a fixed number of queries whatever the number of responses."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.conftest import HAI_AN, PERSONAS
from tincay.feedback.choices import Aspect, Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion, SurveyTemplate
from tincay.feedback.selectors.results import (
    QuestionResult,
    SatisfactionResult,
    results_for_user,
    results_public,
    survey_results,
)
from tincay.feedback.services.surveys import question_from_template
from tincay.feedback.stats import Proportion, mean_interval, mean_interval_from_counts
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 5, 4)
# two questions SIPAS does not ask, so that every kind is counted
EXTRA = [
    {"key": "visits", "kind": QuestionKind.NUMBER, "text_vi": "Số lần Ông/Bà phải đi lại", "options": []},
    {
        "key": "applied-how",
        "kind": QuestionKind.SINGLE,
        "text_vi": "Ông/Bà nộp hồ sơ bằng cách nào?",
        "options": [{"key": "desk", "vi": "Tại quầy", "en": "At the desk"}, {"key": "online", "vi": "Trực tuyến"}],
    },
]


def sipas_survey(*, status: str = SurveyStatus.CLOSED, min_responses: int = 10) -> Survey:
    """A survey of Phường Hải An copied from the SIPAS template with the ORM (no service), plus ``EXTRA``."""
    template = SurveyTemplate.objects.get(code="sipas")
    survey = Survey.objects.create(
        unit=AdminUnit.objects.get(key=HAI_AN),
        template=template,
        title_vi=template.title_vi,
        status=status,
        public_code=f"kq-{uuid.uuid4().hex[:12]}",
        min_responses=min_responses,
    )
    copied = [
        question_from_template(q, survey_id=survey.pk)
        for q in template.questions.select_related("factor").order_by("order")
    ]
    extra = [SurveyQuestion(survey=survey, order=100 + n, aspect=Aspect.OTHER, **q) for n, q in enumerate(EXTRA)]
    SurveyQuestion.objects.bulk_create(copied + extra)
    return survey


def respond(survey: Survey, rows: list[tuple[str, dict[str, Any]]], *, test: bool = False) -> None:
    """Store (channel, {question key: a value, option keys (one as a string) or a text}) rows with the ORM; None
    skips a question."""
    questions = {q.key: q for q in survey.questions.all()}
    responses = Response.objects.bulk_create(
        Response(survey=survey, channel=channel, day=DAY, test=test) for channel, _answers in rows
    )
    answers = []
    for response, (_channel, given) in zip(responses, rows, strict=True):
        for key, raw in given.items():
            question = questions[key]
            if raw is None:
                continue
            if question.kind == QuestionKind.SINGLE and isinstance(raw, str):
                raw = [raw]
            if isinstance(raw, list):
                answers.append(Answer(response=response, question=question, choices=raw))
            elif question.kind == QuestionKind.TEXT:
                answers.append(Answer(response=response, question=question, text=raw))
            else:
                answers.append(Answer(response=response, question=question, number=Decimal(raw)))
    Answer.objects.bulk_create(answers)


def columns(channels: list[str], **by_key: list[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Rows from columns: ``columns(channels, overall=[5, 4, ...])``, one row per channel."""
    return [(channel, {key: values[i] for key, values in by_key.items()}) for i, channel in enumerate(channels)]


# twelve real responses; each column is one question's answers, None where it was left empty
CHANNELS = [Channel.LINK] * 5 + [Channel.QR] * 4 + [Channel.PAPER] * 3
REAL = columns(
    CHANNELS,
    overall=[5, 5, 4, 4, 4, 3, 2, 1, 5, 4, 4, None],
    **{
        "access-satisfaction": [5, 4, 4, 4, 3, 3, 2, 2, 1, 5, 5, 4],
        "access-seats": [1] * 12,  # perception: never counts towards the factor
        "procedures-satisfaction": [5] * 9 + [None] * 3,
        "expectation": [
            ["online", "time"],
            ["online"],
            ["time", "access"],
            ["online"],
            ["online", "time", "feedback"],
            ["procedures"],
            ["online"],
            ["time"],
            ["online"],
            ["access"],
            ["online", "time"],
            ["not-an-option"],  # an option the question does not offer: not an answer
        ],
        "visits": [1, 2, 2, 3, 10, 1, 1, 2, 4, 0, None, None],
        "applied-how": ["desk"] * 6 + ["online"] * 4 + [None, None],
        "comment": ["Nhanh.", "Tốt.", "Chờ lâu."] + [None] * 9,
    },
)
# test-mode answers, all extreme: none of them may show
TEST = columns(
    [Channel.LINK, Channel.TOKEN, Channel.QR],
    overall=[1, 1, 1],
    **{
        "access-satisfaction": [1, 1, 1],
        "procedures-satisfaction": [1, 1, 1],
        "expectation": [["civil-servant"]] * 3,
        "visits": [1000, 1000, 1000],
        "applied-how": [["online"]] * 3,
        "comment": ["thử", "thử", "thử"],
    },
)


@pytest.fixture
def answered() -> Survey:
    survey = sipas_survey()
    respond(survey, REAL)
    respond(survey, TEST, test=True)
    return survey


def test_response_total_and_channels_count_real_responses_only(answered):
    results = survey_results(answered)
    assert results.responses == 12
    assert results.by_channel == {"link": 5, "qr": 4, "token": 0, "paper": 3}
    assert sum(results.by_channel.values()) == results.responses


def test_likert_question_equals_hand_counts(answered):
    overall = survey_results(answered).question("overall")
    assert (overall.suppressed, overall.n) == (False, 11)
    assert [(p.value, p.count) for p in overall.scale] == [(1, 1), (2, 1), (3, 1), (4, 5), (5, 3)]
    assert [p.label_vi for p in overall.scale][-1] == "Rất hài lòng"
    assert overall.scale[3].share == Proportion.wilson(5, 11)
    assert overall.satisfied == Proportion.wilson(8, 11)  # 4 and 5: five and three
    assert overall.mean == mean_interval([5, 5, 4, 4, 4, 3, 2, 1, 5, 4, 4], bounds=(1, 5))
    assert overall.mean.value == pytest.approx(41 / 11, abs=1e-12)
    assert overall.options == ()


def test_choice_questions_count_respondents_per_option(answered):
    results = survey_results(answered)
    expectation = results.question("expectation")
    assert expectation.n == 11  # the twelfth chose no option the question offers
    counts = {o.key: o.count for o in expectation.options}
    assert counts == {"access": 2, "procedures": 1, "online": 7, "time": 5, "civil-servant": 0, "feedback": 1}
    assert {o.key: o.share for o in expectation.options}["online"] == Proportion.wilson(7, 11)
    applied = results.question("applied-how")
    assert applied.n == 10
    assert [(o.key, o.count, o.share) for o in applied.options] == [
        ("desk", 6, Proportion.wilson(6, 10)),
        ("online", 4, Proportion.wilson(4, 10)),
    ]
    assert applied.satisfied is None and applied.mean is None


def test_number_question_gives_its_mean_with_an_interval(answered):
    visits = survey_results(answered).question("visits")
    values = [1, 2, 2, 3, 10, 1, 1, 2, 4, 0]
    assert visits.n == 10
    assert visits.mean.value == pytest.approx(2.6, abs=1e-12)
    assert visits.mean.sd == pytest.approx(statistics.stdev(values), abs=1e-12)
    assert visits.mean == mean_interval_from_counts({v: values.count(v) for v in set(values)})
    assert visits.scale == () and visits.options == ()


def test_factor_is_the_share_satisfied_of_its_satisfaction_answers(answered):
    results = survey_results(answered)
    factors = {f.key: f for f in results.factors}
    assert list(factors) == ["access", "procedures", "civil-servant", "result", "feedback"]
    access = factors["access"]
    assert (access.suppressed, access.n, access.satisfied) == (False, 12, Proportion.wilson(7, 12))
    assert access.title_vi == "Tiếp cận dịch vụ"
    assert results.overall == SatisfactionResult(
        key="overall",
        title_vi=results.question("overall").text_vi,
        title_en=results.question("overall").text_en,
        suppressed=False,
        n=11,
        satisfied=Proportion.wilson(8, 11),
    )


def test_a_factor_pools_its_satisfaction_questions():
    survey = sipas_survey(min_responses=1)
    SurveyQuestion.objects.filter(survey=survey, key="access-online").update(aspect=Aspect.SATISFACTION)
    respond(survey, columns([Channel.LINK] * 3, **{"access-satisfaction": [5, 2, 4], "access-online": [1, 4, None]}))
    access = next(f for f in survey_results(survey).factors if f.key == "access")
    assert (access.n, access.satisfied) == (5, Proportion.wilson(3, 5))


def test_a_figure_below_the_minimum_is_suppressed_with_its_n(answered):
    results = survey_results(answered)
    assert results.min_responses == 10
    for key in ("procedures-satisfaction", "comment", "servant-satisfaction"):  # 9, 3 and 0 answers
        question = results.question(key)
        assert question.suppressed
        assert (question.n, question.satisfied, question.mean, question.scale, question.options) == (
            None,
            None,
            None,
            (),
            (),
        )
    factors = {f.key: f for f in results.factors}
    assert factors["procedures"] == SatisfactionResult(
        key="procedures", title_vi="Thủ tục hành chính", title_en="Administrative procedures", suppressed=True
    )
    assert results.responses == 12  # the total is still given


def test_a_figure_at_the_minimum_is_shown():
    survey = sipas_survey(min_responses=3)
    respond(survey, columns([Channel.LINK] * 3, comment=["a", "b", "c"], overall=[5, 4, None]))
    results = survey_results(survey)
    assert (results.question("comment").suppressed, results.question("comment").n) == (False, 3)
    assert results.question("overall").suppressed and results.overall.suppressed


def test_without_a_minimum_an_unanswered_question_is_still_suppressed():
    survey = sipas_survey(min_responses=0)
    respond(survey, columns([Channel.QR], overall=[4]))
    results = survey_results(survey)
    assert results.question("overall").n == 1
    assert results.question("overall").mean.low is None  # no interval from one value
    assert results.question("access-seats").suppressed
    assert all(q.suppressed == (q.key != "overall") for q in results.questions)


def test_a_suppressed_result_cannot_carry_a_figure():
    head = {
        "key": "overall",
        "order": 1,
        "kind": QuestionKind.LIKERT,
        "aspect": Aspect.SATISFACTION,
        "factor_key": "",
        "text_vi": "",
        "text_en": "",
        "measures": "",
    }
    with pytest.raises(ValueError, match="n"):
        QuestionResult(**head, suppressed=True, n=4)
    with pytest.raises(ValueError, match="satisfied"):
        QuestionResult(**head, suppressed=True, satisfied=Proportion.wilson(3, 4))
    with pytest.raises(ValueError, match="satisfied"):
        SatisfactionResult(key="overall", title_vi="", title_en="", suppressed=True, satisfied=Proportion.wilson(1, 2))
    with pytest.raises(ValueError, match="needs its n"):
        SatisfactionResult(key="overall", title_vi="", title_en="", suppressed=False)


@pytest.mark.parametrize("status", [SurveyStatus.DRAFT, SurveyStatus.TEST, SurveyStatus.OPEN])
def test_nobody_sees_results_before_close(users, stranger, status):
    survey = sipas_survey(status=status, min_responses=1)
    respond(survey, REAL)
    for username in PERSONAS:
        assert results_for_user(users[username], survey) is None, username
    assert results_for_user(stranger, survey) is None
    assert results_public(survey) is None


def test_after_close_those_who_see_the_unit_see_results(users, stranger, answered):
    for username in PERSONAS:
        results = results_for_user(users[username], answered)
        assert results is not None, username
        assert results.responses == 12
    assert results_for_user(stranger, answered) is None
    assert results_for_user(AnonymousUser(), answered) is None
    assert results_public(answered) == survey_results(answered)


def _many(count: int) -> list[tuple[str, dict[str, Any]]]:
    likert = [q.key for q in SurveyTemplate.objects.get(code="sipas").questions.filter(kind=QuestionKind.LIKERT)]
    options = ["access", "procedures", "online", "time", "civil-servant", "feedback"]
    return [
        (
            Channel.values[i % len(Channel.values)],
            {
                **{key: 1 + (i * 7 + n) % 5 for n, key in enumerate(likert)},
                "expectation": [options[i % 6], options[(i + 2) % 6]],
                "visits": i % 9,
                "applied-how": ["desk", "online"][i % 2],
                "comment": f"Góp ý {i}" if i % 3 == 0 else None,
            },
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [20, 200])
def test_results_read_a_fixed_number_of_queries(django_assert_num_queries, count):
    survey = sipas_survey()
    respond(survey, _many(count))
    respond(survey, _many(5), test=True)
    with_template = Survey.objects.select_related("template").get(pk=survey.pk)
    with django_assert_num_queries(3):  # questions, responses per channel, grouped answers
        results = survey_results(with_template)
    assert results.responses == count
    assert results.question("overall").n == count
    assert sum(o.count for o in results.question("expectation").options) == 2 * count
    without_template = Survey.objects.get(pk=survey.pk)
    with django_assert_num_queries(4):  # and the template, when the survey was loaded without it
        survey_results(without_template)
