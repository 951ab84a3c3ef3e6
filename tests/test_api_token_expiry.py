"""A token works until its expiry (TINCAY_API_TOKEN_DAYS after creation), then the API refuses it and says why."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from tincay.accounts.models import ApiToken
from tincay.accounts.tokens import api_token_issue

pytestmark = pytest.mark.django_db


def test_a_token_expires_after_the_configured_days(users):
    issued = api_token_issue(actor=users["xem"], user=users["xem"], name="Báo cáo")
    token = issued.token
    assert token.expires_at - token.created_at == timedelta(days=settings.TINCAY_API_TOKEN_DAYS)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    before = token.expires_at - timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=before):
        assert api.get("/api/v1/units/31/").status_code == 200
    with mock.patch("django.utils.timezone.now", return_value=token.expires_at + timedelta(seconds=1)):
        refused = api.get("/api/v1/units/31/")
    assert refused.status_code in (401, 403)
    assert "expired" in refused.json()["detail"] and "profile page" in refused.json()["detail"]


def test_an_expired_token_is_listed_as_expired_and_cannot_be_used(users, client_for):
    issued = api_token_issue(actor=users["xem"], user=users["xem"], name="Cũ")
    ApiToken.objects.filter(pk=issued.token.pk).update(
        created_at=timezone.now() - timedelta(days=100), expires_at=timezone.now() - timedelta(days=10)
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    assert api.get("/api/v1/units/31/").status_code in (401, 403)
    page = client_for("xem").get("/accounts/profile/")
    assert [t.state() for t in page.context["tokens"]] == ["expired"]


def test_last_use_is_recorded(users):
    issued = api_token_issue(actor=users["xem"], user=users["xem"], name="Báo cáo")
    assert issued.token.last_used_at is None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    api.get("/api/v1/units/31/")
    assert ApiToken.objects.get(pk=issued.token.pk).last_used_at is not None
