"""``manage.py flush`` that can empty the audit table too, outside production.

Django's flush empties every table: on SQLite with DELETE, which the audit triggers refuse; on PostgreSQL with
TRUNCATE, which the TRUNCATE trigger refuses. Tests (pytest-django's transactional tests, the live server of the
browser tests) and developers flush on purpose, so this command lifts the triggers for the wipe and puts them back,
all in one transaction: no other connection ever sees the table unguarded. Production
(``TINCAY_AUDIT_FLUSH_ALLOWED`` is off) refuses to flush at all: wiping the trail is not a maintenance task.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import connections, transaction
from django.utils.translation import gettext as _

from tincay.audit import guards, messages


class Command(flush.Command):
    help = flush.Command.help + " Lifts the audit triggers for the wipe (never in production)."

    def handle(self, **options) -> None:
        if not getattr(settings, "TINCAY_AUDIT_FLUSH_ALLOWED", False):
            raise CommandError(
                messages.bilingual(
                    lambda: _("manage.py flush would erase the audit trail: it is refused in production.")
                )
            )
        database = options["database"]
        connection = connections[database]
        with transaction.atomic(using=database):
            guards.uninstall(connection)
            super().handle(**options)
            guards.install(connection)
