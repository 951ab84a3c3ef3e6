"""Background jobs of improvement: sending the reminders due today, every morning.

``send_due_reminders`` sends what is due (``services.reminders.reminders_send_due``, safe with several workers) and
enqueues itself for the next 07:00 in Vietnam, so one ``manage.py db_worker`` keeps the chain going. Start the
chain once with ``manage.py send_reminders --enqueue``; cron may call ``manage.py send_reminders`` as well or
instead (a reminder is sent once whoever runs first). With the immediate backend (TINCAY_TASKS_BACKEND=immediate)
nothing can wait until tomorrow, so the job does not chain: use cron there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.tasks import task
from django.utils import timezone

from tincay.improvement.services.reminders import reminders_send_due

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MORNING = dt.time(7, 0)


def next_morning(now: dt.datetime | None = None) -> dt.datetime:
    """The next 07:00 in Vietnam strictly after ``now`` (aware)."""
    local = (now or timezone.now()).astimezone(VIETNAM)
    at = dt.datetime.combine(local.date(), MORNING, tzinfo=VIETNAM)
    return at if at > local else at + dt.timedelta(days=1)


def waiting_run() -> dt.datetime | None:
    """When the next run already waits in the database queue (None when none waits or the backend is another)."""
    backend = send_due_reminders.get_backend()
    if type(backend).__module__.split(".")[0] != "django_tasks_db":
        return None
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=send_due_reminders.module_path, status="READY")
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )


def enqueue_next(now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue tomorrow morning's run unless one already waits (two chains would only double the work); returns
    when it runs, or None when the backend cannot wait (immediate: use cron)."""
    backend = send_due_reminders.get_backend()
    if not backend.supports_defer:
        return None
    waiting = waiting_run()
    if waiting is not None:
        return waiting
    when = next_morning(now)
    send_due_reminders.using(run_after=when).enqueue(chain=True)
    return when


@task
def send_due_reminders(chain: bool = True) -> dict[str, Any]:
    """Send the reminders due today, then (``chain``) enqueue the next morning's run."""
    summary = reminders_send_due(worker="db_worker")
    if chain:
        when = enqueue_next()
        summary["next_run"] = when.isoformat() if when else None
    return summary
