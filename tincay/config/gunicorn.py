"""gunicorn's settings for TinCậy (``gunicorn -c tincay/config/gunicorn.py tincay.config.wsgi``).

Read from the environment, like the application's own settings:

- ``TINCAY_BIND`` (default ``127.0.0.1:8001``): where to listen; the reverse proxy forwards to it.
- ``TINCAY_WEB_WORKERS`` (default: four per core): processes. Each handles ``TINCAY_WEB_THREADS`` requests at once
  (default 2, gthread workers: a request waiting on the database does not hold up the process). More processes with
  fewer threads, because a page is mostly Python: threads of one process take turns on its interpreter lock, and a
  save waiting for its turn holds the audit trail's append lock meanwhile (the load run measured deadline-day saves
  at p95 74 ms with 4 × 4 on 2 cores, 49 ms with 8 × 2; the same database connections: one per thread).
- ``TINCAY_WEB_TIMEOUT`` (default 60 s): a request running longer is stopped and its worker replaced.
- ``TINCAY_WEB_KEEPALIVE`` (default 75 s): how long an idle connection is kept open. Longer than the proxy's or load
  balancer's idle timeout (nginx 60 s, most balancers 60 s), so the proxy closes first: a connection gunicorn
  closes while the proxy sends a request on it fails that request (the load test saw it with 5 s).

The master loads the application's settings before forking, so a configuration the application refuses (a missing
secret key, SQLite or local-memory counts in a several-process production) stops gunicorn once with that message,
instead of every worker failing in a loop. With ``TINCAY_SINGLE_PROCESS=1`` more than one worker is refused: that
promise is what lets production run on SQLite and local memory.
"""

from __future__ import annotations

import gc
import os

from tincay.common.env import ImproperlyConfiguredEnv, env_int, env_str

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")


def _positive(name: str, default: int) -> int:
    value = env_int(name, default)
    if value < 1:
        raise ImproperlyConfiguredEnv(f"{name} must be a whole number of at least 1, got {value}")
    return value


bind = env_str("TINCAY_BIND", "127.0.0.1:8001")
workers = _positive("TINCAY_WEB_WORKERS", 4 * (os.cpu_count() or 1))
threads = _positive("TINCAY_WEB_THREADS", 2)
worker_class = "gthread"
timeout = _positive("TINCAY_WEB_TIMEOUT", 60)
graceful_timeout = 30
keepalive = _positive("TINCAY_WEB_KEEPALIVE", 75)
max_requests = 5000  # a worker is replaced now and then, so slow leaks never grow
max_requests_jitter = 500
# The application is loaded once, in the master, and every worker is a fork of it: a worker replaced (above, or
# after a crash) serves at once, instead of spending seconds of a busy core on imports while its siblings wait (the
# load run saw seven workers replaced within 30 s cut page reads by half). So a release needs a restart: HUP
# replaces the workers with the code already loaded. Nothing opens a connection before the fork (Django, psycopg
# and redis-py connect on first use, in the worker).
preload_app = True
accesslog = env_str("TINCAY_ACCESS_LOG") or None
errorlog = "-"
# the proxy in front sets X-Forwarded-Proto; Django trusts it (SECURE_PROXY_SSL_HEADER), gunicorn needs to as well
forwarded_allow_ips = env_str("TINCAY_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def on_starting(server) -> None:
    """Load the application's settings in the master: a refused configuration stops gunicorn here, once."""
    from django.conf import settings

    single = settings.TINCAY_SINGLE_PROCESS
    if single and server.cfg.workers > 1:
        raise ImproperlyConfiguredEnv(
            f"TINCAY_SINGLE_PROCESS=1 promises one process, but gunicorn was asked for {server.cfg.workers} workers: "
            "set TINCAY_WEB_WORKERS=1 (and raise TINCAY_WEB_THREADS), or use PostgreSQL and REDIS_URL to scale out"
        )


def when_ready(server) -> None:
    """The application is loaded and the workers are about to be forked: its objects (modules, settings, URL
    patterns, templates) are put out of the garbage collector's reach. Every full collection in a worker walked
    them all: some 3 ms of a drawn page, measured in-process, against 0.5 ms once frozen; and the collector no longer
    writes into the memory the workers share with the master."""
    gc.collect()
    gc.freeze()
