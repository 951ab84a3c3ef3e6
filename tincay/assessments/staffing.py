"""Reads about the people of a campaign: units that lack a focal point or a leader, team members who belong to an
assessed unit, and the history of the team (from the audit trail). Selectors only: nothing here writes.

Each function runs a fixed number of queries whatever the number of units or members (the campaign board pins
its query count).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from tincay.accounts.choices import Role
from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import Campaign, CampaignMember
from tincay.audit.models import AuditEvent
from tincay.orgunits.models import AdminUnit, Membership

NEEDED_ROLES = (Role.FOCAL_POINT, Role.UNIT_LEADER)  # without them a unit can neither submit nor approve
TEAM_ACTIONS = {
    "assessments.campaign_member_set": "appointed",
    "assessments.campaign_member_removed": "removed",
}


@dataclass(frozen=True)
class StaffingGap:
    unit: AdminUnit
    missing: tuple[str, ...]  # role labels, in NEEDED_ROLES order

    @property
    def missing_text(self) -> str:
        return ", ".join(str(label) for label in self.missing)


def _rows(units: list[AdminUnit], user_ids: set[int], *, roles: bool) -> list[tuple[int, int, str, bool]]:
    """(user, unit, role, active) of the memberships on ``units`` that hold a needed role (when ``roles``) or
    belong to one of ``user_ids``: one query for both questions of the board."""
    wanted = Q(user_id__in=user_ids)
    if roles:
        wanted |= Q(role__in=NEEDED_ROLES)
    return list(
        Membership.objects.filter(wanted, unit_id__in=[u.pk for u in units]).values_list(
            "user_id", "unit_id", "role", "user__is_active"
        )
    )


def _gaps(units: list[AdminUnit], rows: list[tuple[int, int, str, bool]]) -> list[StaffingGap]:
    held = {(unit_id, role) for _user, unit_id, role, active in rows if active}
    gaps = []
    for unit in units:
        missing = tuple(role.label for role in NEEDED_ROLES if (unit.pk, role.value) not in held)
        if missing:
            gaps.append(StaffingGap(unit, missing))
    return gaps


def _ties(
    members: Sequence[CampaignMember], units: list[AdminUnit], rows: list[tuple[int, int, str, bool]]
) -> dict[int, list[str]]:
    names = {u.pk: u.name for u in units}
    held: dict[int, set[str]] = defaultdict(set)
    for user_id, unit_id, _role, _active in rows:
        held[user_id].add(names[unit_id])
    return {m.pk: sorted(held[m.user_id]) for m in members if held.get(m.user_id)}


def staffing_gaps(units: Iterable[AdminUnit]) -> list[StaffingGap]:
    """Units with no active person holding the focal point or the unit leader role there (one query)."""
    units = list(units)
    return _gaps(units, _rows(units, set(), roles=True))


def board_staffing(
    members: Sequence[CampaignMember], units: Iterable[AdminUnit], *, with_gaps: bool
) -> tuple[list[StaffingGap], dict[int, list[str]]]:
    """For the campaign board, in one query: the staffing gaps (when asked) and, for each team member, the names of
    the campaign's units they belong to (a checker who belongs to a unit cannot act on it)."""
    units = list(units)
    if not units or (not members and not with_gaps):
        return ([], {})
    rows = _rows(units, {m.user_id for m in members}, roles=with_gaps)
    member_ids = {m.user_id for m in members}
    ties = _ties(members, units, [r for r in rows if r[0] in member_ids])
    return (_gaps(units, rows) if with_gaps else [], ties)


def units_held_by(user: Any, units: Iterable[AdminUnit]) -> list[AdminUnit]:
    """Which of ``units`` this person holds a membership on (one query): a team member belonging to an assessed
    unit may not score or appraise it."""
    pks = [u.pk for u in units]
    return list(AdminUnit.objects.filter(pk__in=pks, memberships__user=user).distinct().order_by("sort_key"))


@dataclass(frozen=True)
class TeamChange:
    when: Any
    by: str
    change: str  # "appointed" | "removed"
    person: str
    role: str
    units: str
    reason: str


def team_history(
    campaign: Campaign, units: Iterable[AdminUnit] = (), members: Sequence[CampaignMember] = (), limit: int = 50
) -> list[TeamChange]:
    """Appointments and removals of the campaign's team, newest first. One query for the events; a person's name
    comes from the event, else from the current members, else (older events of people no longer on the team) from
    one more query."""
    events = list(
        AuditEvent.objects.filter(
            object_type=Campaign._meta.label_lower, object_id=str(campaign.pk), action__in=list(TEAM_ACTIONS)
        )
        .select_related("actor")
        .order_by("-id")[:limit]
    )
    names = {u.key: u.name for u in units}
    data = [(e, (e.after if e.action.endswith("_set") else e.before) or {}) for e in events]
    people = {m.user.username: m.user.display_name for m in members}
    unknown = {str(d.get("user", "")) for _e, d in data if not d.get("name")} - set(people)
    if unknown:
        for username, full_name in (
            get_user_model().objects.filter(username__in=unknown).values_list("username", "full_name")
        ):
            people[username] = full_name or username
    roles = dict(CampaignRole.choices)
    return [
        TeamChange(
            when=e.created_at,
            by=(e.actor.display_name if e.actor else e.actor_label),
            change=TEAM_ACTIONS[e.action],
            person=str(d.get("name") or people.get(str(d.get("user", ""))) or d.get("user", "")),
            role=str(roles.get(d.get("role"), d.get("role", ""))),
            units=", ".join(names.get(k, k) for k in d.get("units", []) if isinstance(k, str)),
            reason=e.reason,
        )
        for e, d in data
    ]
