"""The state machine on its own: transitions, roles, maker ≠ checker, reasons."""

import pytest

from tincay.assessments.choices import State
from tincay.assessments.workflow import TRANSITIONS, Actor, TransitionRefused, actions_for, can_edit, check

pytestmark = pytest.mark.usefixtures("english")


def test_every_state_but_published_has_a_way_forward_and_reopen_comes_back_to_draft():
    sources = {s for t in TRANSITIONS for s in t.sources}
    assert set(State.values) - {State.PUBLISHED} <= sources
    assert next(t for t in TRANSITIONS if t.action == "reopen").target == State.DRAFT


def test_the_happy_path_is_a_chain():
    path = [
        "submit",
        "approve_submission",
        "request_clarification",
        "answer_clarification",
        "finish_scoring",
        "start_appraisal",
        "approve",
        "publish",
    ]
    by_action = {t.action: t for t in TRANSITIONS}
    state = State.DRAFT
    for action in path:
        assert state in by_action[action].sources, action
        state = by_action[action].target
    assert state == State.PUBLISHED


def test_focal_point_submits_but_cannot_approve():
    focal = Actor(1, frozenset({"focal_point"}), belongs_to_unit=True)
    assert [t.action for t in actions_for(focal, State.DRAFT)] == ["submit"]
    with pytest.raises(TransitionRefused):
        check(focal, State.SUBMITTED, "approve_submission", submitted_by_id=1)


def test_nobody_approves_their_own_submission():
    leader_who_submitted = Actor(7, frozenset({"unit_leader", "focal_point"}), belongs_to_unit=True)
    with pytest.raises(TransitionRefused, match="another leader"):
        check(leader_who_submitted, State.SUBMITTED, "approve_submission", submitted_by_id=7)
    check(leader_who_submitted, State.SUBMITTED, "approve_submission", submitted_by_id=8)


def test_a_scorer_who_belongs_to_the_unit_cannot_score_it():
    insider = Actor(3, frozenset({"scorer", "contributor"}), belongs_to_unit=True)
    assert not actions_for(insider, State.SCORING)
    with pytest.raises(TransitionRefused, match="belong"):
        check(insider, State.SCORING, "finish_scoring", submitted_by_id=None)
    assert not can_edit(insider, State.SCORING, "scorer")


def test_reopen_needs_a_reason_and_a_coordinator():
    coordinator = Actor(2, frozenset({"coordinator"}))
    with pytest.raises(TransitionRefused, match="reason"):
        check(coordinator, State.APPROVED, "reopen", submitted_by_id=None, reason=" ")
    check(coordinator, State.APPROVED, "reopen", submitted_by_id=None, reason="Sai sót số liệu")
    with pytest.raises(TransitionRefused):
        check(coordinator, State.PUBLISHED, "reopen", submitted_by_id=None, reason="x")


def test_tracks_are_editable_only_in_their_state():
    focal, scorer, council = (Actor(1, frozenset({r})) for r in ("focal_point", "scorer", "council"))
    assert can_edit(focal, State.DRAFT, "self") and not can_edit(focal, State.SCORING, "self")
    assert can_edit(focal, State.CLARIFICATION, "self")
    assert can_edit(scorer, State.SCORING, "scorer") and not can_edit(scorer, State.APPRAISAL, "scorer")
    assert can_edit(council, State.APPRAISAL, "final") and not can_edit(council, State.APPROVED, "final")
