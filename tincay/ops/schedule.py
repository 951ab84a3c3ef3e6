"""The periodic jobs and when they are due each day (Vietnam time). ``services.periodic_run_due`` runs each at most
once a day across every clock process (``manage.py periodic --loop``; Procfile ``clock``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

ACTOR = "periodic"  # the actor named in the audit trail by what the periodic jobs write


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    at: dt.time  # due from this time of day (Vietnam), once that day
    title: Any
    run: Callable[[dt.date], dict[str, Any]]


def _audit_checkpoint(day: dt.date) -> dict[str, Any]:
    from tincay.audit.services import audit_checkpoint_write

    check, written = audit_checkpoint_write()
    if written is None:
        # a broken trail gets no checkpoint; the run fails so that it is retried and shows as failed
        raise RuntimeError(f"audit trail check failed ({len(check.findings)} problems): run manage.py audit_verify")
    return {"events": written.count, "last_id": written.last_id, "file": written.name}


def _open_data_snapshots(day: dt.date) -> dict[str, Any]:
    from tincay.reports.services import snapshots_refresh

    return snapshots_refresh(actor=ACTOR)


def _reminders(day: dt.date) -> dict[str, Any]:
    from tincay.improvement.services.reminders import reminders_send_due

    return reminders_send_due(today=day, worker=ACTOR)


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("audit_checkpoint", dt.time(2, 15), _("Audit trail check and checkpoint"), _audit_checkpoint),
    PeriodicJob(
        "open_data_snapshots", dt.time(3, 0), _("New open-data snapshots where results changed"), _open_data_snapshots
    ),
    PeriodicJob("reminders", dt.time(7, 0), _("Action reminders due today"), _reminders),
)
