"""The rollout API (issue 10, build point 9): rollouts, the board with its filters and pages, a unit's entry with
its phase history and gates, moving and skipping phases, gates recorded by hand, the preliminary survey (questions,
answers saved and submitted, every unit side by side) and training (sessions, attendance, signing in by code)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.rollout_board_fixtures import OWN, SIBLING, entry_of, make_rollout
from tests.rollout_preparation_fixtures import full_answers
from tincay.rollout.models import Attendance, GateRecord, PhaseRecord, SurveyAnswer, TrainingSession
from tincay.rollout.services import preparation

pytestmark = pytest.mark.django_db


def api(users, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(users[username])
    return client


@pytest.fixture
def rollout(users):
    rollout = make_rollout(users, code="api10-hp")
    preparation.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    return rollout


def test_list_board_filters_and_pages(users, rollout, stranger):
    codes = [r["code"] for r in api(users, "dieuphoi").get("/api/v1/rollouts/").json()["results"]]
    assert rollout.code in codes
    assert rollout.code in [r["code"] for r in api(users, "daumoi").get("/api/v1/rollouts/").json()["results"]]
    outsider = APIClient()
    outsider.force_authenticate(stranger)
    assert rollout.code not in [r["code"] for r in outsider.get("/api/v1/rollouts/").json()["results"]]
    board = api(users, "dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/").json()
    assert board["count"] == 2 and board["total"] == 2 and board["can_manage"] is True
    assert {r["unit"] for r in board["results"]} == {OWN, SIBLING}
    assert board["phases"][0]["key"] == "preparation"
    assert {g["key"] for g in board["results"][0]["gates"]} == {"steering_decision", "support_team", "survey_answered"}
    narrowed = api(users, "dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/", {"q": "hai an"}).json()
    assert [r["unit"] for r in narrowed["results"]] == [OWN]
    none = api(users, "dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/", {"phase": "training"}).json()
    assert none["count"] == 0 and none["total"] == 2
    assert api(users, "dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/", {"page": "9"}).json()["page"] == 1
    own_only = api(users, "daumoi").get(f"/api/v1/rollouts/{rollout.code}/").json()
    assert [r["unit"] for r in own_only["results"]] == [OWN] and own_only["can_manage"] is False


def test_entry_phases_skip_and_gates(users, rollout):
    today = timezone.localdate().isoformat()
    base = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/"
    entry = api(users, "daumoi").get(base).json()
    assert entry["row"]["phase"] == "preparation" and len(entry["history"]) == 1
    assert [p["phase"] for p in entry["phases"]][:2] == ["preparation", "training"]
    gate = api(users, "dieuphoi").post(
        base + "gates/", {"gate": "steering_decision", "met": True, "reason": "Quyết định số 12/QĐ-UBND."}
    )
    assert gate.status_code == 201, gate.content
    moved = api(users, "dieuphoi").post(
        base + "phase/", {"phase": "training", "on": today, "reason": "Khảo sát nộp bản giấy."}, format="json"
    )
    assert moved.status_code == 200, moved.content
    assert moved.json()["row"]["phase"] == "training" and moved.json()["hand_records"][0]["gate"] == "steering_decision"
    skipped = api(users, "dieuphoi").post(
        base + "skip/", {"phase": "training", "on": today, "reason": "Đã tập huấn năm trước."}, format="json"
    )
    assert skipped.status_code == 200, skipped.content
    assert skipped.json()["row"]["phase"] == "self_assessment"
    entry = entry_of(rollout)
    assert PhaseRecord.objects.filter(rollout_unit=entry, phase="training", skipped=True).exists()
    assert GateRecord.objects.filter(rollout_unit=entry).count() == 1


def test_survey_saved_submitted_and_compared(users, rollout):
    questions = api(users, "daumoi").get(f"/api/v1/rollouts/{rollout.code}/survey/questions/").json()
    assert questions["locked"] is False and questions["questions"][0]["key"] == "iso9001-status"
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/survey/"
    draft = api(users, "daumoi").post(url, {"answers": {"staff-total": "1250"}}, format="json")
    assert draft.status_code == 200, draft.content
    assert draft.json()["answers"]["staff-total"] == 1250 and draft.json()["submitted_at"] is None
    answers = full_answers()
    answers["staff-quality"] = 3
    answers["quality-training"] = True
    submitted = api(users, "lanhdao").post(url, {"answers": answers, "submit": True}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["submitted_at"] is not None
    compared = api(users, "dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/survey/compare/").json()
    assert compared["submitted"] == 1 and {r["unit"] for r in compared["rows"]} == {OWN, SIBLING}
    assert api(users, "daumoi").get(f"/api/v1/rollouts/{rollout.code}/survey/questions/").json()["locked"] is True
    assert SurveyAnswer.objects.filter(rollout_unit=entry_of(rollout)).count() == len(answers)


def test_training_sessions_attendance_and_sign_in_by_code(users, rollout):
    today = timezone.localdate().isoformat()
    url = f"/api/v1/rollouts/{rollout.code}/training/"
    created = api(users, "dieuphoi").post(
        url,
        {
            "units": [OWN],
            "held_on": today,
            "trainer": "Chuyên gia Sở KH&CN",
            "topic": "TCVN ISO 18091",
            "level": "basic",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    session = created.json()["id"]
    assert [s["id"] for s in api(users, "daumoi").get(url).json()["results"]] == [session]
    added = api(users, "dieuphoi").post(
        f"{url}{session}/attendance/", {"name": "Nguyễn Văn An", "unit": OWN, "position": "Chuyên viên"}
    )
    assert added.status_code == 201, added.content
    preparation.attendance_code_open(
        actor=users["dieuphoi"], session=TrainingSession.objects.get(pk=session), minutes=30
    )
    code = TrainingSession.objects.get(pk=session).attendance_code
    signed = api(users, "congchuc").post("/api/v1/rollouts/training/sign-in/", {"code": code.lower()})
    assert signed.status_code == 201, signed.content
    assert signed.json()["via"] == "code"
    names = [a["name"] for a in api(users, "daumoi").get(f"{url}{session}/attendance/").json()["results"]]
    assert "Nguyễn Văn An" in names and len(names) == 2
    assert Attendance.objects.filter(session_id=session).count() == 2
