"""A survey's results exist for nobody before it is closed, administrators included: in draft, test mode or open,
``/results/`` answers 409 with the same message to every persona who sees the survey (404 to anyone who does
not), and ``/responses/`` answers an administrator the same; once closed, everyone who sees the survey reads its
results."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import PERSONAS
from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys/"


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def survey_in(users, state: str):
    """A survey of Phường Hải An in ``state``, with five answers whenever it has taken answers."""
    actor = users["dieuphoi"]
    survey = sipas_survey(actor, min_responses=5)
    if state == "draft":
        return survey
    survey_status_set(actor=actor, survey=survey, status="test" if state == "test" else "open")
    for value in (5, 5, 4, 4, 2):
        response_submit(survey=survey, channel="link", answers=good_answers(survey, value))
    if state == "closed":
        survey_status_set(actor=actor, survey=survey, status="closed")
    return survey


@pytest.mark.parametrize("state", ["draft", "test", "open"])
def test_nobody_sees_results_before_close_with_one_status_and_message(users, stranger, state):
    survey = survey_in(users, state)
    answers = {persona: api(users[persona]).get(f"{SURVEYS}{survey.pk}/results/") for persona in PERSONAS}
    assert {persona: r.status_code for persona, r in answers.items()} == dict.fromkeys(PERSONAS, 409)
    bodies = {r.content for r in answers.values()}
    assert len(bodies) == 1  # the same body for everyone, administrators included
    body = answers["quantri"].json()
    assert set(body) == {"detail", "errors"} and "once the survey is closed" in body["errors"]["__all__"][0]
    assert api(stranger).get(f"{SURVEYS}{survey.pk}/results/").status_code == 404
    before_close = api(users["quantri"]).get(f"{SURVEYS}{survey.pk}/responses/")
    assert before_close.status_code == 409 and before_close.content == answers["quantri"].content


@pytest.mark.parametrize("persona", PERSONAS)
def test_once_closed_everyone_who_sees_the_survey_reads_its_results(users, persona):
    survey = survey_in(users, "closed")
    response = api(users[persona]).get(f"{SURVEYS}{survey.pk}/results/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["survey"] == survey.pk and body["responses"] == 5 and body["min_responses"] == 5
    assert body["by_channel"] == {"link": 5, "qr": 0, "token": 0, "paper": 0}
    assert body["overall"]["n"] == 5 and body["overall"]["satisfied"]["share"] == pytest.approx(0.8)


def test_results_of_a_closed_survey_stay_hidden_from_people_who_do_not_see_it(users, stranger):
    survey = survey_in(users, "closed")
    refused = api(stranger).get(f"{SURVEYS}{survey.pk}/results/")
    assert refused.status_code == 404 and "errors" in refused.json()
    assert APIClient().get(f"{SURVEYS}{survey.pk}/results/").status_code == 403
