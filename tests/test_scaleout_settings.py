"""Production runs several processes: it refuses SQLite and local-memory counts unless it is told it is one process
(and then gunicorn refuses a second worker); Redis, the Redis job queue and object storage come from the
environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from loadtest.stack import free_port
from tests.backing_services import venv_bin

BASE = {
    "TINCAY_ENV": "production",
    "TINCAY_SECRET_KEY": "k" * 60,
    "TINCAY_ALLOWED_HOSTS": "x.gov.vn",
    "TINCAY_AUDIT_KEYS": "k2026:" + "s" * 43,
}
PG = "postgresql://postgres@127.0.0.1:5432/tincay"
REDIS = "redis://127.0.0.1:6379/0"

SHOW = """
import json
from tincay.config import settings as s
print(json.dumps({
    "db": s.DATABASES["default"]["ENGINE"], "cache": s.CACHES["default"]["BACKEND"],
    "sessions": getattr(s, "SESSION_ENGINE", "db"), "tasks": s.TASKS["default"]["BACKEND"],
    "task_options": s.TASKS["default"].get("OPTIONS", {}), "files": s.STORAGES["default"],
    "static": s.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _settings(code: str = "import tincay.config.settings", **env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("TINCAY_") and k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_production_refuses_sqlite_unless_it_is_one_process():
    refused = _settings(**BASE, REDIS_URL=REDIS)
    assert refused.returncode != 0
    assert "DATABASE_URL must name PostgreSQL" in refused.stderr and "TINCAY_SINGLE_PROCESS=1" in refused.stderr
    assert _settings(**BASE, TINCAY_SINGLE_PROCESS="1").returncode == 0


def test_production_refuses_local_memory_counts_unless_it_is_one_process():
    refused = _settings(**BASE, DATABASE_URL=PG)
    assert refused.returncode != 0 and "REDIS_URL is required" in refused.stderr
    assert _settings(**BASE, DATABASE_URL=PG, TINCAY_SINGLE_PROCESS="1").returncode == 0


def test_scale_out_shares_cache_sessions_queue_and_files():
    shown = _settings(
        SHOW,
        **BASE,
        DATABASE_URL=PG,
        REDIS_URL=REDIS,
        TINCAY_TASKS_BACKEND="redis",
        TINCAY_S3_BUCKET="tincay-files",
        TINCAY_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        TINCAY_S3_PREFIX="/haiphong/",
    )
    assert shown.returncode == 0, shown.stderr
    found = json.loads(shown.stdout)
    assert found["db"] == "tincay.common.postgresql"  # Django's, its health check without a round trip
    assert found["cache"] == "tincay.common.cache.ResilientRedisCache"
    assert found["sessions"] == "django.contrib.sessions.backends.cached_db"  # in the database, read through Redis
    assert found["tasks"] == "django_tasks_redis.RedisTaskBackend"
    assert found["task_options"]["REDIS_URL"] == REDIS and found["task_options"]["REDIS_CLAIM_TIMEOUT"] > 120
    assert found["files"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["files"]["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["location"]) == (
        "tincay-files",
        "http://127.0.0.1:9000",
        "haiphong",
    )
    assert options["file_overwrite"] is False and options["default_acl"] is None
    assert found["static"] == "tincay.common.staticfiles.ManifestStorage"


def test_the_redis_queue_needs_redis():
    refused = _settings(TINCAY_TASKS_BACKEND="redis")
    assert refused.returncode != 0 and "TINCAY_TASKS_BACKEND=redis needs REDIS_URL" in refused.stderr
    assert "must be one of database, redis, immediate" in _settings(TINCAY_TASKS_BACKEND="rq").stderr


def test_gunicorn_refuses_a_second_worker_when_production_promised_one_process(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("TINCAY_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        BASE,
        TINCAY_SINGLE_PROCESS="1",
        TINCAY_DATA_DIR=str(tmp_path),
        TINCAY_WEB_WORKERS="2",
        TINCAY_BIND=f"127.0.0.1:{free_port()}",
    )
    result = subprocess.run(
        [venv_bin("gunicorn"), "-c", "tincay/config/gunicorn.py", "tincay.config.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "TINCAY_SINGLE_PROCESS=1 promises one process" in result.stderr
    assert "gunicorn was asked for 2 workers" in result.stderr


def test_gunicorn_freezes_the_loaded_application_before_forking_its_workers():
    import gc

    from tincay.config import gunicorn

    before = gc.get_freeze_count()
    try:
        gunicorn.when_ready(None)
        assert gc.get_freeze_count() > before  # the master's objects are out of every worker's collections
    finally:
        gc.unfreeze()
