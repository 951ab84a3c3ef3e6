"""Reminders go out once, on exactly the days the rules give (frozen clock: the job's ``today``), whether the job runs
twice a day, two workers race for the same rows, or it runs from cron, the worker chain or the command."""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction

from tests.reminder_fixtures import DEADLINE, english, make_action, notices, reminder_campaign, run_days
from tincay.accounts.models import Notification
from tincay.improvement.choices import Channel, ReminderRecipient, ReminderState
from tincay.improvement.models import Reminder, ReminderRule
from tincay.improvement.services import reminders as service
from tincay.improvement.services.reminders import reminders_reschedule, reminders_send_due

D = DEADLINE
DAY = dt.timedelta(days=1)


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with reminder_campaign(django_db_blocker, "nhac-mot-lan") as c:
        yield c


@pytest.fixture
def action(db, campaign, users):
    made = make_action(campaign, title="Công khai ngân sách trên cổng thông tin", responsible=users["congchuc"])
    reminders_reschedule(made, today=D - 30 * DAY)
    return made


def test_the_default_rules_remind_7_and_1_days_before_and_1_and_7_days_after(action, users):
    summaries = run_days(D - 30 * DAY, D + 30 * DAY)
    sent_days = {day for day, s in summaries.items() if s["sent"]}
    assert sent_days == {D - 7 * DAY, D - DAY, D + DAY, D + 7 * DAY}
    to = {name: [n.created_at for n in notices(action, users[name])] for name in ("congchuc", "daumoi", "lanhdao")}
    assert len(to["congchuc"]) == 3  # 7 days before, 1 day before, 1 day after
    assert len(to["daumoi"]) == 1  # the focal point, 1 day after
    assert len(to["lanhdao"]) == 1  # the unit leader, 7 days after
    texts = [english(n) for n in notices(action, users["congchuc"])]
    assert "due on 15/03/2021 (7 days left)" in texts[0]
    assert "due on 15/03/2021 (1 day left)" in texts[1]
    assert "15/03/2021: 1 day overdue" in texts[2]
    assert "Phường Hải An" in texts[0] and "«Công khai ngân sách trên cổng thông tin»" in texts[0]
    assert "7 days overdue" in english(notices(action, users["lanhdao"])[0])
    sent = Reminder.objects.filter(action=action, state=ReminderState.SENT).select_related("rule")
    assert sorted(r.due_on for r in sent) == sorted(sent_days)
    for r in sent:
        assert r.sent_at is not None and r.recipients and r.channels == [Channel.IN_APP, Channel.EMAIL]
    assert users["daumoi"].pk in sent.get(due_on=D + DAY).recipients


def test_running_the_job_twice_the_same_day_sends_once(action, users):
    first = reminders_send_due(today=D - 7 * DAY, worker="cron")
    again = reminders_send_due(today=D - 7 * DAY, worker="db_worker")
    assert first["sent"] == 1 and again["sent"] == 0
    assert len(notices(action, users["congchuc"])) == 1


def test_a_rule_fires_once_per_action_and_day_by_the_database_key(action):
    rule = ReminderRule.objects.filter(is_active=True).first()
    Reminder.objects.get_or_create(rule=rule, action=action, due_on=D)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(rule=rule, action=action, due_on=D)


def test_two_workers_racing_on_the_same_rows_send_each_reminder_once(action, users, monkeypatch):
    """Worker A reads the due rows, then worker B runs whole before A claims them: A finds every row taken."""
    claim = service._claim
    state = {"raced": False}

    def claim_after_b_ran(pks, new_state, note, now):
        if new_state == ReminderState.SENT and not state["raced"]:
            state["raced"] = True
            monkeypatch.setattr(service, "_claim", claim)
            state["b"] = reminders_send_due(today=D - 7 * DAY, worker="B")
            monkeypatch.setattr(service, "_claim", claim_after_b_ran)
        return claim(pks, new_state, note, now)

    monkeypatch.setattr(service, "_claim", claim_after_b_ran)
    a = reminders_send_due(today=D - 7 * DAY, worker="A")
    assert state["b"]["sent"] == 1
    assert a["sent"] == 0 and a["claimed_by_others"] == 1
    assert len(notices(action, users["congchuc"])) == 1
    reminder = Reminder.objects.get(action=action, state=ReminderState.SENT)
    assert reminder.note == "B" and reminder.due_on == D - 7 * DAY


def test_a_claimed_row_is_not_claimed_again(action):
    """The claim is one conditional UPDATE (… WHERE state = 'pending'): on PostgreSQL a second session blocked on
    the row re-reads it after the first commits and updates nothing; on SQLite writers queue. Either way, 0 rows."""
    reminders_send_due(today=D - 7 * DAY, worker="A")
    taken = Reminder.objects.get(action=action, due_on=D - 7 * DAY)
    assert service._claim([taken.pk], ReminderState.SENT, "B", taken.sent_at) == 0
    assert Reminder.objects.get(pk=taken.pk).note == "A"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions on one row: PostgreSQL only")
def test_two_workers_with_their_own_connections_send_once_on_postgresql(django_db_blocker, campaign):
    """Two threads, each with its own database session, run the job on the same committed rows at once."""
    with django_db_blocker.unblock():
        person = get_user_model().objects.get(username="congchuc")
        made = make_action(campaign, title="Hai tiến trình cùng lúc", responsible=person)
        reminders_reschedule(made, today=D - 30 * DAY)
        results: dict[str, dict] = {}
        start = threading.Barrier(2)

        def work(name: str) -> None:
            try:
                start.wait(timeout=30)
                results[name] = reminders_send_due(today=D - 7 * DAY, worker=name)
            finally:
                connections.close_all()

        try:
            threads = [threading.Thread(target=work, args=(name,)) for name in ("A", "B")]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert sorted(results) == ["A", "B"]
            assert sum(r["sent"] for r in results.values()) == 1
            assert len(notices(made)) == 1
            assert Reminder.objects.get(action=made, due_on=D - 7 * DAY).state == ReminderState.SENT
        finally:
            Notification.objects.filter(params__action=made.title).delete()
            made.delete()


def test_channels_follow_the_rule(action, users, django_capture_on_commit_callbacks, mailoutbox):
    ReminderRule.objects.update(is_active=False)
    in_app = ReminderRule.objects.create(
        name="Chỉ trong ứng dụng", offset_days=-3, recipients=[ReminderRecipient.RESPONSIBLE], channels=["in_app"]
    )
    by_mail = ReminderRule.objects.create(
        name="Chỉ thư điện tử", offset_days=-2, recipients=[ReminderRecipient.RESPONSIBLE], channels=["email"]
    )
    users["congchuc"].email = "congchuc@example.vn"
    users["congchuc"].save(update_fields=["email"])
    reminders_reschedule(action, today=D - 30 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=D - 3 * DAY)
    assert len(notices(action)) == 1 and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send_due(today=D - 2 * DAY)
    assert len(notices(action)) == 1 and len(mailoutbox) == 1
    assert mailoutbox[0].to == ["congchuc@example.vn"] and "15/03/2021" in mailoutbox[0].body
    assert Reminder.objects.get(rule=in_app, action=action).channels == ["in_app"]
    assert Reminder.objects.get(rule=by_mail, action=action).channels == ["email"]


def test_the_command_sends_as_of_a_day_and_prints_the_summary(action, users):
    out = StringIO()
    call_command("send_reminders", "--today", (D - DAY).isoformat(), stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["sent"] == 1 and summary["today"] == "2021-03-14"
    assert len(notices(action, users["congchuc"])) == 1


def test_the_command_refuses_a_bad_day(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--today", "14/03/2021", stdout=StringIO())


def test_the_worker_job_chains_itself_for_07_00_next_morning_once(db):
    from django_tasks_db.models import DBTaskResult

    from tincay.improvement.tasks import VIETNAM, enqueue_next, next_morning, send_due_reminders

    assert next_morning(dt.datetime(2026, 1, 5, 6, 59, tzinfo=VIETNAM)) == dt.datetime(2026, 1, 5, 7, tzinfo=VIETNAM)
    assert next_morning(dt.datetime(2026, 1, 5, 7, 0, tzinfo=VIETNAM)) == dt.datetime(2026, 1, 6, 7, tzinfo=VIETNAM)
    assert next_morning(dt.datetime(2026, 1, 5, 1, 0, tzinfo=dt.UTC)) == dt.datetime(2026, 1, 6, 7, tzinfo=VIETNAM)
    summary = send_due_reminders.call()
    waiting = DBTaskResult.objects.filter(task_path=send_due_reminders.module_path, status="READY")
    assert waiting.count() == 1
    assert waiting.get().run_after.astimezone(VIETNAM).time() == dt.time(7, 0)
    assert dt.datetime.fromisoformat(summary["next_run"]) == waiting.get().run_after
    enqueue_next()
    send_due_reminders.call()
    assert waiting.count() == 1  # a second chain is not started


def test_the_command_starts_the_chain_once(db):
    from django_tasks_db.models import DBTaskResult

    from tincay.improvement.tasks import send_due_reminders

    out = StringIO()
    call_command("send_reminders", "--enqueue", stdout=out)
    call_command("send_reminders", "--enqueue", stdout=out)
    assert "already waiting" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path=send_due_reminders.module_path, status="READY").count() == 1
