"""API tokens are stored hashed: the database holds the key's SHA-256 and its first characters, never the key."""

import hashlib

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tincay.accounts.models import ApiToken
from tincay.accounts.tokens import SHOWN_CHARS
from tincay.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _every_stored_text(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 -- a fixed table name
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_token_endpoint_stores_only_a_hash_and_a_prefix():
    api = APIClient()
    body = api.post("/api/v1/auth/token/", {"username": "xem", "password": "TinCay@2026", "name": "Báo cáo"}).json()
    key = body["token"]
    token = ApiToken.objects.get(user__username="xem")
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:SHOWN_CHARS] == body["prefix"] and len(key) > 40
    assert key not in _every_stored_text(ApiToken._meta.db_table)
    assert key not in _every_stored_text(AuditEvent._meta.db_table)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/units/31/").status_code == 200


def test_profile_page_shows_the_key_once_and_stores_only_its_hash(client_for):
    client = client_for("daumoi")
    created = client.post("/accounts/profile/", {"name": "Tích hợp"})
    key = created.context["new_key"]
    assert key in created.content.decode() and created["Cache-Control"] == "no-store"
    assert key not in client.get("/accounts/profile/").content.decode()
    assert key not in _every_stored_text(ApiToken._meta.db_table)
    assert ApiToken.objects.get(user__username="daumoi").key_hash == hashlib.sha256(key.encode()).hexdigest()


def test_a_key_that_only_matches_the_prefix_is_refused():
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    key = api.post("/api/v1/auth/token/", {"username": "xem", "password": "TinCay@2026"}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key[:SHOWN_CHARS]}{'A' * (len(key) - SHOWN_CHARS)}")
    refused = api.get("/api/v1/units/31/")
    assert refused.status_code in (401, 403) and "not valid" in refused.json()["detail"]


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token \u00e9\u00e9", "Token " + "x" * 43],
)
def test_malformed_or_unknown_keys_are_refused_with_a_message(header):
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=header.encode().decode("latin-1"))
    refused = api.get("/api/v1/units/31/")
    assert refused.status_code in (401, 403)
    assert "Token" in refused.json()["detail"] or "not valid" in refused.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"username": "xem"},
        {"password": "TinCay@2026"},
        {"username": "xem", "password": "TinCay@2026", "name": ""},
        {"username": "xem", "password": "TinCay@2026", "name": "x" * 101},
        {"username": "xem", "password": "TinCay@2026", "name": ["a"]},
        {"username": "xem", "password": "TinCay@2026", "scope": "admin"},
        ["xem", "TinCay@2026"],
        None,
    ],
)
def test_token_endpoint_refuses_bad_input_with_400_and_stores_nothing(body):
    answer = APIClient(HTTP_ACCEPT_LANGUAGE="en").post("/api/v1/auth/token/", body, format="json")
    assert answer.status_code == 400 and answer.json()  # each problem named (field → messages)
    assert not ApiToken.objects.exists()
