"""The services a scale-out deployment leans on, found or started for the tests: Redis, an S3-compatible object
store (moto's server mode, from the dev dependencies) and PostgreSQL.

Each is taken from the environment when ``.ci/run`` (or the developer) names it, else started privately where the
program is installed (``redis-server``, ``moto_server``), else the tests that need it are skipped with the reason;
with ``TINCAY_REQUIRE_SCALEOUT=1`` (``.ci/run``) a missing service fails them instead, so CI cannot pass by
skipping. Tests share one Redis and one object store: each names its own key prefix and bucket.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from loadtest.stack import answers, free_port, wait_for

REQUIRED = os.environ.get("TINCAY_REQUIRE_SCALEOUT") == "1"


def unavailable(reason: str) -> None:
    """Skip, or fail where CI requires the scale-out tests to run."""
    if REQUIRED:
        pytest.fail(f"TINCAY_REQUIRE_SCALEOUT=1 but {reason}")
    pytest.skip(reason)


def burst(work: Callable[..., object], calls: Iterable[tuple]) -> None:
    """Call ``work`` once for each argument tuple of ``calls``, each in a thread of its own, every thread started
    before any is waited for; back when all have ended (or after a minute's wait for each)."""
    threads = [threading.Thread(target=work, args=args) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.fixture
def tasks_redis_down() -> dict:
    """The TASKS setting of a Redis queue at an address where nothing answers (``override_settings(TASKS=...)``)."""
    return {
        "default": {
            "BACKEND": "django_tasks_redis.RedisTaskBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0", "REDIS_SOCKET_CONNECT_TIMEOUT": 1},
        }
    }


def unique(prefix: str) -> str:
    """A name of our own in a shared service (bucket names: lower case, digits and dashes)."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def _named(variable: str, default_port: int) -> str | None:
    """The service the environment names (checked to answer), or None."""
    named = os.environ.get(variable)
    if named:
        parsed = urlparse(named)
        if not answers(parsed.port or default_port, parsed.hostname or "127.0.0.1"):
            unavailable(f"{variable}={named} does not answer")
    return named or None


@contextlib.contextmanager
def _private(command: list[str], port: int) -> Iterator[None]:
    """Run a server of our own on ``port`` for as long as the block lasts."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port, process, seconds=30)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def redis_service() -> Iterator[str]:
    """``redis://host:port/db`` of a Redis the tests may use."""
    named = _named("TINCAY_TEST_REDIS_URL", 6379)
    if named:
        yield named
        return
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("no Redis: install redis-server or set TINCAY_TEST_REDIS_URL")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tincay-redis-") as folder:
        flags = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", folder]
        with _private([binary, *flags], port):
            yield f"redis://127.0.0.1:{port}/0"


@contextlib.contextmanager
def s3_service() -> Iterator[str]:
    """The endpoint URL of an S3-compatible server (moto) the tests may use."""
    named = _named("TINCAY_TEST_S3_ENDPOINT", 80)
    if named:
        yield named
        return
    try:
        import moto.server  # noqa: F401
    except ImportError:
        unavailable("moto's server mode is not installed (make install)")
    port = free_port()
    with _private([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], port):
        yield f"http://127.0.0.1:{port}"


S3_CREDENTIALS = {"TINCAY_S3_ACCESS_KEY_ID": "testing", "TINCAY_S3_SECRET_ACCESS_KEY": "testing"}


def s3_bucket(endpoint: str, name: str) -> None:
    """Create the bucket ``name`` on the server."""
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=name)


def s3_storage_options(endpoint: str, bucket: str) -> dict:
    """The STORAGES["default"] the settings build from TINCAY_S3_* for this server and bucket."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "testing",
            "secret_key": "testing",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": "path",
        },
    }


def postgres_admin_url() -> str:
    """A PostgreSQL URL with the right to create databases (TINCAY_TEST_PG_URL, else the local server)."""
    url = os.environ.get("TINCAY_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    parsed = urlparse(url)
    if not answers(parsed.port or 5432, parsed.hostname or "127.0.0.1"):
        unavailable(f"no PostgreSQL at {parsed.hostname}:{parsed.port or 5432} (set TINCAY_TEST_PG_URL)")
    return url


def venv_bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)
