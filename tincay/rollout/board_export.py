"""The rollout board as a table for its exports: a header and one row per unit the filters keep (where it is, since
when, its gates, then the state of each of the five phases in words).

The rows are built once, here: the CSV (``views.board.rollout_export``) writes them through ``common.csv_export``
and the XLSX (``reports.views_exports``, a higher layer) through the reports' writer. Labels are in the reader's
language; dates stay dates and counts numbers (each writer keeps their types).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tincay.common.i18n import localized
from tincay.rollout.gates import Gate
from tincay.rollout.models import Rollout
from tincay.rollout.selectors import board as selectors


@dataclass
class BoardTable:
    header: list[str]
    rows: list[list[Any]]


def gate_texts() -> Callable[[Gate], str]:
    """``gate`` → its text in the export, the translated words looked up once for the thousands of gates."""
    met, not_met, not_yet = _("met"), _("not met"), _("not yet")
    by_hand = _("%(gate)s: recorded by hand (%(state)s): %(reason)s")

    def text(gate: Gate) -> str:
        if gate.by_hand:
            return by_hand % {"gate": gate.label, "state": met if gate.met else not_met, "reason": gate.reason}
        return f"{gate.label}: {met if gate.met else not_yet}" + (f" ({gate.detail})" if gate.detail else "")

    return text


def board_table(user: Any, rollout: Rollout, params: Any) -> BoardTable:
    """Every unit of ``rollout`` that ``user`` sees and the filters in ``params`` (a query dict) keep."""
    phases = selectors.template_phases(rollout.template_id)
    board = selectors.rollout_board_all(user, rollout, selectors.Filters.read(params, phases), phases=phases)
    header = [
        _("Unit code"),
        _("Unit"),
        _("Higher-level unit"),
        _("Current phase"),
        _("Phase order"),
        _("In this phase since"),
        _("Days in this phase"),
        _("Stuck"),
        _("Gates met"),
        _("Gates of the current phase"),
        *[localized(p, "title") for p in board.phases],
    ]
    states = {
        "current": _("current"),
        "done": _("done"),
        "skipped": _("skipped"),
        "future": "",
        "not_recorded": _("not recorded"),
    }
    titles = {p.key: localized(p, "title") for p in board.phases}
    orders = {p.key: p.order for p in board.phases}
    yes, no = _("yes"), _("no")
    gate_text = gate_texts()
    rows = [
        [
            row.entry.unit_key,
            row.entry.unit_name,
            row.entry.parent_name or "",
            titles.get(row.entry.current_phase, row.entry.current_phase),
            orders.get(row.entry.current_phase),
            row.entry.phase_since,
            row.days,
            yes if row.stuck else no,
            f"{sum(g.met for g in row.gates)}/{len(row.gates)}",
            "; ".join(gate_text(g) for g in row.gates),
            *[states[c.state] for c in row.cells],
        ]
        for row in board.rows
    ]
    return BoardTable(header, rows)
