"""Every write of the API refuses bad input with a 400 (or 403) naming the field, stores nothing, and breaks no page.

For each write endpoint: a wrong shape (a JSON array, null, a string or a number as the body), a wrong type (a
string revision, a number as a text, a string as a boolean), a value out of range (the issue's
``"self_value": "12345678901.12345"``, a revision below 0, too long a text), an unknown level or choice
(``"self_level": "purple"``), an unknown field, and a person it is not theirs to change (a contributor on an
indicator not assigned to them, a coordinator on a ward's register). After each refusal the row is as it was
and the assessment, its results, the unit's results, the campaign's heat map and ranking still answer 200.
"""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import (
    Assessment,
    CriterionResult,
    Document,
    EvidenceLink,
    IndicatorAssignment,
    TransitionRecord,
)
from tincay.assessments.services import evidence

pytestmark = pytest.mark.django_db

# criterion results: 1.7.1 belongs to the contributor (assigned), 1.1.1 does not
MINE, NOT_MINE = "1.7.1", "1.1.1"


@pytest.fixture
def world(users, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    campaign = make_campaign(users)
    assessment = Assessment.objects.get(campaign=campaign, unit__key="11413")
    mine = assessment.results.select_related("criterion").get(criterion__code=MINE)
    IndicatorAssignment.objects.create(
        assessment=assessment, indicator=mine.criterion.indicator, assignee=users["congchuc"]
    )
    document = evidence.document_create(
        user=users["daumoi"],
        unit=assessment.unit,
        data={"title": "Quyết định (kiểm thử)", "url": "https://example.invalid/qd"},
    )
    linked = assessment.results.get(criterion__code=NOT_MINE)
    evidence.evidence_link(user=users["daumoi"], result=linked, document=document)
    return {"assessment": assessment, "campaign": campaign, "document": document, "users": users}


def _api(users, username: str, language: str = "vi") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(users[username])
    return client


def _stored(assessment: Assessment) -> dict[str, object]:
    """What a refused write must leave as it was."""
    return {
        "results": list(
            CriterionResult.objects.filter(assessment=assessment)
            .order_by("pk")
            .values_list("pk", "revision", "self_level", "self_value", "na", "narrative", "scorer_level")
        ),
        "state": Assessment.objects.get(pk=assessment.pk).state,
        "transitions": TransitionRecord.objects.filter(assessment=assessment).count(),
        "documents": sorted(Document.objects.filter(unit=assessment.unit).values_list("pk", flat=True)),
        "links": sorted(EvidenceLink.objects.filter(result__assessment=assessment).values_list("pk", flat=True)),
    }


def _pages_still_answer(world) -> None:
    admin = _api(world["users"], "quantri")
    pk, code = world["assessment"].pk, world["campaign"].code
    for url in (
        f"/api/v1/assessments/{pk}/",
        f"/api/v1/assessments/{pk}/results/",
        f"/api/v1/results/assessments/{pk}/",
        f"/api/v1/results/campaigns/{code}/heatmap/",
        f"/api/v1/results/campaigns/{code}/ranking/",
    ):
        assert admin.get(url).status_code == 200, url
    page = world["users"]["quantri"]
    from django.test import Client

    browser = Client()
    browser.force_login(page)
    assert browser.get(f"/assessments/{pk}/").status_code == 200


def _send(client: APIClient, method: str, url: str, body: object) -> object:
    if body is _NO_BODY:
        return getattr(client, method)(url)
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


_NO_BODY = object()
LONG = "x" * 20_001

RESULT = [
    # (case, persona, criterion, body, status, field)
    ("shape: a list", "daumoi", MINE, [], 400, "__all__"),
    ("shape: null", "daumoi", MINE, None, 400, "__all__"),
    ("shape: a string", "daumoi", MINE, "green", 400, "__all__"),
    ("shape: a number", "daumoi", MINE, 42, 400, "__all__"),
    (
        "type: a string revision",
        "daumoi",
        MINE,
        {"track": "self", "revision": "0", "self_level": "green"},
        400,
        "revision",
    ),
    ("type: a number as a text", "daumoi", MINE, {"track": "self", "revision": 0, "narrative": 5}, 400, "narrative"),
    ("type: a string as a boolean", "daumoi", MINE, {"track": "self", "revision": 0, "na": "yes"}, 400, "na"),
    ("type: a list as a value", "daumoi", MINE, {"track": "self", "revision": 0, "self_value": [1]}, 400, "self_value"),
    (
        "range: the issue's value",
        "daumoi",
        MINE,
        {"track": "self", "revision": 0, "self_value": "12345678901.12345"},
        400,
        "self_value",
    ),
    (
        "range: five decimals",
        "daumoi",
        MINE,
        {"track": "self", "revision": 0, "self_value": "1.12345"},
        400,
        "self_value",
    ),
    ("range: a negative value", "daumoi", MINE, {"track": "self", "revision": 0, "self_value": -1}, 400, "self_value"),
    (
        "range: a negative revision",
        "daumoi",
        MINE,
        {"track": "self", "revision": -1, "self_level": "red"},
        400,
        "revision",
    ),
    ("range: too long a text", "daumoi", MINE, {"track": "self", "revision": 0, "narrative": LONG}, 400, "narrative"),
    ("level: purple", "daumoi", MINE, {"track": "self", "revision": 0, "self_level": "purple"}, 400, "self_level"),
    ("level: an unknown track", "daumoi", MINE, {"track": "purple", "revision": 0}, 400, "track"),
    (
        "field: another track's",
        "daumoi",
        MINE,
        {"track": "self", "revision": 0, "scorer_level": "red"},
        400,
        "scorer_level",
    ),
    ("field: unknown", "daumoi", MINE, {"track": "self", "revision": 0, "colour": "red"}, 400, "colour"),
    (
        "not yours: unassigned indicator",
        "congchuc",
        NOT_MINE,
        {"track": "self", "revision": 0, "self_level": "green"},
        403,
        "__all__",
    ),
    (
        "not yours: the scorer's track",
        "daumoi",
        MINE,
        {"track": "scorer", "revision": 0, "scorer_level": "red"},
        403,
        "__all__",
    ),
]


@pytest.mark.parametrize(("case", "persona", "code", "body", "status", "field"), RESULT, ids=[r[0] for r in RESULT])
def test_result_patch_refuses_bad_input(world, case, persona, code, body, status, field):
    before = _stored(world["assessment"])
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{code}/"
    response = _send(_api(world["users"], persona), "patch", url, body)
    assert response.status_code == status, (case, response.content)
    body = response.json()
    assert set(body) >= {"detail", "errors"} and body["detail"], case
    assert field in body["errors"] and all(body["errors"][field]), (case, body)
    assert _stored(world["assessment"]) == before, case
    _pages_still_answer(world)


TRANSITION = [
    ("shape: a list", "daumoi", [], 400, "__all__"),
    ("shape: null", "daumoi", None, 400, "__all__"),
    ("type: a number as the action", "daumoi", {"action": 5}, 400, "action"),
    ("type: a list as the reason", "daumoi", {"action": "submit", "reason": ["x"]}, 400, "reason"),
    ("range: too long a reason", "daumoi", {"action": "submit", "reason": "x" * 2_001}, 400, "reason"),
    ("choice: purple", "daumoi", {"action": "purple"}, 400, "action"),
    ("field: unknown", "daumoi", {"action": "submit", "state": "published"}, 400, "state"),
    ("not yours: a contributor submits", "congchuc", {"action": "submit"}, 403, "__all__"),
]


@pytest.mark.parametrize(("case", "persona", "body", "status", "field"), TRANSITION, ids=[t[0] for t in TRANSITION])
def test_transition_refuses_bad_input(world, case, persona, body, status, field):
    before = _stored(world["assessment"])
    url = f"/api/v1/assessments/{world['assessment'].pk}/transitions/"
    response = _send(_api(world["users"], persona), "post", url, body)
    assert response.status_code == status, (case, response.content)
    assert field in response.json()["errors"], (case, response.json())
    assert _stored(world["assessment"]) == before, case
    _pages_still_answer(world)


LINK = [
    ("shape: a list", "daumoi", MINE, [], 400, "__all__"),
    ("shape: a string", "daumoi", MINE, "1", 400, "__all__"),
    ("type: a string id", "daumoi", MINE, {"document": "abc"}, 400, "document"),
    ("type: a boolean id", "daumoi", MINE, {"document": True}, 400, "document"),
    ("range: beyond the database", "daumoi", MINE, {"document": 2**70}, 400, "document"),
    ("range: zero", "daumoi", MINE, {"document": 0}, 400, "document"),
    ("unknown: no such document", "daumoi", MINE, {"document": 2**62}, 400, "document"),
    ("field: unknown", "daumoi", MINE, {"document": "DOC", "result": 3}, 400, "result"),
    ("not yours: unassigned indicator", "congchuc", NOT_MINE, {"document": "DOC"}, 403, "__all__"),
]


@pytest.mark.parametrize(("case", "persona", "code", "body", "status", "field"), LINK, ids=[c[0] for c in LINK])
def test_evidence_link_refuses_bad_input(world, case, persona, code, body, status, field):
    if isinstance(body, dict) and body.get("document") == "DOC":
        body = {**body, "document": world["document"].pk}
    before = _stored(world["assessment"])
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{code}/evidence/"
    response = _send(_api(world["users"], persona), "post", url, body)
    assert response.status_code == status, (case, response.content)
    assert field in response.json()["errors"], (case, response.json())
    assert _stored(world["assessment"]) == before, case
    _pages_still_answer(world)


UNLINK = [
    ("not yours: unassigned indicator", "congchuc", NOT_MINE, "DOC", 403),
    ("range: beyond the database", "daumoi", NOT_MINE, str(2**70), 404),
    ("unknown: no such document", "daumoi", NOT_MINE, str(2**62), 404),
    ("shape: not a number", "daumoi", NOT_MINE, "abc", 404),
    ("unknown: no such criterion", "daumoi", "9.9.9", "DOC", 404),
]


@pytest.mark.parametrize(("case", "persona", "code", "document", "status"), UNLINK, ids=[c[0] for c in UNLINK])
def test_evidence_unlink_refuses_bad_input(world, case, persona, code, document, status):
    document = str(world["document"].pk) if document == "DOC" else document
    before = _stored(world["assessment"])
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{code}/evidence/{document}/"
    response = _send(_api(world["users"], persona), "delete", url, _NO_BODY)
    assert response.status_code == status, (case, response.content)
    assert response.json()["detail"] and response.json()["errors"], case
    assert _stored(world["assessment"]) == before, case
    _pages_still_answer(world)


def test_evidence_unlink_by_the_focal_point_detaches_the_document(world):
    pk, document = world["assessment"].pk, world["document"].pk
    url = f"/api/v1/assessments/{pk}/results/{NOT_MINE}/evidence/{document}/"
    assert _api(world["users"], "daumoi").delete(url).status_code == 204
    assert not EvidenceLink.objects.filter(document=document).exists()
    assert Document.objects.filter(pk=document).exists()  # the register keeps it


DOCUMENT = [
    ("shape: a list", "daumoi", [], 400, "__all__"),
    ("shape: null", "daumoi", None, 400, "__all__"),
    ("type: a number as the title", "daumoi", {"title": 5, "url": "https://a.vn/x"}, 400, "title"),
    (
        "type: a number as a date",
        "daumoi",
        {"title": "QĐ", "url": "https://a.vn/x", "issued_on": 20260101},
        400,
        "issued_on",
    ),
    (
        "type: not a date",
        "daumoi",
        {"title": "QĐ", "url": "https://a.vn/x", "issued_on": "2026-02-30"},
        400,
        "issued_on",
    ),
    ("range: too long a title", "daumoi", {"title": "x" * 501, "url": "https://a.vn/x"}, 400, "title"),
    ("range: too long a link", "daumoi", {"title": "QĐ", "url": "https://a.vn/" + "x" * 1000}, 400, "url"),
    ("range: not a web address", "daumoi", {"title": "QĐ", "url": "javascript:alert(1)"}, 400, "url"),
    ("choice: purple kind", "daumoi", {"title": "QĐ", "url": "https://a.vn/x", "kind": "purple"}, 400, "kind"),
    (
        "choice: purple visibility",
        "daumoi",
        {"title": "QĐ", "url": "https://a.vn/x", "visibility": "purple"},
        400,
        "visibility",
    ),
    ("field: unknown", "daumoi", {"title": "QĐ", "url": "https://a.vn/x", "owner": "me"}, 400, "owner"),
    ("field: neither file nor link", "daumoi", {"title": "QĐ"}, 400, "file"),
    ("not yours: a coordinator", "dieuphoi", {"title": "QĐ", "url": "https://a.vn/x"}, 403, "__all__"),
]


@pytest.mark.parametrize(("case", "persona", "body", "status", "field"), DOCUMENT, ids=[c[0] for c in DOCUMENT])
def test_document_create_refuses_bad_input(world, case, persona, body, status, field):
    before = _stored(world["assessment"])
    response = _send(_api(world["users"], persona), "post", "/api/v1/units/11413/documents/", body)
    assert response.status_code == status, (case, response.content)
    assert field in response.json()["errors"], (case, response.json())
    assert _stored(world["assessment"]) == before, case
    _pages_still_answer(world)


def test_a_refusal_speaks_the_request_language(world):
    url = f"/api/v1/assessments/{world['assessment'].pk}/transitions/"
    vi = _send(_api(world["users"], "daumoi"), "post", url, {}).json()
    en = _send(_api(world["users"], "daumoi", "en"), "post", url, {}).json()
    assert en["errors"]["action"] == ["This field is required."]
    assert vi["errors"]["action"] == ["Trường này là bắt buộc."]


def test_the_contributor_saves_their_own_indicator_with_typed_values(world):
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{MINE}/"
    body = {"track": "self", "revision": 0, "self_level": "green", "narrative": "Đã thực hiện.", "na": False}
    response = _send(_api(world["users"], "congchuc"), "patch", url, body)
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 1 and response.json()["self_level"] == "green"


@pytest.mark.parametrize("query", [{"limit": "10" * 20}, {"limit": "abc"}, {"offset": "9" * 40}, {"limit": 0}])
def test_paging_out_of_range_is_a_400(world, query):
    response = _api(world["users"], "quantri").get("/api/v1/assessments/", query)
    assert response.status_code == 400 and set(response.json()["errors"]) <= {"limit", "offset"}


def test_a_large_page_is_capped_by_a_400_naming_the_limit(world):
    response = _api(world["users"], "quantri").get("/api/v1/assessments/", {"limit": 501})
    assert response.status_code == 400 and "500" in response.json()["errors"]["limit"][0]
    assert _api(world["users"], "quantri").get("/api/v1/assessments/", {"limit": 500}).status_code == 200


@pytest.mark.parametrize(("url", "query", "field"), [("/api/v1/assessments/", {"state": "purple"}, "state")])
def test_unknown_filter_values_are_a_400(world, url, query, field):
    response = _api(world["users"], "quantri").get(url, query)
    assert response.status_code == 400 and field in response.json()["errors"]


def test_a_malformed_address_is_a_json_404(world):
    response = _api(world["users"], "quantri").get("/api/v1/assessments/abc/")
    assert response.status_code == 404 and response.json()["detail"]
    huge = _api(world["users"], "quantri").get(f"/api/v1/assessments/{2**70}/")
    assert huge.status_code == 404 and huge.json()["errors"]


def test_a_body_that_is_not_json_is_a_400_in_the_one_shape(world):
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{MINE}/"
    before = _stored(world["assessment"])
    response = _api(world["users"], "daumoi", "en").patch(url, data="{not json", content_type="application/json")
    assert response.status_code == 400 and "valid JSON" in response.json()["errors"]["__all__"][0]
    assert _stored(world["assessment"]) == before


def test_the_issue_examples_are_refused_with_the_field_named_in_english(world):
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{MINE}/"
    api = _api(world["users"], "daumoi", "en")
    value = _send(api, "patch", url, {"track": "self", "revision": 0, "self_value": "12345678901.12345"}).json()
    level = _send(api, "patch", url, {"track": "self", "revision": 0, "self_level": "purple"}).json()
    assert value["errors"]["self_value"] == ["Enter a number of at least 0 and below 10,000,000,000."]
    assert "purple" in level["errors"]["self_level"][0] and "red" in level["errors"]["self_level"][0]


def test_a_result_patch_sent_as_a_form_is_a_415_in_the_one_shape(world):
    url = f"/api/v1/assessments/{world['assessment'].pk}/results/{MINE}/"
    before = _stored(world["assessment"])
    body = "track=self&revision=0&self_level=green"
    response = _api(world["users"], "daumoi").patch(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.json()["errors"]["__all__"]
    assert _stored(world["assessment"]) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/assessments/L%C3%A1K9/results/t%0A/evidence/true/", "/api/v2/"]
)
def test_an_api_address_without_a_route_answers_json(client, path):
    """Found by schemathesis: a path segment no route accepts (a newline) reached Django's HTML 404."""
    response = client.delete(path)
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] and response.json()["errors"]  # the one error shape, whichever view answered
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
