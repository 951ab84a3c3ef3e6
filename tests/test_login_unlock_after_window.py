"""A locked account opens again by itself once TINCAY_LOGIN_LOCKOUT_MINUTES have passed since the last failure."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
PASSWORD = "TinCay@2026"


def _later(delta):
    """Axes stamps each attempt with the time its proxy handler reads; move that clock (and Django's)."""
    moved = timezone.now() + delta
    return mock.patch("axes.handlers.proxy.now", return_value=moved), mock.patch(
        "django.utils.timezone.now", return_value=moved
    )


def _lock(client, username):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = client.post("/accounts/login/", {"username": username, "password": "sai"})
    assert last.status_code == 429


def test_login_page_opens_again_after_the_window(client):
    _lock(client, "lanhdao")
    almost, almost_tz = _later(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    with almost, almost_tz:
        assert client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD}).status_code == 429
    after, after_tz = _later(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    with after, after_tz:
        answer = client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD})
    assert answer.status_code == 302 and client.session["_auth_user_id"]


def test_a_refused_attempt_while_locked_does_not_prolong_the_lock(client):
    _lock(client, "lanhdao")
    midway, midway_tz = _later(settings.AXES_COOLOFF_TIME / 2)
    with midway, midway_tz:
        assert client.post("/accounts/login/", {"username": "lanhdao", "password": "sai"}).status_code == 429
    after, after_tz = _later(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    with after, after_tz:
        assert client.post("/accounts/login/", {"username": "lanhdao", "password": PASSWORD}).status_code == 302


def test_token_endpoint_opens_again_after_the_window():
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": "xem", "password": "sai"}, format="json")
    assert api.post("/api/v1/auth/token/", {"username": "xem", "password": PASSWORD}, format="json").status_code == 429
    after, after_tz = _later(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    with after, after_tz:
        answer = api.post("/api/v1/auth/token/", {"username": "xem", "password": PASSWORD}, format="json")
    assert answer.status_code == 200 and answer.json()["token"]
