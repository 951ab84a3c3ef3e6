"""The import part of ``bench.documents``: 100,000 criterion results of the national campaign, exported as the
coordinator would download them (``criteria.csv``), a self-assessed level changed on every row that has no measured
value, then the dry run (checked, rolled back) and the real import (all or nothing), as the administrator."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from tincay.assessments.models import Assessment, Campaign
from tincay.reports.imports.results import SELF_LEVEL, SELF_VALUE, detail_csv
from tincay.reports.imports.service import import_check, import_run

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


def run_import(campaign: Campaign, admin, timed: Callable) -> None:
    ids = _assessments(campaign)
    content, changed = _changed(detail_csv(campaign, Assessment.objects.filter(pk__in=ids)))
    upload = SimpleUploadedFile("ket-qua.csv", content, content_type="text/csv")
    run = timed(
        f"import {ROWS:,} results: dry run ({len(ids)} units, {len(content) // (1024 * 1024)} MB CSV)",
        lambda: import_check(user=admin, campaign=campaign, kind="results", upload=upload),
        extra=lambda r: f"({r.message})",
    )
    assert run.status == "checked", run.message
    done = timed(
        f"import {ROWS:,} results: the real import ({changed:,} changed)",
        lambda: import_run(user=admin, run=run),
        extra=lambda r: f"({r.rows_written:,} written)",
    )
    assert done.status == "done", done.message
