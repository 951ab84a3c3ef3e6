"""schemathesis over the issue 10 operations only, with their path parameters pinned to real objects (a programme
of the personas' ward with an action, an area, a rollout with the ward in it, a training session), so generated
bodies and queries reach the services: no server error, no undocumented status, every body as the schema says.

The whole schema is fuzzed by tests/test_api_schema_fuzz.py (unpinned: these paths meet a 404 there).
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from tests.improvement_programme_fixtures import make_programme, own_assessment
from tests.rollout_board_fixtures import OWN, make_rollout
from tests.test_api_schema_fuzz import (  # noqa: F401 - fixtures and the session helpers are shared
    CONFIG,
    EXAMPLES,
    SESSIONS,
    AdministratorSession,
    ContributorSession,
    _keep_the_test_connection,
    _signed_in,
)
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.improvement.models import ImprovementArea, Programme
from tincay.rollout.services import preparation

pytestmark = pytest.mark.django_db

OURS = r"^/api/v1/(assessments/\{id\}/areas|programmes|actions|coordination|reminder|rollouts)"


def _not_ours(ctx) -> bool:
    """The operations of the assessments API (tests/test_api_schema_fuzz.py). An exclusion, not ``include``: the
    ``operations`` entry of CONFIG already includes every operation, and schemathesis ORs a later ``include`` with
    it (the module then fuzzed the whole schema, unpinned)."""
    path = ctx.operation.path
    return not re.match(OURS, path) or "/results/" in path


schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG).exclude(_not_ours)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def pins(users):
    assessment = Assessment.objects.get(campaign__code="hai-phong-2026", unit__key=OWN)
    Assessment.objects.filter(pk=assessment.pk).update(state=State.APPROVED)
    assessment.refresh_from_db()
    Programme.objects.filter(assessment=assessment).delete()
    area = ImprovementArea.objects.filter(assessment=assessment).first() or ImprovementArea.objects.create(
        assessment=assessment, indicator=assessment.campaign.version.indicators.order_by("order").first()
    )
    programme = make_programme(own_assessment(assessment.campaign), n_actions=1)
    rollout = make_rollout(users, code="api10-fuzz")
    preparation.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    session = preparation.training_session_create(
        actor=users["dieuphoi"],
        rollout=rollout,
        units=[rollout.units.get(unit__key=OWN).unit],
        held_on=timezone.localdate(),
        trainer="Chuyên gia",
        topic="TCVN ISO 18091",
        level="basic",
    )
    return [
        (r"^/api/v1/assessments/\{id\}/areas/", {"id": assessment.pk, "area": area.pk}),
        (r"^/api/v1/programmes/\{id\}/", {"id": programme.pk, "action": programme.actions.get().pk, "number": 1}),
        (r"^/api/v1/actions/\{id\}/", {"id": programme.actions.get().pk}),
        (r"^/api/v1/rollouts/\{code\}/", {"code": rollout.code, "key": OWN, "id": session.pk}),
    ]


@pytest.fixture
def administrator(users):
    _signed_in("administrator", users["quantri"])


@pytest.fixture
def contributor(users):
    _signed_in("contributor", users["congchuc"])


def _call(case, pins, persona: str) -> None:
    if case.path_parameters and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        for pattern, values in pins:
            if re.match(pattern, case.operation.path):
                case.path_parameters.update({k: v for k, v in values.items() if k in case.path_parameters})
    cache.clear()
    cookies, headers = SESSIONS[persona]
    if (case.cookies or {}).get("sessionid") == f"<{persona}>":
        case.cookies = {**case.cookies, **cookies}
    case.call_and_validate(headers=headers, cookies={"csrftoken": cookies["csrftoken"]})


@schema.auth.apply(AdministratorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_issue_10_api_answers_an_administrator_as_its_schema_says(case, pins, administrator):
    _call(case, pins, "administrator")


@schema.auth.apply(ContributorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_issue_10_api_answers_a_contributor_as_its_schema_says(case, pins, contributor):
    _call(case, pins, "contributor")
