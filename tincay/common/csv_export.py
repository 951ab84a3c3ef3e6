"""CSV files for people (Excel first): UTF-8 with a byte-order mark, and cells that a spreadsheet would run as a
formula made inert.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel and LibreOffice
as a formula ("CSV injection"); such text cells get a leading apostrophe, which the spreadsheet shows as text.
Numbers stay numbers: only strings are escaped, so a negative number passed as an ``int`` is written as is.

    response = csv_response("rollout.csv", header, rows)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: None → "", formula-like text → text with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """The whole file as text, BOM first, CRLF line ends, every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in header])
    starts = FORMULA_START
    for row in rows:  # escape_cell inline: a call per cell was a tenth of a national export
        writer.writerow(
            ["" if c is None else "'" + c if isinstance(c, str) and c.startswith(starts) else c for c in row]
        )
    return BOM + buffer.getvalue()


def csv_response(filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An attachment named ``filename`` (ASCII expected: codes, not titles)."""
    response = HttpResponse(csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
