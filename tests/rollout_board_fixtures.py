"""Helpers of the rollout tracker tests: a rollout of Hải Phòng over the personas' ward and a sibling ward."""

from __future__ import annotations

import datetime as dt

from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import PhaseTemplate, Rollout, RolloutUnit
from tincay.rollout.services import phases

OWN = "11413"  # Phường Hải An: lanhdao (leader), daumoi (focal point), congchuc (contributor)
SIBLING = "11311"
START = dt.date(2026, 1, 5)


def five_phases() -> PhaseTemplate:
    return PhaseTemplate.objects.get(code="five-phases", version=1)


def make_rollout(users, code: str = "hp-thu", *, campaign=None, keys=(OWN, SIBLING), on=START) -> Rollout:
    rollout = phases.rollout_create(
        actor=users["dieuphoi"],
        code=code,
        title_vi="Triển khai thử Hải Phòng",
        title_en="Hải Phòng trial rollout",
        owner_unit=AdminUnit.objects.get(key="31"),
        template=five_phases(),
        campaign=campaign,
        starts_on=START,
    )
    phases.rollout_add_units(
        actor=users["dieuphoi"], rollout=rollout, units=list(AdminUnit.objects.filter(key__in=keys)), on=on
    )
    return rollout


def entry_of(rollout: Rollout, key: str = OWN) -> RolloutUnit:
    return RolloutUnit.objects.select_related("unit", "rollout").get(rollout=rollout, unit__key=key)
