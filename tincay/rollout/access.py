"""Who sees and who changes rollouts, phases, gates, the preliminary survey and training sessions.

- Admins, and coordinators whose scope reaches a rollout's coordinating unit, manage the rollout: units, phases
  (move, skip with a reason), gates recorded by hand, the questionnaire and the training sessions. Those
  coordinators (``rollout_coordinators``) are the people told when a unit submits its preliminary survey.
- Viewers over the coordinating unit read the rollout and its board.
- A unit's leader and focal point read their unit's entry and answer its preliminary survey; they record the
  steering committee decision, the support team and the final report of their unit. Every member of a unit reads
  its entry and may sign in to a training session with its attendance code.
Services call these before touching a row; pages may call them early to hide a button, never instead.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin, is_system, user_scopes
from tincay.orgunits.access import units_reached_by
from tincay.rollout.models import Rollout, RolloutUnit, TrainingSession

UNIT_PEOPLE = {Role.UNIT_LEADER, Role.FOCAL_POINT, Role.CONTRIBUTOR}


def rollouts_visible_to(user: Any) -> QuerySet[Rollout]:
    base = Rollout.objects.select_related("owner_unit", "template", "campaign")
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if is_admin(user):
        return base
    q = Q(owner_unit__in=units_reached_by(user, {Role.COORDINATOR, Role.VIEWER}))
    own_units = {s.unit_id for s in user_scopes(user) if s.role in UNIT_PEOPLE and s.unit_id}
    if own_units:
        q |= Q(pk__in=RolloutUnit.objects.filter(unit_id__in=own_units).values("rollout_id"))
    return base.filter(q)


def get_rollout_for_user(user: Any, code: str) -> Rollout | None:
    return rollouts_visible_to(user).filter(code=code).first()


def can_manage_rollout(user: Any, rollout: Rollout) -> bool:
    if is_system(user) or is_admin(user):
        return True
    return units_reached_by(user, {Role.COORDINATOR}).filter(pk=rollout.owner_unit_id).exists()


def rollout_coordinators(rollout: Rollout) -> QuerySet[Any]:
    """The active coordinators of the rollout: those whose scope reaches its coordinating unit — on that unit, over
    the subtree of a unit above it, or national — in a stable order (admins manage every rollout but are not its
    coordinators)."""
    owner = rollout.owner_unit
    keys = [k for k in owner.path.split("/") if k]
    above = ["".join(f"{k}/" for k in keys[:i]) for i in range(1, len(keys))]
    over = Q(memberships__unit__isnull=True) | Q(memberships__unit_id=owner.pk)
    if above:
        over |= Q(memberships__unit__path__in=above, memberships__subtree=True)
    users = get_user_model().objects
    ids = users.filter(over, memberships__role=Role.COORDINATOR, is_active=True).values("pk")
    return users.filter(pk__in=ids).order_by("pk")


def can_create_rollout(user: Any) -> bool:
    return is_system(user) or any(s.role in (Role.ADMIN, Role.COORDINATOR) for s in user_scopes(user))


def entries_visible_to(user: Any, rollout: Rollout) -> QuerySet[RolloutUnit]:
    """The units of a rollout this person sees: all of them for its managers and viewers, else their own."""
    entries = RolloutUnit.objects.filter(rollout=rollout).select_related("unit")
    if (
        is_admin(user)
        or units_reached_by(user, {Role.COORDINATOR, Role.VIEWER}).filter(pk=rollout.owner_unit_id).exists()
    ):
        return entries
    own_units = {s.unit_id for s in user_scopes(user) if s.role in UNIT_PEOPLE and s.unit_id}
    return entries.filter(unit_id__in=own_units)


def get_entry_for_user(user: Any, rollout: Rollout, key: str) -> RolloutUnit | None:
    """The unit ``key`` of the rollout as this person sees it (None when not in it or not visible)."""
    entry = entries_visible_to(user, rollout).filter(unit__key=key).first()
    if entry is not None:
        entry.rollout = rollout
    return entry


def get_session_for_user(user: Any, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession | None:
    """A training session of the rollout; unless ``everything`` (its managers and viewers), only one that trained
    a unit this person sees. None when there is none."""
    sessions = TrainingSession.objects.filter(rollout=rollout, pk=pk)
    if not everything:
        sessions = sessions.filter(units__in=entries_visible_to(user, rollout).values("unit_id")).distinct()
    session = sessions.first()
    if session is not None:
        session.rollout = rollout
    return session


def can_answer_survey(user: Any, entry: RolloutUnit) -> bool:
    if is_system(user) or is_admin(user) or can_manage_rollout(user, entry.rollout):
        return True
    return any(s.role in (Role.UNIT_LEADER, Role.FOCAL_POINT) and s.unit_id == entry.unit_id for s in user_scopes(user))


def can_record_unit_documents(user: Any, entry: RolloutUnit) -> bool:
    """Steering committee decision, support team, final report: the unit's leader or focal point, or a manager."""
    return can_answer_survey(user, entry)
