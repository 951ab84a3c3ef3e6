"""What every kind of import shares: the outcome of one row, the report of a file, and the shape of a kind.

A kind (``results``, ``values``, ``people``, ``units``, ``lineage``) says which columns its file has, who may import
it, and how its rows are checked and written (``import_rows``, always through the owning app's services, which
validate and check permission themselves). The service (``service.py``) runs ``import_rows`` in a transaction it
rolls back for the dry run, and keeps it for the real import only when no row is refused.

Each row ends new, changed (with its differences, column by column), unchanged, or refused (column and reason,
every reason collected). A row names what it is about by its keys (a unit and a criterion; a username, a unit and
a role; a unit key; an event), shown under the kind's ``key_headers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from tincay.common.tabular import Column, Table

OUTCOMES = ("new", "changed", "unchanged", "refused")
REPORT_TEXT = 300  # characters of a text shown before → after in the report


@dataclass(slots=True)
class RowOutcome:
    """One row's outcome; 100,000 of them are held at once, so no per-row dictionary or empty lists."""

    row: int
    keys: tuple[str, ...]  # what the row is about, in the order of the kind's ``key_names``
    outcome: str = ""  # new, changed, unchanged or refused
    changes: tuple[tuple[str, str, str], ...] = ()  # (column, before, after)
    errors: tuple[tuple[str, str], ...] = ()  # (column, reason)

    def refuse(self, column: str, reason: Any) -> None:
        self.errors = (*self.errors, (column, str(reason)))
        self.outcome = "refused"

    def as_json(self, key_names: tuple[str, ...]) -> dict[str, Any]:
        """The row in the run's report: its keys by their names (``keys`` in order when the kind names none)."""
        data: dict[str, Any] = {"row": self.row}
        if key_names:
            data.update(zip(key_names, self.keys, strict=False))
        else:
            data["keys"] = list(self.keys)
        data["outcome"] = self.outcome
        if self.changes:
            data["changes"] = [{"column": c, "before": b, "after": a} for c, b, a in self.changes]
        if self.errors:
            data["errors"] = [{"column": c, "reason": r} for c, r in self.errors]
        return data


@dataclass
class Report:
    kind: str
    rows: list[RowOutcome]
    columns: list[str]  # the headers imported
    ignored: list[str]  # headers of the file not imported
    key_names: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts | {"total": len(self.rows)}

    @property
    def refused(self) -> int:
        return sum(1 for row in self.rows if row.outcome == "refused")

    @property
    def written(self) -> int:
        return sum(1 for row in self.rows if row.outcome in ("new", "changed"))

    def as_json(self) -> dict[str, Any]:
        ordered = sorted(self.rows, key=lambda r: (r.outcome != "refused", r.row))  # refused rows first
        return {
            "kind": self.kind,
            "counts": self.counts(),
            "columns": self.columns,
            "ignored": self.ignored,
            "rows": [row.as_json(self.key_names) for row in ordered],
        }


def shorten(text: str) -> str:
    """A long text as the report shows it before → after."""
    return text if len(text) <= REPORT_TEXT else text[: REPORT_TEXT - 1] + "…"


def imported_headers(table: Table, columns: list[Column]) -> list[str]:
    """The headers of ``table`` that the import reads, in the file's order (``info…`` columns are for people)."""
    header_of = {column.key: column.header for column in columns if not column.key.startswith("info")}
    return [header_of[name] for name in table.columns if name in header_of]


class ImportKind(Protocol):
    """What the import service needs of a kind of file."""

    code: str
    label: Any  # lazy text: what the file holds
    needs_campaign: bool  # results and values go into one campaign; people and units do not
    key_names: tuple[str, ...]  # names of a row's keys in the report's JSON
    key_headers: tuple[Any, ...]  # their column headings on the report page (lazy text)

    def columns(self) -> list[Column]:
        """The file's columns: what the reader matches headers against."""

    def check_columns(self, table: Table) -> None:
        """Raise ``TableError`` when the file lacks what this kind needs to import anything."""

    def may_import(self, user: Any, campaign: Any) -> bool:
        """May ``user`` import this kind at all (into ``campaign`` when it needs one)? Each row is still checked
        by the service that writes it."""

    def refused_message(self) -> str:
        """Why someone who may not import is refused (translated)."""

    def import_rows(self, *, user: Any, campaign: Any, table: Table) -> Report:
        """Check every row and write the good ones through the owning app's services; the caller holds the
        transaction (the dry run always rolls back, the real import when any row is refused)."""

    def export(self, user: Any) -> tuple[tuple[str, ...], Iterable[list[Any]]]:
        """Kinds outside a campaign: the header and today's rows ``user`` may import, in the columns the import
        reads, so that the file re-imports unchanged. (A campaign's results export by campaign instead.)"""
