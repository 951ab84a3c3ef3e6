"""Helpers of the export tests: a downloaded XLSX or CSV read back as rows, and the XLSX rows as the CSV has them."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import load_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(response) -> Any:
    """The only worksheet of a downloaded XLSX."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1
    return book.worksheets[0]


def xlsx_values(response) -> list[list[Any]]:
    return [list(row) for row in sheet(response).iter_rows(values_only=True)]


def csv_values(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_csv(value: Any) -> str:
    """An XLSX value as the CSV writes it: nothing for empty, dates in ISO form, formula-looking text escaped."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return str(value)


def same_rows(xlsx: list[list[Any]], csv_rows: list[list[str]]) -> bool:
    """The CSV has the XLSX's header and rows (trailing empty XLSX cells aside)."""
    width = len(xlsx[0])
    return [[as_csv(v) for v in row] for row in xlsx] == [row + [""] * (width - len(row)) for row in csv_rows]
