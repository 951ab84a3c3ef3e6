"""A password change revokes the person's API tokens, on every path: the change page, a reset by e-mail, a
password set by an administrator. The API then refuses the old key and says why."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tincay.accounts import services as account_services
from tincay.accounts.choices import TokenRevokedReason
from tincay.accounts.models import ApiToken
from tincay.accounts.tokens import api_token_issue
from tincay.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
NEW = "Mot-mat-khau-hoan-toan-moi-2026"


def _change_on_the_page(client_for, users):
    client_for("xem").post(
        "/accounts/password/change/",
        {"old_password": "TinCay@2026", "new_password1": NEW, "new_password2": NEW},
    )


def _reset_by_email(client_for, users):
    client = client_for(None)
    client.post("/accounts/password/reset/", {"email": users["xem"].email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})


def _set_by_an_administrator(client_for, users):
    account_services.user_set_password(actor=users["quantri"], user=users["xem"], password=NEW)


@pytest.mark.parametrize("change", [_change_on_the_page, _reset_by_email, _set_by_an_administrator])
def test_every_password_change_revokes_the_tokens(client_for, users, change):
    issued = [api_token_issue(actor=users["xem"], user=users["xem"], name=n) for n in ("Báo cáo", "Excel")]
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {issued[0].key}")
    assert api.get("/api/v1/units/31/").status_code == 200

    change(client_for, users)

    users["xem"].refresh_from_db()
    assert users["xem"].check_password(NEW), "the password did change"
    refused = api.get("/api/v1/units/31/")
    assert refused.status_code in (401, 403) and "password was changed" in refused.json()["detail"]
    tokens = ApiToken.objects.filter(user=users["xem"])
    assert {(t.state(), t.revoked_reason) for t in tokens} == {("revoked", TokenRevokedReason.PASSWORD_CHANGED)}
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked", object_type="accounts.apitoken").count() == 2


def test_a_token_made_after_the_change_works(client_for, users):
    api_token_issue(actor=users["xem"], user=users["xem"], name="Cũ")
    _set_by_an_administrator(client_for, users)
    fresh = api_token_issue(actor=users["xem"], user=users["xem"], name="Mới")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {fresh.key}")
    assert api.get("/api/v1/units/31/").status_code == 200


def test_tokens_of_other_people_stay(client_for, users):
    other = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Báo cáo")
    _set_by_an_administrator(client_for, users)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {other.key}")
    assert api.get("/api/v1/units/11413/").status_code == 200
