"""Phases of a unit in a rollout: exactly one current phase, moves forward and back, skips with a reason, notices."""

from __future__ import annotations

import datetime as dt

import pytest
from rollout_board_fixtures import OWN, SIBLING, START, entry_of, make_rollout

from tincay.accounts.models import Notification
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput
from tincay.rollout.models import PhaseRecord, RolloutUnit
from tincay.rollout.services import phases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAY = dt.date(2026, 2, 1)


def _open(entry: RolloutUnit) -> list[PhaseRecord]:
    return list(PhaseRecord.objects.filter(rollout_unit=entry, left_on__isnull=True))


def test_units_start_in_the_first_phase_with_one_open_record(users):
    rollout = make_rollout(users)
    for key in (OWN, SIBLING):
        entry = entry_of(rollout, key)
        assert entry.current_phase == "preparation"
        assert entry.phase_since == START
        [record] = _open(entry)
        assert record.phase == "preparation"
        assert record.entered_on == START


def test_moving_forward_with_unmet_gates_needs_a_reason(users):
    entry = entry_of(make_rollout(users))
    with pytest.raises(InvalidInput) as caught:
        phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY)
    message = " ".join(caught.value.messages_for("reason"))
    assert "Steering committee decision recorded" in message
    entry.refresh_from_db()
    assert entry.current_phase == "preparation"
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY, reason="Ban chỉ đạo sắp có.")
    entry.refresh_from_db()
    assert (entry.current_phase, entry.phase_since) == ("training", DAY)
    [record] = _open(entry)
    assert record.phase == "training" and record.reason == "Ban chỉ đạo sắp có."
    closed = PhaseRecord.objects.get(rollout_unit=entry, phase="preparation")
    assert closed.left_on == DAY and not closed.skipped
    assert AuditEvent.objects.filter(action="rollout.phase_entered", object_id=str(entry.pk)).exists()


def test_moving_forward_with_gates_met_needs_no_reason(users):
    rollout = make_rollout(users)
    entry = entry_of(rollout)
    for gate in ("steering_decision", "support_team", "survey_answered"):
        phases.gate_record(actor=users["dieuphoi"], entry=entry, gate=gate, met=True, reason="Bản giấy đã xem.")
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY)
    assert entry_of(rollout).current_phase == "training"


def test_jumping_over_a_phase_records_it_skipped_with_the_reason(users):
    entry = entry_of(make_rollout(users))
    with pytest.raises(InvalidInput):
        phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="self_assessment", on=DAY)
    phases.phase_enter(
        actor=users["dieuphoi"], entry=entry, phase="self_assessment", on=DAY, reason="Đã đào tạo năm trước."
    )
    skipped = PhaseRecord.objects.get(rollout_unit=entry, phase="training")
    assert skipped.skipped and skipped.reason == "Đã đào tạo năm trước." and skipped.left_on == DAY
    assert len(_open(entry)) == 1


def test_going_back_needs_a_reason(users):
    entry = entry_of(make_rollout(users))
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY, reason="Tiếp tục.")
    with pytest.raises(InvalidInput) as caught:
        phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="preparation", on=DAY)
    assert caught.value.messages_for("reason")
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="preparation", on=DAY, reason="Khảo sát lại.")
    entry.refresh_from_db()
    assert entry.current_phase == "preparation"
    assert [r.phase for r in PhaseRecord.objects.filter(rollout_unit=entry).order_by("id")] == [
        "preparation",
        "training",
        "preparation",
    ]
    assert len(_open(entry)) == 1


def test_entering_the_current_phase_again_is_refused(users):
    entry = entry_of(make_rollout(users))
    with pytest.raises(InvalidInput) as caught:
        phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="preparation", on=DAY, reason="x")
    assert caught.value.messages_for("phase")


def test_skip_needs_a_reason_and_skipping_the_current_phase_moves_on(users):
    entry = entry_of(make_rollout(users))
    with pytest.raises(InvalidInput) as caught:
        phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="preparation", on=DAY, reason="  ")
    assert caught.value.messages_for("reason")
    phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="preparation", on=DAY, reason="Đã có Ban chỉ đạo.")
    entry.refresh_from_db()
    assert entry.current_phase == "training"
    closed = PhaseRecord.objects.get(rollout_unit=entry, phase="preparation")
    assert closed.skipped and closed.reason == "Đã có Ban chỉ đạo."
    assert len(_open(entry)) == 1


def test_a_later_phase_skipped_ahead_is_passed_over_without_a_reason(users):
    entry = entry_of(make_rollout(users))
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY, reason="Tiếp tục.")
    for gate in ("training_held",):
        phases.gate_record(actor=users["dieuphoi"], entry=entry, gate=gate, met=True, reason="Lớp của tỉnh.")
    phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="self_assessment", on=DAY, reason="Không áp dụng.")
    entry.refresh_from_db()
    assert entry.current_phase == "training"
    with pytest.raises(InvalidInput) as caught:
        phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="self_assessment", on=DAY, reason="Lần nữa.")
    assert caught.value.messages_for("phase")
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="action_programme", on=DAY)  # no reason needed
    entry.refresh_from_db()
    assert entry.current_phase == "action_programme"


def test_a_past_phase_and_the_last_phase_cannot_be_skipped(users):
    entry = entry_of(make_rollout(users))
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="reporting", on=DAY, reason="Đi thẳng.")
    with pytest.raises(InvalidInput):
        phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY, reason="Quá khứ.")
    with pytest.raises(InvalidInput):
        phases.phase_skip(actor=users["dieuphoi"], entry=entry, phase="reporting", on=DAY, reason="Cuối.")
    assert entry_of(entry.rollout).current_phase == "reporting"


def test_exactly_one_current_phase_is_kept_by_the_database(users):
    from django.db import IntegrityError, transaction

    entry = entry_of(make_rollout(users))
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseRecord.objects.create(rollout_unit=entry, phase="training", entered_on=DAY)


def test_entering_a_phase_notifies_the_units_leader_and_focal_point(users):
    entry = entry_of(make_rollout(users))
    before = Notification.objects.count()
    phases.phase_enter(actor=users["dieuphoi"], entry=entry, phase="training", on=DAY, reason="Tiếp tục.")
    notified = set(Notification.objects.order_by("id")[before:].values_list("user__username", flat=True))
    assert {"lanhdao", "daumoi"} <= notified
    assert "congchuc" not in notified and "dieuphoi" not in notified
    notice = Notification.objects.filter(user=users["lanhdao"]).order_by("-id").first()
    assert "Training on the standard" in notice.text or "Đào tạo" in notice.text
    assert f"/rollout/{entry.rollout.code}/units/{OWN}/" in notice.url


def test_adding_units_notifies_their_people(users):
    before = Notification.objects.filter(user=users["daumoi"]).count()
    make_rollout(users)
    assert Notification.objects.filter(user=users["daumoi"]).count() == before + 1
