"""``manage.py worker``: work the job queue, whichever backend the settings name (``TINCAY_TASKS_BACKEND``).

- ``database`` (default): django-tasks-db's ``db_worker`` (jobs in the database's queue table);
- ``redis``: django-tasks-redis' ``run_redis_tasks --continuous`` (jobs in Redis streams; a job whose worker died
  is taken again by another worker after ``TINCAY_TASKS_CLAIM_SECONDS``);
- ``immediate``: nothing to work, every job runs inside the request that asks for it.

Run as many as the load needs (Procfile ``worker``, systemd ``tincay-worker@N``): each takes one job at a time, and
SIGTERM lets the running job finish before the process leaves.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Work the job queue (documents, imports, reminders) with the worker of the configured backend."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="take the jobs waiting now, then stop (tests)")

    def handle(self, *args, **options) -> None:
        backend = settings.TINCAY_TASKS_BACKEND
        if backend == "database":
            call_command("db_worker", *(["--batch"] if options["once"] else []))
        elif backend == "redis":
            call_command("run_redis_tasks", *([] if options["once"] else ["--continuous"]))
        else:
            raise CommandError(
                "TINCAY_TASKS_BACKEND=immediate runs every job inside the request that asks for it: "
                "there is no queue to work. Use database or redis to run workers."
            )
