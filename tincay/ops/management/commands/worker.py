"""``manage.py worker``: work the job queue, whichever backend the settings name (``TINCAY_TASKS_BACKEND``).

- ``database`` (default): django-tasks-db's ``db_worker`` (jobs in the database's queue table);
- ``redis``: django-tasks-redis' ``run_redis_tasks --continuous`` (jobs in Redis streams; a job whose worker died
  is taken again by another worker after ``TINCAY_TASKS_CLAIM_SECONDS``);
- ``immediate``: nothing to work, every job runs inside the request that asks for it.

Run as many as the load needs (Procfile ``worker``, systemd ``tincay-worker@N``): each takes one job at a time, and
SIGTERM lets the running job finish before the process leaves.

Each worker also sweeps, at start and then every ``--sweep-every`` seconds (default 60) in a thread of its own, for
documents whose job the queue lost (``reports.generation.generated_files_requeue``: never queued while Redis was
down, lost with a Redis restart, abandoned by a killed worker) and queues them again; with several workers each file
is queued again once. ``--once`` sweeps once before taking the jobs waiting.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections, connection

from tincay.reports.generation import generated_files_requeue

log = logging.getLogger(__name__)
ACTOR = "worker"  # the server process named to the sweep


def sweep() -> None:
    """One sweep; a failure (the database away) is logged and the next sweep tries again."""
    close_old_connections()
    try:
        generated_files_requeue(actor=ACTOR)
    except Exception:
        log.exception("the documents sweep failed; the next one tries again")


def _sweep_every(seconds: int, stop: threading.Event) -> None:
    try:
        while not stop.wait(seconds):
            sweep()
    finally:
        connection.close()  # this thread's own connection


class Command(BaseCommand):
    help = "Work the job queue (documents, imports, reminders) with the worker of the configured backend."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="take the jobs waiting now, then stop (tests)")
        parser.add_argument(
            "--sweep-every", type=int, default=60, help="seconds between sweeps for documents the queue lost"
        )

    def handle(self, *args, **options) -> None:
        backend = settings.TINCAY_TASKS_BACKEND
        if backend not in ("database", "redis"):
            raise CommandError(
                "TINCAY_TASKS_BACKEND=immediate runs every job inside the request that asks for it: "
                "there is no queue to work. Use database or redis to run workers."
            )
        if options["sweep_every"] < 1:
            raise CommandError("--sweep-every must be at least 1 second.")
        sweep()
        stop = threading.Event()
        if not options["once"]:
            threading.Thread(
                target=_sweep_every, args=(options["sweep_every"], stop), name="documents-sweep", daemon=True
            ).start()
        try:
            if backend == "database":
                call_command("db_worker", *(["--batch"] if options["once"] else []))
            else:
                call_command("run_redis_tasks", *([] if options["once"] else ["--continuous"]))
        finally:
            stop.set()
