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
    """When the next run already waits in the queue (None when none waits, or with the immediate backend, where
    nothing waits). Read where each backend keeps its waiting jobs:

    - database (django-tasks-db): the earliest ``READY`` row of this task;
    - redis (django-tasks-redis): its status index, one sorted set of the ``READY`` jobs per queue scored by the time
      each waits from (``run_after`` for a delayed one: a run waiting for tomorrow morning, and one already due in
      the stream alike), each job's hash read for its task; until the index is built (an instance that stored jobs
      before the library had it: ``manage.py rebuild_redis_status_index``) every stored job is read instead.

    Were a waiting run missed, ``enqueue_next`` would start a second chain: reminders are still sent once each, and
    the chains join again at the next run (each sees the other's run waiting)."""
    backend = send_due_reminders.get_backend()
    library = type(backend).__module__.split(".")[0]
    if library == "django_tasks_db":
        return _waiting_in_database()
    if library == "django_tasks_redis":
        return _waiting_in_redis(backend)
    return None


def _waiting_in_database() -> dt.datetime | None:
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.filter(task_path=send_due_reminders.module_path, status="READY")
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )


def _waiting_in_redis(backend: Any) -> dt.datetime | None:
    from django.tasks.base import TaskResultStatus
    from django_tasks_redis.utils import (
        deserialize_datetime,
        deserialize_timestamp,
        get_result_key,
        get_status_index_key,
    )

    ready, path = TaskResultStatus.READY, send_due_reminders.module_path
    if not backend.has_status_index():
        tasks, _total = backend.get_all_tasks(status=ready, task_path=path, limit=10_000)
        times = [
            max(t for t in (deserialize_datetime(task.get(name, "")) for name in ("enqueued_at", "run_after")) if t)
            for task in tasks
        ]
        return min(times, default=None)
    client = backend.get_client()
    index = get_status_index_key(backend.key_prefix, backend.alias, ready, send_due_reminders.queue_name)
    waiting = client.zrange(index, 0, -1, withscores=True)  # the time each waits from, earliest first
    for start in range(0, len(waiting), 500):
        batch = waiting[start : start + 500]
        pipeline = client.pipeline(transaction=False)
        for task_id, _score in batch:
            pipeline.hmget(get_result_key(backend.key_prefix, backend.alias, task_id), "task_path", "status")
        for (_task_id, score), (task_path, status) in zip(batch, pipeline.execute(), strict=True):
            if task_path == path and status == ready:  # an entry whose job expired has neither
                return deserialize_timestamp(score)
    return None


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
