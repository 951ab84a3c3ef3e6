"""Password reset requests are limited per address and per e-mail, and the answer never tells whether an account
has the e-mail: known and unknown addresses are counted and refused alike."""

import time
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"


@pytest.fixture
def known(users):
    return users["xem"].email


def _ask(client, email, address="192.0.2.10"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def test_requests_for_one_email_are_limited_whatever_the_address(client, known):
    limit = settings.TINCAY_PASSWORD_RESET_LIMIT
    answers = [_ask(client, known, address=f"192.0.2.{i}") for i in range(limit + 1)]
    assert [a.status_code for a in answers] == [302] * limit + [429]
    assert len(mail.outbox) == limit
    refused = answers[-1]
    text = " ".join(refused.context["form"].non_field_errors())
    assert "Too many password reset requests" in text and "Wait 60 minutes" in text
    assert int(refused["Retry-After"]) > 59 * 60


def test_requests_from_one_address_are_limited_whatever_the_email(client, known):
    limit = settings.TINCAY_PASSWORD_RESET_LIMIT
    answers = [_ask(client, f"nguoi{i}@example.vn") for i in range(limit)] + [_ask(client, known)]
    assert [a.status_code for a in answers] == [302] * limit + [429]
    assert not mail.outbox  # the known address was refused before any mail
    assert _ask(client, known, address="192.0.2.99").status_code == 302  # another address still may


def test_the_refusal_does_not_tell_whether_the_email_is_known(client, known):
    limit = settings.TINCAY_PASSWORD_RESET_LIMIT
    for i in range(limit):
        _ask(client, known, address=f"198.51.100.{i}")
        _ask(client, "khong-co@example.vn", address=f"198.51.100.{i}")
    known = _ask(client, known, address="198.51.100.200")
    unknown = _ask(client, "khong-co@example.vn", address="198.51.100.201")
    assert known.status_code == unknown.status_code == 429
    assert known.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


def test_the_limit_ends_with_the_window(client, known):
    limit = settings.TINCAY_PASSWORD_RESET_LIMIT
    for _ in range(limit):
        _ask(client, known)
    assert _ask(client, known).status_code == 429
    later = time.time() + settings.TINCAY_PASSWORD_RESET_WINDOW_MINUTES * 60 + 1
    with mock.patch("tincay.accounts.throttles.time.time", return_value=later):
        assert _ask(client, known).status_code == 302
