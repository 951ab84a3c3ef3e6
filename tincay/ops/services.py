"""Running the periodic jobs once a day across every clock process.

:func:`periodic_run_due` is what each clock calls every minute. For each job of ``schedule.JOBS`` whose time of day
has come, it takes the day's lease (inserting the unique (job, day) row: of several clocks exactly one insert
succeeds), runs the job outside any transaction of its own (each job's services keep their own), and records the
outcome. A clock that dies mid-run leaves a ``running`` row whose lease expires after ``LEASE``; another clock then
takes it over (a conditional update: one winner). A failed run is tried again after ``RETRY_AFTER``, up to
``ATTEMPTS`` times in all. The jobs themselves are safe to repeat (reminders are claimed one by one, a snapshot is
cut only when something changed, a checkpoint records the head it verified), so a takeover never does harm.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tincay.ops.models import PeriodicRun, RunState
from tincay.ops.schedule import JOBS, PeriodicJob

logger = logging.getLogger(__name__)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
LEASE = dt.timedelta(minutes=30)
RETRY_AFTER = dt.timedelta(minutes=10)
ATTEMPTS = 3


def holder_name() -> str:
    """This process, as the lease names it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def due_day(job: PeriodicJob, now: dt.datetime) -> dt.date:
    """The day whose run is due at ``now``: today once the job's time has come, else yesterday (so a clock that was
    down at that time still runs it)."""
    local = now.astimezone(VIETNAM)
    return local.date() if local.time() >= job.at else local.date() - dt.timedelta(days=1)


def _take(job: PeriodicJob, day: dt.date, holder: str, now: dt.datetime) -> PeriodicRun | None:
    """The day's lease for this holder, or None when another clock holds it or the run is over."""
    try:
        with transaction.atomic():
            return PeriodicRun.objects.create(
                job=job.name, day=day, holder=holder, started_at=now, lease_until=now + LEASE
            )
    except IntegrityError:
        pass  # the row exists: taken over only if its holder died or it failed and may be tried again
    expired = Q(state=RunState.RUNNING, lease_until__lt=now)
    retry = Q(state=RunState.FAILED, attempts__lt=ATTEMPTS, finished_at__lt=now - RETRY_AFTER)
    taken = (
        PeriodicRun.objects.filter(job=job.name, day=day)
        .filter(expired | retry)
        .update(
            state=RunState.RUNNING,
            holder=holder,
            attempts=F("attempts") + 1,
            started_at=now,
            lease_until=now + LEASE,
            finished_at=None,
        )
    )
    return PeriodicRun.objects.get(job=job.name, day=day) if taken else None


def _finish(run: PeriodicRun, state: str, summary: dict[str, Any], at: dt.datetime | None = None) -> bool:
    """Record the outcome, unless the lease was taken over meanwhile (then the other holder's record stands)."""
    return bool(
        PeriodicRun.objects.filter(
            pk=run.pk, holder=run.holder, state=RunState.RUNNING, started_at=run.started_at
        ).update(state=state, finished_at=at or timezone.now(), summary=summary)
    )


def periodic_run_due(*, now: dt.datetime | None = None, holder: str | None = None) -> list[dict[str, Any]]:
    """Run every job that is due and not yet run (or taken over) today; returns one line per job run here.
    ``now`` (a trial, ``periodic --now``) is also recorded as the time each run finished."""
    finished_at = now
    now = now or timezone.now()
    holder = holder or holder_name()
    ran = []
    for job in JOBS:
        day = due_day(job, now)
        run = _take(job, day, holder, now)
        if run is None:
            continue
        try:
            summary = job.run(day)
        except Exception as error:  # recorded and retried; one job's failure never stops the others
            logger.exception("periodic job %s of %s failed", job.name, day)
            _finish(run, RunState.FAILED, {"error": f"{type(error).__name__}: {error}"[:2000]}, finished_at)
            ran.append({"job": job.name, "day": day.isoformat(), "state": RunState.FAILED, "error": str(error)})
            continue
        summary = _jsonable(summary)
        _finish(run, RunState.DONE, summary, finished_at)
        ran.append({"job": job.name, "day": day.isoformat(), "state": RunState.DONE, **summary})
    return ran


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
