"""Running locust against the stack and reading what it measured, plus the checks after a run: every save the
server acknowledged is in the database as acknowledged, the audit trail verifies, and the web process logged no
error."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loadtest.stack import ROOT, Stack, cookie

LOCUSTFILE = Path(__file__).with_name("locustfile.py")


@dataclass
class Figures:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float

    def line(self) -> str:
        return (
            f"| {self.name} | {self.requests:,} | {self.failures} | {self.p50:.0f} | {self.p95:.0f} | {self.p99:.0f} "
            f"| {self.rps:.1f} |"
        )


def start_locust(
    stack: Stack,
    kind: str,
    *,
    users: int,
    seconds: int,
    label: str,
    wait: float = 0.0,
    spawn_rate: float | None = None,
) -> subprocess.Popen:
    """A headless locust run of ``users`` people of class ``kind`` for ``seconds``, started in the background."""
    refresh_plan(stack)
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(spawn_rate or users),
        "--run-time",
        f"{seconds}s",
        "--host",
        stack.web,
        "--csv",
        str(stack.work / label),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--exit-code-on-error",
        "0",
        "--loglevel",
        "WARNING",
        kind,
    ]
    env = {
        **os.environ,
        "TINCAY_LOAD_PLAN": str(stack.work / "plan.json"),
        "TINCAY_LOAD_WAIT": str(wait),
        "TINCAY_LOAD_LEDGER": str(stack.work / f"{label}_ledger.json"),
        "TINCAY_LOAD_HELD": str(stack.work / "held.json"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    log = open(stack.work / f"{label}_locust.log", "w")  # noqa: SIM115 - closed when the run ends
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, text=True)  # noqa: S603


def finish_locust(stack: Stack, process: subprocess.Popen, label: str) -> dict[str, Figures]:
    """Wait for a locust run; its figures per request name and ``Aggregated``."""
    process.wait(timeout=900)
    said = (stack.work / f"{label}_locust.log").read_text(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"locust failed ({process.returncode}):\n{said[-4000:]}")
    figures = read_stats(stack.work / label)
    if not figures.get("Aggregated") or not figures["Aggregated"].requests:
        raise RuntimeError(f"locust sent no request:\n{said[-4000:]}")
    return figures


def locust(stack: Stack, kind: str, *, label: str, **options: Any) -> dict[str, Figures]:
    """One locust run (``start_locust``), waited for. The failures locust saw are kept in
    ``<work>/<label>_failures.csv``."""
    return finish_locust(stack, start_locust(stack, kind, label=label, **options), label)


def warm(stack: Stack, people: int, threads: int = 8) -> dict[str, int]:
    """The browsers of the plan's first ``people`` persons get each of their pages once (``plan.json``'s ``pages``),
    as on any day but the first, and keep them for the runs (``held.json``, read by the locustfile); every gunicorn
    process draws its first pages meanwhile (empty caches), outside the figures. Returns how many pages were asked
    for and how many came with an ETag."""
    plan = json.loads((stack.work / "plan.json").read_text(encoding="utf-8"))
    visits = [
        (person, url)
        for person in plan["people"][:people]
        for url in [person["pages"]["assessment"], *person["pages"]["indicators"].values()]
    ]

    def visit(job: tuple[dict, str]) -> tuple[str, str, str | None]:
        person, url = job
        request = urllib.request.Request(stack.web + url, headers={"Cookie": cookie(person)})  # noqa: S310 - the stack's own URL
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            answer.read()
            return person["username"], url, answer.headers.get("ETag")

    held: dict[str, dict[str, str]] = {}
    with ThreadPoolExecutor(threads) as pool:
        for username, url, etag in pool.map(visit, visits):
            if etag:
                held.setdefault(username, {})[url] = etag
    (stack.work / "held.json").write_text(json.dumps(held), encoding="utf-8")
    return {"pages": len(visits), "held": sum(len(pages) for pages in held.values())}


def _number(text: str) -> float:
    return 0.0 if text in ("", "N/A") else float(text)


def read_stats(prefix: Path) -> dict[str, Figures]:
    figures = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        for row in csv.DictReader(stats):
            name = row["Name"]
            figures[name] = Figures(
                name=name,
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=_number(row["50%"]),
                p95=_number(row["95%"]),
                p99=_number(row["99%"]),
                rps=float(row["Requests/s"] or 0),
            )
    return figures


def refresh_plan(stack: Stack) -> None:
    """Bring the plan's revisions up to the stored ones (each locust run starts from the plan; an earlier run's
    saves moved them on)."""
    import psycopg

    path = stack.work / "plan.json"
    plan = json.loads(path.read_text(encoding="utf-8"))
    ids = [r["id"] for person in plan["people"] for r in person["results"]]
    with psycopg.connect(stack.env["DATABASE_URL"]) as connection:
        stored = dict(
            connection.execute("SELECT id, revision FROM assessments_criterionresult WHERE id = ANY(%s)", [ids])
        )
    for person in plan["people"]:
        for result in person["results"]:
            result["revision"] = stored[result["id"]]
    path.write_text(json.dumps(plan, ensure_ascii=False))


def failures(stack: Stack, label: str) -> list[str]:
    path = stack.work / f"{label}_failures.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as found:
        rows = list(csv.DictReader(found))
    return [f"{row['Occurrences']}× {row['Method']} {row['Name']}: {row['Error'][:200]}" for row in rows]


def ledger_holds(stack: Stack, label: str) -> tuple[int, list[str]]:
    """Every save the server acknowledged is stored as acknowledged (level, text, revision), and every revision
    has its audit event (a result starts at revision 0; only saves move it): how many results were compared, and
    the differences."""
    import psycopg

    path = stack.work / f"{label}_ledger.json"
    acknowledged = {
        int(result): content
        for person in json.loads(path.read_text(encoding="utf-8")).values()
        for result, content in person.items()
    }
    if not acknowledged:
        return 0, []
    with psycopg.connect(stack.env["DATABASE_URL"]) as connection:
        rows = connection.execute(
            "SELECT id, self_level, narrative, revision FROM assessments_criterionresult WHERE id = ANY(%s)",
            [list(acknowledged)],
        ).fetchall()
        audited = dict(
            connection.execute(
                "SELECT object_id, count(*) FROM audit_auditevent WHERE action LIKE 'assessments.result_saved_%%' "
                "AND object_id = ANY(%s) GROUP BY object_id",
                [[str(pk) for pk in acknowledged]],
            ).fetchall()
        )
    stored = {row[0]: {"self_level": row[1], "narrative": row[2], "revision": row[3]} for row in rows}
    differences = [
        f"result {pk}: acknowledged {content}, stored {stored.get(pk)}"
        for pk, content in acknowledged.items()
        if stored.get(pk) != content
    ]
    # each stored revision is one whole save: the row and its audit event, written together or not at all
    differences += [
        f"result {pk}: revision {stored[pk]['revision']} but {audited.get(str(pk), 0)} audited saves"
        for pk in acknowledged
        if pk in stored and stored[pk]["revision"] != audited.get(str(pk), 0)
    ]
    return len(acknowledged), differences


def audit_verifies(stack: Stack) -> str:
    done = stack.manage("audit_verify", check=False)
    said = (done.stdout + done.stderr).strip().splitlines() or [""]
    return ("OK: " + said[-1]) if done.returncode == 0 else "FAILED: " + " ".join(said)[-1500:]


def server_errors(stack: Stack) -> list[str]:
    """Tracebacks and error lines the web process and the workers logged."""
    found = []
    for name in ("web", "worker-1", "worker-2"):
        for line in stack.log(name).splitlines():
            if "Traceback" in line or " ERROR " in line or "[CRITICAL]" in line:
                found.append(f"{name}: {line[:200]}")
    return found


def stamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime())
