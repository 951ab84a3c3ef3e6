"""An account created without a password (the people page, or a people import) sets its first password through
"Forgot password"; an inactive account still gets no mail."""

import re

import pytest
from django.core import mail

from tincay.orgunits.models import AdminUnit
from tincay.orgunits.services import person_create

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"


def test_a_new_account_without_a_password_sets_its_first_one(client, users):
    person, _membership = person_create(
        actor=users["dieuphoi"],
        username="moi.den",
        role="focal_point",
        unit=AdminUnit.objects.get(key="11413"),
        email="moi.den@haiphong.gov.vn",
    )
    assert not person.has_usable_password()
    assert client.post(RESET, {"email": "Moi.Den@haiphong.gov.vn"}, REMOTE_ADDR="192.0.2.20").status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["moi.den@haiphong.gov.vn"]
    link = re.search(r"/accounts/password/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    new = {"new_password1": "Mat-khau-dau-tien-2026", "new_password2": "Mat-khau-dau-tien-2026"}
    assert client.post(form.redirect_chain[-1][0], new).status_code == 302
    person.refresh_from_db()
    assert person.check_password("Mat-khau-dau-tien-2026")


def test_an_inactive_account_gets_no_mail(client, users):
    users["xem"].is_active = False
    users["xem"].save()
    assert client.post(RESET, {"email": users["xem"].email}, REMOTE_ADDR="192.0.2.21").status_code == 302
    assert not mail.outbox
