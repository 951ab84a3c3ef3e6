"""Exports for spreadsheets: a campaign's results (units × the 39 indicators), the actions of its programmes, the
rollout board. Each is one ``Table`` — a header and rows — written as XLSX by ``reports.xlsx`` and as CSV by
``common.csv_export``, so both files have the same columns and rows.

Builders take querysets the caller has scoped (``reports.access.results_scope``, ``improvement.access``) and read
them in a fixed number of queries whatever the number of units (a national campaign has 3,321). Labels are in the
reader's language; numbers stay numbers and dates dates; a traffic-light cell is a ``Level``: its fill in XLSX and
its words in both files (never colour alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment, AssessmentScore, Campaign
from tincay.assessments.selectors import class_labels
from tincay.catalogue.models import Indicator
from tincay.common.i18n import localized
from tincay.improvement.choices import ActionStatus, BudgetSource, ProgrammeStatus
from tincay.improvement.models import Programme
from tincay.improvement.selectors.coordination import OPEN
from tincay.orgunits.models import AdminUnit, PeerGroup
from tincay.orgunits.selectors import provinces_of
from tincay.reports import selectors
from tincay.reports.xlsx import Level, Sheet, workbook_bytes


@dataclass
class Table:
    title: str  # the sheet's title
    header: list[str]
    rows: list[list[Any]]
    widths: Sequence[float] = field(default_factory=tuple)


def xlsx_bytes(table: Table) -> bytes:
    return workbook_bytes([Sheet(table.title, table.header, table.rows, table.widths)])


def csv_rows(table: Table) -> list[list[Any]]:
    """The rows as the CSV has them: a traffic-light cell by its words (a CSV has no fills)."""
    return [[c.text if isinstance(c, Level) else c for c in row] for row in table.rows]


# ---------------------------------------------------------------------------------------------- campaign results


@dataclass
class _ResultRow:
    total: float | None  # what ``selectors.ranking`` ranks by
    cells: list[Any]


def _score_text(separator: str, words: dict[str, str]) -> Callable[[Any], Level | None]:
    """(score, colour) → the indicator's cell: "0,85 (Xanh)" filled green; nothing when it has no score."""

    def cell(entry: Any) -> Level | None:
        if not isinstance(entry, (list, tuple)) or len(entry) < 2 or entry[0] is None:
            return None
        score, colour = entry[0], entry[1]
        number = f"{score:.2f}".replace(".", separator)
        return Level(colour or "", f"{number} ({words[colour]})" if colour in words else number)

    return cell


def _peer_groups(scoped: QuerySet[Assessment]) -> dict[int, str]:
    """Unit id → the names of its peer groups (one query)."""
    links = (
        PeerGroup.units.through.objects.filter(adminunit_id__in=scoped.values("unit"))
        .order_by("peergroup__code")
        .values_list("adminunit_id", "peergroup__name_vi", "peergroup__name_en")
    )
    names: dict[int, list[str]] = {}
    for unit_id, name_vi, name_en in links:
        names.setdefault(unit_id, []).append(localized({"name_vi": name_vi, "name_en": name_en}, "name"))
    return {unit_id: "; ".join(found) for unit_id, found in names.items()}


def campaign_results(campaign: Campaign, assessments: QuerySet[Assessment], track: str) -> Table:
    """One row per unit of ``campaign`` among ``assessments`` (the caller's scope): code, name, province, peer
    groups, rank within the scope, total, class, appraised, then each indicator's score with its colour, and the
    stored values that break today's rules. Six queries whatever the number of units."""
    scoped = assessments.filter(campaign=campaign)
    codes = list(
        Indicator.objects.filter(version_id=campaign.version_id).order_by("order").values_list("code", flat=True)
    )
    scores = {
        pk: (total, classification, data or {}, problems or [])
        for pk, total, classification, data, problems in AssessmentScore.objects.filter(
            assessment__in=scoped.values("pk"), track=track
        ).values_list("assessment_id", "total", "classification", "indicators", "problems")
    }
    provinces = {p.path: p.name for p in provinces_of(scoped)}
    groups = _peer_groups(scoped)
    labels = class_labels(campaign.version.scoring)
    cell = _score_text(
        formats.get_format("DECIMAL_SEPARATOR"), {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}
    )
    yes, no = _("yes"), _("no")
    rows = []
    units = scoped.order_by("unit__sort_key", "pk").values_list(
        "pk", "unit_id", "unit__key", "unit__name", "unit__path", "state"
    )
    for pk, unit_id, key, name, path, state in units:
        total, classification, data, problems = scores.get(pk, (None, "", {}, []))
        rows.append(
            _ResultRow(
                total,
                [
                    key,
                    name,
                    provinces.get(path[: path.find("/") + 1], ""),
                    groups.get(unit_id, ""),
                    None if total is None else round(total, 2),
                    labels.get(classification, classification),
                    yes if state in selectors.APPRAISED else no,
                    *[cell(data.get(code)) for code in codes],
                    " ".join(sorted({p.get("criterion", "") for p in problems})),
                ],
            )
        )
    ranks = {id(row): rank for rank, row in selectors.ranking(rows)}
    header = [
        _("Rank"),
        _("Unit code"),
        _("Unit"),
        _("Province"),
        _("Peer group"),
        _("Total"),
        _("Class"),
        _("Appraised"),
        *codes,
        _("Stored values that break today's rules"),
    ]
    return Table(
        title=_("Results"),
        header=header,
        rows=[[ranks[id(row)] or None, *row.cells] for row in rows],
        widths=(7, 12, 30, 22, 22, 8, 18, 10, *[11] * len(codes), 20),
    )


# ---------------------------------------------------------------------------------------------- action programmes


def programmes_of(programmes: QuerySet[Programme], assessments: QuerySet[Assessment]) -> QuerySet[Programme]:
    """The ``programmes`` (those the user sees) of ``assessments`` (a campaign's, narrowed)."""
    return programmes.filter(assessment__in=assessments.values("pk"))


def within_unit(assessments: QuerySet[Assessment], key: str) -> QuerySet[Assessment]:
    """``assessments`` of the units below the unit ``key`` (a province picked on the coordination page); a key that
    names no unit narrows nothing. Narrowing only: what the user may see was decided before."""
    unit = AdminUnit.objects.filter(key=key).only("path").first() if key else None
    return assessments.filter(unit__path__startswith=unit.path) if unit else assessments


def programme_actions(programmes: QuerySet[Programme], today: dt.date) -> Table:
    """One row per action of ``programmes`` (a programme without actions gets one row with its own columns only),
    in Vietnamese order of unit names then action numbers. One query whatever the numbers."""
    programme_status = {s.value: str(s.label) for s in ProgrammeStatus}
    action_status = {s.value: str(s.label) for s in ActionStatus}
    sources = {s.value: str(s.label) for s in BudgetSource}
    yes, no = _("yes"), _("no")
    found = programmes.order_by("assessment__unit__sort_key", "pk", "actions__number").values_list(
        "assessment__unit__key",
        "assessment__unit__name",
        "title",
        "status",
        "actions__number",
        "actions__title",
        "actions__department__name",
        "actions__responsible__full_name",
        "actions__responsible__username",
        "actions__starts_on",
        "actions__deadline",
        "actions__budget_vnd",
        "actions__budget_source",
        "actions__progress",
        "actions__status",
        "actions__finished_on",
    )
    rows = []
    for key, name, title, status, number, *action in found:
        head = [key, name, title, programme_status.get(status, status)]
        if number is None:
            rows.append([*head, *[None] * 12])
            continue
        a_title, department, full_name, username, start, deadline, budget, source, progress, a_status, done = action
        overdue = a_status in OPEN and deadline is not None and deadline < today
        rows.append(
            [
                *head,
                number,
                a_title,
                department or "",
                full_name or username or "",
                start,
                deadline,
                budget,
                sources.get(source, source),
                progress,
                action_status.get(a_status, a_status),
                yes if overdue else no,
                done,
            ]
        )
    header = [
        _("Unit code"),
        _("Unit"),
        _("Programme"),
        _("Programme status"),
        _("Number"),
        _("Action"),
        _("Owner department"),
        _("Person responsible"),
        _("Start"),
        _("Deadline"),
        _("Budget (VND)"),
        _("Budget source"),
        _("Progress (%)"),
        _("Action status"),
        _("Overdue"),
        _("Finished on"),
    ]
    return Table(
        title=_("Action programmes"),
        header=header,
        rows=rows,
        widths=(12, 28, 36, 16, 8, 48, 24, 22, 12, 12, 14, 22, 10, 14, 9, 12),
    )


# ---------------------------------------------------------------------------------------------- rollout board


def rollout_board(header: list[str], rows: list[list[Any]]) -> Table:
    """The rollout board's rows, built once by ``rollout.board_export`` (the CSV writes the same)."""
    return Table(title=_("Rollout board"), header=header, rows=rows, widths=(12, 28, 24, 24, 8, 12, 8, 8, 8, 48))
