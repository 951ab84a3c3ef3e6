"""Rate limits are checked and counted in one step, in Redis when the processes share it: a burst of simultaneous
requests is counted in full (exactly the limit gets through), several keys are counted together or not at all, the
wait is until the oldest counted request leaves the window, and a Redis outage lets requests through instead of
refusing everyone."""

from __future__ import annotations

import threading

import pytest
from django.core.cache import caches
from django.test import override_settings

from loadtest.stack import free_port
from tests.backing_services import burst, unique
from tincay.common.ratelimit import hit


def _redis(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "tincay.common.cache.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": unique("rl"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 2},
        }
    }


@pytest.fixture(params=["redis", "local memory"])
def shared(request):
    if request.param == "local memory":
        caches["default"].clear()
        yield
        return
    with override_settings(CACHES=_redis(request.getfixturevalue("redis_url"))):
        yield


def test_a_burst_of_simultaneous_requests_is_counted_in_full(shared):
    allowed, start = [], threading.Barrier(8)

    def flood() -> None:
        start.wait(timeout=30)
        for _ in range(10):
            if hit(["burst"], limit=25, window=60) is None:
                allowed.append(1)

    burst(flood, [()] * 8)
    assert len(allowed) == 25  # 80 tries from 8 threads at once: exactly the limit


def test_keys_are_counted_together_and_the_wait_runs_from_the_oldest_hit(shared):
    now = 1_800_000_000.0
    assert hit(["address:a", "email:x"], limit=2, window=600, now=now) is None
    assert hit(["address:a", "email:y"], limit=2, window=600, now=now + 10) is None
    # address a is full: refused, and email z is not counted either
    assert hit(["address:a", "email:z"], limit=2, window=600, now=now + 20) == 580
    assert hit(["address:b", "email:z"], limit=2, window=600, now=now + 30) is None
    assert hit(["address:b", "email:z"], limit=2, window=600, now=now + 40) is None
    assert hit(["address:c", "email:z"], limit=2, window=600, now=now + 50) == 580
    assert hit(["address:a", "email:q"], limit=2, window=600, now=now + 601) is None  # the first hit left


def test_a_redis_outage_lets_requests_through():
    with override_settings(CACHES=_redis(f"redis://127.0.0.1:{free_port()}/0")):
        assert all(hit(["down"], limit=1, window=60) is None for _ in range(3))
