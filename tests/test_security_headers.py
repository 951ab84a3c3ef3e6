"""Every response carries the Content-Security-Policy (own static files only, no inline script or style, no
framing): pages for people and for the public, the login page, the API and its documentation, error pages.
The HTML those pages send has no inline script, event handler or style attribute that the policy would block."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from tincay.assessments.models import Assessment

pytestmark = pytest.mark.django_db
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# What the policy refuses, in HTML as sent: a <script> with a body (json_script data blocks are not run), a <style>
# element, a style attribute, an on…= event handler, a javascript: URL.
INLINE_CODE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]  # for the 500 page (ROOT_URLCONF points here in that test)


def _assert_protected(response) -> str:
    assert response["Content-Security-Policy"] == POLICY, response.get("Content-Security-Policy")
    body = response.content.decode() if not getattr(response, "streaming", False) else ""
    if response.get("Content-Type", "").startswith("text/html"):
        found = INLINE_CODE.findall(body)
        assert not found, f"inline code in {response.request['PATH_INFO']}: {found}"
    return body


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/public/",
        "/public/units/11413/",
        "/catalogue/",
        "/units/",
        "/health/",
        "/no-such-page/",
        "/api/v1/frameworks/",
        "/api/schema/",
    ],
)
def test_anonymous_responses_carry_the_policy(client, url):
    response = client.get(url)
    assert response.status_code in {200, 302, 401, 403, 404}
    _assert_protected(response)


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/units/",
        "/units/11413/",
        "/units/11413/children/",
        "/units/11413/documents/",
        "/people/",
        "/campaigns/",
        "/campaigns/thi-diem-hai-phong-2023/",
        "/results/campaigns/thi-diem-hai-phong-2023/",
        "/results/campaigns/thi-diem-hai-phong-2023/timeliness/",
        "/results/units/11413/",
        "/accounts/profile/",
        "/accounts/notifications/",
        "/documents/999999/link/",
        "/api/docs/",
        "/api/v1/frameworks/",
        "/api/v1/units/11413/documents/",
    ],
)
def test_pages_for_people_carry_the_policy_and_no_inline_code(client_for, url):
    response = client_for("dieuphoi").get(url)
    assert response.status_code in {200, 404}, url
    _assert_protected(response)


def test_assessment_pages_have_no_inline_code(client_for):
    assessment = Assessment.objects.get(campaign__code="thi-diem-hai-phong-2023", unit__key="11413-2025")
    client = client_for("dieuphoi")
    for url in [
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/indicators/1.7/",
        f"/assessments/{assessment.pk}/review/",
        f"/results/assessments/{assessment.pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_protected(response)


def test_swagger_ui_loads_its_start_up_script_as_a_file(client_for):
    client = client_for("dieuphoi")
    page = _assert_protected(client.get("/api/docs/"))
    assert '<script src="/api/docs/?script="></script>' in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    _assert_protected(script)


def test_the_api_answers_with_the_policy_for_a_token_client_too(client_for):
    response = client_for("dieuphoi").get("/api/v1/units/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    _assert_protected(response)


def test_csrf_failure_and_server_error_pages_carry_the_policy(settings):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    _assert_protected(response)  # our own page: Django's built-in one has an inline <style>
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert response["Content-Security-Policy"] == POLICY
