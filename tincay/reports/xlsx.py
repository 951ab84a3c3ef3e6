"""XLSX exports for people and for re-import: one writer for every export (campaign results, criteria detail,
action programmes, the rollout board).

- Written in openpyxl's write-only mode, a row at a time, so a national campaign (3,321 units × 39 indicators)
  costs little memory.
- A text that a spreadsheet would run as a formula (``= + - @``, a tab or a carriage return first) is stored as
  text, unchanged, with Excel's "quote prefix" mark: it shows as typed, never runs, and reads back exactly as it
  was written (an exported file re-imports unchanged).
- A ``Level`` cell carries a traffic light: the level's fill and a readable font, its text in words (never colour
  alone).
- The header row is bold, frozen and filtered.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tincay.common.csv_export import FORMULA_START

# The heat map's colours (static/tincay/app.css: .hm-green, .hm-yellow, .hm-red), font colours readable on them.
FILLS = {"green": ("198754", "FFFFFF"), "yellow": ("FFC107", "000000"), "red": ("DC3545", "FFFFFF")}
SHEET_TITLE_MAX = 31  # Excel's limit
_FORBIDDEN_IN_TITLE = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Level:
    """A traffic-light cell: ``level`` is red, yellow or green (anything else: no fill), ``text`` what it says."""

    level: str
    text: str


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[float] = ()  # in characters, per column; the rest keep Excel's default


def sheet_title(title: str) -> str:
    """A title Excel accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return " ".join(title.translate(_FORBIDDEN_IN_TITLE).split())[:SHEET_TITLE_MAX] or "Sheet"


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook of ``sheets``, in order, as XLSX bytes."""
    book = Workbook(write_only=True)
    styles = _Styles()
    for sheet in sheets:
        _write(book.create_sheet(sheet_title(sheet.title)), sheet, styles)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Styles:
    """Fonts and fills made once for the whole workbook. A coloured cell takes a copy of its level's style array,
    registered once: setting fill and font on each of 130,000 cells costs seconds of style hashing."""

    def __init__(self) -> None:
        self.bold = Font(bold=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.fills = {
            level: (PatternFill("solid", start_color=fill, end_color=fill), Font(color=font))
            for level, (fill, font) in FILLS.items()
        }
        self.arrays: dict[tuple[str, bool], Any] = {}

    def coloured(self, ws, cell: WriteOnlyCell, level: str) -> None:
        key = (level, bool(cell.quotePrefix))
        if key not in self.arrays:
            model = WriteOnlyCell(ws)
            model.fill, model.font = self.fills[level]
            model.quotePrefix = cell.quotePrefix
            self.arrays[key] = model._style
        cell._style = copy(self.arrays[key])


def _write(ws, sheet: Sheet, styles: _Styles) -> None:
    for index, width in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    header = []
    for text in sheet.header:
        cell = _cell(ws, str(text))
        cell.font = styles.bold
        cell.alignment = styles.wrap
        header.append(cell)
    ws.append(header)
    count = 0
    for row in sheet.rows:
        ws.append([_value_cell(ws, value, styles) for value in row])
        count += 1
    if sheet.header:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.header))}{count + 1}"


def _value_cell(ws, value: Any, styles: _Styles) -> Any:
    if isinstance(value, Level):
        cell = _cell(ws, value.text)
        if value.level in styles.fills:
            styles.coloured(ws, cell, value.level)
        return cell
    if isinstance(value, str):
        return _cell(ws, value) if value.startswith(FORMULA_START) else value
    return value  # numbers, dates and None as they are: Excel keeps their type


def _cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_START):  # stored as text, shown as typed, never run
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
