"""Audit events are append-only and hash-linked: an edited or deleted event is detected and named."""

import pytest
from django.core.management import CommandError, call_command

from tincay.audit import services
from tincay.audit.models import AppendOnlyError, AuditEvent
from tincay.audit.selectors import audit_chain_verify

pytestmark = pytest.mark.django_db


def _record(n: int, actor) -> list[AuditEvent]:
    return [
        services.record(
            actor=actor,
            action="test.action",
            object_type="test",
            object_id=str(i),
            before={"n": i},
            after={"n": i + 1},
            reason="kiểm thử",
        )
        for i in range(n)
    ]


def test_events_link_to_the_previous_one(users):
    first, second = _record(2, users["quantri"])
    assert second.prev_hash == first.hash
    assert audit_chain_verify() is None
    call_command("audit_verify")


def test_an_edited_event_is_detected_and_named(users):
    events = _record(3, users["quantri"])
    AuditEvent.objects.filter(pk=events[1].pk).update(after={"n": 999})
    broken = audit_chain_verify()
    assert broken is not None and broken.event_id == events[1].pk and "edited" in broken.problem
    with pytest.raises(CommandError, match=f"#{events[1].pk}"):
        call_command("audit_verify")


def test_a_deleted_event_is_detected_at_the_next_one(users):
    events = _record(3, users["quantri"])
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    broken = audit_chain_verify()
    assert broken is not None and broken.event_id == events[2].pk


def test_events_cannot_be_changed_or_deleted_through_the_model(users):
    event = _record(1, users["quantri"])[0]
    event.reason = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_services_record_who_did_what(client_for, users):
    client_for("dieuphoi").post(
        f"/people/{users['congchuc'].pk}/",
        {
            "user-username": "congchuc",
            "user-full_name": "Hoàng Văn Công (sửa)",
            "user-email": "c@x.vn",
            "user-position": "",
            "user-phone": "",
            "user-is_active": "on",
        },
    )
    event = AuditEvent.objects.filter(action="accounts.user_updated").latest("id")
    assert event.actor == users["dieuphoi"]
    assert event.before["full_name"] == "Hoàng Văn Công" and event.after["full_name"] == "Hoàng Văn Công (sửa)"
