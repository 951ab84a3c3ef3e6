"""``manage.py worker`` runs the worker of whichever job queue the settings name (the Procfile and the systemd
units call it), and says plainly that the immediate backend has no queue to work."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tincay.ops.management.commands import worker


@pytest.fixture
def ran(monkeypatch):
    calls = []
    monkeypatch.setattr(worker, "call_command", lambda *args: calls.append(args))
    monkeypatch.setattr(worker, "sweep", lambda: calls.append(("sweep",)))
    return calls


@pytest.mark.parametrize(
    ("backend", "once", "expected"),
    [
        ("database", False, ("db_worker",)),
        ("database", True, ("db_worker", "--batch")),
        ("redis", False, ("run_redis_tasks", "--continuous")),
        ("redis", True, ("run_redis_tasks",)),
    ],
)
def test_the_configured_backends_worker_runs(ran, settings, backend, once, expected):
    settings.TINCAY_TASKS_BACKEND = backend
    call_command("worker", *(["--once"] if once else []))
    assert ran == [("sweep",), expected]  # a sweep for documents the queue lost first


def test_the_immediate_backend_has_no_queue(ran, settings):
    settings.TINCAY_TASKS_BACKEND = "immediate"
    with pytest.raises(CommandError, match="no queue to work"):
        call_command("worker")
    assert ran == []
