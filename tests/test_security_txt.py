"""``/.well-known/security.txt`` (RFC 9116) names where to report a vulnerability, in Vietnamese or English, and
expires within a year; with no contact configured it is not served and ``check --deploy`` says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client


def test_the_file_names_the_contacts_languages_and_expiry(settings):
    settings.TINCAY_SECURITY_CONTACT = ["mailto:security@haiphong.gov.vn", "https://haiphong.gov.vn/bao-mat"]
    response = Client().get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["Contact: mailto:security@haiphong.gov.vn", "Contact: https://haiphong.gov.vn/bao-mat"]
    assert "Preferred-Languages: vi, en" in lines
    assert "Canonical: http://testserver/.well-known/security.txt" in lines
    expires = dt.datetime.strptime(lines[2].removeprefix("Expires: "), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    assert dt.timedelta(days=360) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=365)


def test_without_a_contact_it_is_not_served_and_the_deploy_check_warns(settings):
    settings.TINCAY_SECURITY_CONTACT = []
    assert Client().get("/.well-known/security.txt").status_code == 404
    with pytest.raises(SystemCheckError, match=r"tincay\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
