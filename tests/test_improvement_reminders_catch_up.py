"""After days without sending, the job catches up without flooding: per action the latest reminder goes out, an
older one only when it reaches people the fresher ones do not; the rest are marked skipped, never sent late."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reminder_fixtures import DEADLINE, english, make_action, notices, reminder_campaign
from tincay.improvement.choices import ReminderRecipient, ReminderState
from tincay.improvement.models import Reminder, ReminderRule
from tincay.improvement.services.reminders import reminders_reschedule, reminders_send_due

D = DEADLINE
DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with reminder_campaign(django_db_blocker, "nhac-bu") as c:
        yield c


@pytest.fixture
def action(db, campaign, users):
    made = make_action(campaign, title="Rà soát quy trình một cửa", responsible=users["congchuc"])
    reminders_reschedule(made, today=D - 30 * DAY)
    return made


def states(action) -> dict[dt.date, str]:
    return dict(Reminder.objects.filter(action=action).values_list("due_on", "state"))


def test_missed_days_send_one_reminder_per_person_and_skip_the_older_ones(action, users):
    summary = reminders_send_due(today=D + 3 * DAY)  # nothing ran from 30 days before the deadline until now
    assert summary["sent"] == 1 and summary["skipped"] == 2
    assert states(action) == {
        D - 7 * DAY: ReminderState.SKIPPED,
        D - DAY: ReminderState.SKIPPED,
        D + DAY: ReminderState.SENT,
        D + 7 * DAY: ReminderState.PENDING,
    }
    (notice,) = notices(action, users["congchuc"])
    assert "3 days overdue" in english(notice)  # said as of the day it is sent, not the day it was due
    assert len(notices(action, users["daumoi"])) == 1
    again = reminders_send_due(today=D + 4 * DAY)
    assert again["sent"] == again["skipped"] == 0 and len(notices(action)) == 2
    reminders_send_due(today=D + 7 * DAY)
    assert len(notices(action, users["lanhdao"])) == 1 and len(notices(action)) == 3


def test_several_missed_days_of_one_rule_send_only_the_latest(action, users):
    ReminderRule.objects.update(is_active=False)
    rule = ReminderRule.objects.create(
        name="Hằng ngày", offset_days=-1, recipients=[ReminderRecipient.RESPONSIBLE], channels=["in_app"]
    )
    Reminder.objects.filter(action=action).delete()
    for offset in (-4, -3, -2, -1):  # rows of one rule on several days (e.g. left by an earlier deadline)
        Reminder.objects.create(rule=rule, action=action, due_on=D + offset * DAY)
    summary = reminders_send_due(today=D)
    assert summary["sent"] == 1 and summary["skipped"] == 3
    assert Reminder.objects.get(action=action, state=ReminderState.SENT).due_on == D - DAY
    assert len(notices(action, users["congchuc"])) == 1


def test_an_older_missed_reminder_for_other_people_is_still_sent(action, users):
    ReminderRule.objects.update(is_active=False)
    focal = ReminderRule.objects.create(
        name="Đầu mối", offset_days=1, recipients=[ReminderRecipient.FOCAL_POINT], channels=["in_app"]
    )
    responsible = ReminderRule.objects.create(
        name="Người phụ trách", offset_days=3, recipients=[ReminderRecipient.RESPONSIBLE], channels=["in_app"]
    )
    reminders_reschedule(action, today=D - 30 * DAY)
    summary = reminders_send_due(today=D + 5 * DAY)
    assert summary["sent"] == 2 and summary["skipped"] == 0
    assert Reminder.objects.get(rule=focal, action=action).state == ReminderState.SENT
    assert Reminder.objects.get(rule=responsible, action=action).state == ReminderState.SENT
    assert len(notices(action, users["daumoi"])) == 1 and len(notices(action, users["congchuc"])) == 1


def test_each_action_catches_up_on_its_own(campaign, action, users):
    other = make_action(campaign, title="Khảo sát mức độ hài lòng", responsible=users["daumoi"], deadline=D + DAY)
    reminders_reschedule(other, today=D - 30 * DAY)
    reminders_send_due(today=D + 2 * DAY)
    assert len(notices(action, users["congchuc"])) == 1
    assert len(notices(other, users["daumoi"])) == 1  # its own +1 day reminder (responsible and focal point at once)


def test_days_already_past_are_not_scheduled_for_a_new_action(campaign, users):
    late = make_action(campaign, title="Cập nhật danh mục thủ tục", responsible=users["congchuc"])
    reminders_reschedule(late, today=D - 3 * DAY)
    assert sorted(states(late)) == [D - DAY, D + DAY, D + 7 * DAY]  # no reminder 7 days before: that day is past
    assert reminders_send_due(today=D - 3 * DAY)["sent"] == 0
