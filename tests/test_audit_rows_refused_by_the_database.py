"""The database itself refuses UPDATE and DELETE of audit rows (SQLite and PostgreSQL triggers); flushing the
database for tests and development still works, and production refuses to flush."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import IntegrityError, connection, transaction

from tests.audit_fixtures import checkpoint_folder, record_events  # noqa: F401 (autouse)
from tincay.audit import guards
from tincay.audit.models import AuditEvent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET reason = 'sửa' WHERE id = %s",
        "UPDATE audit_auditevent SET hash = prev_hash WHERE id >= %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id >= %s",
    ],
)
def test_database_refuses_changing_or_deleting_audit_rows(sql):
    event = record_events(1)[0]
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.get(pk=event.pk).reason == "kiểm thử"


@pytest.mark.django_db
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="TRUNCATE exists on PostgreSQL only (set DATABASE_URL to run this); CI runs it in its PostgreSQL pass",
)
def test_postgresql_refuses_truncating_the_audit_table():
    record_events(1)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred checks pending from the insert above
        cursor.execute("TRUNCATE audit_auditevent")
    assert AuditEvent.objects.exists()


@pytest.mark.django_db
def test_guards_come_back_after_migrate():
    guards.uninstall(connection)
    assert guards.present(connection) is False
    emit_post_migrate_signal(0, False, "default")  # what every `migrate` ends with
    assert guards.present(connection) is True


@pytest.mark.django_db
def test_production_refuses_to_flush(settings):
    settings.TINCAY_AUDIT_FLUSH_ALLOWED = False
    record_events(1)
    with pytest.raises(CommandError, match="would erase the audit trail"):
        call_command("flush", interactive=False)
    assert AuditEvent.objects.exists() and guards.present(connection)


@pytest.mark.django_db(transaction=True, available_apps=["tincay.audit"])  # flushes the audit table only
def test_flush_lifts_the_guard_for_the_wipe_only():
    record_events(2, actor="flush_test")
    with pytest.raises(IntegrityError, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")  # autocommit: the guard holds outside flush
    call_command("flush", interactive=False)
    assert not AuditEvent.objects.exists()
    assert guards.present(connection) is True
    record_events(1, actor="flush_test")  # the teardown flushes once more, through the same command
