"""Results API: unit results, heat map with ranking, trends through lineage, public snapshots."""

import pytest
from rest_framework.test import APIClient

from tincay.assessments.models import Assessment

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"


@pytest.fixture
def api(users):
    def make(username):
        client = APIClient()
        if username:
            client.force_authenticate(users[username])
        return client

    return make


def test_unit_results(api):
    assessment = Assessment.objects.get(campaign__code=PILOT, unit__key="11413-2025")
    body = api("dieuphoi").get(f"/api/v1/results/assessments/{assessment.pk}/").json()
    assert len(body["pillars"]) == 4 and sum(len(p["indicators"]) for p in body["pillars"]) == 39
    assert set(body["totals"]) == {"self", "scorer", "final"}
    assert api("xem").get(f"/api/v1/results/assessments/{assessment.pk}/").status_code == 200  # published
    assert api(None).get(f"/api/v1/results/assessments/{assessment.pk}/").status_code in (401, 403)


def test_heatmap_is_ranked_and_scoped(api):
    body = api("dieuphoi").get(f"/api/v1/results/campaigns/{PILOT}/heatmap/").json()
    assert len(body["indicators"]) == 39 and len(body["rows"]) == 12
    assert body["rows"][0]["rank"] == 1
    assert api("daumoi").get(f"/api/v1/results/campaigns/{PILOT}/heatmap/").json()["rows"][0]["unit"] == "11413-2025"


def test_trend_follows_lineage(api):
    body = api("lanhdao").get("/api/v1/results/units/11413/trend/").json()
    assert {p["name"]: p["predecessor"] for p in body["points"]}["Phường Đằng Lâm"] is True
    pilot = next(y for y in body["years"] if y["year"] == 2023)
    assert pilot["own"] is None and pilot["rule"] == "side_by_side" and pilot["predecessors_combined"] is None


def test_public_snapshots(api):
    body = api(None).get(f"/api/v1/public/campaigns/{PILOT}/snapshots/").json()
    assert body and len(body[0]["csv_sha256"]) == 64
    assert api(None).get("/api/v1/public/campaigns/hai-phong-2026/snapshots/").status_code == 404


def test_ranking_agrees_with_the_heatmap_and_carries_totals(api):
    ranking = api("dieuphoi").get(f"/api/v1/results/campaigns/{PILOT}/ranking/").json()
    heat = api("dieuphoi").get(f"/api/v1/results/campaigns/{PILOT}/heatmap/").json()
    assert [(r["rank"], r["unit"]) for r in ranking["rows"]] == [(r["rank"], r["unit"]) for r in heat["rows"]]
    first = ranking["rows"][0]
    assert first["rank"] == 1 and first["classification"] and first["appraised"] is True
    totals = [r["total"] for r in ranking["rows"] if r["total"] is not None]
    assert totals == sorted(totals, reverse=True)


def test_ranking_narrows_to_a_subtree_or_a_peer_group_within_scope(api):
    from tincay.orgunits.models import PeerGroup

    district = Assessment.objects.filter(campaign__code=PILOT, unit__level="commune").first().unit.parent
    rows = api("dieuphoi").get(f"/api/v1/results/campaigns/{PILOT}/ranking/?unit={district.key}").json()["rows"]
    assert len(rows) >= 2 and all(r["unit"] == district.key or r["parent"] == district.name for r in rows)
    group = PeerGroup.objects.create(code="nhom-thu", name_vi="Nhóm thử")
    group.units.set([a.unit for a in Assessment.objects.filter(campaign__code=PILOT, unit__level="commune")[:3]])
    members = set(group.units.values_list("key", flat=True))
    rows = api("quantri").get(f"/api/v1/results/campaigns/{PILOT}/ranking/?group={group.code}").json()["rows"]
    assert {r["unit"] for r in rows} == members
    # A unit outside the coordinator's province is not found, neither is the ranking for an anonymous client.
    assert api("dieuphoi").get(f"/api/v1/results/campaigns/{PILOT}/ranking/?unit=01").status_code == 404
    assert api(None).get(f"/api/v1/results/campaigns/{PILOT}/ranking/").status_code in (401, 403)
