"""A Redis cache that a Redis outage cannot take the site down with.

Django's ``RedisCache`` raises when Redis does not answer, so every page that touches the cache (sessions, rate
limits) would answer 500 while Redis restarts. :class:`ResilientRedisCache` answers as an empty cache instead:
reads miss, writes are dropped, counters start again; sessions fall back to their database copy
(``cached_db``). After a failure it stops asking Redis for ``RETRY_AFTER`` seconds, so a dead server costs one
connection timeout per process and pause, not one per request; then it tries again by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("tincay.cache")

RETRY_AFTER = 5.0  # seconds without asking Redis after a failure


class KeptClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per connection pool. Django makes a new one for every call,
    and redis-py builds its table of some 170 reply callbacks each time: about a third of a session read. A
    ``redis.Redis`` is safe to share between threads (its pool hands each command a connection)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    """``RedisCache`` whose connection failures read as misses and lost writes (logged once per pause)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptClient
        self._down_until = 0.0

    @property
    def available(self) -> bool:
        """False while the pause after a failure lasts."""
        return time.monotonic() >= self._down_until

    def _guard(self, call: Callable[[], Any], fallback: Any) -> Any:
        if not self.available:
            return fallback
        import redis

        try:
            return call()
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as error:
            self._down_until = time.monotonic() + RETRY_AFTER
            logger.warning("Redis cache unavailable (%s); answering as an empty cache for %.0f s", error, RETRY_AFTER)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(ResilientRedisCache, self).add(key, value, version=version, timeout=timeout), False
        )

    def get(self, key, default=None, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get(key, default, version=version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            lambda: super(ResilientRedisCache, self).set(key, value, version=version, timeout=timeout), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).touch(key, version=version, timeout=timeout), False)

    def delete(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete(key, version=version), False)

    def get_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).get_many(keys, version=version), {})

    def has_key(self, key, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).has_key(key, version=version), False)

    def incr(self, key, delta=1, version=None):
        # a counter that cannot be read starts again: the caller sees the first hit of a new window
        return self._guard(lambda: super(ResilientRedisCache, self).incr(key, delta, version=version), delta)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data))

    def delete_many(self, keys, version=None):
        return self._guard(lambda: super(ResilientRedisCache, self).delete_many(keys, version=version), None)

    def clear(self):
        return self._guard(lambda: super(ResilientRedisCache, self).clear(), False)
