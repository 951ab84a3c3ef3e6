"""The import part of ``bench.documents``: 100,000 criterion results of the national campaign, exported as the
coordinator would download them (``criteria.csv``), a self-assessed level changed on every row that has no measured
value, then the dry run (checked, rolled back) and the real import (all or nothing), as the administrator."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from tincay.assessments.models import Assessment, Campaign
from tincay.reports.imports.results import SELF_LEVEL, SELF_VALUE, detail_csv
from tincay.reports.imports.service import import_check, import_check_queued, import_run
from tincay.reports.models import ImportRun

ROWS = 100_000
NEXT_LEVEL = {"Xanh": "Vàng", "Vàng": "Đỏ", "Đỏ": "Xanh", "": "Vàng"}


def _assessments(campaign: Campaign) -> list[int]:
    """The first units (by name order) whose criteria add up to ``ROWS`` results."""
    ids, total = [], 0
    counted = campaign.assessments.order_by("unit__sort_key").annotate(n=Count("results")).values_list("pk", "n")
    for pk, n in counted.iterator():
        ids.append(pk)
        total += n
        if total >= ROWS:
            break
    return ids


def _changed(text: str) -> tuple[bytes, int]:
    rows = list(csv.reader(io.StringIO(text)))
    level, value = rows[0].index(SELF_LEVEL), rows[0].index(SELF_VALUE)
    changed = 0
    for row in rows[1 : ROWS + 1]:
        if not row[value]:
            row[level] = NEXT_LEVEL.get(row[level], "Vàng")
            changed += 1
    out = io.StringIO()
    csv.writer(out).writerows(rows[: ROWS + 1])
    return out.getvalue().encode("utf-8"), changed


FILE = Path(tempfile.gettempdir()) / "tincay-bench-import-100k.csv"


def prepare(campaign: Campaign) -> None:
    """The file to import, written by the parent process: making it is not the worker's memory."""
    ids = _assessments(campaign)
    content, changed = _changed(detail_csv(campaign, Assessment.objects.filter(pk__in=ids)))
    FILE.write_bytes(content)
    FILE.with_suffix(".txt").write_text(f"{len(ids)} {changed}")


def dry_run(campaign: Campaign, admin, timed: Callable) -> None:
    """The check of the file (above 1 MB it is queued, then checked as the worker checks it), in a process of its
    own; the run's id is left for ``real_import``."""
    content = FILE.read_bytes()
    units, _changed_rows = (int(x) for x in FILE.with_suffix(".txt").read_text().split())
    upload = SimpleUploadedFile("ket-qua.csv", content, content_type="text/csv")
    del content
    run = timed(
        f"import {ROWS:,} results: dry run ({units} units, {upload.size // (1024 * 1024)} MB CSV)",
        lambda: import_check_queued(import_check(user=admin, campaign=campaign, kind="results", upload=upload).pk),
        extra=lambda r: f"({r.message})",
    )
    assert run.status == "checked", run.message
    FILE.with_suffix(".run").write_text(str(run.pk))


def real_import(campaign: Campaign, admin, timed: Callable) -> None:
    """The import of the checked run, as the worker runs it, in a process of its own."""
    pk = int(FILE.with_suffix(".run").read_text())
    run = ImportRun.objects.select_related("campaign__version").defer("report").get(pk=pk)  # as the task loads it
    done = timed(
        f"import {ROWS:,} results: the real import, as the worker runs it",
        lambda: import_run(user=admin, run=run),
        extra=lambda r: f"({r.rows_written:,} written)",
    )
    assert done.status == "done", done.message
