"""With the Redis job queue too, the daily reminders chain is started once: the run waiting for tomorrow morning
(and a run already due, waiting in the stream) is seen, so neither the worker's job nor ``send_reminders
--enqueue`` starts a second chain; this holds before the library's status index is built as well."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import redis
from django.core.management import call_command
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django.test import override_settings
from django.utils import timezone

from tests.backing_services import unique
from tincay.improvement.tasks import VIETNAM, enqueue_next, send_due_reminders, waiting_run

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_queue(redis_url):
    prefix = unique("reminders")
    queue = {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"REDIS_URL": redis_url, "REDIS_KEY_PREFIX": prefix},
        }
    }
    with override_settings(TASKS=queue):
        yield task_backends["default"]
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def _waiting(backend) -> list[dict]:
    tasks, _total = backend.get_all_tasks(status=TaskResultStatus.READY, task_path=send_due_reminders.module_path)
    return tasks


def test_the_run_waiting_for_tomorrow_morning_is_seen(redis_queue):
    assert waiting_run() is None
    first = enqueue_next()
    assert first > timezone.now() and first.astimezone(VIETNAM).time() == dt.time(7, 0)
    assert waiting_run() == first
    assert enqueue_next() == first  # the worker's job chaining again: no second chain
    assert len(_waiting(redis_queue)) == 1


def test_a_run_already_due_is_seen_and_the_command_starts_the_chain_once(redis_queue):
    out = StringIO()
    call_command("send_reminders", "--enqueue", stdout=out)
    call_command("send_reminders", "--enqueue", stdout=out)
    assert "already waiting" in out.getvalue()
    assert len(_waiting(redis_queue)) == 1
    assert waiting_run() is not None


def test_the_run_is_seen_before_the_status_index_is_built(redis_queue, monkeypatch):
    first = enqueue_next()
    monkeypatch.setattr(redis_queue, "has_status_index", lambda: False)
    assert waiting_run() == first
    assert enqueue_next() == first
    assert len(_waiting(redis_queue)) == 1
