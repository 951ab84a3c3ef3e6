"""An administrator unlocks a locked account or address before the window ends; the unlock is audited.

Nobody else may: the page answers 403 and the service refuses a coordinator."""

import pytest
from django.conf import settings

from tincay.accounts.lockout import lockout_reset
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused

pytestmark = pytest.mark.django_db
PASSWORD = "TinCay@2026"


def _lock(client, username, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        last = client.post("/accounts/login/", {"username": username, "password": "sai"}, **extra)
    assert last.status_code == 429


def test_admin_sees_the_locked_account_and_unlocks_it(client, client_for):
    _lock(client, "daumoi")
    admin = client_for("quantri")
    page = admin.get("/accounts/lockouts/")
    assert page.status_code == 200
    assert [(lock.kind, lock.value) for lock in page.context["lockouts"]] == [("username", "daumoi")]
    answer = admin.post("/accounts/lockouts/", {"username": "daumoi"}, follow=True)
    assert answer.status_code == 200 and not answer.context["lockouts"]
    event = AuditEvent.objects.filter(action="accounts.lockout_reset").latest("id")
    assert event.actor.username == "quantri" and event.object_repr == "daumoi"
    assert client.post("/accounts/login/", {"username": "daumoi", "password": PASSWORD}).status_code == 302


def test_admin_unlocks_an_address(client, client_for):
    for i in range(settings.TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": f"ai-do-{i}", "password": "sai"}, REMOTE_ADDR="203.0.113.50")
    admin = client_for("quantri")
    assert ("address", "203.0.113.50") in [
        (lk.kind, lk.value) for lk in admin.get("/accounts/lockouts/").context["lockouts"]
    ]
    admin.post("/accounts/lockouts/", {"address": "203.0.113.50"})
    answer = client.post("/accounts/login/", {"username": "xem", "password": PASSWORD}, REMOTE_ADDR="203.0.113.50")
    assert answer.status_code == 302


@pytest.mark.parametrize("persona", ["dieuphoi", "daumoi", "xem"])
def test_nobody_but_an_admin_may_unlock(client, client_for, users, persona):
    _lock(client, "congchuc")
    other = client_for(persona)
    assert other.get("/accounts/lockouts/").status_code == 403
    assert other.post("/accounts/lockouts/", {"username": "congchuc"}).status_code == 403
    with pytest.raises(Refused):
        lockout_reset(actor=users[persona], username="congchuc")
    assert client.post("/accounts/login/", {"username": "congchuc", "password": PASSWORD}).status_code == 429
    assert not AuditEvent.objects.filter(action="accounts.lockout_reset").exists()


def test_anonymous_is_sent_to_log_in(client):
    assert client.get("/accounts/lockouts/").status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "   "},
        {"username": "daumoi", "address": "10.0.0.1"},
        {"address": "not-an-address"},
        {"address": "999.1.1.1"},
        {"username": "x" * 151},
    ],
)
def test_bad_unlock_requests_are_explained_and_change_nothing(client, client_for, users, data):
    _lock(client, "daumoi")
    admin = client_for("quantri")
    page = admin.post("/accounts/lockouts/", data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert [str(m) for m in page.context["messages"]], "the refusal is explained"
    assert [lk.value for lk in page.context["lockouts"]] == ["daumoi"]
    with pytest.raises(InvalidInput):
        lockout_reset(actor=users["quantri"], **data)
    assert not AuditEvent.objects.filter(action="accounts.lockout_reset").exists()


def test_unlocking_an_account_that_is_not_locked_says_so(client_for):
    page = client_for("quantri").post(
        "/accounts/lockouts/", {"username": "xem"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "was not locked" in " ".join(str(m) for m in page.context["messages"])


def test_a_server_command_may_unlock(client):  # e.g. manage.py unlock_login
    _lock(client, "daumoi")
    assert lockout_reset(actor="axes_reset_username", username="daumoi") >= 1
    assert client.post("/accounts/login/", {"username": "daumoi", "password": PASSWORD}).status_code == 302


def test_the_unlock_command_goes_through_the_audited_service(client):
    from io import StringIO

    from django.core.management import CommandError, call_command

    _lock(client, "daumoi")
    out = StringIO()
    call_command("unlock_login", "--list", "--username", "daumoi", stdout=out)
    assert "username\tdaumoi" in out.getvalue() and "unlocked" in out.getvalue()
    assert AuditEvent.objects.filter(action="accounts.lockout_reset", actor_label="unlock_login").exists()
    assert client.post("/accounts/login/", {"username": "daumoi", "password": PASSWORD}).status_code == 302
    with pytest.raises(CommandError):
        call_command("unlock_login", "--address", "not-an-address", stdout=StringIO())
