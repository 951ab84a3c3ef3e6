"""``manage.py periodic [--once | --loop] [--now ISO]``: run the periodic jobs that are due (``ops.schedule``).

``--loop`` (Procfile ``clock``, systemd ``tincay-clock``) checks every ``--every`` seconds (default 60) until
SIGTERM; ``--once`` checks now and stops (cron every few minutes does the same). Any number of clocks may run, on
any machines sharing the database: each job runs once a day whoever finds it due first (``services``).
``--list`` prints the latest runs. Each run prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from tincay.ops.models import PeriodicRun
from tincay.ops.services import holder_name, periodic_run_due


class Command(BaseCommand):
    help = "Run the periodic jobs (audit checkpoint, open-data snapshots, reminders) that are due, once each a day."

    def add_arguments(self, parser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="check now, then stop (the default)")
        mode.add_argument("--loop", action="store_true", help="check every --every seconds until stopped")
        mode.add_argument("--list", action="store_true", help="print the latest runs")
        parser.add_argument("--every", type=int, default=60, help="seconds between checks with --loop")
        parser.add_argument("--now", default="", help="check as at this time (ISO 8601, with --once; for trials)")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            for run in PeriodicRun.objects.all()[:30]:
                self.stdout.write(
                    f"{run.day:%Y-%m-%d}  {run.job:22} {run.state:8} {run.attempts}×  {run.holder}  "
                    f"{json.dumps(run.summary, ensure_ascii=False)}"
                )
            return
        now = None
        if options["now"]:
            if options["loop"]:
                raise CommandError("--now is for one check (--once); the loop runs on the clock.")
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now: {options['now']!r} is not a time like 2026-12-01T07:05+07:00") from None
            if now.tzinfo is None:
                raise CommandError("--now needs a time zone, e.g. 2026-12-01T07:05+07:00")
        if not options["loop"]:
            self._check(now)
            return
        if options["every"] < 1:
            raise CommandError("--every must be at least 1 second.")
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stderr.write(f"periodic clock {holder_name()}: checking every {options['every']} s")
        while not stop.is_set():
            close_old_connections()  # a database restart between checks costs one check, not the clock
            try:
                self._check(None)
            except Exception as error:  # the database is away: say so and try again at the next check
                self.stderr.write(f"periodic check failed, trying again in {options['every']} s: {error}")
            stop.wait(options["every"])

    def _check(self, now: dt.datetime | None) -> None:
        for line in periodic_run_due(now=now):
            self.stdout.write(json.dumps(line, ensure_ascii=False))
