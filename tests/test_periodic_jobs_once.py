"""Periodic jobs run once a day whatever the number of clocks: the (job, day) row is the lease; a dead holder's
lease is taken over once it expires, a failed run is tried again later and a limited number of times, and a holder
whose lease was taken over cannot overwrite the new holder's outcome. (Two clock processes at once on PostgreSQL:
``test_scaleout_processes``.)"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tincay.common.errors import Refused
from tincay.ops import services
from tincay.ops.models import PeriodicRun, RunState
from tincay.ops.schedule import JOBS, PeriodicJob

pytestmark = pytest.mark.django_db

VN = dt.timezone(dt.timedelta(hours=7))
MORNING = dt.datetime(2031, 3, 2, 8, 0, tzinfo=VN)


@pytest.fixture
def calls(monkeypatch):
    made: list[tuple[str, dt.date]] = []
    failing: set[str] = set()

    def job(name: str, at: dt.time) -> PeriodicJob:
        def run(day: dt.date) -> dict:
            made.append((name, day))
            if name in failing:
                raise RuntimeError(f"{name} broke")
            return {"day": day}

        return PeriodicJob(name, at, name, run)

    monkeypatch.setattr(services, "JOBS", (job("early", dt.time(2, 15)), job("morning", dt.time(7, 0))))
    return made, failing


def test_each_job_runs_once_a_day_from_its_time(calls):
    made, _failing = calls
    before_seven = MORNING.replace(hour=6)
    ran = services.periodic_run_due(now=before_seven, holder="a")
    # the early job is due today; the morning job's latest due day is yesterday (a clock down at 07:00 catches up)
    assert made == [("early", dt.date(2031, 3, 2)), ("morning", dt.date(2031, 3, 1))]
    assert [line["state"] for line in ran] == ["done", "done"]
    assert services.periodic_run_due(now=before_seven, holder="b") == []
    services.periodic_run_due(now=MORNING, holder="b")
    assert made[-1] == ("morning", dt.date(2031, 3, 2))
    assert services.periodic_run_due(now=MORNING + dt.timedelta(hours=5), holder="c") == []
    assert len(made) == 3


def test_a_dead_holders_lease_is_taken_over_once_it_expires(calls):
    made, _failing = calls
    PeriodicRun.objects.create(
        job="morning", day=MORNING.date(), holder="dead:1", started_at=MORNING, lease_until=MORNING + services.LEASE
    )
    PeriodicRun.objects.create(
        job="early",
        day=MORNING.date(),
        holder="done:1",
        state=RunState.DONE,
        started_at=MORNING,
        lease_until=MORNING,
        finished_at=MORNING,
    )
    assert services.periodic_run_due(now=MORNING + dt.timedelta(minutes=5), holder="b") == []
    later = MORNING + services.LEASE + dt.timedelta(minutes=1)
    assert [line["job"] for line in services.periodic_run_due(now=later, holder="b")] == ["morning"]
    run = PeriodicRun.objects.get(job="morning", day=MORNING.date())
    assert (run.holder, run.state, run.attempts) == ("b", RunState.DONE, 2)
    assert made == [("morning", MORNING.date())]


def test_a_failed_run_is_tried_again_later_and_only_so_often(calls):
    made, failing = calls
    failing.add("morning")
    first = services.periodic_run_due(now=MORNING, holder="a")
    assert [line["state"] for line in first] == ["done", "failed"] and "morning broke" in first[1]["error"]
    assert PeriodicRun.objects.get(job="morning").summary == {"error": "RuntimeError: morning broke"}
    assert services.periodic_run_due(now=MORNING + dt.timedelta(minutes=1), holder="a") == []  # not at once
    when = MORNING
    for _ in range(services.ATTEMPTS - 1):
        when += services.RETRY_AFTER + dt.timedelta(minutes=1)
        assert [line["state"] for line in services.periodic_run_due(now=when, holder="a")] == ["failed"]
    when += services.RETRY_AFTER + dt.timedelta(minutes=1)
    assert services.periodic_run_due(now=when, holder="a") == []  # given up for the day: the list shows it failed
    assert PeriodicRun.objects.get(job="morning").attempts == services.ATTEMPTS
    assert [name for name, _day in made].count("morning") == services.ATTEMPTS


def test_a_holder_whose_lease_was_taken_over_cannot_record_its_outcome():
    start = dt.datetime(2031, 3, 2, 1, 0, tzinfo=dt.UTC)
    run = PeriodicRun.objects.create(job="x", day=start.date(), holder="old", started_at=start, lease_until=start)
    PeriodicRun.objects.filter(pk=run.pk).update(holder="new", started_at=start + dt.timedelta(hours=1))
    assert services._finish(run, RunState.DONE, {"by": "old"}) is False
    assert PeriodicRun.objects.get(pk=run.pk).state == RunState.RUNNING


def test_the_schedule_names_the_three_jobs_and_the_snapshot_job_is_for_servers_only(users):
    from tincay.reports.services import snapshots_refresh

    assert [job.name for job in JOBS] == ["audit_checkpoint", "open_data_snapshots", "reminders"]
    with pytest.raises(Refused):
        snapshots_refresh(actor=users["quantri"])


def test_the_command_checks_lists_and_refuses_a_time_without_zone(calls):
    out = StringIO()
    call_command("periodic", "--once", "--now", "2031-03-02T08:00:00+07:00", stdout=out)
    assert out.getvalue().count('"state": "done"') == 2
    listed = StringIO()
    call_command("periodic", "--list", stdout=listed)
    assert "2031-03-02  morning" in listed.getvalue() and "done" in listed.getvalue()
    with pytest.raises(CommandError, match="time zone"):
        call_command("periodic", "--once", "--now", "2031-03-02T08:00:00")
    with pytest.raises(CommandError, match="not a time"):
        call_command("periodic", "--once", "--now", "tomorrow")
