"""Database triggers that refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE) of audit events.

The model already refuses ``save()`` on an existing event and ``delete()``; the triggers make the database itself
refuse, whatever the client (raw SQL, a shell, another program), so that changing the trail takes a deliberate
act by the database owner (dropping the trigger), which ``audit_verify`` then notices (missing guards, and the
tampering itself through the keyed chain and the checkpoints).

Both vendors raise an integrity error (SQLite: RAISE(ABORT); PostgreSQL: SQLSTATE 23001 restrict_violation), so
Django raises ``django.db.IntegrityError`` on either.

Installed by migration 0002 and again after every ``migrate`` (post_migrate): on SQLite, a later migration that
rebuilds the table would otherwise drop the triggers silently. ``manage.py flush`` (tests, development) lifts them
for the wipe only, inside its transaction, and never in production (see ``management/commands/flush.py``).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_auditevent"
MESSAGE = (
    "audit events are append-only: {op} refused on audit_auditevent "
    "(bản ghi nhật ký chỉ được ghi thêm, không được sửa hay xóa)"
)
SQLITE_TRIGGERS = {"audit_auditevent_no_update": "UPDATE", "audit_auditevent_no_delete": "DELETE"}
PG_FUNCTION = "audit_auditevent_append_only"
PG_TRIGGERS = {
    "audit_auditevent_append_only": "BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW",
    "audit_auditevent_no_truncate": "BEFORE TRUNCATE ON {table} FOR EACH STATEMENT",
}


def _sqlite_install() -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op=op)}'); END"
        for name, op in SQLITE_TRIGGERS.items()
    ]


def _pg_install() -> list[str]:
    function = (
        f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"RAISE EXCEPTION '{MESSAGE.replace('{op}', '%')}', TG_OP USING ERRCODE = 'restrict_violation'; "
        "END $$"
    )
    statements = [function]
    for name, when in PG_TRIGGERS.items():
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
        statements.append(f"CREATE TRIGGER {name} {when.format(table=TABLE)} EXECUTE FUNCTION {PG_FUNCTION}()")
    return statements


def _table_exists(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        return TABLE in connection.introspection.table_names(cursor)


def install(connection: BaseDatabaseWrapper) -> None:
    """Create (or re-create) the triggers; idempotent. Other vendors are not supported and left alone."""
    if connection.vendor == "sqlite":
        statements = _sqlite_install()
    elif connection.vendor == "postgresql":
        statements = _pg_install()
    else:
        return
    if not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in {"sqlite", "postgresql"} or not _table_exists(connection):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            for name in PG_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")


def present(connection: BaseDatabaseWrapper) -> bool | None:
    """True when every trigger exists and fires; None on a vendor without guards."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s)",
                [TABLE, *SQLITE_TRIGGERS],
            )
            return cursor.fetchone()[0] == len(SQLITE_TRIGGERS)
        if connection.vendor == "postgresql":
            # 'D' is disabled and 'R' fires only in replica mode: neither guards a normal session.
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = ANY(%s) "
                "AND tgenabled IN ('O', 'A')",
                [TABLE, list(PG_TRIGGERS)],
            )
            return cursor.fetchone()[0] == len(PG_TRIGGERS)
    return None


def reinstall_after_migrate(sender, using: str, **kwargs) -> None:
    """post_migrate receiver: put the triggers back if a migration rebuilt the table."""
    from django.db import connections

    install(connections[using])
