"""Helpers shared by the import tests: a campaign over two wards of Hải Phòng (the coordinator's) and one of Hà Nội
(not theirs), files built in memory, and a snapshot of every stored result to compare before and after."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tincay.assessments.models import CriterionResult
from tincay.reports.imports import results as columns
from tincay.reports.xlsx import Sheet, workbook_bytes

UNITS = {"own": "11413", "sibling": "11311", "other": "00004"}
RESULT_FIELDS = (
    "self_level",
    "self_value",
    "self_points",
    "na",
    "na_reason",
    "narrative",
    "no_evidence_reason",
    "scorer_level",
    "scorer_value",
    "scorer_comment",
    "final_level",
    "final_value",
    "final_comment",
    "revision",
    "updated_at",
)
HEADER = columns.HEADER
VALUES_HEADER = (columns.UNIT_KEY, columns.CRITERION_CODE, columns.SELF_VALUE)


def xlsx(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    return workbook_bytes([Sheet("Nhập", header, rows)])


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], *, sep: str = ";", bom: bool = True) -> bytes:
    buffer = io.StringIO()
    for row in [header, *rows]:
        buffer.write(sep.join("" if cell is None else str(cell) for cell in row) + "\r\n")
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def upload(data: bytes, name: str = "ket-qua.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored(campaign) -> list[tuple]:
    """Every result of the campaign, every field, in a fixed order."""
    return list(
        CriterionResult.objects.filter(assessment__campaign=campaign)
        .order_by("assessment__unit__key", "criterion__code")
        .values_list("assessment__unit__key", "criterion__code", *RESULT_FIELDS)
    )


def results_row(unit: str, code: str, **cells: Any) -> list[Any]:
    """A row in the columns of the results file: ``level``, ``value``, ``na``, ``na_reason``, ``narrative``,
    ``no_evidence``; the rest empty."""
    return [
        unit,
        "",
        code,
        "",
        cells.get("level", ""),
        cells.get("value", ""),
        cells.get("na", ""),
        cells.get("na_reason", ""),
        cells.get("narrative", ""),
        cells.get("no_evidence", ""),
    ]


def codes(assessment, kind: str, n: int) -> list[str]:
    return list(
        assessment.results.filter(criterion__type=kind)
        .order_by("criterion__order")
        .values_list("criterion__code", flat=True)[:n]
    )


def by_row(report: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["row"]: row for row in report["rows"]}


# a write may start with a list of values (``common.bulk``: WITH v(…) AS (VALUES …) UPDATE …)
_WRITE = re.compile(
    r'^\s*(?:WITH\s.*?\)\s+)?(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE | re.DOTALL
)
_SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT)\s+"?(\w+)"?', re.IGNORECASE)


class WriteLedger:
    """Every INSERT/UPDATE/DELETE executed, and those that stay once rolled-back savepoints are taken off."""

    def __init__(self) -> None:
        self.executed: list[str] = []
        self.kept: list[str] = []
        self.marks: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        write, savepoint = _WRITE.match(sql), _SAVEPOINT.match(sql)
        if write:
            self.executed.append(write.group(2))
            self.kept.append(write.group(2))
        elif savepoint:
            action, name = savepoint.group(1).upper(), savepoint.group(2)
            if action == "SAVEPOINT":
                self.marks[name] = len(self.kept)
            elif action.startswith("ROLLBACK"):
                del self.kept[self.marks[name] :]
        return execute(sql, params, many, context)
