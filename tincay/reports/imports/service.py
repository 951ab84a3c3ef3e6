"""The dry run and the real import of a spreadsheet: results into a campaign, or people, units and lineage.

The dry run (:func:`import_check`) runs the real import's code path (the kind's ``import_rows``, which writes
through the owning app's services) inside a transaction that is always rolled back, so nothing of it stays: no
results, no audit events, no mails, no ``on_commit`` callbacks (Django drops those of a rolled-back block). What
stays is the :class:`ImportRun`: the report of every row, the stored file and its SHA-256.

The real import (:func:`import_run`, in the worker through ``tasks.run_import``) starts only from a run that was
checked without errors, by the person who checked it, from the stored file whose SHA-256 is the one checked (and,
when the file is given again, only if it is the same file). It runs the same code path again, since the data or
the rights may have changed since the dry run, and keeps everything only if every row is still good.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tincay.assessments.models import Campaign
from tincay.common.errors import InvalidInput, Refused
from tincay.common.files import safe_filename
from tincay.common.tabular import Table, TableError, check_size, read_table, sha256_of
from tincay.reports.imports.base import ImportKind, Report
from tincay.reports.imports.kinds import KINDS
from tincay.reports.models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)


class _RolledBack(Exception):
    """Leaves the dry run's transaction, carrying its report, so that everything done inside is rolled back."""

    def __init__(self, report: Report):
        super().__init__("dry run")
        self.report = report


INLINE_BYTES = 1024 * 1024  # larger files are checked in the worker


def _max_bytes() -> int:
    return int(getattr(settings, "TINCAY_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _upload_bytes(upload: Any) -> tuple[str, int, bytes]:
    """The name, size and content of an uploaded file (a Django ``UploadedFile`` or any binary file with a
    ``name``); a file above the size limit is not read (its content is empty)."""
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if isinstance(size, int) and size > _max_bytes():
        return name, size, b""
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = bytes(upload.read(_max_bytes() + 1))
    return name, len(data), data


def _report_of_file_error(kind: str, message: str) -> dict[str, Any]:
    counts = {"new": 0, "changed": 0, "unchanged": 0, "refused": 0, "total": 0}
    return {"kind": kind, "counts": counts, "columns": [], "ignored": [], "rows": [], "errors": [message]}


def _summary(report: Report) -> str:
    counts = report.counts()
    return _("%(total)s rows: %(new)s new, %(changed)s changed, %(unchanged)s unchanged, %(refused)s refused.") % counts


def _inline_bytes() -> int:
    return int(getattr(settings, "TINCAY_IMPORT_INLINE_BYTES", INLINE_BYTES))


def _kind(code: Any, campaign: Campaign | None) -> ImportKind:
    kind = KINDS.get(code) if isinstance(code, str) else None
    if kind is None or kind.needs_campaign != (campaign is not None):
        raise InvalidInput({"kind": _("Choose what the file holds.")})
    return kind


def import_check(*, user: Any, kind: str, upload: Any, campaign: Campaign | None = None) -> ImportRun:
    """The dry run: check the file row by row through the real import's code path, keep nothing of it but the
    :class:`ImportRun` (status ``checked`` when every row is good, else ``refused``). Results and measured values
    go into ``campaign``; people, units and lineage events into no campaign. A file above ``INLINE_BYTES`` (about
    8,000 rows) is checked in the worker instead: the run is returned ``checking`` and its page follows the
    progress."""
    if not _kind(kind, campaign).may_import(user, campaign):
        raise Refused(_kind(kind, campaign).refused_message())
    name, size, data = _upload_bytes(upload)
    run = ImportRun(
        kind=kind,
        campaign=campaign,
        requested_by=user,
        filename=safe_filename(name or "tep", max_length=200),
        size=size,
        sha256=sha256_of(data) if data else "",
    )
    if data and size <= _max_bytes() and size > _inline_bytes():
        from tincay.reports.imports.tasks import check_import  # the task module imports this one

        run.status, run.progress, run.message = ImportStatus.CHECKING, 0, _("Waiting for the worker to check the file.")
        run.file.save(f"{run.sha256}.upload", ContentFile(data), save=False)
        run.save()
        transaction.on_commit(
            lambda: _queue(
                lambda: check_import.enqueue(run.pk),
                run.pk,
                ImportStatus.CHECKING,
                ImportStatus.FAILED,
                gettext_lazy(
                    "The job queue could not be reached, so the file was not checked and nothing was imported. "
                    "Check the file again in a few minutes."
                ),
            )
        )
        return run
    return _check(run, data)


def _queue(enqueue: Any, run_id: int, waiting: str, back_to: str, message: Any) -> bool:
    """Hand a run's job to the queue. When the queue cannot take it (Redis down), the run leaves its waiting
    status for ``back_to`` with ``message``, so that the person sees what to do instead of a run that never moves
    (the request that asked is not failed for a fault that is not theirs)."""
    try:
        enqueue()
    except Exception as error:  # whatever the backend raises: the queue is away, not the request's fault
        logger.warning("import run %s was not queued (%s: %s)", run_id, type(error).__name__, error)
        ImportRun.objects.filter(pk=run_id, status=waiting).update(status=back_to, progress=0, message=str(message))
        return False
    return True


def _check(run: ImportRun, data: bytes) -> ImportRun:
    """Read and check ``data`` for ``run`` (a new run, or one waiting in the worker), and record the outcome."""
    kind, name = KINDS[run.kind], run.filename
    try:
        check_size(run.size, name=name, max_bytes=_max_bytes())
        table = read_table(data, name=name, columns=kind.columns(), max_bytes=_max_bytes())
        kind.check_columns(table)
    except TableError as exc:
        run.status, run.message, run.progress = ImportStatus.REFUSED, exc.message, 0
        run.report = _report_of_file_error(run.kind, exc.message)
        run.finished_at = timezone.now()
        run.save()
        return run
    if run.pk:
        _progress(run, progress=20, message=_("Checking %(n)s rows.") % {"n": len(table.rows)})
    report = _dry_run(run.requested_by, run.campaign, kind, table)
    run.status = ImportStatus.REFUSED if report.refused else ImportStatus.CHECKED
    run.report = report.as_json()
    run.message = _summary(report)
    run.finished_at = timezone.now()
    run.progress = 0
    if run.file:
        run.file.delete(save=False)  # the upload as received: kept again under the name of what it holds
    run.file.save(f"{run.sha256}.{table.fmt}", ContentFile(data), save=False)
    run.save()
    return run


def import_check_queued(run_id: int) -> ImportRun:
    """The dry run of a large file, in the worker: once, from the stored upload."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.CHECKING, started_at__isnull=True).update(
        started_at=timezone.now(), progress=5, message=_("Reading the stored file.")
    )
    run = ImportRun.objects.select_related("campaign__version", "requested_by").get(pk=run_id)
    if not claimed:
        return run
    data = _stored_bytes(run)
    if data is None:
        return run
    run.started_at = None  # the real import records its own start
    try:
        return _check(run, data)
    except Exception:
        logger.exception("check of import %s failed", run.pk)
        _fail(run, _("The check stopped on an unexpected error; nothing was imported. Check the file again."))
        raise


def _stored_bytes(run: ImportRun) -> bytes | None:
    """The run's stored file, or None once the run is failed because it is gone or differs from the one
    checked."""
    try:
        with run.file.open("rb") as stored:
            data = stored.read()
    except (OSError, ValueError):
        _fail(run, _("The checked file is no longer stored; nothing was imported. Check the file again."))
        return None
    if sha256_of(data) != run.sha256:
        _fail(run, _("The stored file differs from the one checked; nothing was imported. Check it again."))
        return None
    return data


def _dry_run(user: Any, campaign: Campaign | None, kind: ImportKind, table: Table) -> Report:
    try:
        with transaction.atomic():
            raise _RolledBack(kind.import_rows(user=user, campaign=campaign, table=table))
    except _RolledBack as done:
        return done.report


def _guard(user: Any, run: ImportRun, upload: Any, statuses: tuple[str, ...]) -> None:
    if run.requested_by_id is None or run.requested_by_id != getattr(user, "pk", None):
        raise Refused(_("This import was checked by someone else: check the file yourself first."))
    if run.status == ImportStatus.REFUSED:
        raise InvalidInput(
            _(
                "The dry run found errors in this file, so nothing can be imported from it. Correct the refused "
                "rows, then check the file again."
            )
        )
    if run.status not in statuses:
        raise InvalidInput(
            _("This import is already %(status)s: check the file again to import it once more.")
            % {"status": run.get_status_display().lower()}
        )
    if upload is not None and sha256_of(_upload_bytes(upload)[2]) != run.sha256:
        raise InvalidInput(
            _("This is not the file that was checked (it changed since the dry run): check the new file first.")
        )


def import_start(*, user: Any, run: ImportRun, upload: Any = None) -> ImportRun:
    """Queue the real import of a checked run for the worker (inline with the immediate backend)."""
    from tincay.reports.imports.tasks import run_import  # the task module imports this one

    _guard(user, run, upload, (ImportStatus.CHECKED,))
    waiting = _("Waiting for the worker to start the import.")
    claimed = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, progress=0, message=waiting
    )
    if not claimed:
        raise InvalidInput(_("This import has already started."))
    run.status, run.progress, run.message = ImportStatus.QUEUED, 0, waiting
    transaction.on_commit(
        lambda: _queue(
            lambda: run_import.enqueue(run.pk, user.pk),
            run.pk,
            ImportStatus.QUEUED,
            ImportStatus.CHECKED,
            gettext_lazy(
                "The job queue could not be reached, so nothing was imported; the check still holds. "
                "Start the import again in a few minutes."
            ),
        )
    )
    return run


def _progress(run: ImportRun, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def _fail(run: ImportRun, message: str, report: dict[str, Any] | None = None) -> ImportRun:
    fields: dict[str, Any] = {"status": ImportStatus.FAILED, "message": message, "finished_at": timezone.now()}
    if report is not None:
        fields["report"] = report
    _progress(run, **fields)
    return run


def import_run(*, user: Any, run: ImportRun, upload: Any = None) -> ImportRun:
    """The real import of a checked run: all or nothing, from the stored file with the SHA-256 checked.

    Refused (an exception, nothing changes) unless the run was checked without errors by ``user`` and, when
    ``upload`` is given, it is the same file. Once started, the outcome is recorded in the run: ``done`` with the
    rows written, or ``failed`` with the reason (nothing written)."""
    _guard(user, run, upload, (ImportStatus.CHECKED, ImportStatus.QUEUED))
    started = timezone.now()
    reading = _("Reading the stored file.")
    claimed = ImportRun.objects.filter(pk=run.pk, status__in=[ImportStatus.CHECKED, ImportStatus.QUEUED]).update(
        status=ImportStatus.RUNNING, started_at=started, progress=5, message=reading
    )
    if not claimed:
        raise InvalidInput(_("This import has already started."))
    run.status, run.started_at, run.progress, run.message = ImportStatus.RUNNING, started, 5, reading
    try:
        return _run(user, run)
    except Exception:
        logger.exception("import %s failed", run.pk)
        _fail(run, _("The import stopped on an unexpected error; nothing was imported. Try again later."))
        raise


def _run(user: Any, run: ImportRun) -> ImportRun:
    data = _stored_bytes(run)
    if data is None:
        return run
    kind = KINDS.get(run.kind)
    if kind is None or kind.needs_campaign != (run.campaign_id is not None):
        return _fail(run, _("This import has no campaign or kind; nothing was imported."))
    try:
        table = read_table(data, name=run.filename, columns=kind.columns(), max_bytes=max(_max_bytes(), len(data)))
        kind.check_columns(table)
    except TableError as exc:
        return _fail(run, exc.message)
    _progress(run, progress=20, message=_("Checking and writing %(n)s rows.") % {"n": len(table.rows)})
    try:
        with transaction.atomic():
            report = kind.import_rows(user=user, campaign=run.campaign, table=table)
            if report.refused:
                raise _RolledBack(report)
    except _RolledBack as refused:
        message = _(
            "Nothing was imported: %(n)s rows are refused now (the data or your rights changed since the dry run). "
            "See the rows below, correct the file and check it again."
        ) % {"n": refused.report.refused}
        return _fail(run, message, refused.report.as_json())
    done = _("Imported: %(summary)s") % {"summary": _summary(report)}
    _progress(
        run,
        status=ImportStatus.DONE,
        progress=100,
        rows_written=report.written,
        message=done,
        report=report.as_json(),
        finished_at=timezone.now(),
    )
    return run
