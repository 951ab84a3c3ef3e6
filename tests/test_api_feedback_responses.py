"""Individual responses through the API: administrators only, once the survey is closed; the coordinator who runs
the survey is refused (403) even then, as is everyone else who sees it. A response carries its random key,
channel, day and answers by question key, and nothing that names or joins to a token (no token field, no code, no
digest); test answers are not among them; the list is paged and reads a fixed number of queries."""

from __future__ import annotations

import json
import uuid

import pytest
from rest_framework.test import APIClient

from tests.conftest import PERSONAS
from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.models import SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set, survey_tokens_issue

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys/"


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(users):
    """A closed survey of Phường Hải An answered through a link, the QR poster, two one-use tokens and on paper,
    after an answer in test mode (discarded when it went live)."""
    actor = users["dieuphoi"]
    survey = sipas_survey(actor, min_responses=5)
    survey_status_set(actor=actor, survey=survey, status="test")
    response_submit(survey=survey, channel="link", answers=good_answers(survey, 1))
    survey_status_set(actor=actor, survey=survey, status="draft")  # back to draft: the test answer stays stored
    codes = survey_tokens_issue(actor=actor, survey=survey, count=3)
    survey_status_set(actor=actor, survey=survey, status="open")
    response_submit(survey=survey, channel="link", answers={**good_answers(survey, 5), "access-online": 3})
    response_submit(survey=survey, channel="qr", answers=good_answers(survey, 4))
    for code in codes[:2]:
        response_submit(survey=survey, channel="token", token=code, answers=good_answers(survey, 2))
    response_submit(survey=survey, channel="paper", answers=good_answers(survey, 3), actor=actor)
    survey_status_set(actor=actor, survey=survey, status="closed")
    return {"survey": survey, "codes": codes}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_read_responses_after_close(users, world, persona):
    response = api(users[persona]).get(f"{SURVEYS}{world['survey'].pk}/responses/")
    if persona == "quantri":
        assert response.status_code == 200, response.json()
        assert response.json()["count"] == 5  # the test answer is not among them
    else:
        assert response.status_code == 403, response.json()
        assert "Only administrators read individual responses" in response.json()["errors"]["__all__"][0]


def test_the_coordinator_is_refused_before_close_too(users):
    survey = sipas_survey(users["dieuphoi"], min_responses=5)
    refused = api(users["dieuphoi"]).get(f"{SURVEYS}{survey.pk}/responses/")
    assert refused.status_code == 403 and "Only administrators" in refused.json()["detail"]


def test_a_response_carries_its_answers_and_nothing_joinable_to_tokens(users, world):
    response = api(users["quantri"]).get(f"{SURVEYS}{world['survey'].pk}/responses/")
    body = response.json()
    assert {r["channel"] for r in body["results"]} == {"link", "qr", "token", "paper"}
    for row in body["results"]:
        assert set(row) == {"id", "channel", "day", "answers"}
        assert uuid.UUID(row["id"]).version == 4
    by_channel = {r["channel"]: r for r in body["results"]}
    link = by_channel["link"]["answers"]
    assert link["overall"] == 5 and link["access-online"] == 3 and isinstance(link["overall"], int)
    assert link["expectation"] == ["online", "time"] and link["comment"] == "Cán bộ nhiệt tình."
    assert "feedback-handled" not in link  # left empty: absent
    text = response.content.decode()
    digests = list(SurveyToken.objects.values_list("digest", flat=True))
    assert not any(code in text for code in world["codes"]) and not any(d in text for d in digests)
    keys = {key for row in body["results"] for key in row} | {key for row in body["results"] for key in row["answers"]}
    assert not {"token", "digest", "used", "created_at", "time"} & keys
    assert "token" not in json.dumps([row["answers"] for row in body["results"]])


def test_responses_are_paged_in_a_fixed_number_of_queries(users, world, django_assert_max_num_queries):
    client = api(users["quantri"])
    url = f"{SURVEYS}{world['survey'].pk}/responses/"
    first = client.get(f"{url}?limit=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["next"]
    rest = (
        client.get(f"{url}?limit=2&offset=2").json()["results"]
        + client.get(f"{url}?limit=2&offset=4").json()["results"]
    )
    assert len({r["id"] for r in first["results"] + rest}) == 5
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    survey = world["survey"]
    survey.status = "open"
    survey.save(update_fields=["status"])
    for value in (1, 2, 3, 4, 5, 5):
        response_submit(survey=survey, channel="qr", answers=good_answers(survey, value))
    survey.status = "closed"
    survey.save(update_fields=["status"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).json()["count"] == 11
