"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of text, for imports. No domain rules here.

- The type is decided by the content, never by the name: an XLSX is a zip holding ``xl/workbook.xml``; a CSV is
  UTF-8 text (with or without a byte-order mark), separated by ``,``, ``;`` (Excel in Vietnamese) or tabs. A PDF, a
  Word document or an old ``.xls`` renamed ``.xlsx`` is refused with a message saying what it is and what to do.
- The header is the first non-empty row that holds the required columns (a title may stand above it). Headers
  are matched to the expected columns without regard to case, spaces, punctuation or diacritics ("MA DON VI",
  "Mã đơn vị", "mã_đơn_vị"), also through aliases; unknown columns are ignored (listed in ``Table.ignored``); a
  missing required column is an error naming it.
- Each row keeps its number as the user sees it in Excel (the header is usually row 1); empty rows are skipped.
- Numbers of an XLSX cell are kept exactly as well (``Row.numbers``), so "1.234" typed as a number is not
  mistaken for text in Vietnamese notation.
- A text our exports escaped so that a spreadsheet would not run it (``'=…`` in CSV, Excel's quote prefix in
  XLSX) reads back as the text itself.
- Limits on the size of the file and the number of rows, with messages that say what to do.

    table = read_table(data, name="ket-qua.xlsx", columns=[Column("unit", "Mã đơn vị", required=True), …])
    for row in table.rows: row.number, row.values["unit"]
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from django.utils.translation import gettext as _

from tincay.common.csv_export import FORMULA_START
from tincay.common.errors import InvalidInput
from tincay.common.files import safe_filename
from tincay.common.text import fold, grouped

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
HEADER_SEARCH = 5  # non-empty rows looked at for the header
MAX_COLUMNS = 60  # columns read from an XLSX sheet; the exports have fewer than 20
MAX_UNZIPPED = 400 * 1024 * 1024  # an XLSX that unpacks to more is refused (a "zip bomb")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_Raw = Generator[tuple[int, Sequence[Any]], None, None]  # (row number as Excel shows it, cells)


class TableError(InvalidInput):
    """The file cannot be read as a table with the expected columns; the message says why and what to do."""


@dataclass(frozen=True)
class Column:
    """An expected column: ``key`` for the program, ``header`` as our exports write it, ``aliases`` accepted too."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


SHARED_LENGTH = 40
NO_NUMBERS: Mapping[str, Decimal] = MappingProxyType({})  # shared by the rows without any (every CSV row)


class Cells(Mapping[str, str]):
    """A row's texts by column key: one tuple per row and one index shared by every row of the file. 100,000 rows
    held as dictionaries weighed 70 MB; as tuples, a fifth of that."""

    __slots__ = ("_index", "_texts")

    def __init__(self, index: Mapping[str, int], texts: tuple[str, ...]):
        self._index = index
        self._texts = texts

    def __getitem__(self, key: str) -> str:
        return self._texts[self._index[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as Excel shows it
    values: Mapping[str, str]  # by column key, stripped text ("" for an empty cell), for the columns the file has
    numbers: Mapping[str, Decimal] = NO_NUMBERS  # the cells that were numbers in an XLSX


@dataclass
class Table:
    fmt: str  # "xlsx" or "csv"
    filename: str  # the user's name for the file, made safe to show
    size: int
    sha256: str
    columns: list[str]  # keys of the expected columns the file has, in the file's order
    rows: list[Row]
    ignored: list[str]  # headers of the file that match no expected column


def header_key(text: str) -> str:
    """How headers are compared: "Mã  Đơn-vị" → "ma don vi"."""
    return _NOT_WORD.sub(" ", fold(text)).strip()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_table(
    data: bytes,
    *,
    name: str,
    columns: Sequence[Column],
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
) -> Table:
    """The rows of the first sheet of an XLSX, or of a CSV; raises :class:`TableError` with a message to show."""
    filename = safe_filename(name or "tep")
    check_size(len(data), name=name, max_bytes=max_bytes)
    fmt = _kind(data, filename)
    raw = _xlsx_rows(data, filename) if fmt == "xlsx" else _csv_rows(data, filename)
    try:
        positions, ignored, rows = _read(raw, filename, columns, max_rows)
    finally:
        raw.close()  # an XLSX is closed even when reading stops early
    found = [positions[i] for i in sorted(positions)]
    return Table(fmt, filename, len(data), sha256_of(data), found, rows, ignored)


def _read(
    raw: _Raw, filename: str, columns: Sequence[Column], max_rows: int
) -> tuple[dict[int, str], list[str], list[Row]]:
    header_number, positions, ignored = _header(raw, filename, columns)
    rows: list[Row] = []
    shared: dict[str, str] = {}  # one string for each repeated short value (unit and criterion codes, levels)
    index = MappingProxyType({key: n for n, key in enumerate(positions.values())})
    for number, cells in raw:
        texts: list[str] = []
        numbers: dict[str, Decimal] = {}
        for position, key in positions.items():
            value = cells[position] if position < len(cells) else None
            text = _text(value)
            texts.append(shared.setdefault(text, text) if len(text) <= SHARED_LENGTH else text)
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                numbers[key] = _decimal(value)
        if not any(texts):
            continue
        values = Cells(index, tuple(texts))
        if len(rows) >= max_rows:
            raise TableError(
                _("The file “%(name)s” has more than %(limit)s rows. Split it into several files.")
                % {"name": filename, "limit": grouped(max_rows)}
            )
        rows.append(Row(number, values, numbers or NO_NUMBERS))
    if not rows:
        raise TableError(
            _("The file “%(name)s” has a header (row %(row)s) but no data below it.")
            % {"name": filename, "row": header_number}
        )
    return positions, ignored, rows


def check_size(size: int, *, name: str, max_bytes: int = MAX_BYTES) -> None:
    """Refuse an empty file, or one above ``max_bytes`` (before reading it, from the size the upload declares)."""
    filename = safe_filename(name or "tep")
    if not size:
        raise TableError(_("The file “%(name)s” is empty. Choose the file again.") % {"name": filename})
    if size > max_bytes:
        raise TableError(
            _(
                "The file “%(name)s” is larger than %(limit)s MB. Split it into several files and import them "
                "one by one."
            )
            % {"name": filename, "limit": grouped(max_bytes // (1024 * 1024))}
        )


# ------------------------------------------------------------------------------------------------ the type


def _kind(data: bytes, filename: str) -> str:
    if data.startswith(_ZIP):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = {info.filename.lower() for info in archive.infolist()}
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise _wrong(filename, _("a damaged compressed archive")) from None
        if "xl/workbook.xml" in names:
            if unpacked > MAX_UNZIPPED:
                raise TableError(
                    _("The workbook “%(name)s” is too large once unpacked. Split it into several files.")
                    % {"name": filename}
                )
            return "xlsx"
        if "word/document.xml" in names:
            raise _wrong(filename, _("a Word document"))
        if "ppt/presentation.xml" in names:
            raise _wrong(filename, _("a PowerPoint presentation"))
        if "mimetype" in names and "content.xml" in names:
            raise _wrong(filename, _("an OpenDocument file"), _("Open it and save it as Excel workbook (.xlsx)."))
        raise _wrong(filename, _("a compressed archive (ZIP)"))
    if data.startswith(b"%PDF-"):
        raise _wrong(filename, _("a PDF document"))
    if data.startswith(_OLE2):
        raise _wrong(
            filename, _("an old Excel 97-2003 workbook (.xls) or another old Office file"), _("Save it as .xlsx.")
        )
    head = data[:4096]
    if any(byte < 0x20 and byte not in b"\t\n\r\f" for byte in head):
        raise _wrong(filename, _("a file of an unrecognised type"))
    return "csv"


def _wrong(filename: str, what: str, advice: str = "") -> TableError:
    return TableError(
        " ".join(
            part
            for part in (
                _("The file “%(name)s” is %(what)s, not a spreadsheet.") % {"name": filename, "what": what},
                advice,
                _("Import an Excel workbook (.xlsx) or a CSV file, for example the one this page exports."),
            )
            if part
        )
    )


# ----------------------------------------------------------------------------------------------- reading


def _xlsx_rows(data: bytes, filename: str) -> _Raw:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types on a damaged workbook
        damaged = _("a damaged or unreadable workbook")
        raise _wrong(filename, damaged, _("Open it in Excel and save it again.")) from None
    return _sheet_rows(book, filename)


def _sheet_rows(book: Any, filename: str) -> _Raw:
    try:
        if not book.worksheets:
            raise TableError(_("The workbook “%(name)s” has no sheet.") % {"name": filename})
        sheet = book.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):  # the stored dimensions may be wrong: read every row there is
            sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1)
    finally:
        book.close()


def _first_line(text: str) -> str:
    """The first line that is not blank, without splitting the whole text (100,000 lines) to find it."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            return text[start:end]
        start = end + 1
    return ""


def _not_utf8(filename: str) -> TableError:
    return TableError(
        _(
            "The file “%(name)s” is not in UTF-8, so its Vietnamese letters cannot be read. In Excel, choose "
            "“Save as” → “CSV UTF-8 (Comma delimited)” or save it as an Excel workbook (.xlsx), then import "
            "it again."
        )
        % {"name": filename}
    )


def _csv_rows(data: bytes, filename: str) -> _Raw:
    """Records decoded as they are read (a 13 MB file is not held twice more as text)."""
    try:
        data.decode("utf-8-sig")  # checked whole before any row is read: a file is refused, never half read
    except UnicodeDecodeError:
        raise _not_utf8(filename) from None
    head = data[: 64 * 1024].decode("utf-8-sig", errors="ignore")
    first = _first_line(head)
    delimiter = max((";", ",", "\t"), key=first.count)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        # Excel shows each record as one row (a quoted cell over several lines stays in its row), blank lines too
        for number, cells in enumerate(reader, start=1):
            yield number, [_unescape(cell) for cell in cells]
    except csv.Error as exc:
        raise TableError(
            _("The file “%(name)s” is not a valid CSV near line %(line)s (%(error)s). Save it again from Excel.")
            % {"name": filename, "line": reader.line_num, "error": exc}
        ) from None


def _unescape(text: str) -> str:
    """``'=SUM(A1)`` as our CSV export escaped it → ``=SUM(A1)``."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def _header(raw: _Raw, filename: str, columns: Sequence[Column]) -> tuple[int, dict[int, str], list[str]]:
    """The header row: the first non-empty row holding the required columns, looked for among the first few (a
    title may stand above the table); when none does, the first non-empty row's problem is the message."""
    problems: list[TableError] = []
    for number, cells in raw:
        header = [_text(cell) for cell in cells]
        if not any(header):
            continue
        try:
            positions, ignored = _match(header, columns, filename)
        except TableError as problem:
            problems.append(problem)
            if len(problems) < HEADER_SEARCH:
                continue
            raise problems[0] from None
        return number, positions, ignored
    if problems:
        raise problems[0]
    raise TableError(_("The file “%(name)s” is empty: it has no header row and no data.") % {"name": filename})


def _match(header: list[str], columns: Sequence[Column], filename: str) -> tuple[dict[int, str], list[str]]:
    wanted: dict[str, Column] = {}
    for column in columns:
        for text in (column.header, *column.aliases):
            wanted[header_key(text)] = column
    positions: dict[int, str] = {}
    seen: dict[str, str] = {}
    ignored = []
    for index, text in enumerate(header):
        column = wanted.get(header_key(text))
        if column is None:
            if text:
                ignored.append(text)
            continue
        if column.key in seen:
            raise TableError(
                _("The file “%(name)s” has the column “%(column)s” twice (“%(first)s” and “%(second)s”): keep one.")
                % {"name": filename, "column": column.header, "first": seen[column.key], "second": text}
            )
        seen[column.key] = text
        positions[index] = column.key
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing:
        raise TableError(
            _(
                "The file “%(name)s” has no column %(missing)s. The first row must hold the column names, "
                "as in the file this page exports; columns found: %(found)s."
            )
            % {
                "name": filename,
                "missing": ", ".join(f"“{m}”" for m in missing),
                "found": ", ".join(f"“{h}”" for h in header if h) or "—",
            }
        )
    return positions, ignored


# --------------------------------------------------------------------------------------------------- cells


def _decimal(value: int | float | Decimal) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _text(value: Any) -> str:
    """A cell as the text a person sees: numbers in plain notation with a dot (87.5, never 8.75E1), dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(_decimal(value), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
