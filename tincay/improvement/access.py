"""Who sees and who changes areas to improve, action programmes, actions, reminders and verdicts.

Reading follows the assessment (``assessments.access``): whoever sees an assessment sees its areas and programme.
Writing:
- areas to improve: the unit's leader and focal point (and admins), once the assessment has final results;
- the programme and its actions: the unit's focal point and leader (and admins) — drafting;
- approval: the unit's leader (and admins);
- progress on an action: its responsible person, contributors of its owner department, the focal point, the leader;
- effectiveness verdicts: coordinators over the unit, the appraisal council of the next campaign, admins;
- reminder rules: admins and national coordinators.
Services call these before touching a row; pages may call them early to hide a button, never instead.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin, is_system, user_scopes
from tincay.assessments.access import actor_for, assessments_visible_to, get_assessment_for_user
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.improvement.models import Action, Programme

# The assessment states from which final results exist and areas can be derived.
FINAL_STATES = {State.APPROVED, State.PUBLISHED}


def _unit_roles(user: Any, unit_id: int) -> set[str]:
    return {s.role for s in user_scopes(user) if s.unit_id == unit_id}


def programmes_visible_to(user: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(assessment__in=assessments_visible_to(user).values("pk")).select_related(
        "assessment__unit", "assessment__campaign"
    )


def get_programme_for_user(user: Any, pk: int) -> Programme | None:
    programme = Programme.objects.select_related("assessment__unit", "assessment__campaign").filter(pk=pk).first()
    if programme is None or get_assessment_for_user(user, programme.assessment_id) is None:
        return None
    return programme


def get_action_for_user(user: Any, pk: int) -> Action | None:
    action = (
        Action.objects.select_related("programme__assessment__unit", "programme__assessment__campaign", "department")
        .filter(pk=pk)
        .first()
    )
    if action is None or get_assessment_for_user(user, action.programme.assessment_id) is None:
        return None
    return action


def can_edit_areas(user: Any, assessment: Assessment) -> bool:
    if is_system(user) or is_admin(user):
        return True
    return bool(_unit_roles(user, assessment.unit_id) & {Role.UNIT_LEADER, Role.FOCAL_POINT})


def can_edit_programme(user: Any, assessment: Assessment) -> bool:
    if is_system(user) or is_admin(user):
        return True
    return bool(_unit_roles(user, assessment.unit_id) & {Role.UNIT_LEADER, Role.FOCAL_POINT})


def can_approve_programme(user: Any, assessment: Assessment) -> bool:
    if is_system(user) or is_admin(user):
        return True
    return Role.UNIT_LEADER in _unit_roles(user, assessment.unit_id)


def _department_ids(user: Any) -> set[int]:
    return set(user.memberships.filter(department__isnull=False).values_list("department_id", flat=True))


def can_post_progress(user: Any, action: Action) -> bool:
    if is_system(user) or is_admin(user):
        return True
    unit_id = action.programme.assessment.unit_id
    roles = _unit_roles(user, unit_id)
    if roles & {Role.UNIT_LEADER, Role.FOCAL_POINT}:
        return True
    if action.responsible_id is not None and action.responsible_id == getattr(user, "pk", None):
        return True
    return (
        Role.CONTRIBUTOR in roles and action.department_id is not None and action.department_id in _department_ids(user)
    )


def can_record_verdict(user: Any, next_assessment: Assessment) -> bool:
    """Coordinators over the unit assessed next, its appraisal council, admins."""
    if is_system(user) or is_admin(user):
        return True
    actor = actor_for(user, next_assessment)
    return bool(actor.effective_roles() & {"coordinator", "council"})


def can_manage_reminder_rules(user: Any) -> bool:
    if is_system(user) or is_admin(user):
        return True
    return any(s.role == Role.COORDINATOR and s.unit_id is None for s in user_scopes(user))


def can_view_coordination(user: Any) -> bool:
    """The coordinator's view of programmes over a subtree: coordinators, viewers and admins."""
    return is_admin(user) or any(s.role in (Role.COORDINATOR, Role.VIEWER) for s in user_scopes(user))
