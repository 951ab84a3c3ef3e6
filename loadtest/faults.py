"""``python -m loadtest faults`` (``make faults``): the stack under load while one part fails, one fault at a time.

The stack is ``loadtest.stack``'s with files in an S3-compatible server (moto, behind the relay ``Cut``) and a job
claim of 30 s. Each fault runs under the mixed day of ``--users`` people (one action every half second each, for
``SECONDS``), and a probe, a person of its own, asks for the assessment page and ``/health/`` every 0.2 s and
records what came back. What each fault must show:

- ``postgres``: the local PostgreSQL server restarted (``pg_ctlcluster <version> main restart -m fast``) in the
  middle of the run: requests in flight answer 503 with Retry-After (never 500), service back by itself; every
  acknowledged save stored as acknowledged with its audit event (nothing half-written), the audit trail verifies.
- ``redis``: the Redis server killed for 20 s, then started again empty: pages keep answering 200 (sessions come
  from the database), a document asked for meanwhile is accepted and waits, and is built once Redis is back.
- ``worker``: the worker killed (SIGKILL) while it builds a document (PDF through LibreOffice), another worker
  started: the job is taken again after the claim and completes once (one stored file, status done).
- ``storage``: object storage unreachable for 20 s while people upload: each upload meanwhile is refused with the
  storage message, the rest of the form kept; pages and saves unaffected; uploads work again afterwards.

Figures are printed and written to ``var/loadtest/faults-*.json``; the exit status is 1 when a check fails.
"""

from __future__ import annotations

import json
import secrets
import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from loadtest import run as runs
from loadtest.stack import ROOT, Stack, stack

SECONDS = 60
FAULT_AT = 20  # seconds into the run
OUTAGE = 20  # seconds the part stays down (Redis, storage)
STORAGE_REFUSED = "Không lưu được tệp: kho lưu tệp đã đầy hoặc không kết nối được"
RETRY_MESSAGE = "Retry-After"


@dataclass
class Probe:
    """A person of the plan asking for a page and /health/ every ``every`` seconds, in a thread."""

    stack: Stack
    every: float = 0.2
    seen: list[tuple[float, str, str]] = field(default_factory=list)  # (time, what, status or error)
    _stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        plan = json.loads((self.stack.work / "plan.json").read_text(encoding="utf-8"))
        self.person = plan["people"][-1]  # the load runs take people from the start of the plan
        self.cookies = {"__Host-tincay-session": self.person["session"], "__Host-tincay-csrf": self.person["csrf"]}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> Probe:
        self.thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self.thread.join()

    def _ask(self, what: str, url: str) -> None:
        try:
            answer = requests.get(
                self.stack.web + url, headers={"Cookie": self._cookie()}, timeout=30, allow_redirects=False
            )
            status = str(answer.status_code)
            if answer.status_code == 503 and "Retry-After" not in answer.headers:
                status += " without Retry-After"
        except requests.RequestException as exc:
            status = f"error {type(exc).__name__}"
        self.seen.append((time.monotonic(), what, status))

    def _cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _run(self) -> None:
        while not self._stop.is_set():
            self._ask("page", f"/assessments/{self.person['assessment']}/")
            self._ask("health", "/health/")
            self._stop.wait(self.every)

    def upload(self) -> tuple[int, bool, bool]:
        """One evidence upload through the page: status, whether the storage message shows, whether the typed
        title is kept in the form."""
        note = secrets.token_hex(8)
        title = f"Quyết định kiện toàn tổ công tác ({note})"
        answer = requests.post(
            f"{self.stack.web}/units/{self.person['unit']}/documents/",
            data={
                "csrfmiddlewaretoken": self.person["csrf"],
                "title": title,
                "kind": "decision",
                "visibility": "internal",
            },
            files={"file": (f"qd-{note}.pdf", f"%PDF-1.4\n% {note}\n%%EOF\n".encode(), "application/pdf")},
            headers={"Cookie": self._cookie(), "X-CSRFToken": self.person["csrf"]},
            timeout=60,
            allow_redirects=False,
        )
        return answer.status_code, STORAGE_REFUSED in answer.text, title in answer.text

    def between(self, start: float, end: float) -> Counter:
        return Counter(f"{what} {status}" for at, what, status in self.seen if start <= at <= end)

    def first_ok_after(self, moment: float) -> float | None:
        for at, what, status in self.seen:
            if at >= moment and what == "page" and status == "200":
                return round(at - moment, 2)
        return None


def _api(stack: Stack, person: dict, method: str, path: str, **kwargs: Any) -> requests.Response:
    return requests.request(
        method,
        stack.web + path,
        headers={"Authorization": f"Token {person['token']}", "Accept": "application/json"},
        timeout=60,
        **kwargs,
    )


def _ask_document(stack: Stack, person: dict, fmt: str = "docx") -> requests.Response:
    return _api(
        stack,
        person,
        "POST",
        "/api/v1/documents/generated/",
        json={"kind": "self_report", "assessment": person["assessment"], "fmt": fmt},
    )


def _document_status(stack: Stack, person: dict, number: int) -> dict:
    return _api(stack, person, "GET", f"/api/v1/documents/generated/{number}/").json()


def _wait_document(stack: Stack, person: dict, number: int, seconds: float) -> tuple[dict, float]:
    """The document's detail once done or failed (or after ``seconds``), and the moment it was seen so."""
    started = time.monotonic()
    detail: dict = {}
    while time.monotonic() - started < seconds:
        try:
            detail = _document_status(stack, person, number)
        except (requests.RequestException, ValueError):
            detail = {}
        if detail.get("status") in ("done", "failed"):
            break
        time.sleep(0.5)
    return detail, time.monotonic()


def _locust_problems(stack: Stack, label: str, allowed: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The failures locust saw, split into those the fault allows (e.g. an upload refused while storage is cut,
    a 503 while the database restarts) and the others."""
    ok, bad = [], []
    for failure in runs.failures(stack, label):
        (ok if any(mark in failure for mark in allowed) else bad).append(failure)
    return ok, bad


def _under_load(stack: Stack, label: str, users: int) -> tuple[subprocess.Popen, Probe]:
    process = runs.start_locust(stack, "Official", users=users, seconds=SECONDS, label=label, wait=0.5)
    probe = Probe(stack).start()
    return process, probe


def _finish(stack: Stack, label: str, process: subprocess.Popen, probe: Probe) -> dict:
    figures = runs.finish_locust(stack, process, label)
    probe.stop()
    compared, differences = runs.ledger_holds(stack, label)
    return {
        "figures": {name: vars(row) for name, row in figures.items()},
        "saves_compared": compared,
        "save_differences": differences,
    }


def _problems(
    found: dict,
    other: list[str],
    *,
    window: Counter | None = None,
    answered: tuple[str, ...] = (" 200",),
    checks: tuple[tuple[bool, str], ...] = (),
    more: tuple[str, ...] | list[str] = (),
) -> list[str]:
    """A fault's problems, in this order: the locust failures it does not allow (``other``), the saves not stored as
    acknowledged, what the probe saw in ``window`` other than ``answered``, the message of each check ``(holds,
    message)`` that does not hold, then ``more``."""
    return [
        *other,
        *found["save_differences"],
        *([] if window is None else [f"probe saw {k} ×{n}" for k, n in window.items() if not k.endswith(answered)]),
        *[message for holds, message in checks if not holds],
        *more,
    ]


def postgres(stack: Stack, users: int) -> dict:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    process, probe = _under_load(stack, "postgres", users)
    time.sleep(FAULT_AT)
    down = time.monotonic()
    restart = subprocess.run(  # noqa: S603 - a fixed command
        [shutil.which("pg_ctlcluster") or "/usr/bin/pg_ctlcluster", version, "main", "restart", "-m", "fast"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    back = time.monotonic()
    found = _finish(stack, "postgres", process, probe)
    allowed, other = _locust_problems(stack, "postgres", ("503",))
    window = probe.between(down, back + 10)
    found.update(
        restart_seconds=round(back - down, 2),
        restart_output=(restart.stdout + restart.stderr).strip()[-500:],
        probe_during=dict(window),
        page_ok_after_restart_s=probe.first_ok_after(back),
        locust_failures_allowed=allowed,
        locust_failures_other=other,
    )
    found["problems"] = _problems(
        found,
        other,
        window=window,
        answered=(" 200", " 503"),
        checks=(
            (found["page_ok_after_restart_s"] is not None, "no page answered 200 after the restart"),
            (restart.returncode == 0, f"pg_ctlcluster failed: {found['restart_output']}"),
        ),
    )
    return found


def redis(stack: Stack, users: int) -> dict:
    plan = json.loads((stack.work / "plan.json").read_text(encoding="utf-8"))
    person = plan["people"][-2]
    process, probe = _under_load(stack, "redis", users)
    time.sleep(FAULT_AT)
    down = time.monotonic()
    stack.stop("redis", signal.SIGKILL)
    time.sleep(2)
    asked = _ask_document(stack, person)
    waiting = _document_status(stack, person, asked.json()["id"]) if asked.status_code == 202 else {}
    time.sleep(max(0.0, OUTAGE - (time.monotonic() - down)))
    stack.start_redis()
    back = time.monotonic()
    workers_alive = {name: p.poll() is None for name, p in stack.processes.items() if name.startswith("worker")}
    found = _finish(stack, "redis", process, probe)
    detail, done_at = _wait_document(stack, person, asked.json()["id"], 240) if asked.status_code == 202 else ({}, back)
    _allowed, other = _locust_problems(stack, "redis", ())
    window = probe.between(down, back)
    found.update(
        outage_seconds=round(back - down, 1),
        probe_during=dict(window),
        document_asked_status=asked.status_code,
        document_status_during=waiting.get("status"),
        document_final=detail.get("status"),
        document_done_after_redis_back_s=round(done_at - back, 1),
        workers_alive_after=workers_alive,
        locust_failures_other=other,
    )
    found["problems"] = _problems(
        found,
        other,
        window=window,
        checks=(
            (asked.status_code == 202, f"document asked during the outage: {asked.status_code}"),
            (detail.get("status") == "done", f"document after the outage: {detail}"),
        ),
        more=[f"{name} stopped" for name, alive in workers_alive.items() if not alive],
    )
    return found


def _bucket_objects(stack: Stack) -> set[str]:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=stack.env["TINCAY_S3_ENDPOINT_URL"],
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - moto's
        region_name="us-east-1",
    )
    names: set[str] = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=stack.env["TINCAY_S3_BUCKET"]):
        names |= {item["Key"] for item in page.get("Contents", [])}
    return names


def worker(stack: Stack, users: int) -> dict:
    import psycopg

    plan = json.loads((stack.work / "plan.json").read_text(encoding="utf-8"))
    person = plan["people"][-3]
    before = _bucket_objects(stack)
    process, probe = _under_load(stack, "worker", users)
    asked = _ask_document(stack, person, fmt="pdf")
    number = asked.json()["id"]
    killed_at = None
    with psycopg.connect(stack.env["DATABASE_URL"], autocommit=True) as connection:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = connection.execute("SELECT status FROM reports_generatedfile WHERE id = %s", [number]).fetchone()
            if status and status[0] == "running":
                stack.stop("worker-1", signal.SIGKILL)
                killed_at = time.monotonic()
                break
            time.sleep(0.02)
    killed_while = _document_status(stack, person, number).get("status")
    stack.start_worker(2)
    detail, done_at = _wait_document(stack, person, number, 240)
    found = _finish(stack, "worker", process, probe)
    new_objects = sorted(_bucket_objects(stack) - before)
    documents = [name for name in new_objects if not name.startswith(("evidence", "documents/evidence"))]
    download = _api(stack, person, "GET", detail["download"]) if detail.get("download") else None
    _allowed, other = _locust_problems(stack, "worker", ())
    found.update(
        killed_while=killed_while,
        killed=killed_at is not None,
        done_after_kill_s=round(done_at - killed_at, 1) if killed_at else None,
        final=detail.get("status"),
        message=detail.get("message"),
        stored_objects_for_documents=documents,
        download_status=download.status_code if download is not None else None,
        download_is_pdf=bool(download is not None and download.content.startswith(b"%PDF")),
        locust_failures_other=other,
    )
    found["problems"] = _problems(
        found,
        other,
        checks=(
            (killed_at is not None, "the build never showed as running: nothing was killed"),
            (detail.get("status") == "done", f"document after the kill: {detail}"),
            (found["download_is_pdf"], "the document could not be downloaded as a PDF"),
            (len(documents) == 1, f"{len(documents)} document files stored, expected 1: {documents}"),
        ),
    )
    return found


def storage(stack: Stack, users: int) -> dict:
    process, probe = _under_load(stack, "storage", users)
    time.sleep(FAULT_AT)
    assert stack.cut is not None
    stack.cut.cut()
    down = time.monotonic()
    during = []
    while time.monotonic() - down < OUTAGE:
        during.append(probe.upload())
        time.sleep(1)
    stack.cut.mend()
    back = time.monotonic()
    after = [probe.upload() for _ in range(3)]
    found = _finish(stack, "storage", process, probe)
    allowed, other = _locust_problems(stack, "storage", ("upload: evidence: CatchResponseError('400",))
    window = probe.between(down, back)
    refused_clearly = sum(1 for status, message, kept in during if status == 400 and message and kept)
    found.update(
        outage_seconds=round(back - down, 1),
        uploads_during=len(during),
        uploads_refused_clearly=refused_clearly,
        uploads_during_statuses=dict(Counter(status for status, _m, _k in during)),
        uploads_after=[status for status, _m, _k in after],
        probe_during=dict(window),
        locust_uploads_refused=allowed,
        locust_failures_other=other,
    )
    found["problems"] = _problems(
        found,
        other,
        window=window,
        checks=(
            (bool(during) and refused_clearly == len(during), f"uploads during the cut: {during}"),
            (all(status == 302 for status, _m, _k in after), f"uploads after the cut: {after}"),
        ),
    )
    return found


SCENARIOS = {"redis": redis, "worker": worker, "storage": storage, "postgres": postgres}


def faults(args: Any) -> int:
    chosen = args.only or list(SCENARIOS)
    report: dict = {"started": runs.stamp(), "users": args.users, "faults": {}}
    problems = []
    with stack(users=max(args.users, 10) + 3, fresh=args.fresh, storage="s3", claim_seconds=30) as found:
        # every gunicorn process's first pages are slow (imports, empty cache): not part of any fault's figures
        runs.locust(found, "Reader", users=20, seconds=20, label="warm-up")
        for name in chosen:
            print(f"\n== {name}", flush=True)
            result = SCENARIOS[name](found, args.users)
            report["faults"][name] = result
            for key, value in result.items():
                if key not in ("figures", "problems", "save_differences"):
                    print(f"  {key}: {value}")
            for row in result["figures"].values():
                print("  " + runs.Figures(**row).line())
            problems += [f"{name}: {problem}" for problem in result["problems"]]
        report["audit"] = runs.audit_verifies(found)
        print(f"\naudit trail: {report['audit']}")
        if not report["audit"].startswith("OK"):
            problems.append(report["audit"])
        report["server_log_errors"] = runs.server_errors(found)
    out = ROOT / "var" / "loadtest"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str))
    print(f"\nfigures: {path}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0
