"""The self-assessment results of a campaign as a spreadsheet: one row per unit × criterion, read and written.

Columns (Vietnamese headers, the same in every language: the file is a format) are defined once here, so the
criteria-detail export writes exactly what the import reads and an exported file re-imports as "unchanged" for
every row. Rows are matched by stable codes within the campaign: the unit's key and the criterion's code.

Two kinds of import share this code: ``results`` (level, measured value, N/A and its reason, narrative, reason for
no evidence) and ``values`` (the measured values of performance criteria only). A cell turns into what the page
would send (a level word into its code, "87,5" into a number, "có" into yes); the assessment service then checks
every value with the rules of the page and the user's permission, writes, and says what changed. Every row ends
new, changed (with its differences), unchanged, or refused with its column and reason; all refusals are collected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tincay.assessments import access
from tincay.assessments.models import Assessment, Campaign, CriterionResult
from tincay.assessments.services.imports import assessment_import_changes
from tincay.catalogue.models import Criterion
from tincay.common.csv_export import csv_text
from tincay.common.errors import InvalidInput
from tincay.common.numbers import NumberFormatError, read_number
from tincay.common.tabular import Column, Row, Table, TableError
from tincay.common.text import fold
from tincay.reports.imports.access import can_import_into
from tincay.reports.imports.base import Report, RowOutcome, shorten
from tincay.reports.xlsx import Level, Sheet, workbook_bytes

# The columns of the file, in order; the import reads the ones that carry data and ignores the others.
UNIT_KEY = "Mã đơn vị"
UNIT_NAME = "Tên đơn vị"
CRITERION_CODE = "Mã tiêu chí"
CRITERION_TITLE = "Tiêu chí"
SELF_LEVEL = "Mức tự đánh giá"
SELF_VALUE = "Giá trị đo"
NA = "Không áp dụng"
NA_REASON = "Lý do không áp dụng"
NARRATIVE = "Thuyết minh"
NO_EVIDENCE = "Lý do không có minh chứng"
HEADER = (UNIT_KEY, UNIT_NAME, CRITERION_CODE, CRITERION_TITLE, SELF_LEVEL, SELF_VALUE, NA, NA_REASON, NARRATIVE,
          NO_EVIDENCE)  # fmt: skip
# Written after them for the reader; the import ignores them (their headers say so).
SCORER_LEVEL = "Mức của tổ chấm điểm (chỉ xem)"
SCORER_COMMENT = "Nhận xét của tổ chấm điểm (chỉ xem)"
FINAL_LEVEL = "Mức cuối cùng (chỉ xem)"
FINAL_COMMENT = "Lý do của hội đồng thẩm định (chỉ xem)"
READ_ONLY = (SCORER_LEVEL, SCORER_COMMENT, FINAL_LEVEL, FINAL_COMMENT)

LEVEL_WORDS = {"green": "Xanh", "yellow": "Vàng", "red": "Đỏ"}
YES, NO = "Có", "Không"
_LEVELS_READ = {"xanh": "green", "green": "green", "vang": "yellow", "yellow": "yellow", "do": "red", "red": "red"}
_YES = {"co", "c", "x", "yes", "y", "true", "1"}
_NO = {"khong", "k", "no", "n", "false", "0"}

# result field -> its column
COLUMN_OF = {
    "self_level": SELF_LEVEL,
    "self_value": SELF_VALUE,
    "na": NA,
    "na_reason": NA_REASON,
    "narrative": NARRATIVE,
    "no_evidence_reason": NO_EVIDENCE,
}
_ALIASES = {
    "self_level": ("Mức", "Mức đánh giá", "self level", "level"),
    "self_value": ("Giá trị", "measured value", "value"),
    "na": ("N/A", "KAD", "not applicable"),
    "na_reason": ("Lý do KAD", "why not applicable"),
    "narrative": ("narrative",),
    "no_evidence_reason": ("Lý do không có tài liệu kiểm chứng", "why there is no evidence"),
}
_TEXTS = ("na_reason", "narrative", "no_evidence_reason")


@dataclass(frozen=True)
class Kind:
    """Results or measured values of one campaign (``base.ImportKind``)."""

    code: str
    label: Any
    fields: tuple[str, ...]  # the result fields its rows carry
    needs_campaign: bool = True
    key_names: tuple[str, ...] = ("unit", "criterion")
    key_headers: tuple[Any, ...] = (gettext_lazy("Unit"), gettext_lazy("Criterion"))

    def may_import(self, user: Any, campaign: Any) -> bool:
        return campaign is not None and can_import_into(user, campaign)

    def refused_message(self) -> str:
        return _("Only an administrator or a coordinator of units of this campaign imports results.")

    def import_rows(self, *, user: Any, campaign: Any, table: Table) -> Report:
        return import_rows(user=user, campaign=campaign, kind=self, table=table)

    def columns(self) -> list[Column]:
        only_one = len(self.fields) == 1
        return [
            Column("unit", UNIT_KEY, ("Mã ĐV", "unit key", "unit code", "unit"), required=True),
            Column("criterion", CRITERION_CODE, ("Mã TC", "criterion code", "criterion"), required=True),
            *[Column(name, COLUMN_OF[name], _ALIASES[name], required=only_one) for name in self.fields],
            # for people: recognised so that they are not reported as unknown, never imported
            *[Column(f"info{n}", text) for n, text in enumerate((UNIT_NAME, CRITERION_TITLE, *READ_ONLY))],
        ]

    def check_columns(self, table: Table) -> None:
        """A file of results needs at least one column of data besides the unit and the criterion."""
        if not set(self.fields) & set(table.columns):
            raise TableError(
                _("The file “%(name)s” has no column to import: add at least one of %(columns)s.")
                % {"name": table.filename, "columns": ", ".join(f"“{COLUMN_OF[n]}”" for n in self.fields)}
            )


KINDS = {
    "results": Kind(
        "results",
        gettext_lazy("Self-assessment results"),
        ("self_level", "self_value", "na", "na_reason", "narrative", "no_evidence_reason"),
    ),
    "values": Kind("values", gettext_lazy("Measured values of performance criteria"), ("self_value",)),
}


# ------------------------------------------------------------------------------------------------- cells


def level_word(level: str) -> str:
    return LEVEL_WORDS.get(level or "", "")


def value_text(value: Decimal | None) -> str:
    """A measured value as the file shows it, with a decimal comma and no trailing zeros: 87,5."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _shown(name: str, value: Any) -> str:
    """A field's value as the file writes it, for the report's before → after."""
    if name == "self_level":
        return level_word(value)
    if name == "self_value":
        return value_text(value)
    if name == "na":
        return YES if value else NO
    return shorten(str(value or ""))


class _Cell(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _level(text: str) -> str:
    if not text:
        return ""
    level = _LEVELS_READ.get(fold(text))
    if level is None:
        raise _Cell(
            _("“%(text)s” is not a level: write Xanh, Vàng or Đỏ (or green, yellow, red), or leave it empty.")
            % {"text": text[:40]}
        )
    return level


def _value(row: Row) -> Decimal | None:
    if "self_value" in row.numbers:
        return row.numbers["self_value"]
    text = row.values["self_value"]
    if not text:
        return None
    try:
        return read_number(text)
    except NumberFormatError as exc:
        raise _Cell(str(exc)) from None


def _yes_no(text: str) -> bool:
    word = fold(text)
    if not word or word in _NO:
        return False
    if word in _YES:
        return True
    raise _Cell(_("“%(text)s” is not yes or no: write Có or Không (or leave it empty for no).") % {"text": text[:40]})


_READERS = {
    "self_level": lambda row: _level(row.values["self_level"]),
    "self_value": _value,
    "na": lambda row: _yes_no(row.values["na"]),
}


def _row_values(row: Row, fields: tuple[str, ...], outcome: RowOutcome) -> dict[str, Any]:
    """What the assessment service takes for this row; each unreadable cell refuses the row under its column."""
    values: dict[str, Any] = {}
    for name in fields:
        if name not in row.values:
            continue  # a column the file leaves out keeps what is stored
        reader = _READERS.get(name)
        try:
            values[name] = reader(row) if reader else row.values[name]
        except _Cell as bad:
            outcome.refuse(COLUMN_OF[name], bad.message)
    return values


# ------------------------------------------------------------------------------------------------ import


@dataclass(slots=True)
class _Planned:
    outcome: RowOutcome
    code: str
    values: dict[str, Any]


@dataclass
class _Context:
    user: Any
    kind: Kind
    assessments: dict[str, Assessment]
    criteria: dict[str, str]  # code -> type
    names: tuple[str, ...]  # the kind's fields as stored, in ``_Stored``'s tuples
    allowed: dict[int, bool] = field(default_factory=dict)

    def may_import(self, assessment: Assessment) -> bool:
        if assessment.pk not in self.allowed:
            self.allowed[assessment.pk] = access.can_import_results(self.user, assessment)
        return self.allowed[assessment.pk]

    def stored(self, assessment: Assessment) -> _Stored:
        """What is stored for one unit, read when its rows are written: the whole file's stored results at once
        weighed 60 MB for 100,000 rows."""
        rows = CriterionResult.objects.filter(assessment=assessment).values_list("criterion__code", *self.names)
        return _Stored(self.names, {row[0]: tuple(row[1:]) for row in rows})


@dataclass(slots=True)
class _Stored:
    names: tuple[str, ...]
    by_code: dict[str, tuple[Any, ...]]  # criterion code -> the kind's fields

    def fields(self, code: str) -> dict[str, Any]:
        return dict(zip(self.names, self.by_code[code], strict=True))


def import_rows(*, user: Any, campaign: Campaign, kind: Kind, table: Table) -> Report:
    """Check every row of ``table`` and write the good ones through the assessment service, unit by unit.

    The caller holds the transaction and decides what stays: the dry run always rolls back, the real import rolls
    back unless every row is good. A unit's rows are checked by the service together; when some are refused, the
    others are checked again without them, so that every row gets its own outcome."""
    context = _context(user, campaign, kind, table)
    outcomes: list[RowOutcome] = []
    groups: dict[int, list[_Planned]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in table.rows:
        planned, assessment = _plan(context, row, seen)
        outcomes.append(planned.outcome)
        if assessment is not None and planned.code in context.criteria:
            groups.setdefault(assessment.pk, []).append(planned)
    table.rows = []  # every row is planned: the file's cells are no longer needed
    by_pk = {a.pk: a for a in context.assessments.values()}
    for pk in list(groups):
        _check_unit(context, by_pk[pk], groups.pop(pk))  # a unit's planned values go once it is written
    imported = {name: COLUMN_OF[name] for name in kind.fields} | {"unit": UNIT_KEY, "criterion": CRITERION_CODE}
    headers = [imported[k] for k in table.columns if k in imported]
    return Report(kind.code, outcomes, headers, list(table.ignored), kind.key_names)


def _context(user: Any, campaign: Campaign, kind: Kind, table: Table) -> _Context:
    keys = {key for row in table.rows for key in _unit_keys(row.values["unit"])}
    assessments = {
        a.unit.key: a
        for a in campaign.assessments.filter(unit__key__in=keys).select_related("unit", "campaign__version")
    }
    criteria = dict(Criterion.objects.filter(version_id=campaign.version_id).values_list("code", "type"))
    names = ("na", *(name for name in kind.fields if name != "na"))
    return _Context(user, kind, assessments, criteria, names)


def _unit_keys(text: str) -> list[str]:
    """The keys a unit code may stand for: itself, then, when a spreadsheet turned it into a number and dropped
    its leading zeros ("4" for "00004"), the 2-digit province, 3-digit district or 5-digit commune code."""
    if not text:
        return []
    padded = [text.zfill(width) for width in (2, 3, 5) if text.isdigit() and len(text) < width]
    return [text, *padded]


def _unit(context: _Context, text: str) -> Assessment | None:
    found = [context.assessments[key] for key in _unit_keys(text) if key in context.assessments]
    return found[0] if found else None


def _plan(context: _Context, row: Row, seen: dict[tuple[str, str], int]) -> tuple[_Planned, Assessment | None]:
    """Read a row and check what needs nothing stored: its unit (and the right to import for it), its criterion,
    that it is not repeated, its cells."""
    unit_text, code = row.values["unit"], row.values["criterion"]
    outcome = RowOutcome(row.number, (unit_text, code))
    planned = _Planned(outcome, code, {})
    assessment = _unit(context, unit_text) if unit_text else None
    if not unit_text:
        outcome.refuse(UNIT_KEY, _("Write the unit's code."))
    elif assessment is None:
        message = _("No unit with the code “%(code)s” takes part in this campaign.") % {"code": unit_text}
        outcome.refuse(UNIT_KEY, message)
    else:
        outcome.keys = (assessment.unit.key, code)
        if not context.may_import(assessment):
            outcome.refuse(UNIT_KEY, _("Not yours: you may not import results for this unit (outside your scope)."))
    if not code:
        outcome.refuse(CRITERION_CODE, _("Write the criterion's code."))
    elif code not in context.criteria:
        message = _("No criterion with the code “%(code)s” in this campaign's indicator set.") % {"code": code}
        outcome.refuse(CRITERION_CODE, message)
    if assessment is not None and code:
        first = seen.setdefault((assessment.unit.key, code), row.number)
        if first != row.number:
            outcome.refuse(
                CRITERION_CODE,
                _("Row %(row)s already gives this unit and criterion: keep one of the two rows.") % {"row": first},
            )
    planned.values = _row_values(row, context.kind.fields, outcome)
    return planned, assessment


def _check_unit(context: _Context, assessment: Assessment, planned: list[_Planned]) -> None:
    """The checks of a unit's rows against what is stored, then the writing of the good ones."""
    stored = context.stored(assessment)
    for p in planned:
        if p.code not in stored.by_code:
            p.outcome.refuse(CRITERION_CODE, _("This criterion is not assessed for this unit in this campaign."))
        elif p.outcome.outcome != "refused":
            _check_value_on_na(context, stored, p)
    good = [p for p in planned if p.outcome.outcome != "refused"]
    if good:
        _write_unit(context, assessment, good, stored)


def _check_value_on_na(context: _Context, stored: _Stored, planned: _Planned) -> None:
    """A measured value for a criterion marked not applicable would be dropped silently: say so instead."""
    na = planned.values.get("na", stored.fields(planned.code)["na"])
    if na and planned.values.get("self_value") is not None and "na" not in context.kind.fields:
        planned.outcome.refuse(
            SELF_VALUE,
            _(
                "This criterion is marked not applicable for the unit: leave the value empty, or import the results "
                "file with “Không áp dụng” set to Không."
            ),
        )


def _write_unit(context: _Context, assessment: Assessment, planned: list[_Planned], stored: _Stored) -> None:
    """One service call for the unit's rows; when it refuses some, again for the others (at most three times)."""
    pending = {p.code: p for p in planned}
    for _attempt in range(3):
        if not pending:
            return
        try:
            changes = assessment_import_changes(
                user=context.user, assessment=assessment, rows={code: p.values for code, p in pending.items()}
            )
        except InvalidInput as exc:
            refused = _refuse_from(exc, pending)
            pending = {code: p for code, p in pending.items() if code not in refused}
            continue
        for code, p in pending.items():
            _outcome(context, stored, p, changes.get(code))
        return
    for p in pending.values():
        p.outcome.refuse("", _("Could not be checked with the other rows of this unit: correct them first."))


def _refuse_from(exc: InvalidInput, pending: Mapping[str, _Planned]) -> set[str]:
    """Put the service's messages on the rows they name (``<criterion code>.<field>``); a message that names no
    row (permission, the whole import) goes on every row of the unit. Returns the codes refused."""
    refused = set()
    for key, messages in exc.errors.items():
        code, _dot, name = key.rpartition(".")
        targets = [pending[code]] if code in pending else list(pending.values())
        column = COLUMN_OF.get(name, "") if code in pending else ""
        for target in targets:
            for message in messages:
                target.outcome.refuse(column, message)
            refused.add(target.code)
    return refused


def _outcome(context: _Context, stored: _Stored, planned: _Planned, changes: Any) -> None:
    outcome = planned.outcome
    if not changes:
        outcome.outcome = "unchanged"
        return
    before = stored.fields(planned.code)
    blank = all(
        before.get(name) is None or before.get(name) == "" or before.get(name) is False for name in context.kind.fields
    )
    outcome.outcome = "new" if blank else "changed"
    outcome.changes = tuple(
        (COLUMN_OF[name], _shown(name, before), _shown(name, after))
        for name, (before, after) in changes.items()
        if name in COLUMN_OF
    )


# ------------------------------------------------------------------------------------------------ export


def criteria_detail_rows(campaign: Campaign, assessments: QuerySet[Assessment]) -> Iterator[list[Any]]:
    """One row per unit × criterion of ``assessments`` in ``campaign``, in the columns ``HEADER + READ_ONLY``:
    levels as :class:`~tincay.reports.xlsx.Level` (fill and word), measured values as numbers. Read only."""
    results = (
        CriterionResult.objects.filter(assessment__in=assessments.filter(campaign=campaign))
        .order_by("assessment__unit__sort_key", "assessment__unit__key", "criterion__order")
        .values_list(
            "assessment__unit__key",
            "assessment__unit__name",
            "criterion__code",
            "criterion__title_vi",
            "self_level",
            "self_value",
            "na",
            "na_reason",
            "narrative",
            "no_evidence_reason",
            "scorer_level",
            "scorer_comment",
            "final_level",
            "final_comment",
        )
    )
    for key, name, code, title, level, value, na, na_reason, narrative, no_evidence, *checked in results.iterator(
        chunk_size=2000
    ):
        scorer_level, scorer_comment, final_level, final_comment = checked
        yield [
            key,
            name,
            code,
            title,
            Level(level, level_word(level)),
            value,
            YES if na else NO,
            na_reason,
            narrative,
            no_evidence,
            Level(scorer_level, level_word(scorer_level)),
            scorer_comment,
            Level(final_level, level_word(final_level)),
            final_comment,
        ]


def csv_cells(row: list[Any]) -> list[Any]:
    """A detail row for CSV: levels as words, measured values with a decimal comma (never read two ways)."""
    return [
        cell.text if isinstance(cell, Level) else value_text(cell) if isinstance(cell, Decimal) else cell
        for cell in row
    ]


def detail_xlsx(campaign: Campaign, assessments: QuerySet[Assessment]) -> bytes:
    """The criteria detail as a workbook of one sheet (the first sheet is the one the import reads)."""
    rows = (_xlsx_cells(row) for row in criteria_detail_rows(campaign, assessments))
    widths = (12, 28, 12, 50, 14, 12, 12, 30, 50, 30, 16, 30, 16, 30)
    return workbook_bytes([Sheet(campaign.code, (*HEADER, *READ_ONLY), rows, widths)])


def detail_csv(campaign: Campaign, assessments: QuerySet[Assessment]) -> str:
    rows = (csv_cells(row) for row in criteria_detail_rows(campaign, assessments))
    return csv_text((*HEADER, *READ_ONLY), rows)


def _xlsx_cells(row: list[Any]) -> list[Any]:
    """Control characters a workbook cannot hold (pasted from other programs) are left out rather than failing."""
    return [ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell for cell in row]
