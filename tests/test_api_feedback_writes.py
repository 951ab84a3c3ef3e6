"""Writing citizens' surveys through the API: administrators and the coordinators over a unit create its surveys,
move them through their states, print one-use tokens and adapt questions; everyone else who sees the survey is
refused (403) and nothing is stored. Every write goes through the feedback services (audited)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import PERSONAS
from tests.feedback_fixtures import good_answers, sipas_survey, sipas_template
from tincay.audit.models import AuditEvent
from tincay.feedback.models import Response, Survey, SurveyQuestion, SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import token_digest

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys/"
MANAGERS = {"quantri", "dieuphoi"}


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_administrators_and_the_coordinators_over_the_unit_create_surveys(users, persona):
    body = {"unit": "11413", "template": sipas_template().pk, "min_responses": 20, "title_en": "Hai An, Q2"}
    response = api(users[persona]).post(SURVEYS, body, format="json")
    if persona in MANAGERS:
        assert response.status_code == 201, response.json()
        made = response.json()
        assert made["status"] == "draft" and made["unit"] == "11413" and made["min_responses"] == 20
        assert made["title_vi"].endswith("Phường Hải An") and made["title_en"] == "Hai An, Q2"
        assert len(made["questions"]) == 23 and made["link"].endswith(f"/s/{made['public_code']}/")
        assert made["can_manage"] is True and made["campaign"] is None
        assert AuditEvent.objects.filter(action="feedback.survey_created", object_id=str(made["id"])).exists()
    else:
        assert response.status_code == 403, response.json()
        assert "__all__" in response.json()["errors"]
        assert not Survey.objects.exists()


def test_a_survey_is_created_in_a_campaign_given_by_its_code(users):
    body = {"unit": "11413", "template": sipas_template().pk, "campaign": "hai-phong-2026"}
    made = api(users["dieuphoi"]).post(SURVEYS, body, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["campaign"] == "hai-phong-2026" and made.json()["min_responses"] == 10
    assert Survey.objects.get().campaign.code == "hai-phong-2026"


def test_surveys_move_through_their_states_with_the_reason_audited(users):
    client = api(users["dieuphoi"])
    survey = sipas_survey(users["dieuphoi"])
    url = f"{SURVEYS}{survey.pk}/status/"
    trial = client.post(url, {"status": "test"}, format="json")
    assert trial.status_code == 200 and trial.json()["status"] == "test", trial.json()
    response_submit(survey=survey, channel="link", answers=good_answers(survey))
    live = client.post(url, {"status": "open", "reason": "Bắt đầu quý II"}, format="json").json()
    assert live["status"] == "open" and live["opened_on"] and live["responses"] == 0
    assert not Response.objects.filter(survey=survey).exists()  # test answers discarded when it goes live
    closed = client.post(url, {"status": "closed", "reason": "Hết quý"}, format="json").json()
    assert closed["status"] == "closed" and closed["closed_on"] and closed["next"] == []
    event = AuditEvent.objects.get(action="feedback.survey_closed")
    assert event.reason == "Hết quý" and event.after["responses"] == 0
    again = client.post(url, {"status": "open"}, format="json")
    assert again.status_code == 400 and "status" in again.json()["errors"]
    assert Survey.objects.get().status == "closed"


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - MANAGERS))
def test_people_who_only_see_a_survey_change_nothing(users, persona):
    survey = sipas_survey(users["dieuphoi"])
    client = api(users[persona])
    before = AuditEvent.objects.count()
    assert client.get(f"{SURVEYS}{survey.pk}/").status_code == 200
    for method, path, body in (
        ("post", "status/", {"status": "open"}),
        ("post", "tokens/", {"count": 5}),
        ("patch", "questions/access-seats/", {"text_vi": "Đổi câu hỏi"}),
    ):
        refused = getattr(client, method)(f"{SURVEYS}{survey.pk}/{path}", body, format="json")
        assert refused.status_code == 403, (path, refused.json())
        assert refused.json()["errors"]["__all__"]
    survey.refresh_from_db()
    assert survey.status == "draft" and not SurveyToken.objects.exists()
    assert survey.questions.get(key="access-seats").text_vi != "Đổi câu hỏi"
    assert AuditEvent.objects.count() == before


def test_tokens_are_returned_once_and_only_their_digests_are_kept(users):
    survey = sipas_survey(users["dieuphoi"])
    client = api(users["dieuphoi"])
    issued = client.post(f"{SURVEYS}{survey.pk}/tokens/", {"count": 7}, format="json")
    assert issued.status_code == 201, issued.json()
    assert issued["Cache-Control"] == "no-store"
    body = issued.json()
    assert body["count"] == 7 and len(set(body["codes"])) == 7 and body["link"].endswith("?via=token")
    assert set(SurveyToken.objects.values_list("digest", flat=True)) == {token_digest(c) for c in body["codes"]}
    detail = client.get(f"{SURVEYS}{survey.pk}/").content.decode()
    assert not any(code in detail for code in body["codes"])
    assert AuditEvent.objects.get(action="feedback.tokens_issued").after == {"count": 7}


def test_a_question_is_adapted_until_the_first_real_answer(users):
    survey = sipas_survey(users["dieuphoi"])
    client = api(users["quantri"])
    url = f"{SURVEYS}{survey.pk}/questions/access-online/"
    question = SurveyQuestion.objects.get(survey=survey, key="access-online")
    changed = client.patch(url, {"text_vi": "Dễ nộp hồ sơ trực tuyến", "required": True}, format="json")
    assert changed.status_code == 200, changed.json()
    assert changed.json()["text_vi"] == "Dễ nộp hồ sơ trực tuyến" and changed.json()["required"] is True
    assert changed.json()["text_en"] == question.text_en  # left out: kept
    only_en = client.patch(url, {"text_en": "Easy online"}, format="json").json()
    assert only_en["text_vi"] == "Dễ nộp hồ sơ trực tuyến" and only_en["text_en"] == "Easy online"
    assert AuditEvent.objects.filter(action="feedback.question_updated").count() == 2

    client.post(f"{SURVEYS}{survey.pk}/status/", {"status": "open"}, format="json")
    response_submit(survey=survey, channel="qr", answers={**good_answers(survey), "access-online": 4})
    locked = client.patch(url, {"text_vi": "Muộn rồi"}, format="json")
    assert locked.status_code == 400 and locked.json()["errors"]["__all__"]
    assert SurveyQuestion.objects.get(pk=question.pk).text_vi == "Dễ nộp hồ sơ trực tuyến"
    assert client.patch(f"{SURVEYS}{survey.pk}/questions/khong-co/", {}, format="json").status_code == 404
