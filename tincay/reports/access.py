"""Who sees which results: a campaign's assessments narrowed to a unit's subtree or a peer group, within the
user's own visibility (the assessments app decides that)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tincay.assessments import access
from tincay.assessments.models import Assessment, Campaign
from tincay.orgunits.access import get_unit_for_user
from tincay.orgunits.models import AdminUnit, PeerGroup


@dataclass
class ResultsScope:
    campaign: Campaign
    assessments: QuerySet[Assessment]  # visible to the user, narrowed; not yet filtered on the campaign
    unit: AdminUnit | None
    group: PeerGroup | None


def results_scope(user: Any, code: str, unit_key: str = "", group_code: str = "") -> ResultsScope | None:
    """None when the campaign is not visible to the user, or the unit asked for is outside the user's scope."""
    campaign = access.campaigns_visible_to(user).filter(code=code).first()
    if campaign is None:
        return None
    assessments = access.assessments_visible_to(user)
    unit = None
    if unit_key.strip():
        unit = get_unit_for_user(user, unit_key.strip())
        if unit is None:
            return None
        assessments = assessments.filter(unit__path__startswith=unit.path)
    group = PeerGroup.objects.filter(code=group_code).first() if group_code else None
    if group is not None:
        assessments = assessments.filter(unit__peer_groups=group)
    return ResultsScope(campaign, assessments, unit, group)
