"""The load scenario's people, for locust (``python -m loadtest`` starts locust with one of these classes).

Every simulated person is a commune's focal point of the plan (``manage.py seed_load``), already signed in: their
session and CSRF cookies go with each page request (production's ``__Host-`` cookie names), their API token with
each API call. Each one saves only criteria of their own, so a save that does not answer 200 is an error, never a
colleague's conflict. The kinds:

- ``Official``: the mixed day (pages read, criteria saved, evidence uploaded, the API read), at the pace the
  ``TINCAY_LOAD_WAIT`` seconds between actions give (0: as fast as the server answers);
- ``Reader``: the two pages an official reads most (the assessment and an indicator), no pause, in a browser that
  keeps the pages it got and asks whether they changed (``If-None-Match``; a 304 is counted as ``<page> (304)``);
  ``FirstReader``: the same with nothing kept, every page drawn;
- ``Ceiling``: the minimal view ``/_load/ceiling/`` (``loadtest.settings``), no pause; ``SignedIn``: the least a
  signed-in page does (``/_load/signed-in/``: the session read and the person loaded), no pause;
- ``DeadlineSaver``: deadline day, only criterion saves, everyone in the same campaign.

At a pace, each person's first action comes at a random moment of their first pause, as people who work on their
own do, rather than everyone at the run's first instant (a burst that no real day has and that the run would
measure as its slowest seconds).

A save that fails for any reason (an error status, a dropped connection) is sent again with the same content and
revision until the server takes it, as the autosave does; the server takes a repeat of a save it already holds
without a conflict. ``TINCAY_LOAD_LEDGER`` names a file where each person's last acknowledged content per criterion
is written at the end, so that ``python -m loadtest`` can compare it with the database (nothing lost, nothing
half-written). ``TINCAY_LOAD_HELD`` names the file where the browsers' kept pages (their ETags) are read at the start
and written at the end, so a person's browser keeps its pages from one run to the next, as a real one does.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import threading
import time
from itertools import count

import gevent
from locust import FastHttpUser, between, constant, events, task

from loadtest.stack import cookie  # the project's root is on PYTHONPATH (loadtest.run)

PLAN = json.loads(open(os.environ["TINCAY_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115 - read once
PEOPLE = PLAN["people"]
WAIT = float(os.environ.get("TINCAY_LOAD_WAIT", "0"))
LEVELS = ("red", "yellow", "green")
NARRATIVES = (
    "Đã ban hành quy chế, niêm yết công khai tại trụ sở và trên cổng thông tin.",
    "Có kế hoạch năm; đang rà soát, cập nhật theo Nghị định mới.",
    "Thực hiện đầy đủ, có biên bản kiểm tra của huyện (cũ).",
)
REVISION = re.compile(rb'name="r\d+-revision" value="(\d+)"')  # the stored revision a save answers with
_numbers = count()
_lock = threading.Lock()
LEDGER: dict[str, dict[str, dict]] = {}  # username → result id → last content the server acknowledged
HELD_FILE = os.environ.get("TINCAY_LOAD_HELD", "")  # the browsers' kept pages, from one run to the next
HELD: dict[str, dict[str, str]] = (
    json.loads(open(HELD_FILE, encoding="utf-8").read()) if HELD_FILE and os.path.exists(HELD_FILE) else {}  # noqa: SIM115
)


def _pace():
    return constant(0) if WAIT <= 0 else between(WAIT / 2, WAIT * 1.5)


def _pdf(note: str) -> bytes:
    """A small PDF of its own content (evidence is stored by content: each upload must be new to be written)."""
    return f"%PDF-1.4\n% {note}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _Person(FastHttpUser):
    abstract = True
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        with _lock:
            self.person = PEOPLE[next(_numbers) % len(PEOPLE)]
        self.cookie = cookie(self.person)
        self.page_headers = {"Cookie": self.cookie}
        self.post_headers = {"Cookie": self.cookie, "X-CSRFToken": self.person["csrf"], "HX-Request": "true"}
        self.api_headers = {"Authorization": f"Token {self.person['token']}", "Accept": "application/json"}
        self.results = {r["id"]: dict(r) for r in self.person["results"]}
        self.held = HELD.setdefault(self.person["username"], {})  # url → the ETag of the copy their browser holds
        LEDGER.setdefault(self.person["username"], {})
        if WAIT > 0:  # people do not all click at the run's first instant: each starts somewhere in a pause
            gevent.sleep(random.uniform(0, WAIT))  # noqa: S311 - load pattern, not security

    keeps_pages = True  # a browser: it keeps the pages it got and asks whether they changed (If-None-Match)

    def page(self, url: str, name: str) -> None:
        """A page read; a page the browser holds and the server confirms is counted as ``<name> (304)``."""
        held = self.held.get(url) if self.keeps_pages else None
        headers = {**self.page_headers, "If-None-Match": held} if held else self.page_headers
        with self.client.get(url, headers=headers, name=name, catch_response=True) as response:
            if response.status_code == 304 and held:
                response.request_meta["name"] = f"{name} (304)"
                response.success()
            elif response.status_code == 200:
                if self.keeps_pages and response.headers.get("ETag"):
                    self.held[url] = response.headers["ETag"]
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:120]}")

    def read_assessment(self) -> None:
        self.page(self.person["pages"]["assessment"], "page: assessment")

    def read_indicator(self) -> None:
        result = random.choice(self.person["results"])  # noqa: S311 - load pattern, not security
        self.page(self.person["pages"]["indicators"][result["indicator"]], "page: indicator")

    def save_criterion(self) -> None:
        """One autosave of one criterion, sent again until the server takes it (at most a minute)."""
        result = self.results[random.choice(list(self.results))]  # noqa: S311
        prefix = f"r{result['id']}-"
        content = {
            "self_level": random.choice(LEVELS),  # noqa: S311
            "narrative": f"{random.choice(NARRATIVES)} ({secrets.token_hex(3)})",  # noqa: S311
        }
        body = {f"{prefix}revision": str(result["revision"]), **{prefix + k: v for k, v in content.items()}}
        deadline = time.monotonic() + 60
        while True:
            with self.client.post(
                f"/assessments/{self.person['assessment']}/results/{result['id']}/self/",
                data=body,
                headers=self.post_headers,
                name="save: criterion",
                catch_response=True,
            ) as response:
                stored = REVISION.search(response.content or b"") if response.status_code == 200 else None
                if stored:
                    response.success()
                    result["revision"] = int(stored.group(1))
                    LEDGER[self.person["username"]][str(result["id"])] = {**content, "revision": result["revision"]}
                    return
                response.failure(f"{response.status_code}: {(response.text or '')[:120]}")
            if time.monotonic() > deadline:
                return
            time.sleep(1)

    def upload_evidence(self) -> None:
        note = secrets.token_hex(8)
        body, kind = _multipart(
            {
                "csrfmiddlewaretoken": self.person["csrf"],
                "title": f"Biên bản họp giao ban tháng ({note})",
                "number": "12/BB-UBND",
                "issued_on": "15/11/2026",
                "kind": "minutes",
                "visibility": "internal",
            },
            "file",
            f"bien-ban-{note}.pdf",
            _pdf(note),
        )
        with self.client.post(
            f"/units/{self.person['unit']}/documents/",
            data=body,
            headers={**self.page_headers, "Content-Type": kind},
            name="upload: evidence",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                response.success()
            else:
                response.failure(f"{response.status_code}: {(response.text or '')[:120]}")

    def api_results(self) -> None:
        self.client.get(
            f"/api/v1/assessments/{self.person['assessment']}/results/", headers=self.api_headers, name="api: results"
        )


class Official(_Person):
    wait_time = _pace()

    @task(4)
    def indicator(self) -> None:
        self.read_indicator()

    @task(2)
    def assessment(self) -> None:
        self.read_assessment()

    @task(3)
    def save(self) -> None:
        self.save_criterion()

    @task(2)
    def api(self) -> None:
        self.api_results()

    @task(1)
    def upload(self) -> None:
        self.upload_evidence()


class Reader(_Person):
    wait_time = constant(0)

    @task(2)
    def indicator(self) -> None:
        self.read_indicator()

    @task(1)
    def assessment(self) -> None:
        self.read_assessment()


class FirstReader(Reader):
    """Page reads with no copy kept: every page drawn, as on a first visit or in a browser that keeps nothing."""

    keeps_pages = False


class Ceiling(_Person):
    wait_time = constant(0)

    @task
    def ceiling(self) -> None:
        self.client.get("/_load/ceiling/", headers=self.page_headers, name="ceiling: minimal view")


class SignedIn(_Person):
    wait_time = constant(0)

    @task
    def signed_in(self) -> None:  # the cost every signed-in page pays before its own work
        self.client.get("/_load/signed-in/", headers=self.page_headers, name="ceiling: signed-in view")


class DeadlineSaver(_Person):
    wait_time = _pace()

    @task
    def save(self) -> None:
        self.save_criterion()


@events.quitting.add_listener
def _write_ledger(environment, **kwargs) -> None:
    path = os.environ.get("TINCAY_LOAD_LEDGER")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(LEDGER, out, ensure_ascii=False)
    if HELD_FILE:
        with open(HELD_FILE, "w", encoding="utf-8") as out:
            json.dump(HELD, out)
