"""GET /api/v1/units/: today's 34 + 3,321 units, the 2023 pilot units on a 2023 date, filters, lineage."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users["quantri"])
    return client


def test_today_there_are_34_provinces_and_3321_communes(api):
    assert api.get("/api/v1/units/", {"level": "province"}).json()["count"] == 34
    body = api.get("/api/v1/units/", {"level": "commune", "limit": 10}).json()
    assert body["count"] == 3321 and len(body["results"]) == 10 and body["next"]


def test_on_a_2023_date_the_haiphong_pilot_units_are_returned(api):
    body = api.get("/api/v1/units/", {"date": "2023-06-01", "limit": 500}).json()
    names = {u["name"] for u in body["results"]}
    assert {"Phường Đằng Lâm", "Quận Hải An", "Phường Cầu Tre", "Xã Du Lễ", "Thành phố Hải Phòng"} <= names
    assert "Phường Hải An" not in names
    pilots = [u for u in body["results"] if u["is_pilot"]]
    assert len(pilots) == 12


def test_filters_by_kind_parent_and_diacritic_free_search(api):
    wards = api.get("/api/v1/units/", {"parent": "31", "kind": "ward", "limit": 500}).json()
    assert wards["count"] > 10 and all(u["parent"] == "31" and u["kind"] == "ward" for u in wards["results"])
    found = api.get("/api/v1/units/", {"search": "dang lam", "date": "2023-01-01"}).json()["results"]
    assert [u["key"] for u in found] == ["11413-2025"]


def test_bad_filters_get_a_clear_400(api):
    assert api.get("/api/v1/units/", {"level": "planet"}).status_code == 400
    assert "date" in api.get("/api/v1/units/", {"date": "hôm qua"}).json()["errors"]


def test_lineage_of_dang_lam_leads_to_hai_an(api):
    body = api.get("/api/v1/units/11413-2025/lineage/").json()
    merge = next(e for e in body["events"] if e["kind"] == "merge" and e["role"] == "predecessor")
    assert [u["name"] for u in merge["successors"]] == ["Phường Hải An"]
    back = api.get("/api/v1/units/11413/lineage/").json()
    assert any("Phường Đằng Lâm" in [u["name"] for u in e["predecessors"]] for e in back["events"])


def test_token_authentication(users):
    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "xem", "password": "TinCay@2026"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/units/31/").status_code == 200
    assert client.get("/api/v1/units/01/").status_code == 404


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/units/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"cdn" not in docs.content.lower()


def test_openapi_schema_validates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
