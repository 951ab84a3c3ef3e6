"""Two web processes and two workers, started from ``deploy/Procfile`` with production settings, share nothing but
PostgreSQL, Redis and object storage (each has a data folder of its own): a session opened on one web process is
seen on the other, a file uploaded to one is downloaded from the other, and a document asked of one is built by a
worker and followed on the other. The same processes run two periodic clocks at once: each job runs once a day."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import psycopg
import pytest
import requests

from loadtest.stack import free_port, procfile, wait_for
from tests.backing_services import S3_CREDENTIALS, postgres_admin_url, s3_bucket, unique

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "TinCay@2026"  # the demo accounts' (tincay.demo.constants)
TIMEOUT = 120  # a fresh process's first pages are slow (imports, empty cache), more so on a loaded machine


@dataclass
class Cluster:
    env: dict[str, str]
    webs: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen] = field(default_factory=list)
    folders: list[Path] = field(default_factory=list)

    def manage(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra},
            capture_output=True,
            text=True,
            timeout=600,
        )


def _database_url(admin: str, name: str) -> str:
    return urlunparse(urlparse(admin)._replace(path=f"/{name}"))


@pytest.fixture(scope="module")
def cluster(redis_url, s3_endpoint):
    admin = postgres_admin_url()
    database = unique("tincay_cluster").replace("-", "_")
    bucket = unique("tincay-cluster")
    s3_bucket(s3_endpoint, bucket)
    work = Path(tempfile.mkdtemp(prefix="tincay-cluster-"))
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TINCAY_", "DJANGO_")) and k != "DATABASE_URL"}
    env = {
        **keep,
        "TINCAY_ENV": "production",
        "TINCAY_SECRET_KEY": secrets.token_urlsafe(64),
        "TINCAY_AUDIT_KEYS": "cluster:" + secrets.token_urlsafe(48),
        "TINCAY_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TINCAY_SSL_REDIRECT": "0",
        "DATABASE_URL": _database_url(admin, database),
        "REDIS_URL": redis_url,
        "TINCAY_CACHE_KEY_PREFIX": database,
        "TINCAY_TASKS_BACKEND": "redis",
        "TINCAY_TASKS_KEY_PREFIX": database,
        "TINCAY_S3_BUCKET": bucket,
        "TINCAY_S3_ENDPOINT_URL": s3_endpoint,
        **S3_CREDENTIALS,
        "TINCAY_STATIC_ROOT": str(work / "static"),
        "TINCAY_DATA_DIR": str(work / "setup"),
        "TINCAY_WEB_WORKERS": "1",
        "TINCAY_WEB_THREADS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    found = Cluster(env=env)
    try:
        for step in (("migrate", "--no-input", "-v0"), ("collectstatic", "--no-input", "-v0")):
            done = found.manage(*step)
            assert done.returncode == 0, done.stderr
        # the demo (accounts, a campaign, evidence files into the bucket) is a development command
        seeded = found.manage("seed_demo", "--no-surveys", TINCAY_ENV="development")
        assert seeded.returncode == 0, seeded.stderr
        kinds = procfile()
        for index, kind in enumerate(["web", "web", "worker", "worker"], start=1):
            folder = work / f"{kind}-{index}"  # nothing shared on disk but the collected static files
            folder.mkdir()
            port = free_port()
            own = {**env, "TINCAY_DATA_DIR": str(folder), "TINCAY_BIND": f"127.0.0.1:{port}"}
            log = open(folder / "log.txt", "wb")  # noqa: SIM115 (closed with the process)
            found.processes.append(subprocess.Popen(kinds[kind], cwd=ROOT, env=own, stdout=log, stderr=log))
            found.folders.append(folder)
            if kind == "web":
                found.webs.append(f"http://127.0.0.1:{port}")
        for web, process in zip(found.webs, found.processes, strict=False):
            port = int(web.rsplit(":", 1)[1])
            wait_for(port, process, seconds=60)
        yield found
    finally:
        for process in found.processes:
            process.terminate()
        for process in found.processes:
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _logs(cluster: Cluster) -> str:
    return "\n".join(f"--- {f.name}\n{(f / 'log.txt').read_text(errors='replace')[-3000:]}" for f in cluster.folders)


def _cookies(response: requests.Response) -> dict[str, str]:
    return {cookie.name: cookie.value for cookie in response.cookies}


def test_a_session_opened_on_one_web_process_is_seen_on_the_other(cluster):
    first, second = cluster.webs
    page = requests.get(f"{first}/accounts/login/", timeout=TIMEOUT)
    assert page.status_code == 200, _logs(cluster)
    cookies = _cookies(page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    signed_in = requests.post(
        f"{first}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "username": "lanhdao", "password": PASSWORD},
        cookies=cookies,
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    cookies.update(_cookies(signed_in))
    assert "__Host-tincay-session" in cookies  # production's cookie: HTTPS only, this host only
    profile = requests.get(f"{second}/accounts/profile/", cookies=cookies, allow_redirects=False, timeout=TIMEOUT)
    assert profile.status_code == 200 and "lanhdao" in profile.text
    # static files carry hashed names (collectstatic's manifest) and are cached by browsers for a year
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', profile.text).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet)
    served = requests.get(f"{first}{stylesheet}", timeout=TIMEOUT)
    assert served.status_code == 200 and "immutable" in served.headers["Cache-Control"]
    assert "max-age=315360000" in served.headers["Cache-Control"]


def _token(web: str, username: str) -> dict[str, str]:
    answer = requests.post(
        f"{web}/api/v1/auth/token/", json={"username": username, "password": PASSWORD, "name": "cluster"}, timeout=30
    )
    assert answer.status_code in (200, 201), answer.text
    return {"Authorization": f"Token {answer.json()['token']}"}


def test_a_file_uploaded_to_one_web_process_is_downloaded_from_the_other(cluster):
    first, second = cluster.webs
    headers = _token(first, "daumoi")
    created = requests.post(
        f"{first}/api/v1/units/11413/documents/",
        data={"title": "Quy chế làm việc (bản trên cụm)", "kind": "plan", "issued_on": "2026-02-01"},
        files={"file": ("quy-che.pdf", PDF, "application/pdf")},
        headers=headers,
        timeout=TIMEOUT,
    )
    assert created.status_code == 201, created.text
    download = requests.get(
        f"{second}/api/v1/documents/{created.json()['id']}/download/", headers=_token(second, "daumoi"), timeout=30
    )
    assert download.status_code == 200 and download.content == PDF
    local = [p for folder in cluster.folders for p in (folder / "media").rglob("*") if p.is_file()]
    assert local == []  # no process kept the file on its own disk


def test_a_document_asked_of_one_web_process_is_built_by_a_worker_and_followed_on_the_other(cluster):
    first, second = cluster.webs
    headers = _token(second, "lanhdao")
    assessments = requests.get(f"{second}/api/v1/assessments/?unit=11413", headers=headers, timeout=TIMEOUT).json()
    rows = assessments["results"] if isinstance(assessments, dict) else assessments
    assessment = next(row["id"] for row in rows if row["unit"] == "11413")
    asked = requests.post(
        f"{second}/api/v1/documents/generated/",
        json={"kind": "self_report", "assessment": assessment},
        headers=headers,
        timeout=TIMEOUT,
    )
    assert asked.status_code == 202, asked.text
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        detail = requests.get(
            f"{first}/api/v1/documents/generated/{asked.json()['id']}/", headers=headers, timeout=TIMEOUT
        )
        if detail.json()["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert detail.json()["status"] == "done", (detail.json(), _logs(cluster))
    file = requests.get(f"{first}{detail.json()['download']}", headers=headers, timeout=TIMEOUT)
    assert file.status_code == 200 and file.content.startswith(b"PK")


def test_two_clocks_at_once_run_each_periodic_job_once(cluster):
    at = "2031-05-05T08:00:00+07:00"  # every job due that day; nothing ran then yet
    clocks = [
        subprocess.Popen(
            [sys.executable, "manage.py", "periodic", "--once", "--now", at],
            cwd=ROOT,
            env=cluster.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [clock.communicate(timeout=300) for clock in clocks]
    assert all(clock.returncode == 0 for clock in clocks), outputs
    lines = [line for out, _err in outputs for line in out.splitlines() if line.startswith("{")]
    jobs = sorted(re.search(r'"job": "([a-z_]+)"', line).group(1) for line in lines)
    assert jobs == ["audit_checkpoint", "open_data_snapshots", "reminders"], outputs
    listed = cluster.manage("periodic", "--list")
    runs = [line for line in listed.stdout.splitlines() if line.startswith("2031-05-05")]
    assert len(runs) == 3 and all(" done " in line and " 1× " in line for line in runs), listed.stdout
