"""Reading citizens' surveys through the API: every signed-in user reads the templates; the survey list holds the
surveys of the units one sees (filters unit, status, campaign; paged, a fixed number of queries); one survey gives
its questions, public link and responses per channel (counts, test answers left out) to everyone who sees it, and
404 to anyone else."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.conftest import HA_NOI, PERSONAS
from tests.feedback_fixtures import good_answers, sipas_survey, sipas_template
from tincay.assessments.models import Campaign
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_create, survey_status_set
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db

TEMPLATES, SURVEYS = "/api/v1/survey-templates/", "/api/v1/surveys/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("persona", [*PERSONAS, "stranger"])
def test_every_signed_in_user_reads_the_templates(users, stranger, persona):
    client = api(stranger if persona == "stranger" else users[persona])
    listed = client.get(TEMPLATES)
    assert listed.status_code == 200, listed.json()
    sipas = next(t for t in listed.json()["results"] if t["code"] == "sipas")
    detail = client.get(f"{TEMPLATES}{sipas['id']}/").json()
    assert detail == sipas
    assert [p["value"] for p in detail["scale"]] == [1, 2, 3, 4, 5] and detail["satisfied_from"] == 4
    assert [f["key"] for f in detail["factors"]][:2] == ["access", "procedures"] and len(detail["factors"]) == 5
    questions = {q["key"]: q for q in detail["questions"]}
    assert len(questions) == 23
    assert questions["access-seats"]["factor"] == "access" and questions["access-seats"]["kind"] == "likert"
    assert questions["overall"]["factor"] is None and questions["overall"]["aspect"] == "satisfaction"
    assert [o["key"] for o in questions["expectation"]["options"]][:2] == ["access", "procedures"]
    assert set(questions["comment"]) == {
        "key", "order", "factor", "kind", "aspect", "text_vi", "text_en", "options", "required", "measures",
    }  # fmt: skip


def test_templates_are_refused_to_anonymous_users_and_unknown_ids_are_404(users):
    assert api().get(TEMPLATES).status_code == 403
    assert "errors" in api().get(TEMPLATES).json()
    client = api(users["xem"])
    for pk in (999_999, 99_999_999_999_999_999_999):
        missing = client.get(f"{TEMPLATES}{pk}/")
        assert missing.status_code == 404 and "errors" in missing.json()


@pytest.fixture
def surveys(users):
    """A draft and an open survey of Phường Hải An (the Hải Phòng coordinator's), one in the demo campaign, and an
    administrator's survey of Hà Nội."""
    campaign = Campaign.objects.get(code="hai-phong-2026")
    draft = sipas_survey(users["dieuphoi"])
    live = sipas_survey(users["dieuphoi"], campaign=campaign, title_vi="Khảo sát quý II")
    survey_status_set(actor=users["dieuphoi"], survey=live, status="open")
    far = survey_create(actor=users["quantri"], unit=AdminUnit.objects.get(key=HA_NOI), template=sipas_template())
    return {"draft": draft, "live": live, "far": far, "campaign": campaign}


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("quantri", {"draft", "live", "far"}), ("dieuphoi", {"draft", "live"}), ("lanhdao", {"draft", "live"}),
     ("daumoi", {"draft", "live"}), ("congchuc", {"draft", "live"}), ("chamdiem", {"draft", "live"}),
     ("thamdinh", {"draft", "live"}), ("xem", {"draft", "live"}), ("stranger", set())],
)  # fmt: skip
def test_the_list_holds_the_surveys_of_the_units_one_sees(users, stranger, surveys, persona, sees):
    client = api(stranger if persona == "stranger" else users[persona])
    body = client.get(SURVEYS).json()
    ids = {name: surveys[name].pk for name in ("draft", "live", "far")}
    assert body["count"] == len(sees)
    assert {row["id"] for row in body["results"]} == {ids[name] for name in sees}
    for name in ("draft", "live", "far"):
        assert client.get(f"{SURVEYS}{ids[name]}/").status_code == (200 if name in sees else 404)


def test_the_list_filters_by_unit_status_and_campaign(users, surveys):
    client = api(users["quantri"])

    def ids(query: str) -> list[int]:
        response = client.get(f"{SURVEYS}?{query}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids("unit=11413") == [surveys["live"].pk, surveys["draft"].pk]  # newest first
    assert ids(f"unit={HA_NOI}") == [surveys["far"].pk]
    assert ids("status=open") == [surveys["live"].pk]
    assert ids("status=draft&unit=11413") == [surveys["draft"].pk]
    assert ids("campaign=hai-phong-2026") == [surveys["live"].pk]
    assert ids("campaign=khong-co") == []
    row = client.get(f"{SURVEYS}?status=open").json()["results"][0]
    assert row["campaign"] == "hai-phong-2026" and row["unit"] == "11413" and row["title_vi"] == "Khảo sát quý II"
    assert row["template_code"] == "sipas" and row["responses"] == 0
    for query, field in (("status=purple", "status"), ("unit=1&unit=2", "unit"), ("limit=0", "limit")):
        refused = client.get(f"{SURVEYS}?{query}")
        assert refused.status_code == 400 and field in refused.json()["errors"], query


def test_one_survey_shows_its_link_questions_and_responses_per_channel(users, surveys):
    live = surveys["live"]
    for channel, value in (("link", 5), ("link", 4), ("qr", 3)):
        response_submit(survey=live, channel=channel, answers=good_answers(live, value))
    response_submit(survey=live, channel="paper", answers=good_answers(live), actor=users["dieuphoi"])
    test_mode = surveys["draft"]
    survey_status_set(actor=users["dieuphoi"], survey=test_mode, status="test")
    response_submit(survey=test_mode, channel="link", answers=good_answers(test_mode))

    body = api(users["xem"]).get(f"{SURVEYS}{live.pk}/").json()
    assert body["link"] == f"http://testserver/s/{live.public_code}/"
    assert body["by_channel"] == {"link": 2, "qr": 1, "token": 0, "paper": 1} and body["responses"] == 4
    assert body["status"] == "open" and body["opened_on"] and body["closed_on"] is None
    assert body["can_manage"] is False and body["next"] == []
    assert len(body["questions"]) == 23 and body["questions"][0]["key"] == "access-seats"
    assert body["questions"][0]["factor_key"] == "access" and body["questions"][0]["factor_vi"]
    assert "results" not in body and "tokens" not in body

    managed = api(users["dieuphoi"]).get(f"{SURVEYS}{live.pk}/").json()
    assert managed["can_manage"] is True and managed["next"] == ["closed"]
    trial = api(users["dieuphoi"]).get(f"{SURVEYS}{test_mode.pk}/").json()
    assert trial["responses"] == 0 and trial["by_channel"]["link"] == 0  # test answers are not counted
    assert sorted(trial["next"]) == ["draft", "open"]
    listed = {row["id"]: row["responses"] for row in api(users["xem"]).get(SURVEYS).json()["results"]}
    assert listed == {live.pk: 4, test_mode.pk: 0}


def test_unknown_or_malformed_survey_ids_are_404(users):
    client = api(users["quantri"])
    for path in ("999999/", "99999999999999999999/", "abc/", "999999/results/", "999999/responses/"):
        missing = client.get(f"{SURVEYS}{path}")
        assert missing.status_code == 404 and "errors" in missing.json(), path


def test_the_list_reads_a_fixed_number_of_queries(users, django_assert_max_num_queries):
    actor = users["dieuphoi"]
    for _n in range(3):
        sipas_survey(actor)
    client = api(actor)
    client.get(SURVEYS)  # the person's scopes are read once per request; warm nothing else
    with django_assert_max_num_queries(6) as few:
        assert client.get(SURVEYS).json()["count"] == 3
    for _n in range(6):
        sipas_survey(actor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(SURVEYS).json()["count"] == 9
