"""Log in, log out, change and reset a password (e-mail to the console in development), API token.

Logging in goes through the login page: django-axes needs the request (``Client.login`` has none)."""

import re

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db


def _logs_in(client, username: str, password: str) -> bool:
    page = client.post("/accounts/login/", {"username": username, "password": password}, follow=True)
    return page.context["user"].username == username


def test_login_and_logout(client):
    page = client.post("/accounts/login/", {"username": "daumoi", "password": "TinCay@2026"}, follow=True)
    assert page.context["user"].username == "daumoi"
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_wrong_password_is_explained_and_username_kept(client):
    page = client.post("/accounts/login/", {"username": "daumoi", "password": "sai"})
    assert page.status_code == 200 and page.context["form"].non_field_errors()
    assert 'value="daumoi"' in page.content.decode()


def test_password_change(client_for):
    client = client_for("congchuc")
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": "TinCay@2026",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert _logs_in(client, "congchuc", "Mot-mat-khau-moi-2026")


def test_password_reset_by_email(client):
    client.post("/accounts/password/reset/", {"email": "xem@demo.local"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {
            "new_password1": "Dat-lai-mat-khau-2026",
            "new_password2": "Dat-lai-mat-khau-2026",
        },
    )
    assert response.status_code == 302
    assert _logs_in(client, "xem", "Dat-lai-mat-khau-2026")


def test_profile_issues_an_api_token(client_for):
    client = client_for("xem")
    created = client.post("/accounts/profile/", {"name": "Báo cáo tỉnh"})
    assert created.context["new_key"].startswith("tc_")
    page = client.get("/accounts/profile/")
    assert [t.name for t in page.context["tokens"]] == ["Báo cáo tỉnh"]
