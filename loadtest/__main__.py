"""``python -m loadtest load`` (``make loadtest``) and ``python -m loadtest faults`` (``make faults``).

load, on the stack of ``loadtest.stack`` (gunicorn + PostgreSQL + Redis, production settings), with locust on
loopback:

1. the ceiling: 100 people asking the minimal view, no pause (the framework's throughput on this machine); the
   minimal signed-in view (the session read and the person loaded); page reads: 100 people reading the assessment
   and indicator pages, no pause, in browsers that keep the pages and ask whether they changed. The three take
   turns, 10 s each, in ``ROUNDS`` rounds (one with ``--quick``), so that a machine whose speed drifts (a shared
   host) weighs on each alike; a ratio is the mean of the rounds' throughputs over the ceiling's;
2. page reads with every page drawn; throughput against the ceiling;
3. the mixed day: 100 people for 60 s reading pages, saving criteria, uploading evidence and calling the API, at a
   person's pace (``--pace``: 5 s between actions on average, 2.5 to 7.5 s: reading a page, typing a sentence);
   zero errors required; then the same with no pause at all (the most 100 people can ask: the capacity);
4. deadline day: 300 people of one campaign saving criteria for 60 s at the same pace.

After each run that saves: every acknowledged save is in the database as acknowledged, the audit trail verifies,
and the web process logged no error. ``--quick`` runs one round of the turns and each other run for 20 s (the
checks are the same). The figures are printed as the table rows of ``docs/benchmarks.md`` and written to
``var/loadtest/`` as JSON.

faults: see ``loadtest.faults``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from statistics import mean

from loadtest import run as runs
from loadtest.stack import ROOT, drop_database, stack

ROUNDS = 3  # turns of the ceilings and the page reads
TURN_SECONDS = 10
HEADER = (
    "| Requests | Count | Failures | p50 ms | p95 ms | p99 ms | Throughput /s |\n|---|---:|---:|---:|---:|---:|---:|"
)


def _show(title: str, figures: dict[str, runs.Figures]) -> None:
    print(f"\n{title}\n{HEADER}")
    for _name, row in sorted(figures.items(), key=lambda item: item[0] == "Aggregated"):
        print(row.line())


def load(args: argparse.Namespace) -> int:
    seconds = 20 if args.quick else 60
    report: dict = {"started": runs.stamp(), "quick": args.quick, "runs": {}}
    problems: list[str] = []
    web = {}
    if args.web:
        processes, threads = args.web
        web = {"TINCAY_WEB_WORKERS": str(processes), "TINCAY_WEB_THREADS": str(threads)}
        report["web"] = f"{processes}x{threads}"
    with stack(users=max(args.deadline_users, args.users), fresh=args.fresh, web=web) as found:
        warmed = runs.warm(found, args.users)  # each browser gets its pages once; gunicorn warms up
        print(f"warm-up: {warmed['pages']} pages drawn, {warmed['held']} kept by the browsers", flush=True)
        report["warm-up"] = warmed
        turns = [
            ("ceiling", "Ceiling", "minimal view"),
            ("signed-in", "SignedIn", "minimal signed-in view"),
            ("reads", "Reader", "page reads, pages kept by the browser"),
        ]
        rounds = 1 if args.quick else ROUNDS
        plans = [
            (f"{label}-{n}", kind, args.users, TURN_SECONDS, 0.0, f"{title}, round {n} of {rounds}")
            for n in range(1, rounds + 1)
            for label, kind, title in turns
        ]
        plans += [
            ("reads-drawn", "FirstReader", args.users, seconds // 2, 0.0, "page reads, every page drawn"),
            ("mixed", "Official", args.users, seconds, args.pace, "mixed day"),
            ("mixed-flat-out", "Official", args.users, seconds, 0.0, "mixed day, no pause"),
            ("deadline", "DeadlineSaver", args.deadline_users, seconds, args.pace, "deadline day"),
        ]
        for label, kind, users, length, wait, title in plans:
            started = time.monotonic()
            figures = runs.locust(found, kind, users=users, seconds=length, label=label, wait=wait)
            report["runs"][label] = {
                "users": users,
                "seconds": length,
                "wait": wait,
                "elapsed": round(time.monotonic() - started, 1),
                "figures": {name: asdict(row) for name, row in figures.items()},
                "failures": runs.failures(found, label),
            }
            _show(f"{title}: {users} people, {length} s, pause {wait} s", figures)
            for failure in report["runs"][label]["failures"]:
                problems.append(f"{label}: {failure}")
            if kind in ("Official", "DeadlineSaver"):
                compared, differences = runs.ledger_holds(found, label)
                report["runs"][label]["saves_compared"] = compared
                print(f"acknowledged saves compared with the database: {compared} results, {len(differences)} differ")
                problems += differences
        print()
        for reads, ceiling in (("reads", "ceiling"), ("reads", "signed-in"), ("reads-drawn", "ceiling")):
            over, under = (_throughputs(report["runs"], k) for k in (reads, ceiling))
            ratio = mean(over) / mean(under)
            report[f"{reads}_to_{ceiling}"] = round(ratio, 3)
            each = ", ".join(f"{a / b:.0%}" for a, b in zip(over, under, strict=True)) if len(over) > 1 else ""
            print(
                f"{reads} / {ceiling}: {mean(over):.1f} / {mean(under):.1f} = {ratio:.0%}"
                + (f" (round by round: {each})" if each else "")
            )
        report["audit"] = runs.audit_verifies(found)
        print(f"audit trail: {report['audit']}")
        errors = runs.server_errors(found)
        report["server_errors"] = errors
        print(f"errors logged by the web process and workers: {len(errors)}")
        problems += errors
        if not report["audit"].startswith("OK"):
            problems.append(report["audit"])
    out = ROOT / "var" / "loadtest"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"\nfigures: {path}")
    for problem in problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if problems else 0


def _throughputs(done: dict, label: str) -> list[float]:
    """The throughput of each round of ``label`` (``<label>-1``, ``<label>-2``, …), or of the run ``label``."""
    runs_of = (
        [done[label]]
        if label in done
        else [done[f"{label}-{n}"] for n in range(1, ROUNDS + 1) if f"{label}-{n}" in done]
    )
    return [run["figures"]["Aggregated"]["rps"] for run in runs_of]


def _web(text: str) -> tuple[int, int]:
    processes, _, threads = text.lower().partition("x")
    if not (processes.isdigit() and threads.isdigit() and int(processes) > 0 and int(threads) > 0):
        raise argparse.ArgumentTypeError(f"processes x threads, e.g. 8x2 (got {text!r})")
    return int(processes), int(threads)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m loadtest", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("load", "faults"):
        one = sub.add_parser(name)
        one.add_argument("--quick", action="store_true", help="shorter runs, same checks")
        one.add_argument("--fresh", action="store_true", help="drop the load database and make it again")
        one.add_argument("--users", type=int, default=100, help="people in the reads and mixed runs (100)")
        one.add_argument("--deadline-users", type=int, default=300, help="people saving on deadline day (300)")
        if name == "load":
            one.add_argument("--pace", type=float, default=5.0, help="mean seconds between a person's actions (5)")
            one.add_argument(
                "--web", type=_web, help="gunicorn processes x threads, e.g. 4x4 (default: the Procfile's defaults)"
            )
        if name == "faults":
            one.add_argument("--only", action="append", help="one fault: postgres, redis, worker, storage")
    sub.add_parser("drop", help="drop the load database")
    args = parser.parse_args()
    if args.command == "drop":
        drop_database()
        return 0
    if args.command == "faults":
        from loadtest.faults import faults

        return faults(args)
    return load(args)


if __name__ == "__main__":
    sys.exit(main())
