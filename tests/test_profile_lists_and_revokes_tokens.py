"""The profile page lists a person's API tokens (name, beginning of the key, dates, state) and revokes them.

Several named tokens per person; a new token with the name of a live one replaces it; only the owner revokes."""

import pytest
from rest_framework.test import APIClient

from tincay.accounts.models import ApiToken
from tincay.accounts.tokens import MAX_ACTIVE_PER_PERSON, api_token_issue, api_token_revoke
from tincay.audit.models import AuditEvent
from tincay.common.errors import Refused

pytestmark = pytest.mark.django_db


def _api(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_several_named_tokens_are_listed(client_for):
    client = client_for("daumoi")
    keys = {name: client.post("/accounts/profile/", {"name": name}).context["new_key"] for name in ("Báo cáo", "Excel")}
    page = client.get("/accounts/profile/")
    listed = page.context["tokens"]
    assert sorted(t.name for t in listed) == ["Báo cáo", "Excel"]
    text = page.content.decode()
    for token in listed:
        assert token.prefix in text and token.state() == "active"
        assert keys[token.name].startswith(token.prefix)
    assert all(_api(key).get("/api/v1/units/11413/").status_code == 200 for key in keys.values())
    assert AuditEvent.objects.filter(action="accounts.api_token_issued", actor__username="daumoi").count() == 2


def test_owner_revokes_one_token_and_the_other_keeps_working(client_for, users):
    first = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Báo cáo")
    second = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Excel")
    client = client_for("daumoi")
    answer = client.post(f"/accounts/tokens/{first.token.pk}/revoke/", follow=True)
    assert answer.status_code == 200
    states = {t.name: (t.state(), t.revoked_reason) for t in answer.context["tokens"]}
    assert states == {"Báo cáo": ("revoked", "owner"), "Excel": ("active", "")}
    assert _api(first.key).get("/api/v1/units/11413/").status_code in (401, 403)
    assert _api(second.key).get("/api/v1/units/11413/").status_code == 200
    event = AuditEvent.objects.filter(action="accounts.api_token_revoked").latest("id")
    assert event.actor.username == "daumoi" and event.object_id == str(first.token.pk)


def test_nobody_else_revokes_a_token(client_for, users):
    token = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Báo cáo")
    for persona in ("quantri", "congchuc"):
        assert client_for(persona).post(f"/accounts/tokens/{token.token.pk}/revoke/").status_code == 404
        with pytest.raises(Refused):
            api_token_revoke(actor=users[persona], token=token.token)
    assert client_for(None).post(f"/accounts/tokens/{token.token.pk}/revoke/").status_code == 302
    assert ApiToken.objects.get(pk=token.token.pk).state() == "active"


def test_nobody_issues_a_token_for_someone_else(users):
    with pytest.raises(Refused):
        api_token_issue(actor=users["quantri"], user=users["daumoi"], name="Hộ")
    assert not ApiToken.objects.exists()


def test_a_new_token_with_a_live_name_replaces_it(client_for, users):
    old = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Báo cáo")
    client = client_for("daumoi")
    client.post("/accounts/profile/", {"name": "  Báo cáo  "})
    states = sorted((t.name, t.state(), t.revoked_reason) for t in ApiToken.objects.filter(user=users["daumoi"]))
    assert states == [("Báo cáo", "active", ""), ("Báo cáo", "revoked", "replaced")]
    assert _api(old.key).get("/api/v1/units/11413/").status_code in (401, 403)


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_bad_names_are_explained_and_nothing_is_stored(client_for, name):
    client = client_for("daumoi")
    page = client.post("/accounts/profile/", {"name": name}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and page.context["token_form"].errors["name"]
    assert not page.context["new_key"]
    assert not ApiToken.objects.exists()
    assert client.get("/accounts/profile/").status_code == 200


def test_too_many_live_tokens_are_refused_with_a_way_out(client_for, users):
    for i in range(MAX_ACTIVE_PER_PERSON):
        api_token_issue(actor=users["daumoi"], user=users["daumoi"], name=f"T{i}")
    page = client_for("daumoi").post("/accounts/profile/", {"name": "Một nữa"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and "Revoke one" in " ".join(page.context["token_form"].errors["name"])
    assert ApiToken.objects.filter(user=users["daumoi"]).count() == MAX_ACTIVE_PER_PERSON


def test_revoking_twice_changes_nothing(client_for, users):
    token = api_token_issue(actor=users["daumoi"], user=users["daumoi"], name="Báo cáo").token
    api_token_revoke(actor=users["daumoi"], token=token)
    api_token_revoke(actor=users["daumoi"], token=token)
    assert AuditEvent.objects.filter(action="accounts.api_token_revoked").count() == 1
