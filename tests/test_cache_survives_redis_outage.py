"""Redis shared by every process holds the cache (rate-limit counts) and sessions' fast copy; while Redis is down
the cache answers as an empty one, sessions come from the database, and pages are still served. After a failure the
cache stops asking Redis for a few seconds, so a dead server costs one connection attempt per pause."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import override_settings

from loadtest.stack import free_port
from tests.backing_services import unique
from tincay.common import cache as resilient
from tincay.common.cache import ResilientRedisCache

pytestmark = pytest.mark.django_db


def _cache(location: str, prefix: str) -> ResilientRedisCache:
    return ResilientRedisCache(
        location, {"KEY_PREFIX": prefix, "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}}
    )


def test_two_processes_share_counts_through_redis(redis_url):
    prefix = unique("share")
    one, other = _cache(redis_url, prefix), _cache(redis_url, prefix)
    one.set("hits", [1, 2, 3], 60)
    assert other.get("hits") == [1, 2, 3]
    assert one.add("n", 0, 60) and other.incr("n") == 1 and one.incr("n") == 2
    other.delete("hits")
    assert one.get("hits", "gone") == "gone"


def test_a_dead_redis_reads_as_an_empty_cache_and_is_not_asked_again_at_once(monkeypatch):
    dead = _cache(f"redis://127.0.0.1:{free_port()}/0", "dead")
    assert dead.get("x", "default") == "default"
    assert dead.set("x", 1, 60) is None and dead.add("y", 1) is False and dead.incr("z") == 1
    assert dead.get_many(["x", "y"]) == {} and dead.has_key("x") is False
    assert not dead.available
    asked = []
    monkeypatch.setattr(RedisCache, "get", lambda *args, **kwargs: asked.append(args))
    assert dead.get("x", "still") == "still" and asked == []  # within the pause: not even a connection attempt
    monkeypatch.setattr(resilient.time, "monotonic", lambda: 10**9)  # the pause is over
    dead.get("x")
    assert len(asked) == 1


def test_pages_are_served_and_sessions_kept_while_redis_is_down(client_for, users):
    dead = {
        "default": {
            "BACKEND": "tincay.common.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(CACHES=dead, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"):
        from django.core.cache import caches

        caches["default"]  # built from the overridden settings
        client = client_for("lanhdao")  # logs in: the session is written to the database
        for url in ("/", "/accounts/profile/", "/surveys/", "/public/"):
            response = client.get(url)
            assert response.status_code == 200, url
        assert "lanhdao" in client.get("/accounts/profile/").content.decode()


def test_the_redis_client_is_made_once_per_pool_and_shared_by_threads(redis_url):
    cache = _cache(redis_url, unique("kept"))
    cache.set("k", "v", 60)
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client() is client  # one server: reads and writes share the pool, and its client

    def read(n: int) -> str:
        return cache.get("k")

    with ThreadPoolExecutor(8) as threads:
        assert set(threads.map(read, range(200))) == {"v"}
    assert cache._cache.get_client() is client
