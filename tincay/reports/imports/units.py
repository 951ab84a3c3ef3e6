"""Administrative units and lineage events as spreadsheets: read, checked and written through the unit services.

Two kinds of file, for administrators only (the tree is national):

- ``units``: one row per unit (per period of a unit), matched by its key ("Mã đơn vị": today's units their official
  code, ended ones ``<code>-<year ended>``). A column the file leaves out keeps what is stored; an empty cell
  empties the field (an empty official code of a new unit is its key).
- ``lineage``: one row per event (merge, split, rename…), matched by its kind, date and the units on each side; the
  legal basis and notes of a known event are updated.

The export writes exactly the columns the import reads, parents before children, dates as dd/mm/yyyy, kinds by
their Vietnamese labels, so that an exported file re-imports with every row unchanged. Every unit and event is
loaded in a few queries up front; the services (which validate and check permission themselves) are called only
for rows that differ from what is stored, each in its own savepoint.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tincay.common.errors import InvalidInput, Refused
from tincay.common.tabular import Column, Row, Table, TableError, header_key
from tincay.orgunits.access import can_manage_units
from tincay.orgunits.choices import EventKind, Kind, Level, LinkRole
from tincay.orgunits.loaders import event_key
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink
from tincay.orgunits.unit_services import day_text, lineage_event_record, unit_save
from tincay.reports.imports.base import Report, RowOutcome, imported_headers, shorten

# The units file.
UNIT_KEY = "Mã đơn vị"
CODE = "Mã chính thức"
NAME = "Tên đơn vị"
KIND = "Loại đơn vị"
PARENT = "Mã đơn vị cấp trên"
VALID_FROM = "Hiệu lực từ"
VALID_TO = "Hiệu lực đến"
LISTED_ON = "Theo danh sách ngày"
PILOT = "Thí điểm ISO 18091"
POPULATION = "Dân số"
UNIT_HEADER = (UNIT_KEY, CODE, NAME, KIND, PARENT, VALID_FROM, VALID_TO, LISTED_ON, PILOT, POPULATION)
# The lineage file.
EVENT_KIND = "Loại sự kiện"
EVENT_DATE = "Ngày hiệu lực"
PREDECESSORS = "Đơn vị trước"
SUCCESSORS = "Đơn vị sau"
LEGAL_BASIS = "Căn cứ pháp lý"
CONFIRMED = "Căn cứ đã xác nhận"
NOTE_VI = "Ghi chú"
NOTE_EN = "Ghi chú (tiếng Anh)"
EVENT_HEADER = (EVENT_KIND, EVENT_DATE, PREDECESSORS, SUCCESSORS, LEGAL_BASIS, CONFIRMED, NOTE_VI, NOTE_EN)

YES, NO = "Có", "Không"
_YES = {"co", "c", "x", "yes", "y", "true", "1"}
_NO = {"khong", "k", "no", "n", "false", "0"}
_DMY = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_GROUPED = re.compile(r"^\d{1,3}([.,\s])\d{3}(\1\d{3})*$")
_KEY_LIST = re.compile(r"[;,\n]")
_NOT_A_UNIT_KIND = gettext_lazy("“%(text)s” is not a kind of unit: write one of %(kinds)s.")
_NOT_AN_EVENT_KIND = gettext_lazy("“%(text)s” is not a kind of event: write one of %(kinds)s.")

# service field -> column (the file's header)
UNIT_COLUMN_OF = {
    "key": UNIT_KEY,
    "code": CODE,
    "name": NAME,
    "kind": KIND,
    "level": KIND,
    "parent": PARENT,
    "valid_from": VALID_FROM,
    "valid_to": VALID_TO,
    "listed_on": LISTED_ON,
    "is_pilot": PILOT,
    "population": POPULATION,
}
EVENT_COLUMN_OF = {
    "kind": EVENT_KIND,
    "date": EVENT_DATE,
    "predecessors": PREDECESSORS,
    "successors": SUCCESSORS,
    "legal_basis": LEGAL_BASIS,
    "legal_basis_confirmed": CONFIRMED,
    "note_vi": NOTE_VI,
    "note_en": NOTE_EN,
}
_UNIT_FIELDS = ("code", "name", "kind", "parent", "valid_from", "valid_to", "listed_on", "is_pilot", "population")
_EVENT_TEXTS = ("legal_basis", "legal_basis_confirmed", "note_vi", "note_en")


def _unit_columns() -> list[Column]:
    return [
        Column("unit", UNIT_KEY, ("Mã ĐV", "unit key", "key", "unit"), required=True),
        Column("code", CODE, ("official code", "code")),
        Column("name", NAME, ("Tên", "unit name", "name")),
        Column("kind", KIND, ("Loại", "unit kind", "kind")),
        Column("parent", PARENT, ("Cấp trên", "parent key", "parent unit", "parent")),
        Column("valid_from", VALID_FROM, ("Từ ngày", "valid from")),
        Column("valid_to", VALID_TO, ("Đến ngày", "valid to", "valid until")),
        Column("listed_on", LISTED_ON, ("Theo danh mục ngày", "as listed on", "listed on")),
        Column("is_pilot", PILOT, ("Thí điểm", "ISO 18091 pilot", "pilot")),
        Column("population", POPULATION, ("population",)),
    ]


def _event_columns() -> list[Column]:
    return [
        Column("kind", EVENT_KIND, ("Loại", "event kind", "kind"), required=True),
        Column("date", EVENT_DATE, ("Ngày", "effective date", "date"), required=True),
        Column("predecessors", PREDECESSORS, ("Đơn vị tiền thân", "predecessors", "units before"), required=True),
        Column("successors", SUCCESSORS, ("Đơn vị kế thừa", "successors", "units after"), required=True),
        Column("legal_basis", LEGAL_BASIS, ("legal basis",)),
        Column("legal_basis_confirmed", CONFIRMED, ("legal basis confirmed", "confirmed")),
        Column("note_vi", NOTE_VI, ("Ghi chú (tiếng Việt)", "note (Vietnamese)", "note")),
        Column("note_en", NOTE_EN, ("note (English)", "English note")),
    ]


def _refused_message() -> str:
    return _("Only administrators import administrative units and lineage events.")


class _TreeKind:
    """What the two kinds share: no campaign, administrators only."""

    needs_campaign = False

    def may_import(self, user: Any, campaign: Any) -> bool:
        return campaign is None and can_manage_units(user)

    def refused_message(self) -> str:
        return _refused_message()

    def _check_export(self, user: Any) -> None:
        if not self.may_import(user, None):
            raise Refused(_refused_message())


class UnitsKind(_TreeKind):
    """Administrative units (``base.ImportKind``)."""

    code = "units"
    label = gettext_lazy("Administrative units")
    key_names = ("unit",)
    key_headers = (gettext_lazy("Unit"),)

    def columns(self) -> list[Column]:
        return _unit_columns()

    def check_columns(self, table: Table) -> None:
        """A file of units needs at least one column of data besides the key."""
        if not set(table.columns) - {"unit"}:
            raise TableError(
                _("The file “%(name)s” has no column to import: add at least one of %(columns)s.")
                % {"name": table.filename, "columns": ", ".join(f"“{h}”" for h in UNIT_HEADER[1:])}
            )

    def import_rows(self, *, user: Any, campaign: Any, table: Table) -> Report:
        return _UnitImport(user, table, self.may_import(user, campaign)).run(self)

    def export(self, user: Any) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
        """Every unit, in the columns the import reads."""
        self._check_export(user)
        return UNIT_HEADER, unit_rows()


class LineageKind(_TreeKind):
    """Lineage events: merges, splits, renames… (``base.ImportKind``)."""

    code = "lineage"
    label = gettext_lazy("Lineage events: merges, splits, renames")
    key_names = ("event",)
    key_headers = (gettext_lazy("Event"),)

    def columns(self) -> list[Column]:
        return _event_columns()

    def check_columns(self, table: Table) -> None:
        """The four columns that name an event are required (the reader checks them); nothing more is needed."""

    def import_rows(self, *, user: Any, campaign: Any, table: Table) -> Report:
        return _LineageImport(user, table, self.may_import(user, campaign)).run(self)

    def export(self, user: Any) -> tuple[tuple[str, ...], Iterator[list[Any]]]:
        """Every lineage event, in the columns the import reads."""
        self._check_export(user)
        return EVENT_HEADER, event_rows()


UNITS = UnitsKind()
LINEAGE = LineageKind()
KINDS = {"units": UNITS, "lineage": LINEAGE}


# ------------------------------------------------------------------------------------------------- cells


class _Cell(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _labels(choices: Any) -> dict[str, str]:
    """Each value of ``choices`` by its code, Vietnamese and English labels, compared as headers are."""
    found: dict[str, str] = {}
    for language in ("en", "vi"):
        with translation.override(language):
            found.update({header_key(str(label)): value for value, label in choices.choices})
    return found | {header_key(value): value for value in choices.values}


def vi_label(choices: Any, value: str) -> str:
    """A kind's label as the file writes it (in Vietnamese, whatever the reader's language)."""
    with translation.override("vi"):
        return str(choices(value).label)


def _choice(text: str, choices: Any, known: dict[str, str], message: str) -> str:
    value = known.get(header_key(text))
    if value is None:
        with translation.override("vi"):
            labels = ", ".join(str(label) for label in choices.labels)
        raise _Cell(message % {"text": text[:60], "kinds": labels})
    return value


def read_date(text: str) -> dt.date | None:
    """dd/mm/yyyy, d/m/yyyy or ISO (as a workbook's dates arrive); empty is None."""
    if not text:
        return None
    try:
        found = _DMY.match(text)
        if found:
            day, month, year = map(int, found.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Cell(
            _("“%(text)s” is not a date: write it as dd/mm/yyyy (for example 01/07/2025).") % {"text": text[:40]}
        ) from None


def read_yes_no(text: str) -> bool:
    word = header_key(text)
    if not word or word in _NO:
        return False
    if word in _YES:
        return True
    raise _Cell(_("“%(text)s” is not yes or no: write Có or Không (or leave it empty for no).") % {"text": text[:40]})


def _population(row: Row) -> int | None:
    """A whole number of 0 or more: a workbook's number, or digits, grouped or not (12500, 12.500, 12 500)."""
    text, number = row.values["population"], row.numbers.get("population")
    if number is None and text:
        digits = re.sub(r"[.,\s]", "", text) if _GROUPED.match(text) else text
        number = Decimal(digits) if re.fullmatch(r"\d+", digits, re.ASCII) else Decimal(-1)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise _Cell(
            _("“%(text)s” is not a whole number: write the population in digits (for example 12500).")
            % {"text": text[:40]}
        )
    return int(number)


def _shown(name: str, value: Any) -> str:
    """A field's value as the file writes it, for the report's before → after."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.date):
        return day_text(value)
    if name == "kind" and value in Kind.values:
        return vi_label(Kind, value)
    if isinstance(value, list):
        return "; ".join(value)
    return shorten(str(value))


class _Keys:
    """Unit keys as a file may write them: a key a spreadsheet turned into a number ("1" for "01", "4" for
    "00004") is read as the stored 2-, 3- or 5-digit key when there is one."""

    def __init__(self, known: set[str]):
        self.known = known

    def __call__(self, text: str) -> str:
        if text in self.known or not text.isdigit():
            return text
        padded = {text.zfill(width) for width in (2, 3, 5) if len(text) < width} & self.known
        return padded.pop() if len(padded) == 1 else text  # "4": Cao Bằng (04) or Phường Trúc Bạch (00004)?


def _refuse_from(outcome: RowOutcome, exc: InvalidInput, columns: dict[str, str]) -> None:
    for name, messages in exc.errors.items():
        for message in messages:
            outcome.refuse(columns.get(name, ""), message)


def _read_cells(
    row: Row, readers: dict[str, Callable[[Row], Any]], columns: dict[str, str], outcome: RowOutcome
) -> dict[str, Any]:
    """The typed values of the columns the file has; each unreadable cell refuses the row under its column."""
    values: dict[str, Any] = {}
    for name, reader in readers.items():
        if name not in row.values:
            continue  # a column the file leaves out keeps what is stored
        try:
            values[name] = reader(row)
        except _Cell as bad:
            outcome.refuse(columns[name], bad.message)
    return values


# ------------------------------------------------------------------------------------------------- units


@dataclass(slots=True)
class _PlannedUnit:
    outcome: RowOutcome
    key: str
    values: dict[str, Any]
    new: bool


@dataclass
class _UnitImport:
    user: Any
    table: Table
    allowed: bool
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> the file's fields as stored
    levels: dict[str, str] = field(default_factory=dict)
    first_row: dict[str, int] = field(default_factory=dict)  # key -> the first row of the file giving it
    refused: dict[str, int] = field(default_factory=dict)  # key -> its refused row
    keys: _Keys = field(init=False)

    def run(self, kind: UnitsKind) -> Report:
        self._load()
        kinds = _labels(Kind) | {"tinh": Kind.PROVINCE}
        readers: dict[str, Callable[[Row], Any]] = {
            "code": lambda r: r.values["code"],
            "name": lambda r: r.values["name"],
            "kind": lambda r: _choice(r.values["kind"], Kind, kinds, _NOT_A_UNIT_KIND) if r.values["kind"] else "",
            "parent": lambda r: self.keys(r.values["parent"]) or None,
            "valid_from": lambda r: read_date(r.values["valid_from"]),
            "valid_to": lambda r: read_date(r.values["valid_to"]),
            "listed_on": lambda r: read_date(r.values["listed_on"]),
            "is_pilot": lambda r: read_yes_no(r.values["is_pilot"]),
            "population": _population,
        }
        for row in self.table.rows:
            self.first_row.setdefault(self.keys(row.values["unit"]), row.number)
        outcomes, later = [], []
        for row in self.table.rows:
            planned = self._plan(row, readers)
            outcomes.append(planned.outcome)
            if planned.outcome.outcome:
                continue
            if self._narrows(planned):
                later.append(planned)  # after the units below it, which may end with it
            else:
                self._write(planned)
        rank = {Level.COMMUNE: 0, Level.DISTRICT: 1, Level.PROVINCE: 2}
        for planned in sorted(later, key=lambda p: rank.get(self.levels.get(p.key, ""), 0)):
            self._write(planned)
        headers = imported_headers(self.table, _unit_columns())
        return Report(kind.code, outcomes, headers, list(self.table.ignored), kind.key_names)

    def _load(self) -> None:
        """Every unit, in one query: 14,000 with the pre-2025 tree."""
        rows = list(
            AdminUnit.objects.values_list(
                "pk", "key", "parent_id", "level", *(n for n in _UNIT_FIELDS if n != "parent")
            ).iterator(chunk_size=5000)
        )
        key_of = {pk: key for pk, key, *_rest in rows}
        for _pk, key, parent_id, level, *values in rows:
            fields = dict(zip((n for n in _UNIT_FIELDS if n != "parent"), values, strict=True))
            self.stored[key] = fields | {"parent": key_of.get(parent_id)}
            self.levels[key] = level
        self.keys = _Keys(set(self.stored))

    def _plan(self, row: Row, readers: dict[str, Callable[[Row], Any]]) -> _PlannedUnit:
        key = self.keys(row.values["unit"])
        outcome = RowOutcome(row.number, (key,))
        stored = self.stored.get(key)
        planned = _PlannedUnit(outcome, key, {}, stored is None)
        if not key:
            outcome.refuse(UNIT_KEY, _("Write the unit's key (for example 11413, or 11413-2025 for an ended unit)."))
        elif self.first_row[key] != row.number:
            outcome.refuse(
                UNIT_KEY,
                _("Row %(row)s already gives this unit: keep one of the two rows.") % {"row": self.first_row[key]},
            )
        if not self.allowed:
            outcome.refuse("", _refused_message())
        values = _read_cells(row, readers, UNIT_COLUMN_OF, outcome)
        base = stored or {name: None for name in _UNIT_FIELDS} | {"code": "", "name": "", "kind": "", "is_pilot": False}
        planned.values = base | values
        if stored is None and not planned.values["code"]:
            planned.values["code"] = key
        parent = planned.values["parent"]
        if parent and parent not in self.stored:
            first = self.first_row.get(parent)
            if first is not None and first > row.number:
                message = _("The unit above it (“%(key)s”) comes in row %(row)s, further down: put the units above "
                            "first (provinces, then districts, then communes).")  # fmt: skip
                outcome.refuse(PARENT, message % {"key": parent, "row": first})
            elif parent in self.refused:
                message = _("The unit above it (“%(key)s”, row %(row)s) is refused: correct that row first.")
                outcome.refuse(PARENT, message % {"key": parent, "row": self.refused[parent]})
        if not outcome.outcome and stored is not None and planned.values == stored:
            outcome.outcome = "unchanged"
        if outcome.outcome == "refused" and key:
            self.refused.setdefault(key, row.number)
        return planned

    def _narrows(self, planned: _PlannedUnit) -> bool:
        """Does the row shorten a stored unit's period (then the units below it that end too go first)?"""
        if planned.new:
            return False
        stored, values = self.stored[planned.key], planned.values
        ends_earlier = values["valid_to"] is not None and (
            stored["valid_to"] is None or values["valid_to"] < stored["valid_to"]
        )
        starts_later = values["valid_from"] is not None and (
            stored["valid_from"] is None or values["valid_from"] > stored["valid_from"]
        )
        return ends_earlier or starts_later

    def _write(self, planned: _PlannedUnit) -> None:
        outcome, values = planned.outcome, planned.values
        try:
            with transaction.atomic():
                unit, changes = unit_save(
                    actor=self.user,
                    key=planned.key,
                    parent_key=values["parent"],
                    **{name: values[name] for name in _UNIT_FIELDS if name != "parent"},
                )
        except InvalidInput as exc:
            _refuse_from(outcome, exc, UNIT_COLUMN_OF)
            self.refused.setdefault(planned.key, outcome.row)
            return
        self.stored[planned.key] = {name: values[name] for name in _UNIT_FIELDS}
        self.levels[planned.key] = unit.level
        if not changes:
            outcome.outcome = "unchanged"
            return
        outcome.outcome = "new" if planned.new else "changed"
        outcome.changes = tuple(
            (UNIT_COLUMN_OF[name], "" if planned.new else _shown(name, before), _shown(name, after))
            for name, (before, after) in changes.items()
            if name in UNIT_COLUMN_OF and name != "level"
        )


def unit_rows() -> Iterator[list[Any]]:
    """Every unit in the columns of ``UNIT_HEADER``: today's first, then the ended ones, each after the unit above
    it (in the order of their paths, compared in Python: a database's collation may not put "01/" before
    "01-2025/")."""
    with translation.override("vi"):
        kinds = {value: str(label) for value, label in Kind.choices}
    parents = dict(AdminUnit.objects.values_list("pk", "key"))
    units = AdminUnit.objects.values_list("path", "key", "code", "name", "kind", "parent_id", "valid_from",
                                          "valid_to", "listed_on", "is_pilot", "population")  # fmt: skip
    ordered = sorted(units.iterator(chunk_size=5000), key=lambda unit: (unit[7] is not None, unit[0]))
    for _path, key, code, name, kind, parent_id, start, end, listed, pilot, population in ordered:
        yield [key, code, name, kinds.get(kind, kind), parents.get(parent_id, ""), day_text(start), day_text(end),
               day_text(listed), YES if pilot else NO, population]  # fmt: skip


# ------------------------------------------------------------------------------------------------ lineage


@dataclass
class _LineageImport:
    user: Any
    table: Table
    allowed: bool
    stored: dict[str, dict[str, Any]] = field(default_factory=dict)  # natural key -> legal basis and notes
    keys: _Keys = field(init=False)

    def run(self, kind: LineageKind) -> Report:
        events = LineageEvent.objects.values_list("natural_key", *_EVENT_TEXTS)
        for natural_key, *texts in events.iterator(chunk_size=5000):  # texts compared as the file reads them
            stored = (text.strip() if isinstance(text, str) else text for text in texts)
            self.stored[natural_key] = dict(zip(_EVENT_TEXTS, stored, strict=True))
        self.keys = _Keys(set(AdminUnit.objects.values_list("key", flat=True)))
        kinds = _labels(EventKind)
        readers: dict[str, Callable[[Row], Any]] = {
            "kind": lambda r: (
                _choice(r.values["kind"], EventKind, kinds, _NOT_AN_EVENT_KIND) if r.values["kind"] else ""
            ),
            "date": lambda r: read_date(r.values["date"]),
            "predecessors": lambda r: self._unit_keys(r.values["predecessors"]),
            "successors": lambda r: self._unit_keys(r.values["successors"]),
            "legal_basis": lambda r: r.values["legal_basis"],
            "legal_basis_confirmed": lambda r: read_yes_no(r.values["legal_basis_confirmed"]),
            "note_vi": lambda r: r.values["note_vi"],
            "note_en": lambda r: r.values["note_en"],
        }
        seen: dict[str, int] = {}
        outcomes = [self._row(row, readers, seen) for row in self.table.rows]
        headers = imported_headers(self.table, _event_columns())
        return Report(kind.code, outcomes, headers, list(self.table.ignored), kind.key_names)

    def _unit_keys(self, text: str) -> list[str]:
        return [self.keys(part.strip()) for part in _KEY_LIST.split(text) if part.strip()]

    def _row(self, row: Row, readers: dict[str, Callable[[Row], Any]], seen: dict[str, int]) -> RowOutcome:
        outcome = RowOutcome(row.number, ("",))
        values = _read_cells(row, readers, EVENT_COLUMN_OF, outcome)
        outcome.keys = (_event_text(row, values),)
        if not self.allowed:
            outcome.refuse("", _refused_message())
        if not row.values["kind"]:
            outcome.refuse(EVENT_KIND, _("Write the kind of event (for example Sáp nhập, Chia tách, Đổi tên)."))
        if not row.values["date"]:
            outcome.refuse(EVENT_DATE, _("Write the date the change took effect (dd/mm/yyyy)."))
        if outcome.outcome:
            return outcome
        natural_key = event_key(values["kind"], values["date"], values["predecessors"], values["successors"])
        first = seen.setdefault(natural_key, row.number)
        if first != row.number:
            message = _("Row %(row)s already gives this event: keep one of the two rows.") % {"row": first}
            outcome.refuse(EVENT_KIND, message)
            return outcome
        stored = self.stored.get(natural_key)
        texts = (stored or {}) | {name: values[name] for name in _EVENT_TEXTS if name in values}
        if stored is not None and texts == stored:
            outcome.outcome = "unchanged"
        else:
            self._write(outcome, values, texts)
        return outcome

    def _write(self, outcome: RowOutcome, values: dict[str, Any], texts: dict[str, Any]) -> None:
        try:
            with transaction.atomic():
                _event, created, changes = lineage_event_record(
                    actor=self.user,
                    kind=values["kind"],
                    date=values["date"],
                    predecessor_keys=values["predecessors"],
                    successor_keys=values["successors"],
                    **texts,
                )
        except InvalidInput as exc:
            _refuse_from(outcome, exc, EVENT_COLUMN_OF)
            return
        outcome.outcome = "new" if created else "changed" if changes else "unchanged"
        outcome.changes = tuple(
            (EVENT_COLUMN_OF[name], "" if created else _shown(name, before), _shown(name, after))
            for name, (before, after) in changes.items()
            if name in EVENT_COLUMN_OF
        )


def _event_text(row: Row, values: dict[str, Any]) -> str:
    """What the report calls the event: "Sáp nhập 01/07/2025: 31117, 31120 → 31117"."""
    kind = str(EventKind(values["kind"]).label) if values.get("kind") else row.values["kind"]
    date = day_text(values["date"]) if values.get("date") else row.values["date"]
    before = ", ".join(values.get("predecessors") or []) or row.values["predecessors"]
    after = ", ".join(values.get("successors") or []) or row.values["successors"]
    return shorten(f"{kind} {date}: {before} → {after}")


def event_rows() -> Iterator[list[Any]]:
    """Every lineage event in the columns of ``EVENT_HEADER``, by date, the units of each side by key."""
    with translation.override("vi"):
        kinds = {value: str(label) for value, label in EventKind.choices}
    sides: dict[int, tuple[list[str], list[str]]] = {}
    for event_id, role, key in LineageLink.objects.values_list("event_id", "role", "unit__key").iterator(
        chunk_size=5000
    ):
        sides.setdefault(event_id, ([], []))[role == LinkRole.SUCCESSOR].append(key)
    events = LineageEvent.objects.order_by("date", "id").values_list("pk", "kind", "date", *_EVENT_TEXTS)
    for pk, kind, date, legal_basis, confirmed, note_vi, note_en in events.iterator(chunk_size=5000):
        before, after = sides.get(pk, ([], []))
        yield [kinds.get(kind, kind), day_text(date), "; ".join(sorted(before)), "; ".join(sorted(after)),
               legal_basis, YES if confirmed else NO, note_vi, note_en]  # fmt: skip
