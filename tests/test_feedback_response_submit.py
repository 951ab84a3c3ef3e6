"""Answers are checked whole by the service, whatever the channel: out of the scale, wrong type, unknown option,
too many choices, required left empty, unknown question, closed survey; a token is spent once and a used or
unknown one refused; paper answers only from who runs the survey. A refused submission stores nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.common.errors import InvalidInput, Refused
from tincay.feedback.models import Answer, Response, SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set, survey_tokens_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")
    return survey


def test_a_good_response_is_stored_with_its_channel_and_day_only(survey):
    response_submit(survey=survey, channel="link", answers={**good_answers(survey), "access-online": "5"})
    response = Response.objects.get(survey=survey)
    assert response.channel == "link" and not response.test
    assert Answer.objects.filter(response=response, question__key="access-online", number=5).exists()
    assert Answer.objects.get(response=response, question__key="expectation").choices == ["online", "time"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"overall": 6}, "overall"),
        ({"overall": 0}, "overall"),
        ({"overall": "năm"}, "overall"),
        ({"overall": True}, "overall"),
        ({"overall": 4.5}, "overall"),
        ({"overall": None}, "overall"),  # required
        ({"expectation": ["online", "nowhere"]}, "expectation"),
        ({"expectation": ["online", "time", "access", "feedback"]}, "expectation"),
        ({"expectation": {"online": True}}, "expectation"),
        ({"comment": "x" * 2001}, "comment"),
        ({"comment": 12}, "comment"),
        ({"unknown-question": 3}, "__all__"),
    ],
)
def test_bad_answers_are_refused_and_nothing_stored(survey, changes, field):
    with pytest.raises(InvalidInput) as caught:
        response_submit(survey=survey, channel="link", answers={**good_answers(survey), **changes})
    assert field in caught.value.errors
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_wrong_shapes_are_refused(survey):
    for answers in (None, [], "4", [("overall", 4)]):
        with pytest.raises(InvalidInput):
            response_submit(survey=survey, channel="link", answers=answers)
    with pytest.raises(InvalidInput):
        response_submit(survey=survey, channel="email", answers=good_answers(survey))
    with pytest.raises(InvalidInput):
        response_submit(survey=survey, channel="link", answers={})
    assert not Response.objects.exists()


def test_a_token_is_spent_once(users, survey):
    code = survey_tokens_issue(actor=users["dieuphoi"], survey=survey, count=1)[0]
    response_submit(survey=survey, channel="token", answers=good_answers(survey), token=code.lower())
    with pytest.raises(InvalidInput) as caught:
        response_submit(survey=survey, channel="token", answers=good_answers(survey), token=code)
    assert "token" in caught.value.errors
    with pytest.raises(InvalidInput):
        response_submit(survey=survey, channel="token", answers=good_answers(survey), token="KHONGCOMA1")
    with pytest.raises(InvalidInput):
        response_submit(survey=survey, channel="token", answers=good_answers(survey))
    assert Response.objects.count() == 1 and SurveyToken.objects.get().used


def test_paper_answers_only_from_who_runs_the_survey(users, survey):
    with pytest.raises(Refused):
        response_submit(survey=survey, channel="paper", answers=good_answers(survey), actor=users["congchuc"])
    with pytest.raises(Refused):
        response_submit(survey=survey, channel="paper", answers=good_answers(survey))  # anonymous
    response_submit(survey=survey, channel="paper", answers=good_answers(survey), actor=users["dieuphoi"])
    assert list(Response.objects.values_list("channel", flat=True)) == ["paper"]


def test_a_draft_survey_takes_no_answers(users):
    draft = sipas_survey(users["dieuphoi"])
    with pytest.raises(InvalidInput):
        response_submit(survey=draft, channel="link", answers=good_answers(draft))
    assert not Response.objects.exists()


def test_messages_read_in_vietnamese(survey):
    with translation.override("vi"), pytest.raises(InvalidInput) as caught:
        response_submit(survey=survey, channel="link", answers={**good_answers(survey), "overall": 9})
    assert caught.value.errors["overall"] == ["Hãy chọn một mức trên thang đo."]
