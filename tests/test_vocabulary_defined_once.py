"""One vocabulary: the tracks, the roles over an assessment and the "answered" rule are each defined once.

- the tuple of tracks is written only in the pure engine (``scoring.TRACKS``); every other module imports it;
- ``UNIT_ROLES`` is assigned only in ``workflow.py``; every role a transition or a track names is one of
  ``workflow.ASSESSMENT_ROLES``, which is drawn from the role choices;
- "answered" is one database condition (``selectors.ANSWERED``) and one Python predicate (``is_answered``) that
  agree on every kind of row, and the pages and the submission guard count with them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import connection

from tincay.accounts.choices import Role
from tincay.assessments import scoring, selectors, workflow
from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import Assessment, CriterionResult

SOURCE = Path(__file__).resolve().parent.parent / "tincay"
TRACK_NAMES = set(scoring.TRACKS)


def _modules():
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _literal_strings(node: ast.AST) -> set[str] | None:
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(
        isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts
    ):
        return {e.value for e in node.elts}
    return None


def test_tracks_are_written_only_in_the_scoring_engine():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if _literal_strings(node) == TRACK_NAMES and path.name != "scoring.py":
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    assert not found, f"tracks spelt out again (import scoring.TRACKS instead): {found}"
    assert workflow.TRACKS is scoring.TRACKS


def test_unit_roles_are_defined_only_in_the_workflow():
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            if any(isinstance(t, ast.Name) and t.id == "UNIT_ROLES" for t in targets):
                found.append(str(path.relative_to(SOURCE)))
    assert found == ["assessments/workflow.py"]


def test_every_role_named_by_the_workflow_is_a_known_role():
    known = {r.value for r in Role} | {r.value for r in CampaignRole}
    assert known >= workflow.ASSESSMENT_ROLES
    for transition in workflow.TRANSITIONS:
        assert transition.roles <= workflow.ASSESSMENT_ROLES, transition.action
    for by_state in workflow.EDITABLE.values():
        for roles in by_state.values():
            assert roles <= workflow.ASSESSMENT_ROLES
    assert set(workflow.EDITABLE) == set(scoring.TRACKS)


ROWS = [
    {},
    {"na": True},
    {"self_level": "green"},
    {"self_level": "purple"},  # not a level: not answered (and flagged elsewhere)
    {"self_value": 12},
    {"self_value": 0},
    {"self_points": 1},
    {"scorer_level": "green", "final_level": "red"},  # other tracks do not answer for the unit
    {"narrative": "Đã làm", "no_evidence_reason": "Lưu giấy"},
]


@pytest.mark.django_db
def test_answered_condition_and_predicate_agree(users):
    from tests.assessment_fixtures import make_campaign
    from tests.test_scoring_bulk_equals_single import checks_off

    assessment = Assessment.objects.get(campaign=make_campaign(users, code="tu-vung"), unit__key="11413")
    pks = list(assessment.results.order_by("criterion__order").values_list("pk", flat=True)[: len(ROWS)])
    with checks_off():  # "purple" is refused by the CHECK constraint; SQLite lets the test store it
        for pk, values in zip(pks, ROWS, strict=True):
            if values.get("self_level") == "purple" and connection.vendor != "sqlite":
                continue
            CriterionResult.objects.filter(pk=pk).update(**values)
    rows = list(CriterionResult.objects.filter(pk__in=pks))
    by_query = set(CriterionResult.objects.filter(selectors.ANSWERED, pk__in=pks).values_list("pk", flat=True))
    by_python = {r.pk for r in rows if selectors.is_answered(r)}
    assert by_query == by_python
    assert len(by_python) == 5  # na, green, 12, 0, points
    counted = selectors.completeness(Assessment.objects.filter(pk=assessment.pk)).get()
    assert counted.answered_criteria == len(by_python)
    blocks = selectors.workspace(assessment)
    assert sum(b.answered for p in blocks for b in p.indicators) == len(by_python)
