"""Audit events are append-only and linked by keyed hashes; appending stays as cheap as before keys existed."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import ProtectedError

from tests.audit_fixtures import as_owner, checkpoint_folder, record_events  # noqa: F401 (autouse)
from tincay.audit import chain
from tincay.audit.keys import configured_keyring
from tincay.audit.models import AppendOnlyError, AuditEvent
from tincay.audit.selectors import audit_chain_verify, audit_trail_check

pytestmark = pytest.mark.django_db


def test_events_link_to_the_previous_one_and_name_their_key():
    first, second = record_events(2)
    keyring = configured_keyring()
    assert second.prev_hash == first.hash
    assert first.key_id == second.key_id == keyring.current_id == "dev-derived"
    stored = AuditEvent.objects.values().get(pk=second.pk)
    stored["created_at"] = stored["created_at"].isoformat()
    assert second.hash == chain.keyed_hash(keyring.secrets["dev-derived"], "dev-derived", first.hash, stored)
    assert second.hash != chain.legacy_hash(first.hash, stored)
    assert audit_chain_verify() is None
    call_command("audit_verify")


def test_events_cannot_be_changed_or_deleted_through_the_orm():
    event = record_events(1)[0]
    event.reason = "sửa"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="sửa")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == "kiểm thử"


def test_an_account_with_audit_history_is_kept(users):
    record_events(1, actor=users["xem"])
    with pytest.raises(ProtectedError):
        users["xem"].delete()  # its id is signed into the event: deactivate the account instead
    assert audit_chain_verify() is None


def test_appending_costs_a_fixed_number_of_queries(django_assert_num_queries):
    record_events(1)  # warm up (settings parsed, first savepoint)
    # savepoint, (PostgreSQL: advisory lock), last hash, insert, the change mark (tincay.audit.scopes), release
    expected = 6 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(expected):
        record_events(1)


def test_events_written_before_keys_verify_as_a_legacy_prefix():
    as_owner("DELETE FROM audit_auditevent")
    prev = chain.GENESIS
    for i in range(3):  # what the code wrote before this change: plain SHA-256, no key id
        fields = {"created_at": f"2026-01-0{i + 1}T00:00:00+00:00", "actor_label": "cu", "action": "old.action"}
        fields.update(object_type="test", object_id=str(i), object_repr="", before=None, after={"n": i}, reason="")
        event = AuditEvent.objects.create(
            **fields, prev_hash=prev, hash=chain.legacy_hash(prev, {**fields, "actor_id": None})
        )
        prev = event.hash
    keyed = record_events(2)
    assert keyed[0].prev_hash == prev  # the first keyed event seals the legacy prefix
    assert audit_trail_check().intact
    call_command("audit_verify")


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
    assert audit_chain_verify() is None


def test_an_event_dated_by_a_clock_in_local_time_still_verifies():
    """The demo and imports date events by a clock in Vietnam time; the hash is taken over the UTC form the
    database gives back, so the chain verifies."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    local = timezone.make_aware(dt.datetime(2023, 9, 18, 9, 0))
    assert local.utcoffset() == dt.timedelta(hours=7)
    with mock.patch.object(timezone, "now", return_value=local):
        event = record_events(1)[0]
    assert AuditEvent.objects.get(pk=event.pk).created_at == local
    assert audit_chain_verify() is None
