"""The province board of a rollout (units × phases) and one unit's entry, user-scoped, constant queries.

The board shows where each unit is and since when (days), highlights units stuck longer than the rollout's
threshold (``Rollout.stuck_after_days``, else the template's), and the gates of each unit's current phase. It is
filtered (phase, stuck only, name) and paged; the export takes every row the filters keep. Whatever the number of
units: the entries visible to the reader, a count, one page, their phase records and at most five gate queries.

A unit is **stuck** when it has been in its phase longer than the threshold, except in the last phase once its
final report is sent (the last phase, maintaining the system, has no end).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tincay.assessments.models import Document
from tincay.orgunits.selectors import unit_search_q
from tincay.rollout import access
from tincay.rollout.gates import Gate, current_phase_gates, gates_for_entries, template_phases
from tincay.rollout.models import GateRecord, PhaseDefinition, PhaseRecord, Rollout, RolloutUnit

PAGE_SIZE = 50


def threshold_days(rollout: Rollout) -> int:
    return rollout.stuck_after_days or rollout.template.stuck_after_days


def stuck_q(rollout: Rollout, phases: list[PhaseDefinition], today: dt.date) -> Q:
    cutoff = today - dt.timedelta(days=threshold_days(rollout))
    last = phases[-1].key if phases else ""
    return Q(phase_since__lt=cutoff) & (~Q(current_phase=last) | Q(report_sent_on__isnull=True))


@dataclass(frozen=True)
class Filters:
    phase: str = ""
    stuck: bool = False
    name: str = ""

    @classmethod
    def read(cls, data: Any, phases: list[PhaseDefinition]) -> Filters:
        phase = data.get("phase", "")
        name = data.get("q", "")
        return cls(
            phase=phase if phase in {p.key for p in phases} else "",
            stuck=data.get("stuck") in ("1", "on", "true"),
            name=name.strip()[:100] if isinstance(name, str) else "",
        )

    def query(self) -> str:
        from urllib.parse import urlencode

        params = {"phase": self.phase, "stuck": "1" if self.stuck else "", "q": self.name}
        return urlencode({k: v for k, v in params.items() if v})


@dataclass(frozen=True)
class Cell:
    phase: PhaseDefinition
    state: str  # current, done, skipped, future, not_recorded


@dataclass(slots=True)
class EntryFacts:
    """An entry as the export reads it, from one query of plain values: thousands of model instances (the entry,
    its unit, the unit's parent) would cost more than the rest of the export. It has the attributes of
    ``RolloutUnit`` the gates read."""

    pk: int
    unit_id: int
    unit_key: str
    unit_name: str
    parent_name: str | None
    current_phase: str
    phase_since: dt.date
    report_sent_on: dt.date | None
    steering_decision_id: int | None
    support_team_document_id: int | None
    survey_submitted_at: dt.datetime | None


ENTRY_FACTS = (  # the columns of EntryFacts, in order
    "pk",
    "unit_id",
    "unit__key",
    "unit__name",
    "unit__parent__name",
    "current_phase",
    "phase_since",
    "report_sent_on",
    "steering_decision_id",
    "support_team_document_id",
    "survey_submitted_at",
)


@dataclass
class Row:
    entry: RolloutUnit | EntryFacts  # EntryFacts in the export (``rollout_board_all``)
    days: int
    stuck: bool
    cells: list[Cell]
    gates: list[Gate] = field(default_factory=list)

    @property
    def phase(self) -> PhaseDefinition | None:
        return next((c.phase for c in self.cells if c.state == "current"), None)


@dataclass
class PhaseCount:
    phase: PhaseDefinition
    units: int
    stuck: int


@dataclass
class Board:
    rollout: Rollout
    phases: list[PhaseDefinition]
    filters: Filters
    counts: list[PhaseCount]
    total: int
    stuck_total: int
    threshold: int
    rows: list[Row]
    page: Page | None
    today: dt.date


def _filter_q(filters: Filters, stuck: Q) -> Q:
    kept = Q()
    if filters.phase:
        kept &= Q(current_phase=filters.phase)
    if filters.stuck:
        kept &= stuck
    return kept & unit_search_q(filters.name)


def _filtered(entries: QuerySet[RolloutUnit], filters: Filters, stuck: Q) -> QuerySet[RolloutUnit]:
    return entries.filter(_filter_q(filters, stuck))


def _cells(entry: RolloutUnit | EntryFacts, phases: list[PhaseDefinition], latest: dict[str, bool]) -> list[Cell]:
    """``latest``: phase key → whether its latest record is a skip (phases never recorded are absent)."""
    current = next((p for p in phases if p.key == entry.current_phase), None)
    cells = []
    for phase in phases:
        if phase.key == entry.current_phase:
            state = "current"
        elif phase.key in latest:
            state = "skipped" if latest[phase.key] else "done"
        elif current is not None and phase.order < current.order:
            state = "not_recorded"
        else:
            state = "future"
        cells.append(Cell(phase, state))
    return cells


def _rows(
    rollout: Rollout,
    entries: Any,
    phases: list[PhaseDefinition],
    today: dt.date,
    among: QuerySet[RolloutUnit] | None = None,
) -> list[Row]:
    """The rows of ``entries``; ``among`` (the query they come from, for the export's thousands) selects their
    records by a subquery instead of a list of ids. Units at the same point share their (read-only) cells."""
    entries = list(entries)
    latest: dict[int, dict[str, bool]] = {e.pk: {} for e in entries}
    rows_of_records = (
        PhaseRecord.objects.filter(rollout_unit_id__in=among.values("pk") if among is not None else list(latest))
        .order_by("entered_on", "id")
        .values_list("rollout_unit_id", "phase", "skipped")
    )
    for entry_id, phase, skipped in rows_of_records:  # tuples, not models: the export reads thousands
        if entry_id in latest:  # a unit added since the entries were read is left for the next reading
            latest[entry_id][phase] = skipped
    threshold = threshold_days(rollout)
    last = phases[-1].key if phases else ""
    gates = current_phase_gates(rollout, entries, phases, today=today, among=among)
    shared: dict[tuple, list[Cell]] = {}
    rows = []
    for entry in entries:
        days = (today - entry.phase_since).days
        stuck = days > threshold and (entry.current_phase != last or entry.report_sent_on is None)
        point = (entry.current_phase, *latest[entry.pk].items())
        cells = shared.get(point)
        if cells is None:
            cells = shared[point] = _cells(entry, phases, latest[entry.pk])
        rows.append(Row(entry, days, stuck, cells, gates.get(entry.pk, [])))
    return rows


def _base(user: Any, rollout: Rollout) -> QuerySet[RolloutUnit]:
    return access.entries_visible_to(user, rollout).select_related("unit__parent").order_by("unit__sort_key", "pk")


def rollout_board(
    user: Any,
    rollout: Rollout,
    filters: Filters,
    *,
    page: Any = 1,
    today: dt.date | None = None,
    phases: list[PhaseDefinition] | None = None,
) -> Board:
    """One page of the board for ``user`` (who sees every unit, or only their own); ``phases``: the template's,
    when the caller has read them already."""
    today = today or timezone.localdate()
    phases = template_phases(rollout.template_id) if phases is None else phases
    stuck = stuck_q(rollout, phases, today)
    entries = _base(user, rollout)
    kept = _filter_q(filters, stuck)
    per_phase = entries.order_by().values("current_phase").annotate(n=Count("id"), stuck=Count("id", filter=stuck))
    if kept:  # the units the filters keep, counted in the same query (the pager needs no count of its own)
        per_phase = per_phase.annotate(kept=Count("id", filter=kept))
    by_phase = {row["current_phase"]: row for row in per_phase}
    counts = [
        PhaseCount(p, by_phase.get(p.key, {}).get("n", 0), by_phase.get(p.key, {}).get("stuck", 0)) for p in phases
    ]
    paginator = Paginator(entries.filter(kept), PAGE_SIZE)
    paginator.count = sum(row["kept" if kept else "n"] for row in by_phase.values())  # type: ignore[misc]
    current_page = paginator.get_page(page)
    # The page's ids from a narrow subquery, then their rows with unit and parent: PostgreSQL sorts thousands of
    # ids rather than thousands of wide rows to keep fifty.
    on_page = (
        RolloutUnit.objects.filter(pk__in=current_page.object_list.values("pk"))
        .select_related("unit__parent")
        .order_by("unit__sort_key", "pk")
    )
    current_page.object_list = list(on_page)
    return Board(
        rollout=rollout,
        phases=phases,
        filters=filters,
        counts=counts,
        total=sum(c.units for c in counts),
        stuck_total=sum(c.stuck for c in counts),
        threshold=threshold_days(rollout),
        rows=_rows(rollout, current_page.object_list, phases, today),
        page=current_page,
        today=today,
    )


def rollout_board_all(
    user: Any,
    rollout: Rollout,
    filters: Filters,
    *,
    today: dt.date | None = None,
    phases: list[PhaseDefinition] | None = None,
) -> Board:
    """Every row the filters keep (the export), in the same fixed number of queries; the rows' entries are
    ``EntryFacts``."""
    today = today or timezone.localdate()
    phases = template_phases(rollout.template_id) if phases is None else phases
    stuck = stuck_q(rollout, phases, today)
    entries = _filtered(_base(user, rollout), filters, stuck)
    facts = [EntryFacts(*values) for values in entries.values_list(*ENTRY_FACTS)]
    rows = _rows(rollout, facts, phases, today, among=entries)
    return Board(
        rollout, phases, filters, [], len(rows), sum(r.stuck for r in rows), threshold_days(rollout), rows, None, today
    )


@dataclass
class PhaseGates:
    phase: PhaseDefinition
    state: str
    gates: list[Gate]


@dataclass
class EntryView:
    row: Row
    records: list[PhaseRecord]
    phases: list[PhaseGates]
    hand_records: list[GateRecord]
    documents: list[Document]


def entry_view(user: Any, rollout: Rollout, key: str, *, today: dt.date | None = None) -> EntryView | None:
    """One unit of the rollout as ``user`` sees it (None when not visible): its cells, its phase history, the gates
    of every phase, the gates recorded by hand and the documents of its register to pick from."""
    today = today or timezone.localdate()
    entry = (
        access.entries_visible_to(user, rollout)
        .select_related(
            "unit__parent", "steering_decision", "support_team_document", "report_document", "rollout__template"
        )
        .filter(unit__key=key)
        .first()
    )
    if entry is None:
        return None
    phases = template_phases(rollout.template_id)
    records = list(entry.phase_records.select_related("actor").order_by("entered_on", "id"))
    threshold = threshold_days(rollout)
    days = (today - entry.phase_since).days
    stuck = days > threshold and (entry.current_phase != phases[-1].key or entry.report_sent_on is None)
    cells = _cells(entry, phases, {r.phase: r.skipped for r in records})
    specs = [g for p in phases for g in p.gates]
    flat = gates_for_entries(rollout, [entry], {entry.pk: specs}, today=today)[entry.pk]
    by_phase, i = [], 0
    for phase, cell in zip(phases, cells, strict=True):
        by_phase.append(PhaseGates(phase, cell.state, flat[i : i + len(phase.gates)]))
        i += len(phase.gates)
    row = Row(entry, days, stuck, cells, next((pg.gates for pg in by_phase if pg.state == "current"), []))
    hand = list(entry.gate_records.select_related("recorded_by", "document").order_by("-recorded_at", "-id"))
    documents = list(Document.objects.filter(unit_id=entry.unit_id).order_by("-issued_on", "title")[:500])
    return EntryView(row, records, by_phase, hand, documents)
