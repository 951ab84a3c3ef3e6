"""Sliding-window rate limits that hold across processes: exact, and atomic under concurrent requests.

Reading a count from the cache and writing it back is a race: ten requests of one flood arriving together read
the same count and each writes it plus one, so the flood is counted as one. :func:`hit` checks and counts in one
step: with Redis (``REDIS_URL``: every web process shares the counts) in one Lua script over a sorted set of
timestamps per key; with the local-memory cache (one process) under a lock. Several keys are checked together
(a password reset is limited per address and per e-mail): the hit is counted in all of them or in none.

While Redis is down the limits are not enforced (the request is let through and the outage is logged by the
cache); refusing everyone would turn a cache outage into a site outage.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Sequence

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

PREFIX = "rl:"  # a key space of its own: no clash with what an older version stored under the same names
_LOCK = threading.Lock()

# KEYS: the limited keys. ARGV: now, window (seconds), limit, a unique member. Returns -1 when counted, else the
# seconds to wait: until the oldest hit that keeps the fullest key at its limit leaves the window.
_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = -1
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local oldest = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local left = tonumber(oldest[2]) + window - now
    if left > wait then wait = left end
  end
end
if wait >= 0 then return tostring(wait) end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('EXPIRE', key, math.ceil(window))
end
return '-1'
"""


def hit(keys: Sequence[str], *, limit: int, window: float, now: float | None = None) -> int | None:
    """Count one request against every key, unless one of them already holds ``limit`` requests within the last
    ``window`` seconds: then nothing is counted and the seconds to wait are returned (at least 1)."""
    limit = max(int(limit), 1)
    now = time.time() if now is None else now
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        wait = _redis_hit(cache, keys, limit, window, now)
    else:
        wait = _local_hit(cache, keys, limit, window, now)
    return None if wait is None else max(1, math.ceil(wait))


def _redis_hit(cache: RedisCache, keys: Sequence[str], limit: int, window: float, now: float) -> float | None:
    names = [cache.make_and_validate_key(PREFIX + key) for key in keys]

    def run() -> float | None:
        client = cache._cache.get_client(names[0], write=True)
        answer = client.eval(_SCRIPT, len(names), *names, repr(now), repr(float(window)), limit, uuid.uuid4().hex)
        wait = float(answer)
        return None if wait < 0 else wait

    guard = getattr(cache, "_guard", None)  # ResilientRedisCache: an outage lets the request through
    return guard(run, None) if guard is not None else run()


def _local_hit(cache, keys: Sequence[str], limit: int, window: float, now: float) -> float | None:
    with _LOCK:
        histories = {key: [t for t in cache.get(PREFIX + key, []) if t > now - window] for key in keys}
        waits = [history[-limit] + window - now for history in histories.values() if len(history) >= limit]
        if waits:
            return max(waits)
        for key, history in histories.items():
            cache.set(PREFIX + key, [*history, now][-limit:], math.ceil(window))
        return None
