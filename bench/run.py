"""One backend's benchmarks (run by ``python -m bench``): data loads, then pages with their query counts."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")
# The demo's notices are e-mailed too: kept in memory, not printed among the figures.
os.environ.setdefault("TINCAY_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import assessments as assessments_bench  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
PAGES = [
    ("catalogue: list of versions", "/catalogue/"),
    ("catalogue: version (4 pillars, 39 indicators)", "/catalogue/tcvn-iso-18091/2020/"),
    ("catalogue: indicator 4.6 with criteria", "/catalogue/tcvn-iso-18091/2020/indicators/4.6/"),
    ("API: version nested to criteria", "/api/v1/frameworks/tcvn-iso-18091/versions/2020/"),
    ("units: tree roots (34 provinces)", "/units/"),
    ("units: search 'hai an' (all periods)", "/units/?q=hai+an"),
    ("units: Hải Phòng page (114 communes)", "/units/31/"),
    ("units: Đằng Lâm 2023 page with history", "/units/11413-2025/"),
    ("API: 3,321 communes today (limit 5000)", "/api/v1/units/?level=commune&limit=5000"),
    ("API: units on 2023-06-01 (limit 100)", "/api/v1/units/?date=2023-06-01&limit=100"),
]


def timed(label: str, action: Callable[[], object]) -> None:
    start = time.perf_counter()
    action()
    print(f"  {label:<58} {1000 * (time.perf_counter() - start):9.0f} ms", flush=True)


def quiet(*args: str) -> Callable[[], None]:
    return lambda: call_command(*args, stdout=open(os.devnull, "w"))


# ``--only NAME`` (``make bench BENCH_ARGS="--only rollout"``): the base data, then only that module's run().
ONLY = {
    "board": "bench.board",
    "rollout": "bench.rollout",
    "coordination": "bench.coordination",
    "documents": "bench.documents",
    "feedback": "bench.feedback",
}


def _only() -> str | None:
    args = sys.argv[1:]
    if "--only" not in args:
        return None
    name = args[args.index("--only") + 1] if args.index("--only") + 1 < len(args) else ""
    if name not in ONLY:
        sys.exit(f"--only takes one of: {', '.join(sorted(ONLY))}")
    return name


def main() -> None:
    only = _only()
    print(f"database: {connection.vendor}; repeat {REPEAT} per page", flush=True)
    if only:
        import importlib

        timed("migrate (empty database)", quiet("migrate", "--no-input"))
        timed("load catalogue", quiet("load_framework"))
        timed("load national tree today (34 + 3,321)", quiet("load_units"))
        timed("seed_demo (accounts, roles, departments, draft)", quiet("seed_demo"))
        importlib.import_module(ONLY[only]).run()
        return
    timed("migrate (empty database)", quiet("migrate", "--no-input"))
    timed("load catalogue (234 criteria), first load", quiet("load_framework"))
    timed("load catalogue again (idempotent, unchanged)", quiet("load_framework"))
    timed("load national tree today (34 + 3,321) + pilot history", quiet("load_units"))
    timed("load national tree again (idempotent)", quiet("load_units"))
    timed("load pre-2025 tree (63 + 696 + 10,061) with lineage", quiet("load_units", "--legacy"))
    timed("load everything again (idempotent)", quiet("load_units", "--legacy"))
    timed("seed_demo (accounts, roles, departments, draft)", quiet("seed_demo"))

    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))
    print(f"\n  {'page (signed in as admin)':<58} {'median':>9} {'p90':>8} {'queries':>8}")
    for label, url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                client.get(url)
                times.append(1000 * (time.perf_counter() - start))
        p90 = sorted(times)[int(0.9 * (len(times) - 1))]
        print(f"  {label:<58} {statistics.median(times):7.1f}ms {p90:6.1f}ms {len(queries):8d}", flush=True)

    print("\n  assessments (issue 3)")
    assessments_bench.run()
    if os.environ.get("BENCH_NATIONAL", "1") == "1":
        from bench import board as board_bench

        board_bench.run()
    from bench import rollout as rollout_bench

    rollout_bench.run()
    from bench import coordination as coordination_bench

    coordination_bench.run()
    from bench import documents as documents_bench

    documents_bench.run()
    from bench import feedback as feedback_bench

    feedback_bench.run()
    subprocess.run([sys.executable, "-m", "bench.worker_memory"], check=True)


if __name__ == "__main__":
    main()
