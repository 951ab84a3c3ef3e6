"""Selector: what waits on a person, for the home page ("waiting on me"), soonest deadline first.

- contributors (anyone given an indicator, directly or through their department): indicators of a draft or a
  clarification round with a criterion still unanswered;
- focal points: drafts to submit; leaders: submissions to approve; both: clarification questions to answer;
- scorers: the assessments of their units being scored; council: scored assessments to appraise, appraisals to
  approve, approved results to publish;
- coordinators (and administrators): per campaign they organise, approved results to publish and units late
  against the deadline of their step;
- viewers: nothing (they act on nothing; the home page lists the assessments in progress).

A fixed number of queries whatever the data: one per kind of role held (pinned in tests/test_waiting_on_me.py).
Reads only, like every selector.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin, user_scopes
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import Assessment, Campaign, CampaignMember, CriterionResult, IndicatorAssignment
from tincay.assessments.selectors import ANSWERED, DUE_BY_STATE
from tincay.common.i18n import localized
from tincay.orgunits.access import units_reached_by

GROUP_ABOVE = 5  # more items than this for one step of one campaign become one line linking to the board


@dataclass(frozen=True)
class Waiting:
    action: str  # what to do, in the reader's language
    what: str  # the unit, indicator or campaign concerned
    campaign: str
    url: str
    due: dt.date | None
    overdue: bool


def _action(state: str) -> str:
    return {
        State.DRAFT: _("Submit to the leader"),
        State.SUBMITTED: _("Approve and send for scoring"),
        State.CLARIFICATION: _("Answer the clarification questions"),
        State.SCORING: _("Score"),
        State.SCORED: _("Start the appraisal"),
        State.APPRAISAL: _("Appraise and approve"),
        State.APPROVED: _("Publish"),
    }[state]


def _due(campaign: Campaign, state: str) -> dt.date | None:
    field = DUE_BY_STATE.get(state)
    return getattr(campaign, field) if field else None


def _indicators(user: Any, today: dt.date) -> list[Waiting]:
    """Indicators given to the person or their department, in a round where the unit writes, not yet complete."""
    departments = user.memberships.exclude(department=None).values("department_id")
    unanswered = CriterionResult.objects.filter(
        assessment_id=OuterRef("assessment_id"), criterion__indicator_id=OuterRef("indicator_id")
    ).exclude(ANSWERED)
    rows = (
        IndicatorAssignment.objects.filter(Q(assignee=user) | Q(department_id__in=departments))
        .filter(assessment__state__in=[State.DRAFT, State.CLARIFICATION])
        .filter(Exists(unanswered))
        .select_related("assessment__campaign", "assessment__unit", "indicator")
    )
    items = []
    for row in rows:
        assessment = row.assessment
        due = _due(assessment.campaign, assessment.state)
        items.append(
            Waiting(
                action=_("Fill in indicator %(code)s") % {"code": row.indicator.code},
                what=f"{localized(row.indicator, 'title')} · {assessment.unit.name}",
                campaign=localized(assessment.campaign, "title"),
                url=reverse("assessments:indicator", args=[assessment.pk, row.indicator.code]),
                due=due,
                overdue=bool(due and today > due),
            )
        )
    return items


def _assessment_steps(user: Any, scopes: list[Any]) -> Q:
    """The assessments whose next step is this person's, as one filter. Checkers never act on their own unit."""
    focal = {s.unit_id for s in scopes if s.role == Role.FOCAL_POINT and s.unit_id}
    leader = {s.unit_id for s in scopes if s.role == Role.UNIT_LEADER and s.unit_id}
    own = {s.unit_id for s in scopes if s.unit_id}
    q = Q(unit_id__in=focal, state__in=[State.DRAFT, State.CLARIFICATION])
    q |= Q(unit_id__in=leader, state__in=[State.SUBMITTED, State.CLARIFICATION])
    scored = CampaignMember.objects.filter(
        user=user, role=CampaignRole.SCORER, campaign=OuterRef("campaign"), units=OuterRef("unit")
    )
    q |= Q(Exists(scored), state=State.SCORING) & ~Q(unit_id__in=own)
    council = CampaignMember.objects.filter(user=user, role=CampaignRole.COUNCIL).values("campaign")
    q |= Q(campaign__in=council, state__in=[State.SCORED, State.APPRAISAL, State.APPROVED]) & ~Q(unit_id__in=own)
    return q


def _assessments(user: Any, today: dt.date) -> list[Waiting]:
    rows = (
        Assessment.objects.filter(_assessment_steps(user, user_scopes(user)))
        .select_related("campaign", "unit")
        .order_by("unit__sort_key")
    )
    by_step: dict[tuple[int, str], list[Assessment]] = defaultdict(list)
    for assessment in rows:
        by_step[(assessment.campaign_id, assessment.state)].append(assessment)
    items = []
    for (_campaign_id, state), group in by_step.items():
        campaign = group[0].campaign
        due = _due(campaign, state)
        common = {"campaign": localized(campaign, "title"), "due": due, "overdue": bool(due and today > due)}
        if len(group) > GROUP_ABOVE:
            what = ngettext("%(n)s unit", "%(n)s units", len(group)) % {"n": len(group)}
            url = reverse("assessments:board", args=[campaign.code])
            items.append(Waiting(action=_action(state), what=what, url=url, **common))
            continue
        for assessment in group:
            url = reverse("assessments:detail", args=[assessment.pk])
            items.append(Waiting(action=_action(state), what=assessment.unit.name, url=url, **common))
    return items


def _campaigns(user: Any, today: dt.date) -> list[Waiting]:
    """For the campaigns a coordinator organises: results to publish and units late on their step."""
    if is_admin(user):
        assessments = Assessment.objects.all()
    elif any(s.role == Role.COORDINATOR for s in user_scopes(user)):
        assessments = Assessment.objects.filter(campaign__owner_unit__in=units_reached_by(user, {Role.COORDINATOR}))
    else:
        return []
    rows = (
        assessments.exclude(state=State.PUBLISHED)
        .values("campaign_id", "state")
        .annotate(
            n=Count("pk"),
            code=F("campaign__code"),
            title_vi=F("campaign__title_vi"),
            title_en=F("campaign__title_en"),
            **{field: F(f"campaign__{field}") for field in set(DUE_BY_STATE.values())},
        )
        .order_by("campaign_id", "state")
    )
    campaigns: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = campaigns.setdefault(row["campaign_id"], {"row": row, "approved": 0, "late": 0, "missed": None})
        due = row[DUE_BY_STATE[row["state"]]]
        if row["state"] == State.APPROVED:
            entry["approved"] += row["n"]
        elif today > due:
            entry["late"] += row["n"]
            entry["missed"] = min(entry["missed"] or due, due)
    items = []
    for entry in campaigns.values():
        row = entry["row"]
        url = reverse("assessments:board", args=[row["code"]])
        title = localized(row, "title")
        if entry["approved"]:
            due = row["publication_due"]
            what = ngettext("%(n)s unit approved", "%(n)s units approved", entry["approved"])
            items.append(
                Waiting(
                    action=_("Publish the approved results"),
                    what=what % {"n": entry["approved"]},
                    campaign=title,
                    url=url,
                    due=due,
                    overdue=today > due,
                )
            )
        if entry["late"]:
            what = ngettext("%(n)s unit late", "%(n)s units late", entry["late"])
            items.append(
                Waiting(
                    action=_("Follow up the units that are late"),
                    what=what % {"n": entry["late"]},
                    campaign=title,
                    url=url,
                    due=entry["missed"],
                    overdue=True,
                )
            )
    return items


def waiting_on(user: Any, today: dt.date | None = None) -> list[Waiting]:
    """Everything waiting on ``user``, soonest deadline first (overdue first of all, undated last)."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or timezone.localdate()
    items = _indicators(user, today) + _assessments(user, today) + _campaigns(user, today)
    return sorted(items, key=lambda item: (item.due is None, item.due or dt.date.max, item.campaign, item.what))
