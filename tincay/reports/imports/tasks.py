"""Background job of imports: the real import of a checked spreadsheet, run by the worker (``manage.py
db_worker``), or inline in the request with the immediate backend (TINCAY_TASKS_BACKEND=immediate).

The job records its progress and outcome in the :class:`~tincay.reports.models.ImportRun` row, which the run's
page shows; the job's own result only repeats the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.tasks import task

from tincay.reports.imports.service import import_check_queued, import_run
from tincay.reports.models import ImportRun


@task
def run_import(run_id: int, user_id: int) -> dict[str, Any]:
    """Import the checked run ``run_id`` as the user who asked for it (all or nothing)."""
    # the dry run's report (every row) is not needed to import: not read, it weighs nothing here
    run = ImportRun.objects.select_related("campaign__version").defer("report").get(pk=run_id)
    user = get_user_model().objects.get(pk=user_id)
    run = import_run(user=user, run=run)
    return {"status": run.status, "rows_written": run.rows_written, "message": run.message}


@task
def check_import(run_id: int) -> dict[str, Any]:
    """The dry run of a large file (``service.import_check`` queues it): nothing written but the run's report."""
    run = import_check_queued(run_id)
    return {"status": run.status, "message": run.message}
