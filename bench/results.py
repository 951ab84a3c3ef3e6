"""Benchmarks of issue 4: heat map of a 150-unit province, national ranking, unit result page, each beside the
bare SQL query that computes the same numbers from the criterion results (its floor); on today's national set
(3,321 communes × 10 campaigns, made by bench.assessments) and on the pre-2025 set (10,599 communes, one campaign,
made by bench.legacy).

``python -m bench.results`` measures again against a database that ``make bench`` left (``BENCH_KEEP=1``).
"""

from __future__ import annotations

import os
import random
import time

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tincay.config.settings")
    import django

    django.setup()

from django.contrib.auth import get_user_model
from django.test import Client

from bench import legacy
from bench.measure import median, sql_floor
from tincay.assessments.models import AssessmentScore, Campaign
from tincay.assessments.services.scores import campaign_rescore_bulk
from tincay.orgunits.models import AdminUnit

REPEAT = 9

_LEVEL = "CASE r.{track}_level WHEN 'green' THEN 1.0 WHEN 'yellow' THEN 0.5 ELSE 0.0 END"
_JOINS = """
FROM assessments_criterionresult r
JOIN catalogue_criterion c ON c.id = r.criterion_id
JOIN catalogue_indicator i ON i.id = c.indicator_id
JOIN assessments_assessment a ON a.id = r.assessment_id
JOIN orgunits_adminunit u ON u.id = a.unit_id
"""
# Indicator scores per assessment straight from the results (weighted mean of level values): the work a heat map
# needs if nothing were kept, the floor it is compared with.
HEATMAP_FLOOR = f"""
SELECT r.assessment_id, i.code, SUM(c.weight * {_LEVEL.format(track="final")}) / SUM(c.weight) AS score
{_JOINS}
WHERE a.campaign_id = %s AND r.na = FALSE AND r.final_level <> '' AND u.path LIKE %s
GROUP BY r.assessment_id, i.code
"""
# A ranking: every assessment's total (mean of its indicator scores), best first.
RANKING_FLOOR = f"""
SELECT s.assessment_id, AVG(s.score) AS total FROM ({HEATMAP_FLOOR}) s
GROUP BY s.assessment_id ORDER BY total DESC
"""  # noqa: S608 - constant SQL
# One unit's page: its indicator scores on the three tracks.
UNIT_FLOOR = f"""
SELECT i.code,
       SUM(c.weight * {_LEVEL.format(track="self")}) / SUM(c.weight),
       SUM(c.weight * {_LEVEL.format(track="scorer")}) / SUM(c.weight),
       SUM(c.weight * {_LEVEL.format(track="final")}) / SUM(c.weight)
{_JOINS}
WHERE r.assessment_id = %s AND r.na = FALSE
GROUP BY i.code
"""


def _median(action) -> tuple[float, int]:
    page_ms, _p90, queries = median(action, REPEAT)
    return page_ms, queries


def _sql(query: str, params: list) -> float:
    return sql_floor([(query, params)])


def _line(label: str, page_ms: float, queries: int, floor_ms: float) -> None:
    print(
        f"  {label:<54} {page_ms:8.1f}ms {queries:4d}q   floor {floor_ms:8.1f}ms   ratio {page_ms / floor_ms:5.2f}",
        flush=True,
    )


def _client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))
    return client


def measure(campaign: Campaign, province: AdminUnit, label: str) -> None:
    client = _client()

    def get(url: str):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    code = campaign.code
    n_province = campaign.assessments.filter(unit__path__startswith=province.path).count()
    n_all = campaign.assessments.count()
    print(f"\n  {label}: campaign {code}, {n_all:,} units; province {province.name} ({n_province} units)")
    heat_floor = _sql(HEATMAP_FLOOR, [campaign.pk, f"{province.path}%"])
    rank_floor = _sql(RANKING_FLOOR, [campaign.pk, "%"])
    _line(
        f"heat map page, {n_province} units × 39",
        *_median(get(f"/results/campaigns/{code}/?unit={province.key}")),
        heat_floor,
    )
    _line(
        f"API: heat map, {n_province} units × 39",
        *_median(get(f"/api/v1/results/campaigns/{code}/heatmap/?unit={province.key}")),
        heat_floor,
    )
    _line(f"ranking page, {n_all:,} units", *_median(get(f"/results/campaigns/{code}/ranking/")), rank_floor)
    _line(f"API: ranking, {n_all:,} units", *_median(get(f"/api/v1/results/campaigns/{code}/ranking/")), rank_floor)
    assessment = campaign.assessments.filter(unit__path__startswith=province.path).order_by("pk").first()
    unit_floor = _sql(UNIT_FLOOR, [assessment.pk])
    _line(
        "unit result page (39 indicators, 3 tracks)",
        *_median(get(f"/results/assessments/{assessment.pk}/")),
        unit_floor,
    )
    base, base_queries = _median(get("/accounts/password/change/"))
    print(
        f"  {'reference: lightest signed-in page (layout, no data)':<54} {base:8.1f}ms {base_queries:4d}q"
        "   (what any page costs before its own work)",
        flush=True,
    )
    _line("API: unit results", *_median(get(f"/api/v1/results/assessments/{assessment.pk}/")), unit_floor)


def _ensure_scored(campaign: Campaign) -> None:
    if not AssessmentScore.objects.filter(assessment__campaign=campaign).exists():
        campaign_rescore_bulk(campaign.pk)


def run(generate: bool = True) -> None:
    national = Campaign.objects.get(code="bench-national-2026")
    if generate:
        start = time.perf_counter()
        for other in Campaign.objects.filter(code__startswith="bench-national-"):
            campaign_rescore_bulk(other.pk)
        elapsed = 1000 * (time.perf_counter() - start)
        print(f"  {'score all national campaigns (materialised, 3 tracks)':<54} {elapsed:8.0f}ms")
    else:
        _ensure_scored(national)
    measure(national, AdminUnit.objects.get(key="25"), "today's national set")

    old = Campaign.objects.filter(code=legacy.CAMPAIGN).first()
    if old is None:
        start = time.perf_counter()
        old = legacy.generate(random.Random(2024))  # noqa: S311 - benchmark data
        sizes = legacy.sizes()
        print(
            f"\n  {'generate: pre-2025 set, one campaign, scored':<54} {1000 * (time.perf_counter() - start):8.0f}ms"
            f"  ({sizes['province']} + {sizes['district']} + {sizes['commune']:,} units,"
            f" {old.assessments.count():,} assessments)"
        )
    measure(old, AdminUnit.objects.get(key="17-2025"), "pre-2025 set")


if __name__ == "__main__":
    run(generate=False)
