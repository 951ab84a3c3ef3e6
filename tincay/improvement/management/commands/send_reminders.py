"""``manage.py send_reminders [--today YYYY-MM-DD] [--enqueue]``: send the reminders due today (for cron).

Without options: send what is due on or before today in Vietnam and print the summary. ``--today`` sends as of
another day (catching up after an outage is automatic; this is for trying a rule out). ``--enqueue`` starts the
daily chain in the job queue instead: a ``manage.py db_worker`` runs it now and then every morning at 07:00.
Running both cron and the worker is safe: each reminder is sent once, whoever claims it first.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from tincay.improvement.services.reminders import reminders_send_due
from tincay.improvement.tasks import send_due_reminders, waiting_run


class Command(BaseCommand):
    help = "Send the action reminders due today (once each, whatever else runs); --enqueue starts the daily job."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--today", default="", help="send as of this day (YYYY-MM-DD) instead of today")
        parser.add_argument(
            "--enqueue", action="store_true", help="start the daily job in the worker queue instead of sending now"
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            if options["today"]:
                raise CommandError("--enqueue runs as of the day the worker runs it; leave --today out.")
            waiting = waiting_run()
            if waiting is not None:
                self.stdout.write(f"already waiting in the queue, runs at {waiting.isoformat()}")
                return
            result = send_due_reminders.enqueue(chain=True)
            self.stdout.write(self.style.SUCCESS(f"enqueued ({result.id}); the worker chains it every morning"))
            return
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today: {options['today']!r} is not a date like 2026-01-05") from None
        summary = reminders_send_due(today=today, worker="send_reminders")
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
