"""How the issue-10 benchmarks time a page beside its SQL floor: medians and p90 of signed-in requests, the floor as
the bare SQL that computes what the page shows, and the lightest signed-in page as the reference for what any page
behind a login costs before its own work (session, user, layout)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

REPEAT = 9
REFERENCE_URL = "/accounts/notifications/"  # session, user, layout and an empty list: the lightest signed-in page

Timing = tuple[float, float, int]  # median ms, p90 ms, queries


def median(action: Callable[[], object], repeat: int = REPEAT) -> Timing:
    """``action`` once to warm up, then ``repeat`` times."""
    action()
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(1000 * (time.perf_counter() - start))
        queries = len(captured)
    return statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))], queries


def sql_floor(queries: list[tuple[str, list]]) -> float:
    """The median time of the bare statements, run one after the other on one cursor."""

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    return median(run)[0]


def analyze() -> None:
    """Fresh bulk rows: PostgreSQL plans with their statistics, as autovacuum would have it in service."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def signed_in(username: str) -> Callable[[str], Callable[[], None]]:
    """``get(url)`` → an action that requests ``url`` as ``username`` and insists on a 200."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))

    def get(url: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    return get


def line(label: str, page: Timing, floor_ms: float) -> None:
    page_ms, p90, queries = page
    print(
        f"  {label:<54} {page_ms:8.1f}ms p90 {p90:7.1f}ms {queries:4d}q   floor {floor_ms:7.1f}ms"
        f"   ratio {page_ms / floor_ms:5.2f}",
        flush=True,
    )


def reference(username: str = "quantri") -> None:
    """The lightest signed-in page, printed without a floor."""
    page_ms, p90, queries = median(signed_in(username)(REFERENCE_URL))
    print(f"  {'reference: lightest signed-in page (layout only)':<54} {page_ms:8.1f}ms p90 {p90:7.1f}ms {queries:4d}q")
