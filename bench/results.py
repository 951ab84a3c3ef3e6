"""Benchmarks of issue 4: heat map of a 150-unit province, national ranking, unit result page, each beside the
bare SQL query that computes the same numbers from the criterion results (its floor).

Runs after bench.assessments has generated the national set (3,321 communes × 10 campaigns).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services.scores import campaign_rescore_bulk
from tincay.orgunits.models import AdminUnit

REPEAT = 9

# Indicator scores per assessment straight from the results (weighted mean of level values), the work a heat map
# or a ranking needs if nothing were kept: the floor a page is compared with.
FLOOR_SQL = """
SELECT r.assessment_id, i.code,
       SUM(c.weight * CASE r.final_level WHEN 'green' THEN 1.0 WHEN 'yellow' THEN 0.5 ELSE 0.0 END) / SUM(c.weight)
FROM assessments_criterionresult r
JOIN catalogue_criterion c ON c.id = r.criterion_id
JOIN catalogue_indicator i ON i.id = c.indicator_id
JOIN assessments_assessment a ON a.id = r.assessment_id
JOIN orgunits_adminunit u ON u.id = a.unit_id
WHERE a.campaign_id = %s AND r.na = FALSE AND r.final_level <> '' AND u.path LIKE %s
GROUP BY r.assessment_id, i.code
"""


def _median(action) -> tuple[float, int]:
    action()
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(1000 * (time.perf_counter() - start))
        queries = len(captured)
    return statistics.median(times), queries


def _floor(campaign_id: int, path_prefix: str) -> float:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(FLOOR_SQL, [campaign_id, f"{path_prefix}%"])
            cursor.fetchall()

    return _median(run)[0]


def _line(label: str, page_ms: float, queries: int, floor_ms: float) -> None:
    print(
        f"  {label:<50} {page_ms:8.1f}ms {queries:5d}q   floor {floor_ms:8.1f}ms   ratio {page_ms / floor_ms:5.2f}",
        flush=True,
    )


def run() -> None:
    campaign = Campaign.objects.get(code="bench-national-2026")
    start = time.perf_counter()
    for other in Campaign.objects.filter(code__startswith="bench-national-"):
        campaign_rescore_bulk(other.pk)
    print(
        f"  {'score all national campaigns (materialised, 3 tracks)':<50} {1000 * (time.perf_counter() - start):8.0f}ms"
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))
    province = AdminUnit.objects.get(key="31")
    n_units = campaign.assessments.filter(unit__path__startswith=province.path).count()

    def get(url: str):
        return lambda: client.get(url)

    page, queries = _median(get(f"/results/campaigns/{campaign.code}/?unit=31"))
    _line(f"heat map, province of {n_units} units × 39 indicators", page, queries, _floor(campaign.pk, province.path))
    page, queries = _median(get(f"/results/campaigns/{campaign.code}/ranking/"))
    _line("national ranking page (3,321 units)", page, queries, _floor(campaign.pk, ""))
    page, queries = _median(get(f"/api/v1/results/campaigns/{campaign.code}/heatmap/"))
    _line("API: national ranking (3,321 units)", page, queries, _floor(campaign.pk, ""))
    assessment = Assessment.objects.filter(campaign=campaign, unit__parent=province).first()
    page, queries = _median(get(f"/results/assessments/{assessment.pk}/"))
    _line("unit result page (39 indicators, 3 tracks)", page, queries, _floor(campaign.pk, assessment.unit.path))
