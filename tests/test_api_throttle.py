"""The API limits requests per person, per anonymous address and, on the token endpoint, per address; past the
limit it answers 429 with a message in the reader's language and Retry-After. The rates come from the environment."""

import pytest
from rest_framework.test import APIClient

from tincay.accounts import throttles

pytestmark = pytest.mark.django_db


def test_a_person_past_the_rate_gets_429(users, monkeypatch):
    monkeypatch.setattr(throttles.UserThrottle, "rate", raising=False, value="3/min")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(users["xem"])
    assert [api.get("/api/v1/units/31/").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/api/v1/units/31/")
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Too many requests. Wait ") and int(refused["Retry-After"]) >= 1
    other = APIClient()
    other.force_authenticate(users["dieuphoi"])
    assert other.get("/api/v1/units/31/").status_code == 200  # counted per person


def test_the_message_is_translated(users, monkeypatch):
    monkeypatch.setattr(throttles.UserThrottle, "rate", raising=False, value="1/min")
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(users["xem"])
    api.get("/api/v1/units/31/")
    english = api.get("/api/v1/units/31/").json()["detail"]
    vietnamese = api.get("/api/v1/units/31/", HTTP_ACCEPT_LANGUAGE="vi").json()["detail"]
    assert "Request was throttled" not in english  # DRF's own message has no Vietnamese
    assert english.startswith("Too many requests")
    assert vietnamese  # the Vietnamese text comes from the catalogue (tests/test_i18n.py checks it is complete)


def test_anonymous_requests_are_limited_per_address(monkeypatch):
    monkeypatch.setattr(throttles.AnonThrottle, "rate", raising=False, value="2/min")
    api = APIClient()
    codes = [api.get("/api/schema/", REMOTE_ADDR="192.0.2.1").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert api.get("/api/schema/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_token_endpoint_has_its_own_rate(monkeypatch):
    monkeypatch.setitem(throttles.TokenEndpointThrottle.THROTTLE_RATES, "token", "2/min")  # read per request
    api = APIClient()
    body = {"username": "xem", "password": "TinCay@2026"}
    codes = [api.post("/api/v1/auth/token/", body, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
