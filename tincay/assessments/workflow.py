"""The one state machine of an assessment: which transitions exist, who may make them, and their guards.

    draft → submitted (focal point asks) → scoring (unit leader approves; not their own request)
    scoring ↔ clarification (scorer asks, unit answers) → scored (scorer finishes)
    scored → appraisal (council or coordinator) → approved (council) → published (council or coordinator)
    any state before published → draft: reopen by the coordinator, with a reason

Roles here are *roles over this assessment* (see ``Actor``): unit roles come from memberships on the unit,
scorer and council from the campaign, coordinator and admin from scopes covering the unit. A scorer or council
member who belongs to the unit cannot act on it (maker ≠ checker). Templates ask ``actions_for`` which buttons
to show; services call ``check`` before changing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from tincay.accounts.choices import Role
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.scoring import TRACKS as TRACKS  # re-exported; the one definition is in the pure engine

# Roles over an assessment, defined once here (access.py and the services import them). Every transition's roles
# and every EDITABLE entry are drawn from ASSESSMENT_ROLES (tests/test_vocabulary_defined_once.py checks it).
UNIT_ROLES = frozenset({Role.UNIT_LEADER.value, Role.FOCAL_POINT.value, Role.CONTRIBUTOR.value})
CHECKER_ROLES = frozenset({CampaignRole.SCORER.value, CampaignRole.COUNCIL.value})
SCOPE_ROLES = frozenset({Role.COORDINATOR.value, Role.ADMIN.value})
ASSESSMENT_ROLES = UNIT_ROLES | CHECKER_ROLES | SCOPE_ROLES


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str
    needs_reason: bool = False
    style: str = "primary"


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "submit", frozenset({State.DRAFT}), State.SUBMITTED, frozenset({"focal_point"}), _("Submit to the leader")
    ),
    Transition(
        "approve_submission",
        frozenset({State.SUBMITTED}),
        State.SCORING,
        frozenset({"unit_leader"}),
        _("Approve and send for scoring"),
        style="success",
    ),
    Transition(
        "return_submission",
        frozenset({State.SUBMITTED}),
        State.DRAFT,
        frozenset({"unit_leader", "focal_point"}),
        _("Return to draft"),
        needs_reason=True,
        style="outline-secondary",
    ),
    Transition(
        "request_clarification",
        frozenset({State.SCORING}),
        State.CLARIFICATION,
        frozenset({"scorer"}),
        _("Send clarification questions"),
        style="warning",
    ),
    Transition(
        "answer_clarification",
        frozenset({State.CLARIFICATION}),
        State.SCORING,
        frozenset({"focal_point", "unit_leader"}),
        _("Send the answers"),
    ),
    Transition(
        "finish_scoring",
        frozenset({State.SCORING}),
        State.SCORED,
        frozenset({"scorer"}),
        _("Finish scoring"),
        style="success",
    ),
    Transition(
        "start_appraisal",
        frozenset({State.SCORED}),
        State.APPRAISAL,
        frozenset({"council", "coordinator"}),
        _("Start appraisal"),
    ),
    Transition(
        "approve",
        frozenset({State.APPRAISAL}),
        State.APPROVED,
        frozenset({"council"}),
        _("Approve the final results"),
        style="success",
    ),
    Transition(
        "publish",
        frozenset({State.APPROVED}),
        State.PUBLISHED,
        frozenset({"council", "coordinator"}),
        _("Publish"),
        style="success",
    ),
    Transition(
        "reopen",
        frozenset({State.SUBMITTED, State.SCORING, State.CLARIFICATION, State.SCORED, State.APPRAISAL, State.APPROVED}),
        State.DRAFT,
        frozenset({"coordinator"}),
        _("Reopen"),
        needs_reason=True,
        style="outline-danger",
    ),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}

# Which state lets which roles write which track of the criterion results.
EDITABLE: dict[str, dict[str, frozenset[str]]] = {
    "self": {State.DRAFT: UNIT_ROLES, State.CLARIFICATION: UNIT_ROLES},
    "scorer": {State.SCORING: frozenset({"scorer"})},
    "final": {State.APPRAISAL: frozenset({"council"})},
}


@dataclass(frozen=True)
class Actor:
    """What one user is with respect to one assessment."""

    user_id: int | None
    roles: frozenset[str] = field(default_factory=frozenset)
    belongs_to_unit: bool = False  # holds any membership on the assessed unit itself

    def effective_roles(self) -> frozenset[str]:
        """Roles usable here: checker roles vanish when the user belongs to the unit (maker ≠ checker)."""
        roles = set(self.roles)
        if self.belongs_to_unit:
            roles -= CHECKER_ROLES
        if "admin" in roles:
            roles.add("coordinator")
        return frozenset(roles)


class TransitionRefused(PermissionError):
    """The transition is not possible now; ``reasons`` say why, in the user's language."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(str(r) for r in reasons))


def actions_for(actor: Actor, state: str) -> list[Transition]:
    """Transitions this actor may start from this state (guards are checked separately)."""
    roles = actor.effective_roles()
    return [t for t in TRANSITIONS if state in t.sources and t.roles & roles]


def check(actor: Actor, state: str, action: str, *, submitted_by_id: int | None, reason: str = "") -> Transition:
    """The transition if the actor may make it now, else TransitionRefused (guards on data are the caller's)."""
    transition = BY_ACTION.get(action)
    if transition is None:
        raise TransitionRefused([_("Unknown action.")])
    problems = []
    if state not in transition.sources:
        problems.append(_("This step is not possible in the current state."))
    roles = actor.effective_roles()
    if not transition.roles & roles:
        if actor.belongs_to_unit and transition.roles & actor.roles & CHECKER_ROLES:
            problems.append(_("You belong to this unit, so you cannot score or appraise it."))
        else:
            problems.append(_("Your role does not allow this step."))
    if action == "approve_submission" and actor.user_id is not None and actor.user_id == submitted_by_id:
        problems.append(_("You submitted this assessment; another leader must approve it."))
    if transition.needs_reason and not reason.strip():
        problems.append(_("Please give a reason."))
    if problems:
        raise TransitionRefused(problems)
    return transition


def can_edit(actor: Actor, state: str, track: str) -> bool:
    return bool(EDITABLE.get(track, {}).get(state, frozenset()) & actor.effective_roles())
