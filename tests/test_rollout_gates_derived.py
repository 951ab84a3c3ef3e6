"""Gates derived from data: documents recorded, survey, training with attendance, self-assessment submitted,
programme approved, share of actions done, report sent; a gate recorded by hand decides and shows its reason."""

from __future__ import annotations

import datetime as dt

import pytest
from assessment_fixtures import module_campaign
from django.utils import timezone
from rollout_board_fixtures import OWN, SIBLING, entry_of, make_rollout

from tincay.assessments.models import Assessment, Document
from tincay.improvement.models import Action, Programme, ProgrammeVersion
from tincay.orgunits.models import AdminUnit
from tincay.rollout.gates import gates_for_entries, template_phases
from tincay.rollout.models import Attendance, TrainingSession
from tincay.rollout.services import phases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "rollout-gates", {"own": OWN, "sibling": SIBLING}) as made:
        yield made


def _gate(rollout, entry, key, **params):
    spec = {"key": key, **params}
    [gate] = gates_for_entries(rollout, [entry], {entry.pk: [spec]})[entry.pk]
    return gate


def _document(unit_key: str, title: str) -> Document:
    return Document.objects.create(
        unit=AdminUnit.objects.get(key=unit_key), title=title, url="https://haian.haiphong.gov.vn/qd"
    )


def test_steering_decision_and_support_team_come_from_the_register(users):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    assert not _gate(rollout, entry, "steering_decision").met
    assert not _gate(rollout, entry, "support_team").met
    phases.unit_documents_record(
        actor=users["daumoi"],
        entry=entry,
        steering_decision=_document(OWN, "Quyết định thành lập Ban chỉ đạo"),
        support_team_document=_document(OWN, "Quyết định thành lập Tổ giúp việc"),
    )
    entry = entry_of(rollout)
    assert _gate(rollout, entry, "steering_decision").met
    assert _gate(rollout, entry, "support_team").met
    assert not _gate(rollout, entry, "steering_decision").by_hand


def test_survey_answered_and_report_sent(users):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    assert not _gate(rollout, entry, "survey_answered").met
    assert not _gate(rollout, entry, "report_sent").met
    entry.survey_submitted_at = timezone.now()
    entry.save(update_fields=["survey_submitted_at"])
    phases.unit_documents_record(
        actor=users["lanhdao"],
        entry=entry,
        report_document=_document(OWN, "Báo cáo kết quả"),
        report_sent_on=dt.date(2026, 3, 1),
    )
    entry = entry_of(rollout)
    assert _gate(rollout, entry, "survey_answered").met
    sent = _gate(rollout, entry, "report_sent")
    assert sent.met and sent.detail == "01/03/2026"


def test_training_held_needs_a_past_session_covering_the_unit_with_its_attendee(users):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    own, sibling = AdminUnit.objects.get(key=OWN), AdminUnit.objects.get(key=SIBLING)
    past = TrainingSession.objects.create(
        rollout=rollout, held_on=dt.date(2026, 1, 20), trainer="TS. A", topic="ISO 18091"
    )
    past.units.add(own)
    assert not _gate(rollout, entry, "training_held").met  # no attendee yet
    Attendance.objects.create(session=past, name="Nguyễn Văn B", unit=sibling)  # from another unit
    assert not _gate(rollout, entry, "training_held").met
    future = TrainingSession.objects.create(
        rollout=rollout, held_on=timezone.localdate() + dt.timedelta(days=10), trainer="TS. A", topic="Chuyên sâu"
    )
    future.units.add(own)
    Attendance.objects.create(session=future, name="Trần Thị C", unit=own)  # not held yet
    assert not _gate(rollout, entry, "training_held").met
    Attendance.objects.create(session=past, name="Lê Văn D", unit=own)
    gate = _gate(rollout, entry, "training_held")
    assert gate.met and "1" in gate.detail


def test_self_assessment_programme_and_actions_done_from_the_campaign(users, campaign):
    rollout = make_rollout(users, campaign=campaign)
    entry = entry_of(rollout)
    assessment = Assessment.objects.get(campaign=campaign, unit__key=OWN)
    assert not _gate(rollout, entry, "self_assessment_submitted").met
    assert not _gate(rollout, entry, "programme_approved").has_data
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=timezone.now())
    assert _gate(rollout, entry, "self_assessment_submitted").met

    programme = Programme.objects.create(assessment=assessment, title="Chương trình hành động 2026")
    assert not _gate(rollout, entry, "programme_approved").met
    version = ProgrammeVersion.objects.create(programme=programme, number=1, content={}, approved_at=timezone.now())
    Programme.objects.filter(pk=programme.pk).update(approved_version=version)
    assert _gate(rollout, entry, "programme_approved").met

    deadline = dt.date(2026, 12, 31)
    statuses = ["done", "done", "in_progress", "not_started", "cancelled"]
    for number, status in enumerate(statuses, start=1):
        Action.objects.create(
            programme=programme, number=number, title=f"Việc {number}", deadline=deadline, status=status
        )
    half = _gate(rollout, entry, "actions_done", min_percent=50)
    assert half.met  # 2 of 4 (cancelled left out) = 50 %
    assert "2 of 4" in half.detail
    assert not _gate(rollout, entry, "actions_done", min_percent=60).met


def test_the_sibling_units_data_does_not_count_for_the_unit(users, campaign):
    rollout = make_rollout(users, campaign=campaign)
    Assessment.objects.filter(campaign=campaign, unit__key=SIBLING).update(submitted_at=timezone.now())
    entries = [entry_of(rollout, OWN), entry_of(rollout, SIBLING)]
    spec = [{"key": "self_assessment_submitted"}]
    gates = gates_for_entries(rollout, entries, {e.pk: spec for e in entries})
    assert [gates[e.pk][0].met for e in entries] == [False, True]


def test_without_a_campaign_the_campaign_gates_have_no_data(users):
    rollout = make_rollout(users)
    gate = _gate(rollout, entry_of(rollout), "self_assessment_submitted")
    assert not gate.met and not gate.has_data


def test_a_gate_recorded_by_hand_decides_and_shows_its_reason(users):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    phases.gate_record(
        actor=users["dieuphoi"], entry=entry, gate="training_held", met=True, reason="Học lớp của tỉnh năm 2025."
    )
    gate = _gate(rollout, entry, "training_held")
    assert gate.met and gate.by_hand and gate.reason == "Học lớp của tỉnh năm 2025." and gate.state == "hand_met"
    phases.gate_record(actor=users["dieuphoi"], entry=entry, gate="training_held", met=False, reason="Nhầm.")
    gate = _gate(rollout, entry, "training_held")
    assert not gate.met and gate.by_hand and gate.reason == "Nhầm."


def test_the_template_names_the_gates_of_each_phase(users):
    rollout = make_rollout(users)
    by_phase = {p.key: [g["key"] for g in p.gates] for p in template_phases(rollout.template_id)}
    assert by_phase == {
        "preparation": ["steering_decision", "support_team", "survey_answered"],
        "training": ["training_held"],
        "self_assessment": ["self_assessment_submitted"],
        "action_programme": ["programme_approved", "actions_done"],
        "reporting": ["report_sent"],
    }
