"""schemathesis over the citizens' surveys operations only, their path parameters pinned to real objects (an open
survey of the personas' ward with answers, a closed one, the SIPAS template), so generated bodies and queries reach
the services: no server error, no undocumented status, every body as the schema says (a suppressed result with no
figure, a 409 before close included).

The whole schema is fuzzed by tests/test_api_schema_fuzz.py (unpinned: these paths meet a 404 there).
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from tests.feedback_fixtures import good_answers, sipas_survey, sipas_template
from tests.test_api_schema_fuzz import (  # noqa: F401 - fixtures and the session helpers are shared
    CONFIG,
    EXAMPLES,
    SESSIONS,
    AdministratorSession,
    ContributorSession,
    _keep_the_test_connection,
    _signed_in,
)
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db

OURS = r"^/api/v1/(surveys|survey-templates)"

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG).exclude(
    lambda ctx: not re.match(OURS, ctx.operation.path)
)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture
def pins(users):
    """An open survey for the writes and the read before close, a closed one for results and responses."""
    actor = users["dieuphoi"]
    live = sipas_survey(actor, min_responses=5)
    survey_status_set(actor=actor, survey=live, status="open")
    done = sipas_survey(actor, min_responses=5)
    survey_status_set(actor=actor, survey=done, status="open")
    for value in (5, 4, 4, 3, 2, 1):
        response_submit(survey=done, channel="qr", answers=good_answers(done, value))
    survey_status_set(actor=actor, survey=done, status="closed")
    return [
        (r"^/api/v1/surveys/\{id\}/(results|responses)/", {"id": done.pk}),
        (r"^/api/v1/surveys/\{id\}/", {"id": live.pk, "key": "access-online"}),
        (r"^/api/v1/survey-templates/\{id\}/", {"id": sipas_template().pk}),
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
                break
    cache.clear()
    cookies, headers = SESSIONS[persona]
    if (case.cookies or {}).get("sessionid") == f"<{persona}>":
        case.cookies = {**case.cookies, **cookies}
    case.call_and_validate(headers=headers, cookies={"csrftoken": cookies["csrftoken"]})


@schema.auth.apply(AdministratorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_surveys_api_answers_an_administrator_as_its_schema_says(case, pins, administrator):
    _call(case, pins, "administrator")


@schema.auth.apply(ContributorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_surveys_api_answers_a_contributor_as_its_schema_says(case, pins, contributor):
    _call(case, pins, "contributor")
