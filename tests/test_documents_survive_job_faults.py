"""Documents survive faults of the queue and the workers, and are made once: a request made while the queue is down
is answered and the file waits; the worker's sweep queues it again once the queue is back, and queues again a job
the queue lost (with a doubling wait, so a long backlog is not flooded with duplicates); a file abandoned by a killed
worker is taken over by the next delivery after the lease and done once (a slow first build that ends later keeps
nothing); a fresh claim is left alone; a file whose builds keep dying fails with a message."""

from __future__ import annotations

import datetime as dt
import logging
import signal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.document_fixtures import document_campaign, made
from tincay.common.errors import Refused
from tincay.reports import generation
from tincay.reports.generation import generated_file_build, generated_files_requeue, lease
from tincay.reports.models import GeneratedFile, JobStatus
from tincay.reports.tasks import build_generated_file

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "van-ban-su-co") as found:
        yield found


@pytest.fixture
def waiting(world, users) -> GeneratedFile:
    """A decision asked for by the coordinator, not built yet (its job not run)."""
    _campaign, own, _other = world
    return made(users["dieuphoi"], build=False, kind="decision", assessment_id=own.pk)


def _claimed(generated: GeneratedFile, *, ago: dt.timedelta, attempts: int = 1) -> None:
    """As a worker left it that took the file ``ago`` and was killed (or is still busy)."""
    GeneratedFile.objects.filter(pk=generated.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now() - ago, attempts=attempts, progress=70
    )


def _jobs(generated: GeneratedFile) -> int:
    """The jobs waiting in the database queue for this file."""
    found = DBTaskResult.objects.filter(task_path=build_generated_file.module_path)
    return sum(1 for job in found if job.args_kwargs["args"] == [generated.pk])


def _stored() -> set[str]:
    """The documents in storage this month (other tests' too: compare before and after)."""
    folder = timezone.now().strftime("generated/%Y/%m")
    _folders, files = default_storage.listdir(folder) if default_storage.exists(folder) else ([], [])
    return {f"{folder}/{name}" for name in files}


def test_a_request_while_the_queue_is_down_is_answered_and_built_once_the_queue_is_back(
    world, users, tasks_redis_down, client_for, django_capture_on_commit_callbacks, caplog
):
    _campaign, own, _other = world
    form = {"assessment": own.pk, "kind": "decision", "fmt": "docx", "number": "12"}
    with (
        caplog.at_level(logging.WARNING, logger="tincay.reports.generation"),
        override_settings(TASKS=tasks_redis_down),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for("lanhdao").post("/reports/documents/new/", form)
    assert response.status_code == 302 and response["Location"] == "/reports/documents/"
    generated = GeneratedFile.objects.get(requested_by=users["lanhdao"])
    assert generated.status == JobStatus.QUEUED and generated.enqueued_at is None
    assert f"generated file {generated.pk} was not queued (ConnectionError" in caplog.text
    assert "<progress" in client_for("lanhdao").get("/reports/documents/").content.decode()  # shown as waiting

    later = generated.requested_at + generation.REQUEUE_AFTER
    with override_settings(TASKS=tasks_redis_down):  # still down: the sweep stops at once and leaves the file waiting
        assert generated_files_requeue(actor="worker", now=later) == {"queued": 0, "failed": 0, "refused": 1}
    generated.refresh_from_db()
    assert generated.status == JobStatus.QUEUED and generated.enqueued_at is None

    with override_settings(TASKS=IMMEDIATE):  # the queue is back: the next sweep hands it over and it is built
        assert generated_files_requeue(actor="worker", now=later + MINUTE)["queued"] == 1
    generated.refresh_from_db()
    assert generated.status == JobStatus.DONE and generated.attempts == 1 and generated.sha256
    assert generated.options["number"] == 12


def test_the_api_answers_202_while_the_queue_is_down(
    world, users, tasks_redis_down, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    _campaign, own, _other = world
    client = APIClient()
    client.force_authenticate(users["dieuphoi"])
    with override_settings(TASKS=tasks_redis_down), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/documents/generated/", {"kind": "self_report", "assessment": own.pk}, format="json"
        )
    assert response.status_code == 202, response.json()
    assert GeneratedFile.objects.get(pk=response.json()["id"]).status == JobStatus.QUEUED


def test_a_file_abandoned_by_a_killed_worker_is_taken_over_and_done_once(waiting):
    _claimed(waiting, ago=lease() + dt.timedelta(seconds=1))
    before = _stored()
    done = generated_file_build(waiting.pk)  # the job delivered again (Redis after its claim timeout, or the sweep)
    assert done.status == JobStatus.DONE and done.attempts == 2 and done.progress == 100
    again = generated_file_build(waiting.pk)  # a further delivery leaves the done file as it is
    assert (again.status, again.file.name, again.finished_at) == (JobStatus.DONE, done.file.name, done.finished_at)
    assert _stored() - before == {done.file.name}


def test_the_next_database_worker_builds_what_a_killed_one_left(waiting, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from tincay.ops.management.commands import worker

    settings.TINCAY_TASKS_BACKEND = "database"  # a killed db_worker's job stays "running" in its table: never redone
    for command in (worker, db_worker):  # the test's transaction is the connection: it must stay open
        monkeypatch.setattr(command, "close_old_connections", lambda: None)
    _claimed(waiting, ago=lease() + generation.REQUEUE_AFTER)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", "--once")  # sweeps (the file is queued again), then works the queue
    finally:
        for sig, handler in handlers.items():  # db_worker's own handlers stay behind otherwise
            signal.signal(sig, handler)
    built = GeneratedFile.objects.get(pk=waiting.pk)
    assert built.status == JobStatus.DONE and built.attempts == 2 and built.sha256
    assert _jobs(waiting) == 1


def test_a_file_claimed_within_the_lease_is_left_to_its_build(waiting):
    _claimed(waiting, ago=lease() - dt.timedelta(seconds=30))
    left = generated_file_build(waiting.pk)  # a duplicate delivery while the first build still works
    assert (left.status, left.attempts, left.progress, left.file.name) == (JobStatus.RUNNING, 1, 70, "")
    with override_settings(TASKS=IMMEDIATE):
        assert generated_files_requeue(actor="worker")["queued"] == 0
    assert GeneratedFile.objects.get(pk=waiting.pk).status == JobStatus.RUNNING


def test_a_slow_first_build_that_ends_after_a_takeover_keeps_nothing(waiting, monkeypatch):
    real, builds = generation._docx, []

    def slow(generated, document):
        builds.append(generated.started_at)
        content = real(generated, document)
        if len(builds) == 1:  # the first build is still busy when its lease runs out and the job is delivered again
            GeneratedFile.objects.filter(pk=generated.pk).update(started_at=timezone.now() - lease() - MINUTE)
            builds.append(generated_file_build(generated.pk))
        return content

    monkeypatch.setattr(generation, "_docx", slow)
    before = _stored()
    late = generated_file_build(waiting.pk)
    winner = builds[-1]
    assert winner.status == JobStatus.DONE and winner.attempts == 2
    row = GeneratedFile.objects.get(pk=waiting.pk)
    assert late.file.name == row.file.name == winner.file.name  # the late build reports the winner's outcome
    assert (row.finished_at, row.sha256, row.size) == (winner.finished_at, winner.sha256, winner.size)
    assert _stored() - before == {winner.file.name}  # the late build's own file was removed


def test_a_file_whose_builds_keep_dying_fails_with_a_message(waiting):
    _claimed(waiting, ago=lease() + MINUTE, attempts=generation.ATTEMPTS)
    with override_settings(TASKS=IMMEDIATE):
        assert generated_files_requeue(actor="worker")["failed"] == 1
    failed = GeneratedFile.objects.get(pk=waiting.pk)
    assert failed.status == JobStatus.FAILED and failed.finished_at is not None
    assert failed.message == "Không tạo được văn bản; quản trị viên có thông tin chi tiết."
    assert generated_file_build(waiting.pk).status == JobStatus.FAILED  # a late delivery changes nothing


def test_the_sweep_queues_a_lost_job_again_with_doubling_waits(waiting):
    start = waiting.requested_at
    assert generated_files_requeue(actor="worker", now=start + MINUTE)["queued"] == 0  # its own job may be on its way
    queued_at = []
    for minute in range(2, 121):  # two hours of a queue that lost the job (or a backlog), swept every minute
        if generated_files_requeue(actor="worker", now=start + minute * MINUTE)["queued"]:
            queued_at.append(minute)
    assert queued_at == [2, 4, 8, 16, 32, 64]  # a handful of deliveries, not one a minute
    assert _jobs(waiting) == 6
    assert generated_files_requeue(actor="worker", now=start + 64 * MINUTE)["queued"] == 0  # a second worker, too


def test_the_sweep_queues_a_job_lost_after_it_was_queued(waiting):
    GeneratedFile.objects.filter(pk=waiting.pk).update(enqueued_at=waiting.requested_at)  # queued, then Redis lost it
    start = waiting.requested_at
    assert generated_files_requeue(actor="worker", now=start + MINUTE)["queued"] == 0
    assert generated_files_requeue(actor="worker", now=start + 2 * MINUTE)["queued"] == 1
    assert generated_files_requeue(actor="worker", now=start + 3 * MINUTE)["queued"] == 0
    assert _jobs(waiting) == 1


def test_only_a_server_process_sweeps(users):
    with pytest.raises(Refused):
        generated_files_requeue(actor=users["quantri"])
