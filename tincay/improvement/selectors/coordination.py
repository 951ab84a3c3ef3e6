"""The coordinator's view of action programmes: every unit of a campaign within the user's subtree, with its
programme's status, progress, actions, overdue actions, budget and the areas nobody acts on.

Progress follows the one roll-up rule (``rules.rollup``): the database sums weight × progress and the weights of
the actions that count (not cancelled, weight above 0) and ``rules.weighted_share`` divides, so the figure is
the one ``rules.rollup`` gives for the same actions. The totals row averages the units' programmes, each unit
counting once (``rules.mean``).

A fixed number of queries whatever the number of units and actions: one aggregate over the campaign's
assessments (actions joined), one count of the areas nobody acts on per assessment, the provinces of the
campaign's units and the peer groups for the filters, and the codes of the idle areas for the rows shown
(``idle_area_codes``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils import timezone

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin
from tincay.assessments.models import Assessment, Campaign
from tincay.improvement import rules
from tincay.improvement.choices import ActionStatus, ProgrammeStatus
from tincay.improvement.models import Action, ImprovementArea
from tincay.orgunits.access import units_reached_by
from tincay.orgunits.models import AdminUnit, PeerGroup

PAGE_SIZE = 100
NO_PROGRAMME = "none"
STATUS_ORDER = [NO_PROGRAMME, ProgrammeStatus.DRAFT, ProgrammeStatus.APPROVED, ProgrammeStatus.CHANGED]
# Actions that count in the roll-up and the budget (cancelled ones drop out); actions still open (overdue when late).
COUNTED = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE]
OPEN = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
_ACT = "programme__actions__"


def coordination_assessments(user: Any) -> QuerySet[Assessment]:
    """Assessments of the units the user coordinates or views (their subtrees, with history); all for admins."""
    if is_admin(user):
        return Assessment.objects.all()
    return Assessment.objects.filter(unit__in=units_reached_by(user, {Role.COORDINATOR, Role.VIEWER}))


def coordination_campaigns(user: Any) -> list[Campaign]:
    """Campaigns with at least one unit in the user's subtree, latest first (one query)."""
    scoped = coordination_assessments(user).filter(campaign=OuterRef("pk"))
    return list(Campaign.objects.filter(Exists(scoped)).order_by("-year", "code"))


@dataclass
class ProgrammeRow:
    assessment_id: int
    unit_key: str
    unit_name: str
    parent_name: str
    unit_path: str
    programme_id: int | None
    status: str  # NO_PROGRAMME or a ProgrammeStatus value
    progress: int | None  # rules.rollup of the programme's actions; None when no action counts
    actions: int  # every action, cancelled ones included
    cancelled: int
    overdue: int  # deadline passed, not done nor cancelled
    budget_vnd: int  # actions not cancelled
    idle_areas: int  # selected areas with no action that is not cancelled
    idle_codes: list[str] = field(default_factory=list)  # filled for the rows shown (``idle_area_codes``)


@dataclass
class Totals:
    units: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    progress: int | None = None  # mean of the units' programmes, each unit once
    actions: int = 0
    cancelled: int = 0
    overdue: int = 0
    units_overdue: int = 0
    budget_vnd: int = 0
    idle_areas: int = 0
    units_idle: int = 0


@dataclass
class Coordination:
    campaign: Campaign
    province: AdminUnit | None
    group: PeerGroup | None
    rows: list[ProgrammeRow]
    totals: Totals
    provinces: list[AdminUnit]  # provinces the campaign's units in the user's subtree lie in (for the filter)
    groups: list[PeerGroup]
    today: dt.date


def _served() -> Exists:
    """The outer area is served by an action that is not cancelled."""
    return Exists(Action.areas.through.objects.filter(improvementarea_id=OuterRef("pk"), action__status__in=COUNTED))


def programme_rows(assessments: QuerySet[Assessment], today: dt.date) -> list[ProgrammeRow]:
    """One row per assessment, in Vietnamese order of unit names: two queries whatever the numbers (the actions'
    aggregate, then the areas nobody acts on counted per assessment: as a correlated count in the first, the
    database would group by it and run it once per action instead of once per unit)."""
    counted = Q(**{f"{_ACT}status__in": COUNTED, f"{_ACT}weight__gt": 0})
    idle = dict(
        ImprovementArea.objects.filter(assessment__in=assessments.values("pk"), selected=True)
        .exclude(_served())
        .order_by()
        .values("assessment")
        .annotate(n=Count("pk"))
        .values_list("assessment", "n")
    )
    data = (
        assessments.order_by()
        .values(
            "pk",
            "unit__key",
            "unit__name",
            "unit__parent__name",
            "unit__path",
            "unit__sort_key",
            "programme__pk",
            "programme__status",
        )
        .annotate(
            weighted=Sum(Cast(F(f"{_ACT}weight"), BigIntegerField()) * F(f"{_ACT}progress"), filter=counted),
            weights=Sum(f"{_ACT}weight", filter=counted),
            n_actions=Count(f"{_ACT}id"),
            n_cancelled=Count(f"{_ACT}id", filter=Q(**{f"{_ACT}status": ActionStatus.CANCELLED})),
            n_overdue=Count(f"{_ACT}id", filter=Q(**{f"{_ACT}status__in": OPEN, f"{_ACT}deadline__lt": today})),
            budget=Sum(f"{_ACT}budget_vnd", filter=Q(**{f"{_ACT}status__in": COUNTED})),
        )
        .order_by("unit__sort_key", "pk")
    )
    return [
        ProgrammeRow(
            assessment_id=r["pk"],
            unit_key=r["unit__key"],
            unit_name=r["unit__name"],
            parent_name=r["unit__parent__name"] or "",
            unit_path=r["unit__path"],
            programme_id=r["programme__pk"],
            status=r["programme__status"] or NO_PROGRAMME,
            progress=rules.weighted_share(int(r["weighted"] or 0), int(r["weights"] or 0)),
            actions=r["n_actions"],
            cancelled=r["n_cancelled"],
            overdue=r["n_overdue"],
            budget_vnd=int(r["budget"] or 0),
            idle_areas=idle.get(r["pk"], 0),
        )
        for r in data
    ]


def totals_of(rows: list[ProgrammeRow]) -> Totals:
    by_status = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        by_status[row.status] = by_status.get(row.status, 0) + 1
    return Totals(
        units=len(rows),
        by_status=by_status,
        progress=rules.mean(row.progress for row in rows if row.programme_id is not None),
        actions=sum(row.actions for row in rows),
        cancelled=sum(row.cancelled for row in rows),
        overdue=sum(row.overdue for row in rows),
        units_overdue=sum(1 for row in rows if row.overdue),
        budget_vnd=sum(row.budget_vnd for row in rows),
        idle_areas=sum(row.idle_areas for row in rows),
        units_idle=sum(1 for row in rows if row.idle_areas),
    )


def provinces_of(assessments: QuerySet[Assessment]) -> list[AdminUnit]:
    """The provinces (first level of the tree, today's or historical) the assessments' units lie in."""
    paths = assessments.order_by().values_list("unit__path", flat=True).distinct()
    prefixes = {path.split("/", 1)[0] + "/" for path in paths}
    return list(AdminUnit.objects.filter(path__in=prefixes).order_by("valid_to", "sort_key"))


def coordination(
    user: Any,
    campaign: Campaign,
    province_key: str = "",
    group_code: str = "",
    today: dt.date | None = None,
) -> Coordination:
    """Every unit of ``campaign`` in the user's subtree, narrowed to a province's units (by its key) and to a peer
    group (by its code). A key or code that is not on offer narrows nothing (the form shows "all")."""
    today = today or timezone.localdate()
    base = coordination_assessments(user).filter(campaign=campaign)
    provinces = provinces_of(base)
    groups = list(PeerGroup.objects.order_by("code"))
    province = next((p for p in provinces if p.key == province_key), None) if province_key else None
    group = next((g for g in groups if g.code == group_code), None) if group_code else None
    narrowed = base
    if province is not None:
        narrowed = narrowed.filter(unit__path__startswith=province.path)
    if group is not None:
        narrowed = narrowed.filter(unit__peer_groups=group)
    rows = programme_rows(narrowed, today)
    return Coordination(campaign, province, group, rows, totals_of(rows), provinces, groups, today)


def idle_area_codes(rows: list[ProgrammeRow]) -> None:
    """Fill ``idle_codes`` of ``rows`` (the rows of one page, or every row of an export) in one query."""
    by_id = {row.assessment_id: row for row in rows if row.idle_areas}
    if not by_id:
        return
    areas = (
        ImprovementArea.objects.filter(assessment_id__in=list(by_id), selected=True)
        .exclude(_served())
        .order_by("assessment_id", "rank", "id")
        .values_list("assessment_id", "indicator__code", "criterion__code")
    )
    for assessment_id, indicator_code, criterion_code in areas:
        by_id[assessment_id].idle_codes.append(criterion_code or indicator_code)
