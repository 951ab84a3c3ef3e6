"""Helpers of the coordinator's view tests: programmes, actions and areas written straight to the tables (the view
only reads them; the programme services have their own tests)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tincay.assessments.models import Assessment
from tincay.catalogue.models import Indicator
from tincay.improvement.models import Action, ImprovementArea, Programme

TODAY = timezone.localdate()
PAST = TODAY - dt.timedelta(days=10)
FUTURE = TODAY + dt.timedelta(days=30)


@dataclass(frozen=True)
class A:
    """One action as a test writes it."""

    status: str = "in_progress"
    progress: int = 50
    weight: int = 1
    deadline: dt.date = FUTURE
    budget: int | None = None
    areas: tuple[int, ...] = ()  # positions in the list of areas of the programme


def add_programme(
    assessment: Assessment,
    actions: list[A],
    *,
    status: str = "draft",
    areas: int = 0,
    unselected: int = 0,
) -> tuple[Programme, list[Action], list[ImprovementArea]]:
    """A programme of ``assessment`` with ``actions``; ``areas`` selected areas (and ``unselected`` dropped ones)
    on the first indicators of the campaign's version."""
    indicators = list(Indicator.objects.filter(version_id=assessment.campaign.version_id).order_by("order"))
    made = [
        ImprovementArea.objects.create(
            assessment=assessment, indicator=indicator, selected=n < areas, rank=n + 1, priority=1, level="red"
        )
        for n, indicator in enumerate(indicators[: areas + unselected])
    ]
    programme = Programme.objects.create(assessment=assessment, title=f"Chương trình {assessment.unit.name}")
    if status != "draft":
        Programme.objects.filter(pk=programme.pk).update(status=status)
    rows = []
    for number, spec in enumerate(actions, start=1):
        action = Action.objects.create(
            programme=programme,
            number=number,
            title=f"Nhiệm vụ {number}",
            status=spec.status,
            progress=spec.progress,
            weight=spec.weight,
            deadline=spec.deadline,
            budget_vnd=spec.budget,
        )
        action.areas.set([made[n] for n in spec.areas])
        rows.append(action)
    return programme, rows, made
