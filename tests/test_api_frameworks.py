"""GET /api/v1/frameworks/ and one version nested with pillars → indicators → criteria."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_frameworks_list_versions_with_status():
    body = APIClient().get("/api/v1/frameworks/").json()
    versions = body[0]["versions"]
    assert sorted((v["code"], v["status"]) for v in versions) == [("2020", "issued"), ("2020-sua-doi-1", "issued")]


def test_version_is_nested_down_to_criteria():
    body = APIClient().get("/api/v1/frameworks/tcvn-iso-18091/versions/2020/").json()
    assert len(body["pillars"]) == 4
    assert sum(len(p["indicators"]) for p in body["pillars"]) == 39
    criterion = body["pillars"][3]["indicators"][5]["criteria"][0]
    assert set(criterion["levels"]) == {"red", "yellow", "green"}
    assert body["scoring"]["scale"] == 100


def test_coordinator_also_sees_their_draft(users):
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    versions = client.get("/api/v1/frameworks/").json()[0]["versions"]
    assert {v["code"] for v in versions} == {"2020", "2020-sua-doi-1", "hai-phong-2026"}
