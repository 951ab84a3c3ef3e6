"""schemathesis against /api/schema/: every operation, as an administrator and as a contributor, every check on.

The schema is loaded from the Django application in-process (WSGI), so the requests hit the test database the
other tests use. Positive cases (data the schema says is valid) must be accepted or refused for a reason the
schema documents; negative cases (data the schema says is invalid) must be refused with a 4xx; no response may
be a server error, an undocumented status or content type, or a body that does not match its schema.

Path parameters are pinned to real objects of the demo (the Hải An 2026 assessment, a criterion of an indicator
assigned to the contributor, a document of the ward's register with a file), so the generated bodies reach the
services instead of stopping at a 404. A positive PATCH of a result is sent with the stored revision, so some
saves go through and the services' domain rules run on generated values.

Examples per operation: 10 on a developer's machine, 80 in CI (``CI`` set): about 1 and 2 minutes on two cores,
demo seed included. The throttles' counts are cleared before each request (they have their own tests).
"""

from __future__ import annotations

import os
import re
import secrets

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation

from tincay.assessments.models import Assessment, CriterionResult, IndicatorAssignment
from tincay.assessments.services import evidence

pytestmark = pytest.mark.django_db

EXAMPLES = 80 if os.environ.get("CI") else 10
CURRENT, PILOT, HAI_AN = "hai-phong-2026", "thi-diem-hai-phong-2023", "11413"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
# Domain rules the schema cannot state (a criterion's own range, the assessment's state, N/A needs a reason, a
# final level that differs needs a comment, dates in order, addresses Django's validator refuses, an upload's
# content) make a write with schema-valid data a 400 too: writes may answer 400 to positive data.
WRITE_STATUSES = ["2xx", "400", "401", "403", "404", "409", "429"]


CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 18091,
        # unknown query parameters are ignored, as HTTP APIs do (?format=json of the browsable API, cache busters):
        # a name the schema does not list is not negative data here
        "generation": {"max-examples": EXAMPLES, "database": "none", "allow-extra-parameters": False},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"enabled": True},
        "operations": [
            {
                "include-method-regex": "^(POST|PATCH|DELETE)$",
                "checks": {"positive_data_acceptance": {"expected-statuses": WRITE_STATUSES}},
            }
        ],
    }
)
# Loaded from the application in-process; generating the schema reads no table, so it can happen at import.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=CONFIG)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI handler, whose end-of-request signal would close the database connection
    and with it the test's transaction (PostgreSQL); Django's test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def pins(users, settings, tmp_path):
    """Real objects for the path parameters, by operation path (a test document with a file, an indicator
    assigned to the contributor)."""
    settings.MEDIA_ROOT = str(tmp_path)
    assessment = Assessment.objects.get(campaign__code=CURRENT, unit__key=HAI_AN)
    result = (
        CriterionResult.objects.filter(assessment=assessment, criterion__code__startswith="1.1.")
        .select_related("criterion")
        .order_by("criterion__order")
        .first()
    )
    IndicatorAssignment.objects.update_or_create(
        assessment=assessment, indicator=result.criterion.indicator, defaults={"assignee": users["congchuc"]}
    )
    document = evidence.document_create(
        user=users["daumoi"],
        unit=assessment.unit,
        data={"title": "Kế hoạch (kiểm thử)", "kind": "plan"},
        upload=SimpleUploadedFile("ke-hoach.pdf", PDF),
    )
    return [
        (r"^/api/v1/assessments/\{id\}/results/\{code\}/", {"id": assessment.pk, "code": result.criterion.code}),
        (r"^/api/v1/assessments/\{id\}/results/\{code\}/evidence/\{document\}/", {"document": document.pk}),
        (r"^/api/v1/assessments/\{id\}/", {"id": assessment.pk}),
        (r"^/api/v1/results/assessments/\{id\}/$", {"id": assessment.pk}),
        (r"^/api/v1/results/campaigns/\{code\}/", {"code": CURRENT}),
        (r"^/api/v1/public/campaigns/\{code\}/", {"code": PILOT}),
        (r"^/api/v1/units/\{code\}/", {"code": HAI_AN}),
        (r"^/api/v1/units/\{key\}/", {"key": HAI_AN}),
        (r"^/api/v1/results/units/\{key\}/", {"key": HAI_AN}),
        (r"^/api/v1/documents/\{id\}/", {"id": document.pk}),
        (r"^/api/v1/frameworks/\{framework\}/", {"framework": "tcvn-iso-18091", "version": "2020"}),
    ]


SESSIONS: dict[str, tuple[dict[str, str], dict[str, str]]] = {}


def _signed_in(name: str, user) -> None:
    """A session of the persona and a CSRF token, as a browser would send them."""
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)
    SESSIONS[name] = ({"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}, {"X-CSRFToken": csrf})


@pytest.fixture
def administrator(users):
    _signed_in("administrator", users["quantri"])


@pytest.fixture
def contributor(users):
    _signed_in("contributor", users["congchuc"])


class _Session:
    """schemathesis' auth provider: marks the case as carrying the persona's session cookie (the checks take it
    away to see that the API then refuses); the real cookie is put in when the case is sent, since schemathesis
    may build cases before the test database exists."""

    persona = ""

    def get(self, case, context):
        return self.persona

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), "sessionid": f"<{data}>"}


class AdministratorSession(_Session):
    persona = "administrator"


class ContributorSession(_Session):
    persona = "contributor"


def _call(case, pins: list[tuple[str, dict[str, object]]], persona: str) -> None:
    """Send the case; path parameters point at real objects unless they are what is being negated (then the
    random value must meet a 404)."""
    if case.path_parameters and not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        for pattern, values in pins:
            if re.match(pattern, case.operation.path):
                case.path_parameters.update({k: v for k, v in values.items() if k in case.path_parameters})
    if _positive_result_save(case):
        case.body["revision"] = CriterionResult.objects.get(
            assessment_id=case.path_parameters["id"], criterion__code=case.path_parameters["code"]
        ).revision
    cache.clear()  # the API's throttles count in the cache; they are tested in their own module
    cookies, headers = SESSIONS[persona]
    if (case.cookies or {}).get("sessionid") == f"<{persona}>":
        case.cookies = {**case.cookies, **cookies}
    case.call_and_validate(headers=headers, cookies={"csrftoken": cookies["csrftoken"]})


RESULT_SAVE = "/api/v1/assessments/{id}/results/{code}/"


def _positive_result_save(case) -> bool:
    """A positive PATCH of a criterion's result (programmes and actions take a ``revision`` too: theirs stay
    random, their paths are not pinned here)."""
    return (
        case.operation.path == RESULT_SAVE
        and case.method.upper() == "PATCH"
        and case.meta is not None
        and case.meta.generation.mode.is_positive
        and isinstance(case.body, dict)
        and isinstance(case.body.get("revision"), int)
    )


@schema.auth.apply(AdministratorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_api_answers_an_administrator_as_its_schema_says(case, pins, administrator):
    _call(case, pins, "administrator")


@schema.auth.apply(ContributorSession, refresh_interval=None)
@schema.parametrize()
@FUZZ
def test_api_answers_a_contributor_as_its_schema_says(case, pins, contributor):
    _call(case, pins, "contributor")
