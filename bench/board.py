"""Benchmark of issue 10's last target: the campaign board of a national campaign (every commune of today, 3,321,
with every applicable criterion answered), paged and narrowed as the heat map is, beside the bare SQL that computes
what the page shows (its floor).

Run alone with ``make bench BENCH_ARGS="--only board"`` (or ``python -m bench.run --only board``): it makes the
national campaign of 2026 the way the full run does (``bench.assessments``), unless that run made it already.
"""

from __future__ import annotations

import random
import time

from django.db import connection

from bench.assessments import _national_campaign
from bench.measure import analyze, line, median, reference, signed_in, sql_floor
from tincay.assessments.models import Campaign, CriterionResult
from tincay.assessments.selectors import BOARD_PAGE_SIZE
from tincay.orgunits.models import AdminUnit

CODE = "bench-national-2026"

CAMPAIGN_FLOOR = "SELECT * FROM assessments_campaign WHERE code = %s"
# Units by state over the whole campaign (the board's counts), and the provinces its units lie in (the filter).
COUNTS_FLOOR = "SELECT state, COUNT(*) FROM assessments_assessment WHERE campaign_id = %s GROUP BY state"
PROVINCES_FLOOR = """
SELECT p.id, p.key, p.name FROM orgunits_adminunit p
WHERE p.path IN (SELECT substr(u.path, 1, {position}) FROM assessments_assessment a
                 JOIN orgunits_adminunit u ON u.id = a.unit_id WHERE a.campaign_id = %s)
ORDER BY p.valid_to, p.sort_key
"""
POSITION = {"postgresql": "strpos(u.path, '/')", "sqlite": "instr(u.path, '/')"}
# One page of units (ids by a narrow subquery), each with its criteria answered out of its total.
PAGE_FLOOR = """
SELECT a.id, a.state, u.id, u.key, u.name, p.name,
       (SELECT COUNT(*) FROM assessments_criterionresult r WHERE r.assessment_id = a.id),
       (SELECT COUNT(*) FROM assessments_criterionresult r WHERE r.assessment_id = a.id
          AND (r.na OR r.self_level IN ('red', 'yellow', 'green') OR r.self_value IS NOT NULL
               OR r.self_points IS NOT NULL))
FROM (SELECT a.id FROM assessments_assessment a JOIN orgunits_adminunit u ON u.id = a.unit_id
      WHERE a.campaign_id = %s AND u.path LIKE %s ORDER BY u.sort_key, a.id LIMIT %s OFFSET %s) page
JOIN assessments_assessment a ON a.id = page.id JOIN orgunits_adminunit u ON u.id = a.unit_id
LEFT JOIN orgunits_adminunit p ON p.id = u.parent_id
ORDER BY u.sort_key, a.id
"""
# The people the page's units lack (focal point, leader): their memberships.
STAFF_FLOOR = """
SELECT m.unit_id, m.role FROM orgunits_membership m
WHERE m.unit_id IN ({units}) AND m.role IN ('focal_point', 'leader')
"""


def _campaign() -> Campaign:
    campaign = Campaign.objects.filter(code=CODE).first()
    if campaign is not None:
        analyze()  # the full run made it among ten campaigns: plan page and floor with fresh statistics
        return campaign
    start = time.perf_counter()
    communes = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").order_by("key"))
    _national_campaign(2026, communes, random.Random(18091))  # noqa: S311 - benchmark data
    analyze()
    rows = CriterionResult.objects.filter(assessment__campaign__code=CODE).count()
    print(
        f"  {'generate: national campaign (3,321 units, every criterion)':<54} "
        f"{1000 * (time.perf_counter() - start):8.0f}ms  ({rows:,} criterion results)",
        flush=True,
    )
    return Campaign.objects.get(code=CODE)


def _floor(campaign: Campaign, path_prefix: str, offset: int) -> float:
    page_params = [campaign.pk, f"{path_prefix}%", BOARD_PAGE_SIZE, offset]
    with connection.cursor() as cursor:
        cursor.execute(PAGE_FLOOR, page_params)
        units = [row[2] for row in cursor.fetchall()]
    return sql_floor(
        [
            (CAMPAIGN_FLOOR, [campaign.code]),
            (COUNTS_FLOOR, [campaign.pk]),
            (PROVINCES_FLOOR.format(position=POSITION[connection.vendor]), [campaign.pk]),
            (PAGE_FLOOR, page_params),
            (STAFF_FLOOR.format(units=", ".join(["%s"] * len(units))), units),
        ]
    )


def run() -> None:
    campaign = _campaign()
    n = campaign.assessments.count()
    get = signed_in("quantri")
    base = f"/campaigns/{campaign.code}/"
    last = max(1, -(-n // BOARD_PAGE_SIZE))
    hai_phong = campaign.assessments.filter(unit__path__startswith="31/").count()
    print(f"\n  campaign board (issue 10): national campaign, {n:,} units, page of {BOARD_PAGE_SIZE}")
    line("board, first page (admin)", median(get(base)), _floor(campaign, "", 0))
    line(f"board, page {last}", median(get(f"{base}?page={last}")), _floor(campaign, "", (last - 1) * BOARD_PAGE_SIZE))
    line(
        f"board narrowed to Hải Phòng ({hai_phong} units)",
        median(get(f"{base}?province=31")),
        _floor(campaign, "31/", 0),
    )
    reference()
