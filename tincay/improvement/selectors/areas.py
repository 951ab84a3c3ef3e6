"""Reads of areas to improve: one assessment's areas in rank order, grouped by stage (short term, medium term, not
selected) and by pillar, with the indicator and criterion titles in the active language; and what the unit may add.

Two queries for the areas page whatever the number of areas (areas with their indicator, pillar and criterion;
the version's criteria for the add form), pinned in tests/test_improvement_areas_permissions.py. The caller has
already decided that the person sees the assessment (``access`` / ``get_assessment_for_user``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tincay.assessments.models import Assessment
from tincay.catalogue.models import Criterion
from tincay.common.i18n import localized
from tincay.improvement.choices import AreaOrigin, Stage
from tincay.improvement.models import ImprovementArea

WEAK = ("red", "yellow")


@dataclass(frozen=True)
class AreaRow:
    area: ImprovementArea
    code: str  # the criterion's code, else the indicator's (what the services take)
    title: str
    indicator_code: str
    indicator_title: str
    pillar_code: str
    is_criterion: bool
    suggested: bool
    now_green: bool  # a selected suggestion whose final level is no longer red or yellow


@dataclass
class Group:
    key: str
    label: str
    rows: list[AreaRow] = field(default_factory=list)


@dataclass
class PillarGroup:
    code: str
    title: str
    rows: list[AreaRow] = field(default_factory=list)

    @property
    def short(self) -> int:
        return sum(1 for r in self.rows if r.area.selected and r.area.stage == Stage.SHORT)

    @property
    def medium(self) -> int:
        return sum(1 for r in self.rows if r.area.selected and r.area.stage == Stage.MEDIUM)

    @property
    def not_selected(self) -> int:
        return sum(1 for r in self.rows if not r.area.selected)


@dataclass
class AssessmentAreas:
    rows: list[AreaRow]
    stages: list[Group]  # short term, medium term, not selected (in this order; each in rank order)
    pillars: list[PillarGroup]  # pillars with at least one area, in catalogue order

    @property
    def not_selected(self) -> Group:
        return self.stages[-1]

    @property
    def suggested_waiting(self) -> list[AreaRow]:
        """Suggestions nobody has decided yet (not selected and no reason for dropping them)."""
        return [r for r in self.not_selected.rows if r.suggested and not r.area.reason]


def _row(area: ImprovementArea) -> AreaRow:
    indicator = area.indicator
    criterion = area.criterion if area.criterion_id else None
    suggested = area.origin == AreaOrigin.SUGGESTED
    return AreaRow(
        area=area,
        code=criterion.code if criterion else indicator.code,
        title=localized(criterion or indicator, "title"),
        indicator_code=indicator.code,
        indicator_title=localized(indicator, "title"),
        pillar_code=indicator.pillar.code,
        is_criterion=criterion is not None,
        suggested=suggested,
        now_green=suggested and area.selected and area.level not in WEAK,
    )


def assessment_areas(assessment: Assessment) -> AssessmentAreas:
    """The areas of one assessment (one query)."""
    areas = (
        ImprovementArea.objects.filter(assessment_id=assessment.pk)
        .select_related("indicator__pillar", "criterion", "decided_by")
        .order_by("rank", "id")
    )
    rows = [_row(a) for a in areas]
    stages = [Group(value, str(label)) for value, label in Stage.choices]
    stages.append(Group("", ""))
    by_stage = {g.key: g for g in stages}
    pillars: dict[str, PillarGroup] = {}
    pillar_order: dict[str, tuple[int, str]] = {}
    for row in rows:
        area = row.area
        group = by_stage.get(area.stage) if area.selected else None
        (group or by_stage[""]).rows.append(row)
        pillar = area.indicator.pillar
        if pillar.code not in pillars:
            pillars[pillar.code] = PillarGroup(pillar.code, localized(pillar, "title"))
            pillar_order[pillar.code] = (pillar.order, pillar.code)
        pillars[pillar.code].rows.append(row)
    ordered = [pillars[code] for code in sorted(pillars, key=pillar_order.__getitem__)]
    return AssessmentAreas(rows=rows, stages=stages, pillars=ordered)


@dataclass(frozen=True)
class Choice:
    value: str  # "1.1" for an indicator, "1.1:1.1.2" for one of its criteria
    label: str


@dataclass
class ChoiceGroup:
    label: str
    choices: list[Choice]


def addable(assessment: Assessment, taken: list[AreaRow] | None = None) -> list[ChoiceGroup]:
    """What the unit may add, by indicator of the assessment's version: the indicator itself and each of its
    criteria, leaving out those already areas (one query)."""
    used = {r.code for r in taken or []}
    criteria = (
        Criterion.objects.filter(version_id=assessment.campaign.version_id)
        .select_related("indicator__pillar")
        .order_by("indicator__pillar__order", "indicator__order", "order")
    )
    groups: dict[int, ChoiceGroup] = {}
    for criterion in criteria:
        indicator = criterion.indicator
        group = groups.get(indicator.pk)
        if group is None:
            title = localized(indicator, "title")
            group = groups[indicator.pk] = ChoiceGroup(f"{indicator.code}. {title}", [])
            if indicator.code not in used:
                group.choices.append(Choice(indicator.code, f"{indicator.code} · {title}"))
        if criterion.code not in used:
            group.choices.append(
                Choice(f"{indicator.code}:{criterion.code}", f"{criterion.code} · {localized(criterion, 'title')}")
            )
    return [g for g in groups.values() if g.choices]


def split_choice(value: Any) -> tuple[Any, Any]:
    """A choice's value back into (indicator code, criterion code or None) for ``services.areas.area_add``."""
    if not isinstance(value, str):
        return value, None
    indicator, _sep, criterion = value.partition(":")
    return indicator, criterion or None
