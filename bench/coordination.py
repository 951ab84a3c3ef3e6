"""Benchmark of issue 10: the coordinator's view of programmes at national size — a campaign over every commune of
today (3,321), each with a programme of 10 actions and 5 areas to improve (4 selected, one nobody acts on) — page
by page beside the bare SQL aggregate that computes the same per-unit figures (its floor).

Run alone with ``make bench BENCH_ARGS="--only coordination"`` (or ``python -m bench.run --only coordination``):
it needs only the units and the demo accounts. ``BENCH_COORDINATION_UNITS=200`` takes fewer communes (Hải Phòng's
first) for a quick check. Data are written straight to the tables (the services would audit 33,000 actions); the
campaign is its own (``bench-coordination-2026``), so the other parts' data stay as they made them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import time

from django.db import transaction
from django.utils import timezone

from bench.measure import analyze, line, median, reference, signed_in, sql_floor
from tincay.assessments.models import Assessment, Campaign
from tincay.catalogue.models import Indicator
from tincay.catalogue.selectors import version_by_ref
from tincay.improvement.choices import ActionStatus, ProgrammeStatus
from tincay.improvement.models import Action, ImprovementArea, Programme
from tincay.improvement.rules import default_progress
from tincay.orgunits.models import AdminUnit

CODE = "bench-coordination-2026"
ACTIONS_PER_PROGRAMME = 10
AREAS_PER_UNIT = 5  # the first four selected; actions serve the first three: one area per unit nobody acts on
STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED]

# Every unit's figures from the tables alone, in the page's order: the actions' sums per unit, then the areas nobody
# acts on counted per unit — the numbers the page shows for each unit (before paging; the totals need them all).
# The actions are summed per programme before they meet the units (grouped with the units' names, the database
# sorts every action row by them); the idle areas in a statement of their own (a correlated count inside the
# grouped one runs per action row: PostgreSQL took 9.9 s at national size with it, under load).
AGGREGATE_FLOOR = """
SELECT a.id, u.key, u.name, par.name, p.id, p.status, s.weighted, s.weights, s.actions, s.cancelled, s.overdue,
       s.budget
FROM assessments_assessment a
JOIN orgunits_adminunit u ON u.id = a.unit_id
LEFT JOIN orgunits_adminunit par ON par.id = u.parent_id
LEFT JOIN improvement_programme p ON p.assessment_id = a.id
LEFT JOIN (
    SELECT x.programme_id,
           SUM(CASE WHEN x.status IN ('not_started', 'in_progress', 'done') AND x.weight > 0
                    THEN CAST(x.weight AS BIGINT) * x.progress END) AS weighted,
           SUM(CASE WHEN x.status IN ('not_started', 'in_progress', 'done') AND x.weight > 0 THEN x.weight END)
               AS weights,
           COUNT(x.id) AS actions,
           COUNT(CASE WHEN x.status = 'cancelled' THEN 1 END) AS cancelled,
           COUNT(CASE WHEN x.status IN ('not_started', 'in_progress') AND x.deadline < %s THEN 1 END) AS overdue,
           SUM(CASE WHEN x.status IN ('not_started', 'in_progress', 'done') THEN x.budget_vnd END) AS budget
    FROM improvement_action x
    JOIN improvement_programme xp ON xp.id = x.programme_id
    JOIN assessments_assessment xa ON xa.id = xp.assessment_id
    JOIN orgunits_adminunit xu ON xu.id = xa.unit_id
    WHERE xa.campaign_id = %s AND xu.path LIKE %s
    GROUP BY x.programme_id
) s ON s.programme_id = p.id
WHERE a.campaign_id = %s AND u.path LIKE %s
ORDER BY u.sort_key, a.id
"""
IDLE_FLOOR = """
SELECT ar.assessment_id, COUNT(*)
FROM improvement_improvementarea ar
JOIN assessments_assessment a ON a.id = ar.assessment_id
JOIN orgunits_adminunit u ON u.id = a.unit_id
WHERE a.campaign_id = %s AND u.path LIKE %s AND ar.selected = TRUE
  AND NOT EXISTS (SELECT 1 FROM improvement_action_areas l JOIN improvement_action y ON y.id = l.action_id
                   WHERE l.improvementarea_id = ar.id AND y.status <> 'cancelled')
GROUP BY ar.assessment_id
"""


# The export also names the areas nobody acts on, unit by unit.
IDLE_CODES_FLOOR = """
SELECT ar.assessment_id, i.code, c.code
FROM improvement_improvementarea ar
JOIN assessments_assessment a ON a.id = ar.assessment_id
JOIN orgunits_adminunit u ON u.id = a.unit_id
LEFT JOIN catalogue_indicator i ON i.id = ar.indicator_id
LEFT JOIN catalogue_criterion c ON c.id = ar.criterion_id
WHERE a.campaign_id = %s AND u.path LIKE %s AND ar.selected = TRUE
  AND NOT EXISTS (SELECT 1 FROM improvement_action_areas l JOIN improvement_action y ON y.id = l.action_id
                   WHERE l.improvementarea_id = ar.id AND y.status <> 'cancelled')
ORDER BY ar.assessment_id, ar.rank, ar.id
"""


def _floor(campaign: Campaign, path_prefix: str, *, export: bool = False) -> float:
    """The page's figures from the tables alone; for the ``export``, the idle areas' codes of every unit too."""
    scope = [campaign.pk, f"{path_prefix}%"]
    statements = [(AGGREGATE_FLOOR, [timezone.localdate(), *scope, *scope]), (IDLE_FLOOR, scope)]
    if export:
        statements.append((IDLE_CODES_FLOOR, scope))
    return sql_floor(statements)


def _communes() -> list[AdminUnit]:
    """Today's communes, Hải Phòng's first (so that a small run still has the demo coordinator's units)."""
    communes = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").select_related("parent"))
    communes.sort(key=lambda u: (u.parent.key != "31" if u.parent else True, u.key))
    size = os.environ.get("BENCH_COORDINATION_UNITS")
    return communes[: int(size)] if size else communes


def _action(programme: Programme, number: int, today: dt.date, rng: random.Random) -> Action:
    status = rng.choice(STATUSES)
    progress = rng.randrange(1, 100) if status == ActionStatus.IN_PROGRESS else default_progress(status)
    return Action(
        programme=programme,
        number=number,
        title=f"Nhiệm vụ {number}",
        deadline=today + dt.timedelta(days=rng.randrange(-180, 180)),
        status=status,
        progress=progress,
        weight=rng.choice((1, 1, 1, 2, 3)),
        budget_vnd=rng.randrange(0, 500) * 1_000_000 if rng.random() < 0.7 else None,
    )


def generate(rng: random.Random) -> Campaign:
    """The campaign, its assessments, a programme of 10 actions and 5 areas per unit, written straight to the
    tables (bulk) — the services would audit every row."""
    communes = _communes()
    version = version_by_ref("tcvn-iso-18091", "2020")
    indicators = list(Indicator.objects.filter(version=version).order_by("order")[:AREAS_PER_UNIT])
    today = timezone.localdate()
    with transaction.atomic():
        campaign = Campaign.objects.create(
            code=CODE,
            title_vi="Chương trình hành động toàn quốc (đo hiệu năng)",
            year=2026,
            version=version,
            self_assessment_due=today,
            scoring_due=today,
            appraisal_due=today,
            publication_due=today,
        )
        Assessment.objects.bulk_create(
            [Assessment(campaign=campaign, unit=u, state="published") for u in communes], batch_size=2000
        )
        assessments = list(campaign.assessments.order_by("pk"))
        statuses = [ProgrammeStatus.DRAFT, ProgrammeStatus.APPROVED, ProgrammeStatus.APPROVED, ProgrammeStatus.CHANGED]
        Programme.objects.bulk_create(
            [Programme(assessment=a, title="Chương trình hành động", status=rng.choice(statuses)) for a in assessments],
            batch_size=2000,
        )
        ImprovementArea.objects.bulk_create(
            [
                ImprovementArea(
                    assessment=a, indicator=i, selected=n < AREAS_PER_UNIT - 1, rank=n + 1, priority=1, level="red"
                )
                for a in assessments
                for n, i in enumerate(indicators)
            ],
            batch_size=5000,
        )
        programmes = list(Programme.objects.filter(assessment__campaign=campaign).order_by("pk"))
        Action.objects.bulk_create(
            [_action(p, n, today, rng) for p in programmes for n in range(1, ACTIONS_PER_PROGRAMME + 1)],
            batch_size=5000,
        )
        areas: dict[int, list[int]] = {}
        for pk, assessment_id in (
            ImprovementArea.objects.filter(assessment__campaign=campaign)
            .order_by("rank")
            .values_list("pk", "assessment_id")
        ):
            areas.setdefault(assessment_id, []).append(pk)
        links = Action.areas.through
        rows = Action.objects.filter(programme__assessment__campaign=campaign).values_list(
            "pk", "number", "programme__assessment_id"
        )
        links.objects.bulk_create(
            [links(action_id=pk, improvementarea_id=areas[a][n % 3]) for pk, n, a in rows],
            batch_size=5000,
        )
    return campaign


def run() -> None:
    rng = random.Random(18091)  # noqa: S311 - benchmark data
    old = Campaign.objects.filter(code=CODE).first()
    if old is not None:
        Programme.objects.filter(assessment__campaign=old).delete()
        old.assessments.all().delete()
        old.delete()
    start = time.perf_counter()
    campaign = generate(rng)
    analyze()
    n = campaign.assessments.count()
    actions = Action.objects.filter(programme__assessment__campaign=campaign).count()
    print(
        f"  {'generate: programmes (10 actions, 5 areas per unit)':<54} "
        f"{1000 * (time.perf_counter() - start):8.0f}ms  ({n:,} units, {actions:,} actions)",
        flush=True,
    )

    admin, coordinator = signed_in("quantri"), signed_in("dieuphoi")
    base = f"/improvement/coordination/?campaign={CODE}"
    export = f"/improvement/coordination/export.csv?campaign={CODE}"
    national = _floor(campaign, "")
    hai_phong = campaign.assessments.filter(unit__path__startswith="31/").count()
    print(f"\n  coordinator's programmes (issue 10): {n:,} units × {ACTIONS_PER_PROGRAMME} actions, page of 100")
    line(f"national view, {n:,} units (admin), first page", median(admin(base)), national)
    last = max(1, -(-n // 100))
    line(f"national view, {n:,} units (admin), page {last}", median(admin(f"{base}&page={last}")), national)
    line(f"export CSV, all {n:,} units", median(admin(export)), _floor(campaign, "", export=True))
    if hai_phong:
        floor_31 = _floor(campaign, "31/")
        line(f"coordinator of Hải Phòng, {hai_phong} units", median(coordinator(base)), floor_31)
        line(f"admin narrowed to Hải Phòng, {hai_phong} units", median(admin(base + "&province=31")), floor_31)
    reference()
