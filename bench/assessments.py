"""Benchmarks of issue 3: the workspace page, the criterion save and the campaign board.

Two data sets: a 150-unit campaign (Hải Phòng and neighbours), then the national set — every commune of today
(3,321) in 10 yearly campaigns, every applicable criterion with a result — to show that the workspace and the
save do not depend on how many units and campaigns the instance holds.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tincay.assessments.models import Assessment, Campaign, CriterionResult
from tincay.assessments.services import campaigns
from tincay.assessments.services.campaigns import applicable_criteria
from tincay.catalogue.selectors import version_by_ref
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.services import membership_grant

REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
LEVELS = ("red", "yellow", "green")
DEADLINES = {
    "self_assessment_due": dt.date(2030, 6, 1),
    "scoring_due": dt.date(2030, 7, 1),
    "appraisal_due": dt.date(2030, 8, 1),
    "publication_due": dt.date(2030, 9, 1),
}


def _open(code: str, year: int, units: list[AdminUnit], admin) -> Campaign:
    return campaigns.campaign_create(
        actor=admin,
        code=code,
        title_vi=f"Bench {code}",
        year=year,
        deadlines=DEADLINES,
        version=version_by_ref("tcvn-iso-18091", "2020"),
        owner_unit=None,
        units=units,
    )


def _fill(campaign: Campaign, rng: random.Random) -> None:
    """Give every result of the campaign a self level and a narrative (bulk, outside the services)."""
    ids = list(CriterionResult.objects.filter(assessment__campaign=campaign).values_list("pk", flat=True))
    for start in range(0, len(ids), 20000):
        chunk = ids[start : start + 20000]
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE assessments_criterionresult SET self_level = %s, narrative = %s WHERE id = %s",
                [(rng.choice(LEVELS), "Dữ liệu đo hiệu năng", pk) for pk in chunk],
            )


def _national_campaign(year: int, communes: list[AdminUnit], rng: random.Random) -> None:
    """Benchmark data written straight to the tables (the services would audit 33,000 assessments)."""
    version = version_by_ref("tcvn-iso-18091", "2020")
    criteria = {kind: applicable_criteria(version.pk, kind) for kind in {u.kind for u in communes}}
    with transaction.atomic():
        campaign = Campaign.objects.create(
            code=f"bench-national-{year}", title_vi=f"Bench {year}", year=year, version=version, **DEADLINES
        )
        assessments = Assessment.objects.bulk_create(
            [Assessment(campaign=campaign, unit=u, state="published") for u in communes], batch_size=2000
        )
        if assessments[0].pk is None:
            assessments = list(campaign.assessments.order_by("pk"))
        rows = (
            (assessment.pk, criterion.pk, level, level, level)
            for assessment, unit in zip(assessments, communes, strict=True)
            for criterion in criteria[unit.kind]
            for level in (rng.choice(LEVELS),)
        )
        _insert_results(rows)


_RESULT_COLUMNS = (
    "assessment_id, criterion_id, self_level, scorer_level, final_level, na, na_reason, narrative, "
    "no_evidence_reason, scorer_comment, final_comment, revision"
)


def _insert_results(rows) -> None:
    """COPY on PostgreSQL, executemany on SQLite: millions of rows in seconds, not minutes."""
    full = ((a, c, s, sc, f, False, "", "", "", "", "", 0) for a, c, s, sc, f in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY assessments_criterionresult ({_RESULT_COLUMNS}) FROM STDIN") as copy:
                for row in full:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO assessments_criterionresult ({_RESULT_COLUMNS}) VALUES ({', '.join(['%s'] * 12)})"  # noqa: S608 - constant columns, no user input
            batch = []
            for row in full:
                batch.append(row)
                if len(batch) >= 50000:
                    cursor.executemany(sql, batch)
                    batch = []
            cursor.executemany(sql, batch)


def timed_page(
    client: Client,
    label: str,
    url: str,
    method: str = "get",
    data: Callable[[], dict] | None = None,
    headers: dict | None = None,
) -> None:
    call = getattr(client, method)
    call(url, **({"data": data()} if data else {}), headers=headers or {})
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = call(url, **({"data": data()} if data else {}), headers=headers or {})
            times.append(1000 * (time.perf_counter() - start))
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    print(f"  {label:<58} {statistics.median(times):7.1f}ms {p90:6.1f}ms {queries:8d}", flush=True)


def measure(size_label: str, assessment: Assessment, campaign: Campaign) -> None:
    admin = get_user_model().objects.get(username="quantri")
    client = Client()
    client.force_login(admin)
    result = assessment.results.select_related("criterion__indicator").order_by("criterion__order").first()
    code = result.criterion.indicator.code
    print(f"\n  {size_label:<58} {'median':>9} {'p90':>8} {'queries':>8}")
    timed_page(client, f"workspace overview ({assessment.results.count()} criteria)", f"/assessments/{assessment.pk}/")
    timed_page(client, f"workspace indicator {code} (edit forms)", f"/assessments/{assessment.pk}/indicators/{code}/")
    Assessment.objects.filter(pk=assessment.pk).update(state="draft")
    focal = _focal_for(assessment)
    saver = Client()
    saver.force_login(focal)

    def payload() -> dict:
        result.refresh_from_db(fields=["revision"])
        return {
            f"r{result.pk}-revision": result.revision,
            f"r{result.pk}-self_level": random.choice(LEVELS),  # noqa: S311
            f"r{result.pk}-narrative": "Lưu khi gõ",
        }

    timed_page(
        saver,
        "criterion save (autosave, HTMX)",
        f"/assessments/{assessment.pk}/results/{result.pk}/self/",
        method="post",
        data=payload,
        headers={"HX-Request": "true"},
    )
    timed_page(client, f"campaign board ({campaign.assessments.count()} units)", f"/campaigns/{campaign.code}/")


def _focal_for(assessment: Assessment):
    user, _created = get_user_model().objects.get_or_create(username=f"bench-{assessment.unit.key}")
    if not user.memberships.filter(unit=assessment.unit).exists():
        membership_grant(actor="bench", user=user, role="focal_point", unit=assessment.unit)
    return user


def run() -> None:
    rng = random.Random(18091)  # noqa: S311 - benchmark data
    admin = get_user_model().objects.get(username="quantri")
    communes = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").order_by("key"))
    near = [u for u in communes if u.parent_id and u.parent.key in ("31", "22", "01")][:150]

    start = time.perf_counter()
    with transaction.atomic():
        small = _open("bench-150", 2026, near, admin)
        _fill(small, rng)
    print(f"  {'generate: 150-unit campaign with results':<58} {1000 * (time.perf_counter() - start):9.0f} ms")
    one = small.assessments.get(unit=near[0])
    measure("150 units, 1 campaign", one, small)

    if os.environ.get("BENCH_NATIONAL", "1") != "1":
        print("  (national data set skipped: BENCH_NATIONAL=0)")
        return
    start = time.perf_counter()
    for year in range(2017, 2027):
        _national_campaign(year, communes, rng)
    rows = CriterionResult.objects.count()
    print(
        f"  {'generate: national set (3,321 units × 10 campaigns)':<58} {1000 * (time.perf_counter() - start):9.0f} ms"
        f"  ({rows:,} criterion results)"
    )
    national = Campaign.objects.get(code="bench-national-2026")
    measure("national: 3,321 units × 10 campaigns", national.assessments.get(unit=near[0]), small)
    timed_page(_admin_client(admin), "campaign board, national campaign (3,321 units)", f"/campaigns/{national.code}/")
    print("\n  results (issue 4): page vs the bare SQL computing the same numbers")
    from bench import results as results_bench  # imports this module's helpers (bench.legacy)

    results_bench.run()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {'peak memory of this process (generation included)':<58} {rss:7.0f} MB")


def _admin_client(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client
