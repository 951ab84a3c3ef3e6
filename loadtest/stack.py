"""The production stack on this machine for the load and fault runs: PostgreSQL (the local server, a database of
the run's own), a private Redis (cache, sessions, job queue), gunicorn with the production settings started by the
Procfile's ``web`` command, and ``manage.py worker`` processes. Files go to a local folder, or to an S3-compatible
server (moto) reached through ``Cut``, a TCP relay that the fault run can cut like a broken link.

The database ``tincay_load`` is made once (migrate, the demo's framework and units, ``seed_load``) and kept between
runs; ``--fresh`` drops it first. Each run writes new sessions and tokens into it.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import selectors
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("TINCAY_LOAD_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = os.environ.get("TINCAY_LOAD_DATABASE", "tincay_load")
SESSION_COOKIE, CSRF_COOKIE = "__Host-tincay-session", "__Host-tincay-csrf"  # production's names (HTTPS only)


def cookie(person: dict) -> str:
    """The ``Cookie`` header of a person of the plan (``manage.py seed_load``): signed in, with a CSRF cookie."""
    return f"{SESSION_COOKIE}={person['session']}; {CSRF_COOKIE}={person['csrf']}"


S3 = {"TINCAY_S3_ACCESS_KEY_ID": "testing", "TINCAY_S3_SECRET_ACCESS_KEY": "testing"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """Whether something accepts a connection on ``host:port``."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for(port: int, process: subprocess.Popen | None = None, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(port):
            return
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process for port {port} stopped (exit {process.returncode})")
        time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port} after {seconds} s")


def procfile() -> dict[str, list[str]]:
    """The process types of deploy/Procfile, as argument lists."""
    kinds = {}
    for line in (ROOT / "deploy" / "Procfile").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, command = line.split(":", 1)
            kinds[name.strip()] = shlex.split(command)
    return kinds


class Cut:
    """A TCP relay from a local port to ``target``; ``cut()`` drops every open connection and refuses new ones (as
    an unreachable server does) until ``mend()``."""

    def __init__(self, target: int):
        self.target, self.port = target, free_port()
        self.open = threading.Event()
        self.open.set()
        self._links: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self.open.clear()
        with self._lock:
            for link in self._links:
                with contextlib.suppress(OSError):
                    link.close()
            self._links.clear()

    def mend(self) -> None:
        self.open.set()

    def _accept(self) -> None:
        while True:
            client, _ = self._server.accept()
            if not self.open.is_set():
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()  # reset: the connection is refused as by a server that is gone
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:
                client.close()
                continue
            with self._lock:
                self._links += [client, upstream]
            threading.Thread(target=self._pipe, args=(client, upstream), daemon=True).start()

    def _pipe(self, one: socket.socket, two: socket.socket) -> None:
        chooser = selectors.DefaultSelector()
        chooser.register(one, selectors.EVENT_READ, two)
        chooser.register(two, selectors.EVENT_READ, one)
        try:
            while self.open.is_set():
                for key, _ in chooser.select(timeout=0.5):
                    data = key.fileobj.recv(65536)
                    if not data:
                        return
                    key.data.sendall(data)
        except OSError:
            return
        finally:
            for end in (one, two):
                with contextlib.suppress(OSError):
                    end.close()


@dataclass
class Stack:
    work: Path
    env: dict[str, str]
    web: str = ""
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    redis_port: int = 0
    cut: Cut | None = None

    def manage(self, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
        return done

    def start(self, name: str, command: list[str], **extra: str) -> subprocess.Popen:
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603 - our own commands
            command, cwd=ROOT, env={**self.env, **extra}, stdout=log, stderr=log, start_new_session=True
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def start_redis(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
        flags = ["--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        wait_for(self.redis_port, self.start("redis", [binary, *flags, "--dir", str(self.work)]))

    def start_web(self, workers: int | None = None) -> None:
        """The Procfile's web process, once /health/ answers 200 (the port opens before the workers are ready)."""
        import requests

        port = int(self.web.rsplit(":", 1)[1])
        extra = {"TINCAY_WEB_WORKERS": str(workers)} if workers else {}
        process = self.start("web", procfile()["web"], **extra)
        wait_for(port, process)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(self.web + "/health/", timeout=30).status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{self.web}/health/ did not answer 200 in 120 s:\n{self.log('web')[-3000:]}")

    def start_worker(self, number: int = 1) -> None:
        self.start(f"worker-{number}", procfile()["worker"])

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _keys(new: bool) -> dict[str, str]:
    """The secret and audit keys of the load database, kept beside it (``var/loadtest/keys.json``): the audit trail
    written by one run must verify in the next. New with a new database."""
    path = ROOT / "var" / "loadtest" / "keys.json"
    if new or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        keys = {
            "TINCAY_SECRET_KEY": secrets.token_urlsafe(64),
            "TINCAY_AUDIT_KEYS": "load:" + secrets.token_urlsafe(48),
        }
        path.write_text(json.dumps(keys))
        path.chmod(0o600)
    return json.loads(path.read_text())


def _database_url(name: str) -> str:
    return urlunparse(urlparse(ADMIN_URL)._replace(path=f"/{name}"))


def _database_exists() -> bool:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone() is not None


def _drop_and_create(create: bool) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{DATABASE}"')


@contextlib.contextmanager
def stack(
    *, users: int, fresh: bool = False, storage: str = "local", claim_seconds: int = 600, web: dict | None = None
) -> Iterator[Stack]:
    """The stack, seeded for ``users`` people (the plan is ``work/plan.json``); stopped on the way out. ``web``:
    more settings for the web process (``TINCAY_WEB_WORKERS``, ``TINCAY_WEB_THREADS``)."""
    work = Path(tempfile.mkdtemp(prefix="tincay-load-"))
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TINCAY_", "DJANGO_")) and k != "DATABASE_URL"}
    redis_port = free_port()
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "loadtest.settings",
        "TINCAY_ENV": "production",
        "TINCAY_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TINCAY_SSL_REDIRECT": "0",
        "TINCAY_SECURITY_CONTACT": "mailto:security@example.gov.vn",
        "DATABASE_URL": _database_url(DATABASE),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "TINCAY_TASKS_BACKEND": "redis",
        "TINCAY_TASKS_CLAIM_SECONDS": str(claim_seconds),
        "TINCAY_API_USER_RATE": "1000000/min",  # one token per simulated person, each far above a person's pace
        "TINCAY_STATIC_ROOT": str(ROOT / "var" / "loadtest-static"),
        "TINCAY_DATA_DIR": str(work / "data"),
        "TINCAY_BIND": f"127.0.0.1:{free_port()}",
        "PYTHONUNBUFFERED": "1",
        **(web or {}),
    }
    new = fresh or not _database_exists()
    env.update(_keys(new))
    found = Stack(work=work, env=env, redis_port=redis_port)
    found.web = "http://" + env["TINCAY_BIND"]
    try:
        if storage == "s3":
            moto_port = free_port()
            wait_for(
                moto_port,
                found.start("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(moto_port)]),
            )
            found.cut = Cut(moto_port)
            bucket = "tincay-load"
            import boto3

            boto3.client(
                "s3",
                endpoint_url=f"http://127.0.0.1:{moto_port}",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",  # noqa: S106 - moto's
                region_name="us-east-1",
            ).create_bucket(Bucket=bucket)
            env.update(TINCAY_S3_BUCKET=bucket, TINCAY_S3_ENDPOINT_URL=f"http://127.0.0.1:{found.cut.port}", **S3)
        found.start_redis()
        if new:
            _drop_and_create(create=True)
            print("loadtest: new database: migrate, framework, units, demo accounts (a few minutes)", flush=True)
            found.manage("migrate", "--no-input", "-v0")
            found.manage("seed_demo", "--no-surveys", TINCAY_ENV="development")
        else:
            found.manage("migrate", "--no-input", "-v0")
        found.manage("collectstatic", "--no-input", "-v0")
        found.manage("seed_load", "--users", str(users), "--output", str(work / "plan.json"), TINCAY_ENV="development")
        _analyze()
        found.start_web()
        found.start_worker()
        yield found
    finally:
        for name in list(found.processes):
            found.stop(name)
        if found.cut is not None:
            found.cut.cut()


def _analyze() -> None:
    """The planner's statistics of the seeded data, as autovacuum keeps them in service: a PostgreSQL with
    autovacuum off (a CI machine's, say) would otherwise plan every page over a table it believes empty."""
    import psycopg

    with psycopg.connect(_database_url(DATABASE), autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def drop_database() -> None:
    _drop_and_create(create=False)
