"""Who sees which campaigns and assessments, and what each person is with respect to one assessment.

- Admins and coordinators: campaigns and assessments of the units their scopes reach (with history).
- Viewers: the assessments of the units they reach, in every state (they follow a campaign in progress), read
  only: a viewer holds no role over an assessment (``actor_for``), so the workflow gives them no write.
- Unit people (leader, focal point, contributor): the assessments of their own unit.
- Scorers: the assessments of the units assigned to them in a campaign; council: every assessment of their
  campaign. Neither may act on a unit they belong to (workflow.Actor).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import F, Q, QuerySet

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin, is_system, user_scopes
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import (
    Assessment,
    Campaign,
    CampaignMember,
    CriterionResult,
    Document,
    IndicatorAssignment,
)
from tincay.assessments.workflow import BY_ACTION, SCOPE_ROLES, UNIT_ROLES, Actor, can_edit
from tincay.orgunits.access import units_reached_by

_ACTOR_CACHE = "_tincay_actor_cache"


def _own_unit_ids(user: Any) -> set[int]:
    return {s.unit_id for s in user_scopes(user) if s.role in UNIT_ROLES and s.unit_id}


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    base = Assessment.objects.select_related("campaign", "unit")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if is_admin(user):
        return base
    q = Q(unit__in=units_reached_by(user, UNIT_ROLES))  # own unit and the units it came from (history)
    q |= Q(unit__in=units_reached_by(user, {Role.COORDINATOR}))
    q |= Q(unit__in=units_reached_by(user, {Role.VIEWER}))  # read only, every state
    members = CampaignMember.objects.filter(user=user)
    q |= Q(campaign__in=members.filter(role=CampaignRole.COUNCIL).values("campaign"))
    scored = Assessment.objects.filter(
        campaign__members__user=user, campaign__members__role=CampaignRole.SCORER, campaign__members__units=F("unit")
    )
    q |= Q(pk__in=scored.values("pk"))
    return base.filter(q)


def get_assessment_for_user(user: Any, pk: int) -> Assessment | None:
    """One assessment, if the user may see it. Decided from the user's scopes for today's units (no lineage walk);
    assessments of historical units go through the full rule, which follows lineage."""
    assessment = Assessment.objects.select_related("campaign__version__framework", "unit__parent").filter(pk=pk).first()
    if assessment is None or not getattr(user, "is_authenticated", False):
        return None
    return assessment if _can_view(user, assessment) else None


def _can_view(user: Any, assessment: Assessment) -> bool:
    if is_admin(user):
        return True
    unit = assessment.unit
    if unit.valid_to is not None:
        return assessments_visible_to(user).filter(pk=assessment.pk).exists()
    for scope in user_scopes(user):
        if scope.role in UNIT_ROLES and scope.unit_id == unit.pk:
            return True
        if scope.role in (Role.COORDINATOR, Role.VIEWER) and scope.covers(unit.path):
            return True
    members = CampaignMember.objects.filter(campaign_id=assessment.campaign_id, user=user)
    return members.filter(Q(role=CampaignRole.COUNCIL) | Q(role=CampaignRole.SCORER, units=unit)).exists()


def campaigns_visible_to(user: Any) -> QuerySet[Campaign]:
    """Campaigns the user organises, takes part in, or has a visible assessment in."""
    base = Campaign.objects.select_related("version__framework", "owner_unit")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if is_admin(user):
        return base
    q = Q(owner_unit__in=units_reached_by(user, {Role.COORDINATOR}))
    q |= Q(members__user=user)
    q |= Q(pk__in=assessments_visible_to(user).values("campaign_id"))
    return base.filter(q).distinct()


def can_create_campaign(user: Any) -> bool:
    return any(s.role in (Role.ADMIN, Role.COORDINATOR) for s in user_scopes(user))


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    """Admins, and coordinators whose scope reaches the organising unit, manage units, team and deadlines."""
    if is_admin(user):
        return True
    if campaign.owner_unit_id is None:
        return False
    return units_reached_by(user, {Role.COORDINATOR}).filter(pk=campaign.owner_unit_id).exists()


def actor_for(user: Any, assessment: Assessment) -> Actor:
    """The user's roles over this assessment (cached on the user for the request)."""
    cache = getattr(user, _ACTOR_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _ACTOR_CACHE, cache)
    if assessment.pk in cache:
        return cache[assessment.pk]
    if not getattr(user, "is_authenticated", False):
        return Actor(None)
    roles: set[str] = set()
    scopes = user_scopes(user)
    unit = assessment.unit
    roles |= {s.role for s in scopes if s.role in UNIT_ROLES and s.unit_id == unit.pk}
    belongs = any(s.unit_id == unit.pk for s in scopes)
    if is_admin(user):
        roles.add("admin")
    elif units_reached_by(user, {Role.COORDINATOR}).filter(pk=unit.pk).exists():
        roles.add("coordinator")
    for member in CampaignMember.objects.filter(campaign_id=assessment.campaign_id, user=user):
        if member.role == CampaignRole.COUNCIL or member.units.filter(pk=unit.pk).exists():
            roles.add(member.role)
    actor = Actor(user.pk, frozenset(roles), belongs)
    cache[assessment.pk] = actor
    return actor


def documents_visible_to(user: Any) -> QuerySet[Document]:
    """Evidence documents: the unit's people and coordinators see the register; checkers see what is linked
    to assessments they can see."""
    base = Document.objects.select_related("unit")
    if is_admin(user):
        return base
    q = Q(unit_id__in=_own_unit_ids(user)) | Q(unit__in=units_reached_by(user, {Role.COORDINATOR}))
    q |= Q(links__result__assessment__in=assessments_visible_to(user))
    return base.filter(q).distinct()


def can_manage_documents(user: Any, unit: Any) -> bool:
    return is_admin(user) or unit.pk in _own_unit_ids(user)


def can_import_results(user: Any, assessment: Assessment) -> bool:
    """Results recorded elsewhere are imported by an administrator or a coordinator over the unit (or a command)."""
    return bool({"admin", "coordinator"} & actor_for(user, assessment).roles)


def _department_ids(user: Any) -> set[int]:
    return set(user.memberships.exclude(department=None).values_list("department_id", flat=True))


def may_write_indicator(user: Any, actor: Actor, track: str, assignment: IndicatorAssignment | None) -> bool:
    """The contributor rule: a contributor (and nothing more) writes the self-assessment only of the indicators
    given to them or to their department. Everyone else the workflow lets write the track may write it."""
    if track != "self" or actor.effective_roles() - {"contributor"}:
        return True
    if assignment is None:
        return False
    return assignment.assignee_id == user.pk or assignment.department_id in _department_ids(user)


def indicator_assignment(result: CriterionResult) -> IndicatorAssignment | None:
    return IndicatorAssignment.objects.filter(
        assessment_id=result.assessment_id, indicator_id=result.criterion.indicator_id
    ).first()


def can_write_result(
    user: Any, result: CriterionResult, track: str, *, assignment: Any = "lookup", actor: Actor | None = None
) -> bool:
    """May this person write this track of this criterion now? The one decision for the result services (save,
    evidence link and unlink, clarification answers) and for the pages that show forms.

    The workflow decides the state and the roles (``workflow.can_edit``); contributors are further limited to
    their assigned indicators. Pages that already hold the indicator's assignment pass it to save a query."""
    actor = actor or actor_for(user, result.assessment)
    if not can_edit(actor, result.assessment.state, track):
        return False
    if assignment == "lookup":
        assignment = indicator_assignment(result) if "contributor" in actor.roles else None
    return may_write_indicator(user, actor, track, assignment)


def can_assign_indicators(user: Any, assessment: Assessment) -> bool:
    """The focal point gives indicators to departments and people while the assessment is a draft."""
    return "focal_point" in actor_for(user, assessment).effective_roles() and assessment.state == State.DRAFT


def assignable_people(unit: Any) -> QuerySet[Any]:
    """People an indicator can be given to: those holding a unit role (leader, focal point, contributor) there."""
    return get_user_model().objects.filter(memberships__unit=unit, memberships__role__in=UNIT_ROLES).distinct()


PUBLISHERS = BY_ACTION["publish"].roles  # coordinator and council: who publishes also corrects


def can_correct_result(user: Any, assessment: Assessment) -> bool:
    """Who may correct a published result with a recorded correction: the people who may publish it, that is a
    coordinator over the unit (or an administrator) or the campaign's appraisal council (not from the unit)."""
    return bool(PUBLISHERS & actor_for(user, assessment).effective_roles())


def assessments_publishable_by(user: Any, campaign: Campaign) -> list[Assessment]:
    """The campaign's approved assessments this person may publish, in three queries whatever their number: the
    same answer as ``PUBLISHERS & actor_for(user, a).effective_roles()`` for each (an administrator; a coordinator
    whose scope reaches the unit; a council member of the campaign who holds no membership on the unit)."""
    if not getattr(user, "is_authenticated", False):
        return []
    approved = list(
        campaign.assessments.filter(state=State.APPROVED)
        .select_related("unit__parent", "campaign")
        .order_by("unit__sort_key")
    )
    if not approved or is_admin(user):
        return approved
    coordinated = set(
        units_reached_by(user, {Role.COORDINATOR})
        .filter(pk__in=[a.unit_id for a in approved])
        .values_list("pk", flat=True)
    )
    council = CampaignMember.objects.filter(campaign=campaign, user=user, role=CampaignRole.COUNCIL).exists()
    own = {s.unit_id for s in user_scopes(user)}
    return [a for a in approved if a.unit_id in coordinated or (council and a.unit_id not in own)]


def can_record_measure(user: Any, assessment: Assessment) -> bool:
    """A measured value from a source (a closed citizens' survey) is recorded by those who run the unit's surveys:
    administrators and the coordinators over the unit, or a system command."""
    if is_system(user):
        return True
    return bool(actor_for(user, assessment).roles & SCOPE_ROLES)
