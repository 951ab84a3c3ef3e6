"""Benchmark of issue 10: the rollout board at national size — one rollout over every commune of today (3,321),
spread over the five phases, with a campaign (assessments, approved programmes of 10 actions each), training
sessions with attendance and gates recorded by hand — page by page beside the bare SQL that computes the same
numbers (its floor).

Run alone with ``make bench BENCH_ARGS="--only rollout"`` (or ``python -m bench.run --only rollout``): it needs
only the units and the demo accounts, which it loads when they are missing. Data are written straight to the
tables (the services would audit and notify 3,321 times).
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tincay.assessments.models import Assessment, Campaign
from tincay.catalogue.selectors import version_by_ref
from tincay.improvement.models import Action, Programme, ProgrammeVersion
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import (
    Attendance,
    GateRecord,
    PhaseRecord,
    PhaseTemplate,
    Rollout,
    RolloutUnit,
    TrainingSession,
)

CODE = "bench-rollout-national"
REPEAT = 9
PHASES = ["preparation", "training", "self_assessment", "action_programme", "reporting"]
ACTIONS_PER_PROGRAMME = 10

# The board's own numbers from the tables alone: units and stuck units per phase, and one page of units with
# their phase, since when and their parent — what the page shows before gates and history.
COUNTS_FLOOR = """
SELECT e.current_phase, COUNT(*), SUM(CASE WHEN e.phase_since < %s THEN 1 ELSE 0 END)
FROM rollout_rolloutunit e WHERE e.rollout_id = %s GROUP BY e.current_phase
"""
PAGE_FLOOR = """
SELECT e.id, e.current_phase, e.phase_since, u.key, u.name, p.name
FROM rollout_rolloutunit e JOIN orgunits_adminunit u ON u.id = e.unit_id
LEFT JOIN orgunits_adminunit p ON p.id = u.parent_id
WHERE e.rollout_id = %s ORDER BY u.sort_key, e.id LIMIT 50
"""
# The export's data from the tables alone: every entry with its unit and parent, every phase record (the latest
# state of each phase), the gates recorded by hand, the training sessions attended per unit, and each unit's
# assessment with its programme and action counts (the data the gates are derived from).
EXPORT_FLOOR = """
SELECT e.id, e.current_phase, e.phase_since, e.report_sent_on, e.steering_decision_id, e.support_team_document_id,
       e.survey_submitted_at, u.key, u.name, p.name
FROM rollout_rolloutunit e JOIN orgunits_adminunit u ON u.id = e.unit_id
LEFT JOIN orgunits_adminunit p ON p.id = u.parent_id
WHERE e.rollout_id = %s ORDER BY u.sort_key, e.id
"""
EXPORT_RECORDS_FLOOR = """
SELECT r.rollout_unit_id, r.phase, r.skipped FROM rollout_phaserecord r
JOIN rollout_rolloutunit e ON e.id = r.rollout_unit_id WHERE e.rollout_id = %s ORDER BY r.entered_on, r.id
"""
EXPORT_HAND_FLOOR = """
SELECT g.rollout_unit_id, g.gate, g.met, g.reason FROM rollout_gaterecord g
JOIN rollout_rolloutunit e ON e.id = g.rollout_unit_id WHERE e.rollout_id = %s ORDER BY g.recorded_at, g.id
"""
EXPORT_TRAINED_FLOOR = """
SELECT a.unit_id, COUNT(DISTINCT a.session_id) FROM rollout_attendance a
JOIN rollout_trainingsession s ON s.id = a.session_id
WHERE s.rollout_id = %s AND s.held_on <= %s GROUP BY a.unit_id
"""
EXPORT_ASSESSMENTS_FLOOR = """
SELECT a.unit_id, a.submitted_at, g.id, g.approved_version_id,
       COUNT(CASE WHEN x.status <> 'cancelled' THEN 1 END), COUNT(CASE WHEN x.status = 'done' THEN 1 END)
FROM assessments_assessment a LEFT JOIN improvement_programme g ON g.assessment_id = a.id
LEFT JOIN improvement_action x ON x.programme_id = g.id
WHERE a.campaign_id = %s GROUP BY a.unit_id, a.submitted_at, g.id, g.approved_version_id
"""

ENTRY_FLOOR = """
SELECT e.id, e.current_phase, e.phase_since, r.phase, r.entered_on, r.left_on, r.skipped
FROM rollout_rolloutunit e JOIN rollout_phaserecord r ON r.rollout_unit_id = e.id WHERE e.id = %s
"""


def _median(action) -> tuple[float, float, int]:
    action()
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            action()
            times.append(1000 * (time.perf_counter() - start))
        queries = len(captured)
    return statistics.median(times), sorted(times)[int(0.9 * (len(times) - 1))], queries


def _sql(queries: list[tuple[str, list]]) -> float:
    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in queries:
                cursor.execute(sql, params)
                cursor.fetchall()

    return _median(run)[0]


def _line(label: str, page: tuple[float, float, int], floor_ms: float) -> None:
    median, p90, queries = page
    print(
        f"  {label:<54} {median:8.1f}ms p90 {p90:7.1f}ms {queries:4d}q   floor {floor_ms:7.1f}ms"
        f"   ratio {median / floor_ms:5.2f}",
        flush=True,
    )


def generate(rng: random.Random) -> Rollout:
    """One rollout over every commune of today, written straight to the tables."""
    communes = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").order_by("pk"))
    template = PhaseTemplate.objects.get(code="five-phases", version=1)
    today = timezone.localdate()
    start = today - dt.timedelta(days=400)
    with transaction.atomic():
        campaign = Campaign.objects.filter(code="bench-national-2026").first()
        if campaign is None:
            campaign = Campaign.objects.create(
                code="bench-rollout-campaign",
                title_vi="Bench rollout",
                year=2026,
                version=version_by_ref("tcvn-iso-18091", "2020"),
                self_assessment_due=today,
                scoring_due=today,
                appraisal_due=today,
                publication_due=today,
            )
            Assessment.objects.bulk_create([Assessment(campaign=campaign, unit=u) for u in communes], batch_size=2000)
        rollout = Rollout.objects.create(
            code=CODE,
            title_vi="Triển khai toàn quốc (đo hiệu năng)",
            owner_unit=communes[0].parent,
            template=template,
            campaign=campaign,
            starts_on=start,
        )
        phase_of = {u.pk: rng.randrange(5) for u in communes}
        entries = RolloutUnit.objects.bulk_create(
            [
                RolloutUnit(
                    rollout=rollout,
                    unit=u,
                    current_phase=PHASES[phase_of[u.pk]],
                    phase_since=today - dt.timedelta(days=rng.randrange(0, 120)),
                    survey_submitted_at=timezone.now() if phase_of[u.pk] >= 1 else None,
                    report_sent_on=today if phase_of[u.pk] == 4 and rng.random() < 0.5 else None,
                )
                for u in communes
            ],
            batch_size=2000,
        )
        if entries[0].pk is None:
            entries = list(RolloutUnit.objects.filter(rollout=rollout).order_by("pk"))
        records = []
        for entry in entries:
            reached = PHASES.index(entry.current_phase)
            day = start
            for i in range(reached):
                records.append(PhaseRecord(rollout_unit=entry, phase=PHASES[i], entered_on=day, left_on=day))
            records.append(PhaseRecord(rollout_unit=entry, phase=entry.current_phase, entered_on=entry.phase_since))
        PhaseRecord.objects.bulk_create(records, batch_size=5000)
        GateRecord.objects.bulk_create(
            [
                GateRecord(rollout_unit=e, gate="steering_decision", met=True, reason="Bản giấy tại UBND.")
                for e in entries
                if rng.random() < 0.3
            ],
            batch_size=5000,
        )
        sessions = []
        for province in {u.parent_id for u in communes}:
            session = TrainingSession.objects.create(
                rollout=rollout, held_on=start + dt.timedelta(days=30), trainer="Bench", topic="TCVN ISO 18091"
            )
            session.units.add(*[u for u in communes if u.parent_id == province])
            sessions.append((province, session))
        by_province = dict(sessions)
        Attendance.objects.bulk_create(
            [
                Attendance(session=by_province[u.parent_id], name=f"Cán bộ {u.key}", unit=u)
                for u in communes
                if phase_of[u.pk] >= 2
            ],
            batch_size=5000,
        )
        assessments = {a.unit_id: a for a in Assessment.objects.filter(campaign=campaign, unit__in=communes)}
        late = [assessments[u.pk] for u in communes if phase_of[u.pk] >= 3 and u.pk in assessments]
        Assessment.objects.filter(pk__in=[a.pk for a in late]).update(submitted_at=timezone.now())
        # programmes another benchmark made for the same assessments are kept as they are
        free = Assessment.objects.filter(pk__in=[a.pk for a in late], programme__isnull=True)
        programmes = Programme.objects.bulk_create(
            [Programme(assessment=a, title="Chương trình hành động") for a in free], batch_size=2000
        )
        if programmes and programmes[0].pk is None:
            programmes = list(Programme.objects.filter(assessment__in=free, approved_version__isnull=True))
        now = timezone.now()
        versions = ProgrammeVersion.objects.bulk_create(
            [ProgrammeVersion(programme=p, number=1, content={}, approved_at=now) for p in programmes], batch_size=2000
        )
        if versions and versions[0].pk is None:
            versions = list(ProgrammeVersion.objects.filter(programme__in=programmes).order_by("programme_id"))
        for version in versions:
            Programme.objects.filter(pk=version.programme_id).update(approved_version=version)
        Action.objects.bulk_create(
            [
                Action(
                    programme=p,
                    number=n,
                    title=f"Hành động {n}",
                    deadline=today,
                    status=rng.choice(["done", "in_progress", "not_started"]),
                )
                for p in programmes
                for n in range(1, ACTIONS_PER_PROGRAMME + 1)
            ],
            batch_size=5000,
        )
    return rollout


def run() -> None:
    rng = random.Random(18091)  # noqa: S311 - benchmark data
    Rollout.objects.filter(code=CODE).delete()
    start = time.perf_counter()
    rollout = generate(rng)
    n = rollout.units.count()
    print(
        f"  {'generate: national rollout (3,321 units, 10 actions each)':<54} "
        f"{1000 * (time.perf_counter() - start):8.0f}ms  ({n:,} units)",
        flush=True,
    )
    client = Client()
    client.force_login(get_user_model().objects.get(username="quantri"))

    def get(url: str):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    cutoff = timezone.localdate() - dt.timedelta(days=rollout.stuck_after_days or rollout.template.stuck_after_days)
    board_floor = _sql([(COUNTS_FLOOR, [cutoff, rollout.pk]), (PAGE_FLOOR, [rollout.pk])])
    base = f"/rollout/{CODE}/"
    print(f"\n  rollout board (issue 10): {n:,} units, page of 50")
    _line("board, first page (units × phases, gates)", _median(get(base)), board_floor)
    _line("board, stuck only", _median(get(base + "?stuck=1")), board_floor)
    _line("board, phase 4, name 'xa'", _median(get(base + "?phase=action_programme&q=xa")), board_floor)
    _line("board, page 40", _median(get(base + "?page=40")), board_floor)
    _line(
        f"export CSV, all {n:,} units with gates",
        _median(get(base + "export.csv")),
        _sql(
            [
                (EXPORT_FLOOR, [rollout.pk]),
                (EXPORT_RECORDS_FLOOR, [rollout.pk]),
                (EXPORT_HAND_FLOOR, [rollout.pk]),
                (EXPORT_TRAINED_FLOOR, [rollout.pk, timezone.localdate()]),
                (EXPORT_ASSESSMENTS_FLOOR, [rollout.campaign_id]),
            ]
        ),
    )
    first = rollout.units.select_related("unit").order_by("pk").first()
    _line(
        "one unit's entry (history, every gate)",
        _median(get(f"{base}units/{first.unit.key}/")),
        _sql([(ENTRY_FLOOR, [first.pk])]),
    )
