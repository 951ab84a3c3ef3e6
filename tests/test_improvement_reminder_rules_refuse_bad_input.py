"""Reminder rules are changed only by administrators and national coordinators, through services that check the
whole input (offset a whole number of days within ±365, recipients and channels non-empty lists of known values, a
name); refused input stores nothing and the pages keep answering. The pages' permission matrix and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tests.reminder_fixtures import DEADLINE, make_action, reminder_campaign
from tincay.common.errors import InvalidInput, Refused
from tincay.improvement.choices import ReminderState
from tincay.improvement.models import Reminder, ReminderRule
from tincay.improvement.services.reminders import (
    reminder_rule_create,
    reminder_rule_deactivate,
    reminder_rule_update,
    reminders_reschedule,
    reminders_send_due,
)
from tincay.orgunits.models import Membership

GOOD = {"name": "Nhắc trước hạn 3 ngày", "offset_days": -3, "recipients": ["responsible"], "channels": ["in_app"]}
DAY = dt.timedelta(days=1)
PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"]


@pytest.fixture
def national(db):
    """A coordinator for the whole country (dieuphoi coordinates Hải Phòng only)."""
    person = get_user_model().objects.create_user("dieuphoiquocgia", password="Dieu-phoi-2026")
    Membership.objects.create(user=person, unit=None, role="coordinator")
    return person


BAD = [
    ({"offset_days": 366}, "offset_days"),
    ({"offset_days": -366}, "offset_days"),
    ({"offset_days": "7,5"}, "offset_days"),
    ({"offset_days": 1.5}, "offset_days"),
    ({"offset_days": True}, "offset_days"),
    ({"offset_days": None}, "offset_days"),
    ({"offset_days": "bảy"}, "offset_days"),
    ({"offset_days": "٣"}, "offset_days"),  # a digit, but not one we read
    ({"recipients": []}, "recipients"),
    ({"recipients": "responsible"}, "recipients"),
    ({"recipients": ["boss"]}, "recipients"),
    ({"recipients": None}, "recipients"),
    ({"recipients": [1]}, "recipients"),
    ({"channels": []}, "channels"),
    ({"channels": ["sms"]}, "channels"),
    ({"channels": {"in_app": True}}, "channels"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": None}, "name"),
    ({"name": 123}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"is_active": "yes"}, "is_active"),
]


@pytest.mark.parametrize(("changes", "field"), BAD)
def test_bad_input_is_refused_on_its_field_and_nothing_is_stored(users, changes, field):
    before = ReminderRule.objects.count(), Reminder.objects.count()
    with pytest.raises(InvalidInput) as refused:
        reminder_rule_create(actor=users["quantri"], **{**GOOD, **changes})
    assert refused.value.messages_for(field) and not isinstance(refused.value, Refused)
    assert (ReminderRule.objects.count(), Reminder.objects.count()) == before


@pytest.mark.parametrize(("changes", "field"), BAD)
def test_bad_input_changes_nothing_in_a_rule(users, changes, field):
    rule = ReminderRule.objects.filter(is_active=True).first()
    stored = ReminderRule.objects.filter(pk=rule.pk).values().get()
    with pytest.raises(InvalidInput):
        reminder_rule_update(actor=users["quantri"], rule=rule, **{**GOOD, **changes})
    assert ReminderRule.objects.filter(pk=rule.pk).values().get() == stored


def test_every_problem_is_reported_at_once(users):
    with pytest.raises(InvalidInput) as refused:
        reminder_rule_create(actor=users["quantri"], name="", offset_days=400, recipients=[], channels=["fax"])
    assert set(refused.value.errors) == {"name", "offset_days", "recipients", "channels"}


def test_typed_offsets_are_read(users):
    rule = reminder_rule_create(actor=users["quantri"], **{**GOOD, "offset_days": " −5 "})
    assert rule.offset_days == -5
    twice = ["coordinator", "responsible", "responsible"]
    rule = reminder_rule_create(actor=users["quantri"], **{**GOOD, "offset_days": "+365", "recipients": twice})
    assert rule.offset_days == 365 and rule.recipients == ["responsible", "coordinator"]


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "quantri"])
def test_only_administrators_and_national_coordinators_manage_rules(users, persona):
    rule = ReminderRule.objects.filter(is_active=True).first()
    count = ReminderRule.objects.count()
    with pytest.raises(Refused):
        reminder_rule_create(actor=users[persona], **GOOD)
    with pytest.raises(Refused):
        reminder_rule_update(actor=users[persona], rule=rule, **GOOD)
    with pytest.raises(Refused):
        reminder_rule_deactivate(actor=users[persona], rule=rule)
    assert ReminderRule.objects.count() == count and ReminderRule.objects.get(pk=rule.pk).is_active


def test_a_stranger_is_refused(stranger):
    with pytest.raises(Refused):
        reminder_rule_create(actor=stranger, **GOOD)


def test_administrator_and_national_coordinator_create_change_and_switch_off(users, national):
    rule = reminder_rule_create(actor=users["quantri"], **GOOD)
    assert rule.created_by == users["quantri"] and rule.is_active
    changed = reminder_rule_update(
        actor=national, rule=rule, **{**GOOD, "name": "Nhắc trước hạn 4 ngày", "offset_days": -4}
    )
    assert (changed.name, changed.offset_days) == ("Nhắc trước hạn 4 ngày", -4)
    assert not reminder_rule_deactivate(actor=national, rule=rule).is_active
    from tincay.audit.models import AuditEvent

    actions = list(
        AuditEvent.objects.filter(object_id=str(rule.pk), object_type="improvement.reminderrule").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "improvement.reminder_rule_created",
        "improvement.reminder_rule_changed",
        "improvement.reminder_rule_deactivated",
    ]


# --- pages ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with reminder_campaign(django_db_blocker, "nhac-quy-tac") as c:
        yield c


@pytest.mark.parametrize(
    ("persona", "status"),
    [("quantri", 200), ("dieuphoi", 403), ("lanhdao", 403), ("daumoi", 403), ("congchuc", 403), ("xem", 403)],
)
def test_rule_pages_are_for_administrators_and_national_coordinators(client_for, users, persona, status):
    rule = ReminderRule.objects.first()
    client = client_for(persona)
    assert client.get("/improvement/reminders/").status_code == status
    assert client.get("/improvement/reminders/new/").status_code == status
    assert client.get(f"/improvement/reminders/{rule.pk}/edit/").status_code == status
    if status == 403:
        assert client.post("/improvement/reminders/new/", GOOD).status_code == 403
        assert client.post(f"/improvement/reminders/{rule.pk}/deactivate/").status_code == 403
        assert ReminderRule.objects.get(pk=rule.pk).is_active


def test_national_coordinator_reaches_the_rule_pages(client, national):
    client.force_login(national)
    assert client.get("/improvement/reminders/").status_code == 200


def test_anonymous_is_sent_to_log_in(client):
    for url in ("/improvement/reminders/", "/improvement/reminders/log/"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("quantri", 200), ("dieuphoi", 200), ("xem", 200), ("lanhdao", 403), ("congchuc", 403), ("chamdiem", 403)],
)
def test_the_send_log_is_for_administrators_coordinators_and_viewers(client_for, persona, status):
    assert client_for(persona).get("/improvement/reminders/log/").status_code == status


def test_the_form_shows_the_services_errors_and_keeps_what_was_typed(client_for):
    count = ReminderRule.objects.count()
    page = client_for("quantri").post(
        "/improvement/reminders/new/",
        {"name": "Nhắc sớm", "offset_days": "400", "recipients": ["responsible"], "channels": []},
    )
    assert page.status_code == 200 and ReminderRule.objects.count() == count
    text = page.content.decode()
    assert 'value="Nhắc sớm"' in text and 'value="400"' in text and "is-invalid" in text
    assert client_for("quantri").get("/improvement/reminders/").status_code == 200


def test_the_form_creates_a_rule_that_schedules_open_actions(client_for, campaign, users, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: DEADLINE - 30 * DAY)
    action = make_action(campaign, title="Niêm yết thủ tục", responsible=users["congchuc"])
    response = client_for("quantri").post(
        "/improvement/reminders/new/",
        {
            "name": "Nhắc trước hạn 3 ngày",
            "offset_days": "-3",
            "recipients": ["responsible"],
            "channels": ["in_app"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = ReminderRule.objects.get(name="Nhắc trước hạn 3 ngày")
    assert Reminder.objects.get(rule=rule, action=action).due_on == DEADLINE - 3 * DAY
    response = client_for("quantri").post(f"/improvement/reminders/{rule.pk}/deactivate/")
    assert response.status_code == 302
    assert Reminder.objects.get(rule=rule, action=action).state == ReminderState.CANCELLED


def test_the_log_reads_bad_filters_as_messages(client_for):
    page = client_for("quantri").get("/improvement/reminders/log/?state=gone&rule=abc&due_from=31/02/2021&page=x")
    assert page.status_code == 200
    assert page.content.decode().count("invalid-feedback") == 3


def test_the_action_reminders_follow_the_action_visibility(client_for, campaign, users):
    action = make_action(campaign, title="Đối thoại với người dân", responsible=users["congchuc"])
    reminders_reschedule(action, today=DEADLINE - 30 * DAY)
    url = f"/improvement/reminders/action/{action.pk}/"
    assert client_for("congchuc").get(url).status_code == 200
    partial = client_for("lanhdao").get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200 and b"<html" not in partial.content and b"15/03/2021" not in partial.content
    assert b"08/03/2021" in partial.content  # the reminder 7 days before
    assert client_for("xem").get("/improvement/reminders/action/999999/").status_code == 404


def _many(campaign, users, n: int) -> None:
    for i in range(n):
        action = make_action(campaign, title=f"Nhiệm vụ số {i}", responsible=users["congchuc"])
        reminders_reschedule(action, today=DEADLINE - 30 * DAY)
    reminders_send_due(today=DEADLINE + 10 * DAY)


@pytest.mark.parametrize("url", ["/improvement/reminders/", "/improvement/reminders/log/"])
def test_page_query_counts_do_not_grow_with_the_reminders(
    client_for, campaign, users, url, django_assert_max_num_queries
):
    client = client_for("quantri")
    _many(campaign, users, 2)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        assert client.get(url).status_code == 200
    _many(campaign, users, 12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_action_partial_query_count_does_not_grow(client_for, campaign, users, django_assert_max_num_queries):
    action = make_action(campaign, title="Một nhiệm vụ", responsible=users["congchuc"])
    reminders_reschedule(action, today=DEADLINE - 30 * DAY)
    client = client_for("quantri")
    url = f"/improvement/reminders/action/{action.pk}/"
    reminders_send_due(today=DEADLINE - 7 * DAY)  # one reminder sent, with recipients to name
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    reminders_send_due(today=DEADLINE + 10 * DAY)  # every reminder sent
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
