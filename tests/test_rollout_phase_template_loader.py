"""The five-phase template ships as data: loaded by the migration, loading again changes nothing, a template in
use is immutable (a change is a new version), a bad file names every broken rule."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rollout_board_fixtures import make_rollout

from tincay.common.errors import InvalidInput
from tincay.rollout.models import PhaseDefinition, PhaseTemplate, Rollout
from tincay.rollout.services.templates import FIVE_PHASES, parse_document, phase_template_load

pytestmark = pytest.mark.django_db


def test_the_migration_shipped_the_five_phases():
    template = PhaseTemplate.objects.get(code="five-phases", version=1)
    assert list(template.phases.order_by("order").values_list("key", flat=True)) == [
        "preparation",
        "training",
        "self_assessment",
        "action_programme",
        "reporting",
    ]
    actions = template.phases.get(key="action_programme")
    assert {"key": "actions_done", "min_percent": 50} in actions.gates


def test_loading_again_changes_nothing():
    before = list(PhaseDefinition.objects.order_by("pk").values())
    _template, outcome = phase_template_load(FIVE_PHASES)
    assert outcome == "unchanged"
    assert list(PhaseDefinition.objects.order_by("pk").values()) == before
    out = io.StringIO()
    call_command("load_phase_templates", stdout=out)
    assert "five-phases v1: unchanged" in out.getvalue()


def _changed(tmp_path, version: int = 1):
    text = FIVE_PHASES.read_text(encoding="utf-8").replace("min_percent: 50", "min_percent: 80")
    text = text.replace("version: 1", f"version: {version}")
    path = tmp_path / f"five-v{version}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_template_in_use_is_immutable_and_a_change_is_a_new_version(users, tmp_path):
    make_rollout(users)
    with pytest.raises(InvalidInput) as caught:
        phase_template_load(_changed(tmp_path))
    assert "new version" in " ".join(caught.value.messages_for("version"))
    assert {"key": "actions_done", "min_percent": 50} in PhaseDefinition.objects.get(
        template__code="five-phases", template__version=1, key="action_programme"
    ).gates
    template, outcome = phase_template_load(_changed(tmp_path, 2))
    assert outcome == "created" and template.version == 2
    assert phase_template_load(_changed(tmp_path, 2))[1] == "unchanged"


def test_an_unused_template_may_be_corrected_under_its_version(tmp_path):
    Rollout.objects.all().delete()  # the demo's rollouts use it (rolled back after the test)
    assert phase_template_load(_changed(tmp_path))[1] == "updated"


def test_a_bad_file_names_every_broken_rule():
    with pytest.raises(InvalidInput) as caught:
        parse_document(
            "format: tincay-phases/1\ncode: x\nversion: 0\ntitle: {vi: ''}\n"
            "phases:\n  - {key: nope, order: 1, title: {vi: A}}\n  - {key: training, order: 1, title: {vi: B}, "
            "gates: [{key: actions_done, min_percent: 150}]}\n"
        )
    errors = caught.value.errors
    assert {"version", "title", "phases[0].key", "phases[1].order", "phases[1].gates[0].min_percent"} <= set(errors)
