"""Reads of action programmes: the list a person may see, one programme's page (actions with overdue derived, the
roll-up, budget, groupings by area and by stage, the update log), one action's page, versions and their differences.

Each selector runs a fixed number of queries whatever the number of actions, updates or versions (pinned in
tests/test_improvement_programme_permissions.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tincay.assessments.access import assessments_visible_to
from tincay.assessments.models import Document
from tincay.catalogue.models import Criterion, Indicator
from tincay.common.numbers import show_number
from tincay.common.text import grouped
from tincay.improvement import access, rules, versions
from tincay.improvement.choices import ActionStatus, BudgetSource, Stage
from tincay.improvement.models import Action, ImprovementArea, Programme, ProgrammeVersion, ProgressUpdate
from tincay.improvement.services.programmes import programme_content
from tincay.orgunits.models import Department

UPDATE_LOG_LIMIT = 200
CREATABLE_LIMIT = 50
PAGE_SIZE = 50  # programmes per page of the list (a national role sees thousands)


def _weighted(action: Action) -> rules.Weighted:
    return rules.Weighted(weight=action.weight, progress=action.progress, status=action.status)


@dataclass
class ActionRow:
    action: Action
    overdue: bool
    areas: list[ImprovementArea]
    indicators: list[Any]
    criteria: list[Any]
    documents: list[Document]


@dataclass
class Group:
    key: str
    label: Any
    area: ImprovementArea | None = None
    rows: list[ActionRow] = field(default_factory=list)

    @property
    def progress(self) -> int | None:
        return rules.rollup(_weighted(r.action) for r in self.rows)

    @property
    def budget(self) -> int:
        return sum(r.action.budget_vnd or 0 for r in self.rows if r.action.status != ActionStatus.CANCELLED)


@dataclass
class ProgrammePage:
    programme: Programme
    rows: list[ActionRow]
    progress: int | None
    budget_total: int
    overdue: int
    by_area: list[Group]
    by_stage: list[Group]
    idle_areas: list[ImprovementArea]
    updates: list[ProgressUpdate]
    versions: list[ProgrammeVersion]
    rule: Any = rules.ROLLUP_RULE

    @property
    def approved(self) -> ProgrammeVersion | None:
        return next((v for v in self.versions if v.pk == self.programme.approved_version_id), None)

    @property
    def counted(self) -> int:
        return sum(1 for r in self.rows if r.action.status != ActionStatus.CANCELLED)


def _actions(programme: Programme) -> Any:
    return (
        Action.objects.filter(programme=programme)
        .select_related("department", "responsible")
        .prefetch_related(
            Prefetch("areas", queryset=ImprovementArea.objects.select_related("indicator", "criterion")),
            "indicators",
            "criteria",
            "documents",
        )
        .order_by("number")
    )


def _row(action: Action, today: dt.date) -> ActionRow:
    return ActionRow(
        action=action,
        overdue=rules.is_overdue(action.status, action.deadline, today),
        areas=list(action.areas.all()),
        indicators=sorted(action.indicators.all(), key=lambda i: i.order),
        criteria=sorted(action.criteria.all(), key=lambda c: c.order),
        documents=list(action.documents.all()),
    )


def _groups(rows: list[ActionRow]) -> tuple[list[Group], list[Group]]:
    by_area: dict[Any, Group] = {}
    by_stage: dict[str, Group] = {s.value: Group(s.value, s.label) for s in Stage}
    by_stage[""] = Group("", None)
    loose = Group("", None)
    for row in rows:
        stages = set()
        for area in row.areas:
            group = by_area.setdefault(area.pk, Group(str(area), None, area=area))
            group.rows.append(row)
            stages.add(area.stage or "")
        if not row.areas:
            loose.rows.append(row)
        for stage in stages or {""}:
            by_stage[stage].rows.append(row)
    areas = sorted(by_area.values(), key=lambda g: (g.area.rank, g.area.pk))
    if loose.rows:
        areas.append(loose)
    return areas, [g for g in by_stage.values() if g.rows]


def programme_page(programme: Programme, *, today: dt.date | None = None) -> ProgrammePage:
    """Everything the programme's page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    rows = [_row(a, today) for a in _actions(programme)]
    by_area, by_stage = _groups(rows)
    acted = {g.area.pk for g in by_area if g.area is not None}
    idle = [
        a
        for a in ImprovementArea.objects.filter(assessment_id=programme.assessment_id, selected=True).select_related(
            "indicator", "criterion"
        )
        if a.pk not in acted
    ]
    updates = list(
        ProgressUpdate.objects.filter(action__programme=programme)
        .select_related("action", "author")
        .prefetch_related("documents")
        .order_by("-on", "-id")[:UPDATE_LOG_LIMIT]
    )
    return ProgrammePage(
        programme=programme,
        rows=rows,
        progress=rules.rollup(_weighted(r.action) for r in rows),
        budget_total=sum(r.action.budget_vnd or 0 for r in rows if r.action.status != ActionStatus.CANCELLED),
        overdue=sum(1 for r in rows if r.overdue),
        by_area=by_area,
        by_stage=by_stage,
        idle_areas=idle,
        updates=updates,
        versions=list(programme.versions.select_related("approved_by").order_by("-number")),
    )


@dataclass
class ActionPage:
    row: ActionRow
    updates: list[ProgressUpdate]


def action_page(action: Action, *, today: dt.date | None = None) -> ActionPage:
    today = today or timezone.localdate()
    loaded = _actions(action.programme).select_related("programme__assessment__unit").get(pk=action.pk)
    updates = list(action.updates.select_related("author").prefetch_related("documents").order_by("-on", "-id"))
    return ActionPage(row=_row(loaded, today), updates=updates)


def register_of(programme: Programme) -> list[Document]:
    """The unit's evidence register, for the pickers."""
    return list(Document.objects.filter(unit_id=programme.assessment.unit_id).order_by("-issued_on", "title"))


# --- lists ---------------------------------------------------------------------------------------------------------


@dataclass
class ProgrammeRow:
    programme: Programme
    actions: int
    overdue: int
    budget: int
    progress: int | None


def programmes_query(user: Any, *, today: dt.date | None = None) -> QuerySet[Programme]:
    """The programmes ``user`` may see, newest first, each with its actions' figures summed in the same query."""
    today = today or timezone.localdate()
    counted = ~Q(actions__status=ActionStatus.CANCELLED)
    return (
        access.programmes_visible_to(user)
        .annotate(
            n_actions=Count("actions", filter=counted),
            n_overdue=Count(
                "actions",
                filter=counted & ~Q(actions__status=ActionStatus.DONE) & Q(actions__deadline__lt=today),
            ),
            budget=Sum("actions__budget_vnd", filter=counted),
            weighted=Sum(F("actions__weight") * F("actions__progress"), filter=counted & Q(actions__weight__gt=0)),
            weights=Sum("actions__weight", filter=counted & Q(actions__weight__gt=0)),
        )
        .order_by("-created_at", "-pk")
    )


def programme_rows(programmes: Iterable[Programme]) -> list[ProgrammeRow]:
    """Rows of programmes read by ``programmes_query`` (a page of them, or all)."""
    return [
        ProgrammeRow(
            programme=p,
            actions=p.n_actions,
            overdue=p.n_overdue,
            budget=p.budget or 0,
            progress=rules.weighted_share(int(p.weighted or 0), int(p.weights or 0)),
        )
        for p in programmes
    ]


def programmes_for(user: Any, *, today: dt.date | None = None) -> list[ProgrammeRow]:
    """Every programme ``user`` may see, newest first, with their roll-up progress, in one query."""
    return programme_rows(programmes_query(user, today=today))


def creatable_for(user: Any) -> list[Any]:
    """Assessments with final results and no programme yet, whose programme ``user`` may draft."""
    candidates = (
        assessments_visible_to(user)
        .filter(state__in=access.FINAL_STATES, programme__isnull=True)
        .order_by("-campaign__year", "unit__sort_key")[:CREATABLE_LIMIT]
    )
    return [a for a in candidates if access.can_edit_programme(user, a)]


# --- versions ------------------------------------------------------------------------------------------------------


FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "description": _("Tasks and solutions"),
    "department": _("Owner department"),
    "responsible": _("Person responsible"),
    "starts_on": _("Start"),
    "deadline": _("Deadline"),
    "budget_vnd": _("Budget"),
    "budget_source": _("Budget source"),
    "budget_note": _("Budget note"),
    "expected_result": _("Expected result"),
    "target_value": _("Target value"),
    "status": _("Status"),
    "cancel_reason": _("Why cancelled"),
    "progress": _("Progress (%)"),
    "weight": _("Weight"),
    "finished_on": _("Finished on"),
    "areas": _("Areas to improve"),
    "indicators": _("Indicators"),
    "criteria": _("Criteria"),
    "documents": _("Evidence (document numbers in the register)"),
    "number": _("Number"),
}


def shown_value(name: str, value: Any) -> str:
    """A frozen value as people read it: labels for choices, dd/mm/yyyy, money with dot thousands and ₫."""
    if value in (None, "", []):
        return "—"
    if name == "status" and value in ActionStatus.values:
        return str(ActionStatus(value).label)
    if name == "budget_source" and value in BudgetSource.values:
        return str(BudgetSource(value).label)
    if name == "budget_vnd" and isinstance(value, int):
        return f"{grouped(value)} ₫"
    if name in ("starts_on", "deadline", "finished_on") and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if name == "target_value" and isinstance(value, str):
        return show_number(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: Any
    before: str
    after: str


@dataclass
class VersionStep:
    old: ProgrammeVersion | None
    new: ProgrammeVersion | None  # None: the current draft
    differences: list[versions.Difference]

    @property
    def shown(self) -> list[tuple[versions.Difference, list[ShownChange]]]:
        return [
            (
                d,
                [
                    ShownChange(
                        c.field,
                        FIELD_LABELS.get(c.field, c.field),
                        shown_value(c.field, c.before),
                        shown_value(c.field, c.after),
                    )
                    for c in d.changes
                ],
            )
            for d in self.differences
        ]


def version_steps(programme: Programme) -> list[VersionStep]:
    """Each approved version against the one before it (newest first)."""
    found = list(programme.versions.select_related("approved_by").order_by("number"))
    steps = [
        VersionStep(old, new, versions.diff(old.content if old else None, new.content))
        for old, new in zip([None, *found], found, strict=False)
    ]
    return list(reversed(steps))


def draft_step(programme: Programme) -> VersionStep:
    """The last approved version against the programme as it stands now."""
    approved = programme.approved_version
    return VersionStep(
        approved, None, versions.diff(approved.content if approved else None, programme_content(programme))
    )


def version_step(programme: Programme, number: int) -> VersionStep | None:
    """Version ``number`` against the one before it; None when there is no such version."""
    pair = list(programme.versions.filter(number__in=[number - 1, number]).select_related("approved_by"))
    new = next((v for v in pair if v.number == number), None)
    if new is None:
        return None
    old = next((v for v in pair if v.number == number - 1), None)
    return VersionStep(old, new, versions.diff(old.content if old else None, new.content))


def action_options(programme: Programme, action: Action | None = None) -> dict[str, Any]:
    """What an action of ``programme`` may link to: the unit's departments, people and evidence register, the
    assessment's selected areas (and those the action already links), the indicator set's indicators and criteria."""
    assessment = programme.assessment
    areas = ImprovementArea.objects.filter(assessment_id=assessment.pk).select_related("indicator", "criterion")
    linked = Q(actions=action) if action is not None else Q(pk__in=[])
    return {
        "departments": list(Department.objects.filter(unit_id=assessment.unit_id, is_active=True).order_by("name")),
        "people": list(
            get_user_model()
            .objects.filter(memberships__unit_id=assessment.unit_id, is_active=True)
            .distinct()
            .order_by("full_name", "username")
        ),
        "areas": list(areas.filter(Q(selected=True) | linked).distinct().order_by("rank", "pk")),
        "indicators": list(Indicator.objects.filter(version_id=assessment.campaign.version_id).order_by("order")),
        "criteria": list(Criterion.objects.filter(version_id=assessment.campaign.version_id).order_by("order")),
        "documents": register_of(programme),
    }
