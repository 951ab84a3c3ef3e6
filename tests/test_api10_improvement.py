"""The improvement API (issue 10, build point 9): areas to improve, action programmes with their actions, progress,
approval and versions, the coordinator's view, effectiveness and reminder rules, through the same services and
access rules as the pages (token or session authentication as the other API tests)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.improvement_areas_fixtures import approve, set_final
from tests.improvement_programme_fixtures import (
    criterion,
    department,
    final_campaign,
    make_programme,
    own_assessment,
    user,
)
from tincay.improvement.models import Action, ImprovementArea, Programme, ProgressUpdate, ReminderRule

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "api10-improvement") as campaign:
        yield campaign


def api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def _action_body(assessment, revision: int, **extra):
    crit = criterion(assessment)
    body = {
        "revision": revision,
        "title": "Rà soát quy trình tiếp nhận hồ sơ",
        "deadline": "2026-12-31",
        "starts_on": "2026-01-05",
        "budget_vnd": 1_500_000,
        "budget_source": "state",
        "status": "in_progress",
        "progress": 40,
        "weight": 2,
        "department": department(assessment).pk,
        "responsible": user("congchuc").pk,
        "criteria": [crit.pk],
        "indicators": [crit.indicator_id],
    }
    body.update(extra)
    return body


def test_areas_suggested_accepted_decided_and_added(campaign):
    assessment = own_assessment(campaign)
    approve(assessment)
    weak = list(assessment.campaign.version.criteria.filter(type="management").order_by("order")[:2])
    set_final(assessment, {weak[0].code: "red", weak[1].code: "yellow"})
    url = f"/api/v1/assessments/{assessment.pk}/areas/"
    assert api("xem").get(url).status_code == 200
    suggested = api("daumoi").post(url + "suggest/")
    assert suggested.status_code == 200, suggested.content
    rows = suggested.json()
    assert rows and all(r["origin"] == "suggested" for r in rows)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    first = rows[0]
    accepted = api("daumoi").post(url + "accept/", {"codes": [first["code"]], "stage": "short"}, format="json")
    assert accepted.status_code == 200, accepted.content
    assert next(r for r in accepted.json() if r["id"] == first["id"])["selected"] is True
    dropped = api("lanhdao").post(
        f"{url}{first['id']}/decide/", {"selected": False, "reason": "Đã làm năm trước."}, format="json"
    )
    assert dropped.status_code == 200 and dropped.json()["selected"] is False
    taken = {r["code"] for r in rows}
    crit = next(c for c in assessment.campaign.version.criteria.order_by("order") if c.code not in taken)
    added = api("daumoi").post(
        url,
        {"indicator": crit.indicator.code, "criterion": crit.code, "stage": "medium", "reason": "Đơn vị tự thêm."},
        format="json",
    )
    assert added.status_code == 201, added.content
    assert added.json()["origin"] == "added" and added.json()["code"] == crit.code
    assert ImprovementArea.objects.filter(assessment=assessment, origin="added").count() == 1


def test_programme_drafted_actions_added_updated_approved_with_versions(campaign):
    assessment = own_assessment(campaign)
    created = api("daumoi").post(
        "/api/v1/programmes/", {"assessment": assessment.pk, "title": "Chương trình hành động 2026"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk, revision = created.json()["id"], created.json()["revision"]
    listed = api("lanhdao").get("/api/v1/programmes/").json()
    assert pk in [row["programme"]["id"] for row in listed["results"]]
    action = api("daumoi").post(f"/api/v1/programmes/{pk}/actions/", _action_body(assessment, revision), format="json")
    assert action.status_code == 201, action.content
    assert action.json()["number"] == 1 and action.json()["budget_vnd"] == 1_500_000
    action_id = action.json()["id"]
    revision = Programme.objects.get(pk=pk).revision
    changed = api("daumoi").patch(
        f"/api/v1/actions/{action_id}/", {"revision": revision, "progress": 60}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["progress"] == 60 and changed.json()["title"] == "Rà soát quy trình tiếp nhận hồ sơ"
    detail = api("xem").get(f"/api/v1/programmes/{pk}/").json()
    assert detail["progress"] == 60 and [a["id"] for a in detail["actions"]] == [action_id]
    assert detail["budget_total"] == 1_500_000 and detail["can_edit"] is False
    revision = detail["revision"]
    stale = api("daumoi").patch(f"/api/v1/programmes/{pk}/", {"revision": revision - 1, "title": "X"}, format="json")
    assert stale.status_code == 409 and stale.json()["errors"]
    renamed = api("daumoi").patch(
        f"/api/v1/programmes/{pk}/", {"revision": revision, "title": "Chương trình 2026 (sửa)"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["title"] == "Chương trình 2026 (sửa)"
    approved = api("lanhdao").post(
        f"/api/v1/programmes/{pk}/approve/", {"revision": renamed.json()["revision"], "note": "Đồng ý."}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["number"] == 1 and approved.json()["differences"]
    versions = api("congchuc").get(f"/api/v1/programmes/{pk}/versions/").json()
    assert [v["number"] for v in versions["versions"]] == [1] and versions["draft"] is None
    assert api("xem").get(f"/api/v1/programmes/{pk}/versions/1/").json()["number"] == 1
    assert api("xem").get(f"/api/v1/programmes/{pk}/versions/2/").status_code == 404
    revision = Programme.objects.get(pk=pk).revision
    api("daumoi").patch(f"/api/v1/actions/{action_id}/", {"revision": revision, "weight": 3}, format="json")
    draft = api("xem").get(f"/api/v1/programmes/{pk}/versions/").json()["draft"]
    assert draft["number"] is None and draft["differences"][0]["changes"][0]["field"] == "weight"


def test_progress_posted_by_the_responsible_person_and_action_cancelled(campaign):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment, n_actions=1)
    action = programme.actions.get()
    url = f"/api/v1/actions/{action.pk}/progress/"
    today = timezone.localdate().isoformat()
    posted = api("congchuc").post(
        url, {"on": today, "title": "Đã rà soát 10 thủ tục", "status": "in_progress", "progress": 70}
    )
    assert posted.status_code == 201, posted.content
    assert Action.objects.get(pk=action.pk).progress == 70
    log = api("xem").get(url).json()
    assert [u["title"] for u in log["results"]] == ["Đã rà soát 10 thủ tục"]
    programme.refresh_from_db()
    cancelled = api("lanhdao").post(
        f"/api/v1/actions/{action.pk}/cancel/", {"revision": programme.revision, "reason": "Không còn phù hợp."}
    )
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert api("lanhdao").get(f"/api/v1/actions/{action.pk}/").json()["cancel_reason"] == "Không còn phù hợp."
    assert ProgressUpdate.objects.filter(action=action).count() == 1


def test_coordination_is_the_pages_selector_narrowed_and_paged(campaign):
    make_programme(own_assessment(campaign), n_actions=2)
    body = api("dieuphoi").get("/api/v1/coordination/", {"campaign": campaign.code, "limit": 1}).json()
    assert body["campaign"] == campaign.code and body["count"] == 2 and len(body["results"]) == 1
    assert body["totals"]["units"] == 2 and body["totals"]["actions"] == 2
    assert body["next"] is not None
    second = api("dieuphoi").get("/api/v1/coordination/", {"campaign": campaign.code, "limit": 1, "offset": 1}).json()
    keys = {body["results"][0]["unit_key"], second["results"][0]["unit_key"]}
    assert keys == {"11413", "11311"}
    province = api("dieuphoi").get("/api/v1/coordination/", {"campaign": campaign.code, "province": "31"}).json()
    assert province["province"] == "31" and province["count"] == 2
    assert api("dieuphoi").get("/api/v1/coordination/", {"campaign": "khong-co"}).status_code == 404


def test_effectiveness_read_and_reminder_rules_managed(campaign):
    programme = make_programme(own_assessment(campaign), n_actions=1)
    effect = api("dieuphoi").get(f"/api/v1/programmes/{programme.pk}/effectiveness/")
    assert effect.status_code == 200, effect.content
    assert effect.json()["next_assessment"] is None and effect.json()["can_record"] is False
    assert [a["number"] for a in effect.json()["actions"]] == [1]
    created = api("quantri").post(
        "/api/v1/reminder-rules/",
        {"name": "Nhắc trước 3 ngày", "offset_days": -3, "recipients": ["responsible"], "channels": ["in_app"]},
        format="json",
    )
    assert created.status_code == 201, created.content
    rule = created.json()["id"]
    listed = api("quantri").get("/api/v1/reminder-rules/").json()
    row = next(r for r in listed if r["id"] == rule)
    assert row["pending"] >= 1  # the open action got its reminder
    patched = api("quantri").patch(f"/api/v1/reminder-rules/{rule}/", {"offset_days": -5}, format="json")
    assert patched.status_code == 200 and patched.json()["offset_days"] == -5
    assert patched.json()["name"] == "Nhắc trước 3 ngày"
    off = api("quantri").post(f"/api/v1/reminder-rules/{rule}/deactivate/")
    assert off.status_code == 200 and off.json()["is_active"] is False
    log = api("dieuphoi").get("/api/v1/reminders/", {"rule": rule}).json()
    assert log["count"] >= 1 and {r["state"] for r in log["results"]} == {"cancelled"}
    assert ReminderRule.objects.filter(pk=rule, is_active=False).exists()


def test_token_authentication_reads_the_programme(campaign):
    programme = make_programme(own_assessment(campaign))
    token = APIClient().post("/api/v1/auth/token/", {"username": "daumoi", "password": "x"}, format="json")
    client = APIClient()
    if token.status_code == 200 and "token" in token.json():
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    else:
        client.force_authenticate(user("daumoi"))
    assert client.get(f"/api/v1/programmes/{programme.pk}/").json()["id"] == programme.pk
