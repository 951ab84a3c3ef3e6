"""Every write of the surveys API refuses bad input with a 400 naming the field (403 or 404 when it is not yours),
in the API's one body shape, stores nothing, and breaks no page.

For each write: a wrong shape (a list, null, a text or a number as the body), a wrong type (a number as a text, a
text as a number or a boolean), a value out of range, a missing field, an unknown field, a binding the framework
refuses (``measures``), something not yours (a unit outside your scope, a survey of another province, an unknown
template or campaign) and a form body instead of JSON (415). After each refusal the surveys, their questions,
tokens and the audit trail are as they were, and the survey's page and API detail still answer 200.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import HA_NOI
from tests.feedback_fixtures import sipas_survey, sipas_template
from tincay.audit.models import AuditEvent
from tincay.feedback.models import Response, Survey, SurveyQuestion, SurveyToken
from tincay.feedback.services.surveys import survey_create
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db

SURVEYS = "/api/v1/surveys/"
LONG_TITLE, LONG_TEXT, LONG_REASON = "t" * 301, "q" * 501, "r" * 2001


@pytest.fixture
def world(users):
    own = sipas_survey(users["dieuphoi"])
    far = survey_create(actor=users["quantri"], unit=AdminUnit.objects.get(key=HA_NOI), template=sipas_template())
    return {"own": own, "far": far, "template": sipas_template().pk}


def stored() -> dict[str, object]:
    """What a refused write must leave as it was."""
    return {
        "surveys": list(Survey.objects.order_by("pk").values_list("pk", "status", "title_vi", "min_responses")),
        "questions": list(SurveyQuestion.objects.order_by("pk").values_list("pk", "text_vi", "text_en", "required")),
        "tokens": SurveyToken.objects.count(),
        "responses": Response.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def pages_still_answer(users, survey) -> None:
    browser = Client()
    browser.force_login(users["dieuphoi"])
    assert browser.get(f"/surveys/{survey.pk}/").status_code == 200
    assert browser.get("/surveys/").status_code == 200
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    assert client.get(f"{SURVEYS}{survey.pk}/").status_code == 200
    assert client.get(SURVEYS).status_code == 200


def send(users, persona: str, method: str, url: str, body: object):
    client = APIClient()
    client.force_authenticate(users[persona])
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


CREATE = [
    # (case, body, status, field); "T" stands for the SIPAS template's id
    ("shape: a list", [], 400, "__all__"),
    ("shape: null", None, 400, "__all__"),
    ("shape: a text", "11413", 400, "__all__"),
    ("shape: a number", 42, 400, "__all__"),
    ("missing: unit", {"template": "T"}, 400, "unit"),
    ("missing: template", {"unit": "11413"}, 400, "template"),
    ("type: a number as the unit", {"unit": 11413, "template": "T"}, 400, "unit"),
    ("type: a text as the template", {"unit": "11413", "template": "1"}, 400, "template"),
    ("type: a text as the minimum", {"unit": "11413", "template": "T", "min_responses": "10"}, 400, "min_responses"),
    ("type: a fraction as the minimum", {"unit": "11413", "template": "T", "min_responses": 9.5}, 400, "min_responses"),
    ("type: a boolean as the minimum", {"unit": "11413", "template": "T", "min_responses": True}, 400, "min_responses"),
    ("type: a number as the title", {"unit": "11413", "template": "T", "title_vi": 5}, 400, "title_vi"),
    ("range: too few responses", {"unit": "11413", "template": "T", "min_responses": 4}, 400, "min_responses"),
    ("range: too many responses", {"unit": "11413", "template": "T", "min_responses": 1001}, 400, "min_responses"),
    ("range: template 0", {"unit": "11413", "template": 0}, 400, "template"),
    ("range: too long a title", {"unit": "11413", "template": "T", "title_en": LONG_TITLE}, 400, "title_en"),
    ("range: a NUL in the unit", {"unit": "114\x0013", "template": "T"}, 400, "unit"),
    ("unknown field", {"unit": "11413", "template": "T", "measures": "4.6"}, 400, "measures"),
    ("not yours: a unit of Hà Nội", {"unit": HA_NOI, "template": "T"}, 400, "unit"),
    ("not yours: a unit that does not exist", {"unit": "00000", "template": "T"}, 400, "unit"),
    ("not yours: an unknown template", {"unit": "11413", "template": 999_999}, 400, "template"),
    ("not yours: an unknown campaign", {"unit": "11413", "template": "T", "campaign": "khong-co"}, 400, "campaign"),
    ("a unit that no longer exists", {"unit": "11413-2025", "template": "T"}, 400, "unit"),
]


@pytest.mark.parametrize(("case", "body", "status", "field"), CREATE, ids=[c[0] for c in CREATE])
def test_a_bad_survey_is_refused_and_nothing_stored(users, world, case, body, status, field):
    if isinstance(body, dict) and body.get("template") == "T":
        body = {**body, "template": world["template"]}
    before = stored()
    response = send(users, "dieuphoi", "post", SURVEYS, body)
    assert response.status_code == status, response.json()
    assert field in response.json()["errors"] and response.json()["detail"], response.json()
    assert stored() == before
    pages_still_answer(users, world["own"])


WRITES = [
    # (case, path under the survey, method, body, status, field)
    ("status: a list", "status/", "post", [], 400, "__all__"),
    ("status: null", "status/", "post", None, 400, "__all__"),
    ("status: missing", "status/", "post", {"reason": "x"}, 400, "status"),
    ("status: unknown", "status/", "post", {"status": "purple"}, 400, "status"),
    ("status: a number", "status/", "post", {"status": 1}, 400, "status"),
    ("status: a number as the reason", "status/", "post", {"status": "open", "reason": 5}, 400, "reason"),
    ("status: too long a reason", "status/", "post", {"status": "open", "reason": LONG_REASON}, 400, "reason"),
    ("status: not allowed from draft", "status/", "post", {"status": "closed"}, 400, "status"),
    ("status: unknown field", "status/", "post", {"status": "open", "when": "now"}, 400, "when"),
    ("tokens: a text", "tokens/", "post", "50", 400, "__all__"),
    ("tokens: missing", "tokens/", "post", {}, 400, "count"),
    ("tokens: zero", "tokens/", "post", {"count": 0}, 400, "count"),
    ("tokens: too many", "tokens/", "post", {"count": 5001}, 400, "count"),
    ("tokens: a text as the count", "tokens/", "post", {"count": "5"}, 400, "count"),
    ("tokens: a fraction", "tokens/", "post", {"count": 2.5}, 400, "count"),
    ("tokens: a boolean", "tokens/", "post", {"count": True}, 400, "count"),
    ("question: a list", "questions/access-seats/", "patch", [], 400, "__all__"),
    ("question: empty text", "questions/access-seats/", "patch", {"text_vi": "  "}, 400, "text_vi"),
    ("question: too long", "questions/access-seats/", "patch", {"text_vi": LONG_TEXT}, 400, "text_vi"),
    ("question: a number as text", "questions/access-seats/", "patch", {"text_en": 5}, 400, "text_en"),
    ("question: a text as a boolean", "questions/access-seats/", "patch", {"required": "yes"}, 400, "required"),
    ("question: no such indicator", "questions/access-seats/", "patch", {"measures": "99.1"}, 400, "measures"),
    (
        "question: a scale cannot feed an evidence criterion",
        "questions/access-seats/",
        "patch",
        {"measures": "1.1.1"},
        400,
        "measures",
    ),
    ("question: unknown key", "questions/khong-co/", "patch", {"text_vi": "x"}, 404, "__all__"),
]


@pytest.mark.parametrize(("case", "path", "method", "body", "status", "field"), WRITES, ids=[w[0] for w in WRITES])
def test_a_bad_write_to_a_survey_is_refused_and_nothing_stored(users, world, case, path, method, body, status, field):
    before = stored()
    response = send(users, "dieuphoi", method, f"{SURVEYS}{world['own'].pk}/{path}", body)
    assert response.status_code == status, response.json()
    assert field in response.json()["errors"], response.json()
    assert stored() == before
    pages_still_answer(users, world["own"])


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [("status/", "post", {"status": "open"}), ("tokens/", "post", {"count": 3}),
     ("questions/access-seats/", "patch", {"text_vi": "Đổi"})],
)  # fmt: skip
def test_a_survey_of_another_province_is_not_found_and_a_form_body_is_refused(users, world, path, method, body):
    before = stored()
    far = send(users, "dieuphoi", method, f"{SURVEYS}{world['far'].pk}/{path}", body)
    assert far.status_code == 404 and "errors" in far.json()
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    form = getattr(client, method)(f"{SURVEYS}{world['own'].pk}/{path}", body, format="multipart")
    assert form.status_code == 415 and "errors" in form.json()
    assert stored() == before
    pages_still_answer(users, world["own"])


def test_a_form_body_is_refused_when_creating_a_survey(users, world):
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    before = stored()
    form = client.post(SURVEYS, {"unit": "11413", "template": world["template"]})
    assert form.status_code == 415 and "errors" in form.json()
    assert stored() == before


def test_tokens_for_a_closed_survey_are_refused(users, world):
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    own = world["own"]
    for status in ("open", "closed"):
        assert client.post(f"{SURVEYS}{own.pk}/status/", {"status": status}, format="json").status_code == 200
    before = stored()
    refused = client.post(f"{SURVEYS}{own.pk}/tokens/", {"count": 3}, format="json")
    assert refused.status_code == 400 and "count" in refused.json()["errors"]
    assert stored() == before
    pages_still_answer(users, own)
