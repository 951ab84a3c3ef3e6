"""Repeated failed log-ins lock the account (and, with a higher limit, the address): page and token endpoint.

The limits come from the environment (TINCAY_LOGIN_FAILURE_LIMIT, TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT); while
locked, even the right password is refused with a message saying how long to wait and that an administrator can
unlock sooner.
"""

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tincay.accounts.models import ApiToken

pytestmark = pytest.mark.django_db
PASSWORD = "TinCay@2026"
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token/"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, HTTP_ACCEPT_LANGUAGE="en", **extra)


def _fail_until_limit(client, username, **extra):
    answers = [_login(client, username, "sai-mat-khau", **extra) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert all(a.status_code == 200 for a in answers[:-1]), "the form explains each failure before the limit"
    return answers[-1]


def test_login_page_locks_the_account_after_the_configured_failures(client):
    locked = _fail_until_limit(client, "daumoi")
    assert locked.status_code == 429
    text = locked.content.decode()
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert "too many failed attempts" in text
    assert f"Try again in {minutes} minutes" in text
    assert "An administrator can unlock it sooner" in text
    assert int(locked["Retry-After"]) > (minutes - 1) * 60


def test_right_password_is_refused_while_locked(client):
    _fail_until_limit(client, "daumoi")
    answer = _login(client, "daumoi", PASSWORD)
    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/profile/").status_code == 302  # still anonymous


def test_the_lock_is_per_account(client):
    _fail_until_limit(client, "daumoi")
    other = _login(client, "congchuc", PASSWORD)
    assert other.status_code == 302 and client.session["_auth_user_id"]


def test_a_success_before_the_limit_starts_the_count_again(client):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "daumoi", "sai")
    assert _login(client, "daumoi", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "daumoi", "sai").status_code == 200
    assert _login(client, "daumoi", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_locked_at_the_address_limit(client):
    names = [f"khong-ton-tai-{i}" for i in range(settings.TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT)]
    answers = [_login(client, name, "sai", REMOTE_ADDR="203.0.113.9") for name in names]
    assert [a.status_code for a in answers[:-1]] == [200] * (len(names) - 1)  # no account reached its own limit
    assert answers[-1].status_code == 429
    assert _login(client, "xem", PASSWORD, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert _login(client, "xem", PASSWORD, REMOTE_ADDR="198.51.100.4").status_code == 302  # another address


def test_token_endpoint_locks_after_the_configured_failures_and_answers_json():
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = api.post(TOKEN, {"username": "xem", "password": "sai"}, format="json")
        assert wrong.status_code == 400 and "wrong" in wrong.json()["detail"]
    locked = api.post(TOKEN, {"username": "xem", "password": "sai"}, format="json")
    assert locked.status_code == 429
    assert "An administrator can unlock it sooner" in locked.json()["detail"] and locked["Retry-After"]
    right = api.post(TOKEN, {"username": "xem", "password": PASSWORD}, format="json")
    assert right.status_code == 429 and "token" not in right.json()
    assert not ApiToken.objects.filter(user__username="xem").exists()


def test_failures_on_the_page_and_the_endpoint_add_up(client):
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "xem", "sai")
    assert api.post(TOKEN, {"username": "xem", "password": "sai"}, format="json").status_code == 429
    assert _login(client, "xem", PASSWORD).status_code == 429
