"""Finishing, cancelling, reassigning an action, moving its deadline or changing the rules cancels the reminders
that no longer apply: nobody is reminded of a closed action, and the old person is not reminded after a
reassignment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tests.reminder_fixtures import DEADLINE, make_action, notices, reminder_campaign, run_days
from tincay.improvement.choices import ActionStatus, ReminderRecipient, ReminderState
from tincay.improvement.models import Action, Reminder, ReminderRule
from tincay.improvement.services.reminders import (
    reminder_rule_deactivate,
    reminder_rule_update,
    reminders_reschedule,
    reminders_send_due,
)
from tincay.orgunits.models import AdminUnit, Department, Membership

D = DEADLINE
DAY = dt.timedelta(days=1)
BEFORE = D - 30 * DAY


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with reminder_campaign(django_db_blocker, "nhac-huy") as c:
        yield c


@pytest.fixture
def action(db, campaign, users):
    made = make_action(campaign, title="Số hóa hồ sơ một cửa", responsible=users["congchuc"])
    reminders_reschedule(made, today=BEFORE)
    return made


@pytest.fixture
def newcomer(db):
    return get_user_model().objects.create_user("nguoimoi", password="Nguoi-moi-2026", full_name="Người Mới")


def pending(action) -> list[dt.date]:
    return sorted(Reminder.objects.filter(action=action, state=ReminderState.PENDING).values_list("due_on", flat=True))


@pytest.mark.parametrize("status", [ActionStatus.DONE, ActionStatus.CANCELLED])
def test_finishing_or_cancelling_cancels_every_pending_reminder(action, status):
    assert len(pending(action)) == 4
    action.status = status
    action.save()
    reminders_reschedule(action, today=BEFORE)
    assert pending(action) == []
    assert Reminder.objects.filter(action=action, state=ReminderState.CANCELLED).count() == 4
    run_days(BEFORE, D + 10 * DAY)
    assert notices(action) == []


def test_reopening_schedules_them_again(action):
    action.status = ActionStatus.DONE
    action.save()
    reminders_reschedule(action, today=BEFORE)
    action.status = ActionStatus.IN_PROGRESS
    action.save()
    reminders_reschedule(action, today=BEFORE)
    assert len(pending(action)) == 4 and Reminder.objects.filter(action=action).count() == 4


def test_an_action_closed_without_rescheduling_is_cancelled_by_the_job_not_sent(action):
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)
    summary = reminders_send_due(today=D - 7 * DAY)
    assert summary["sent"] == 0 and summary["cancelled"] == 1
    assert notices(action) == []


def test_reassigning_the_responsible_person_reminds_the_new_one_only(action, users, newcomer):
    reminders_send_due(today=D - 7 * DAY)
    assert len(notices(action, users["congchuc"])) == 1
    action.responsible = newcomer
    action.save()
    reminders_reschedule(action, today=D - 6 * DAY)
    run_days(D - 6 * DAY, D + 10 * DAY)
    assert len(notices(action, users["congchuc"])) == 1  # only the one before the reassignment
    assert len(notices(action, newcomer)) == 2  # 1 day before and 1 day after


def test_changing_the_owner_department_reminds_the_new_department_only(action, users, newcomer):
    ReminderRule.objects.update(is_active=False)
    ReminderRule.objects.create(
        name="Phòng phụ trách", offset_days=-2, recipients=[ReminderRecipient.DEPARTMENT], channels=["in_app"]
    )
    unit = AdminUnit.objects.get(key="11413")
    old = Department.objects.create(unit=unit, name="Văn phòng HĐND và UBND (kiểm thử)")
    new = Department.objects.create(unit=unit, name="Phòng Kinh tế (kiểm thử)")
    Membership.objects.filter(user=users["congchuc"], unit=unit).update(department=old)
    Membership.objects.create(user=newcomer, unit=unit, role="contributor", department=new)
    action.department = old
    action.save()
    reminders_reschedule(action, today=BEFORE)
    action.department = new
    action.save()
    reminders_reschedule(action, today=BEFORE)
    reminders_send_due(today=D - 2 * DAY)
    assert notices(action, users["congchuc"]) == []
    assert len(notices(action, newcomer)) == 1


def test_moving_the_deadline_cancels_the_old_days_and_schedules_the_new(action, users):
    action.deadline = D + 14 * DAY
    action.save()
    reminders_reschedule(action, today=BEFORE)
    new = D + 14 * DAY
    assert pending(action) == [new - 7 * DAY, new - DAY, new + DAY, new + 7 * DAY]
    cancelled = Reminder.objects.filter(action=action, state=ReminderState.CANCELLED)
    assert sorted(cancelled.values_list("due_on", flat=True)) == [D - 7 * DAY, D - DAY, D + DAY, D + 7 * DAY]
    assert reminders_send_due(today=D - 7 * DAY)["sent"] == 0
    assert reminders_send_due(today=new - 7 * DAY)["sent"] == 1
    assert len(notices(action, users["congchuc"])) == 1


def test_switching_a_rule_off_cancels_its_pending_reminders(action, users):
    rule = ReminderRule.objects.get(offset_days=-7, is_active=True)
    reminder_rule_deactivate(actor=users["quantri"], rule=rule, today=BEFORE)
    assert Reminder.objects.get(rule=rule, action=action).state == ReminderState.CANCELLED
    assert reminders_send_due(today=D - 7 * DAY)["sent"] == 0
    assert notices(action) == []


def test_changing_a_rule_moves_its_pending_reminders(action, users):
    rule = ReminderRule.objects.get(offset_days=-7, is_active=True)
    reminder_rule_update(
        actor=users["quantri"],
        rule=rule,
        name="Nhắc trước hạn 10 ngày",
        offset_days=-10,
        recipients=["responsible"],
        channels=["in_app"],
        today=BEFORE,
    )
    mine = Reminder.objects.filter(rule=rule, action=action)
    assert dict(mine.values_list("due_on", "state")) == {
        D - 7 * DAY: ReminderState.CANCELLED,
        D - 10 * DAY: ReminderState.PENDING,
    }
    assert reminders_send_due(today=D - 10 * DAY)["sent"] == 1
    assert len(notices(action, users["congchuc"])) == 1


def test_nobody_to_remind_is_cancelled_with_a_note(campaign):
    orphan = make_action(campaign, title="Không ai phụ trách")
    reminders_reschedule(orphan, today=BEFORE)
    summary = reminders_send_due(today=D - 7 * DAY)
    assert summary["sent"] == 0 and summary["cancelled"] == 1
    assert Reminder.objects.get(action=orphan, due_on=D - 7 * DAY).note == "Nobody to remind."
