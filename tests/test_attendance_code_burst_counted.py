"""A burst of attendance codes sent at once by one person is counted in full: of 30 guesses arriving together, only
the limit's worth are looked up and the rest are refused, whether the web processes share Redis or one process
counts in local memory (the check and the count are one step, before the lookup)."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches
from django.db import connection, connections
from django.test import override_settings
from django.utils import translation

from tests.backing_services import burst, unique
from tincay.common.errors import InvalidInput
from tincay.rollout.services import preparation as services
from tincay.rollout.services.preparation import checks, training

pytestmark = pytest.mark.django_db
BURST = 30


@pytest.fixture(params=["redis", "local memory"])
def shared(request):
    if request.param == "local memory":
        caches["default"].clear()
        yield
        return
    redis = {
        "default": {
            "BACKEND": "tincay.common.cache.ResilientRedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
            "KEY_PREFIX": unique("attendance"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
        }
    }
    with override_settings(CACHES=redis):
        yield


@pytest.fixture
def thread_connections(monkeypatch):
    """Each guess runs in a thread with its own connection. SQLite's test database is one shared in-memory
    database in which this test's open transaction holds the write lock: the threads only read, so they begin
    their transactions deferred instead of taking the write lock."""
    if connection.vendor == "sqlite":
        options = connections.settings["default"]["OPTIONS"]
        monkeypatch.setitem(options, "transaction_mode", "DEFERRED")
        monkeypatch.setitem(options, "init_command", "PRAGMA foreign_keys=ON;")


def test_a_burst_of_guesses_cannot_pass_more_than_the_limit(shared, thread_connections, users, monkeypatch):
    together, real = threading.Barrier(BURST), training.normalise_code

    def arriving_together(raw):
        together.wait(timeout=30)  # every guess is in flight before any is counted
        return real(raw)

    monkeypatch.setattr(training, "normalise_code", arriving_together)
    guesses = [f"{a}{b}{c}XYZ" for a in "ABC" for b in "DEFG" for c in "HJK"][:BURST]  # none is a code of the day
    answers, lock = [], threading.Lock()

    def guess(code: str) -> None:
        try:
            with translation.override("en"):  # the language is each thread's own
                services.attendance_sign_in(actor=users["congchuc"], code=code)
        except InvalidInput as refused:
            with lock:
                answers.append(" ".join(refused.messages_for("code")))
        finally:
            connection.close()  # this thread's own connection

    burst(guess, [(code,) for code in guesses])
    looked_up = [a for a in answers if "not known" in a]
    refused = [a for a in answers if "Too many wrong codes" in a]
    assert (len(looked_up), len(refused)) == (checks.CODE_GUESS_LIMIT, BURST - checks.CODE_GUESS_LIMIT)
