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
import time

from django.db import connection, transaction
from django.utils import timezone

from bench.measure import analyze, line, median, reference, signed_in, sql_floor
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
from tincay.rollout.selectors.board import PAGE_SIZE

CODE = "bench-rollout-national"
PHASES = ["preparation", "training", "self_assessment", "action_programme", "reporting"]
ACTIONS_PER_PROGRAMME = 10

# The board's own numbers from the tables alone: units and stuck units per phase (a unit in the last phase whose
# report is sent is not stuck), the units the filters keep ({kept}), and one page of those units with what their
# gates read of the entry, their unit and its parent.
STUCK = "e.phase_since < %s AND (e.current_phase <> 'reporting' OR e.report_sent_on IS NULL)"
COUNTS_FLOOR = """
SELECT e.current_phase, COUNT(*), SUM(CASE WHEN {stuck} THEN 1 ELSE 0 END), SUM(CASE WHEN {kept} THEN 1 ELSE 0 END)
FROM rollout_rolloutunit e JOIN orgunits_adminunit u ON u.id = e.unit_id
WHERE e.rollout_id = %s GROUP BY e.current_phase
"""
PHASE_AND_NAME = "e.current_phase = %s AND u.search_text LIKE %s"
PAGE_FLOOR = """
SELECT e.id, e.unit_id, e.current_phase, e.phase_since, e.report_sent_on, e.steering_decision_id,
       e.support_team_document_id, e.survey_submitted_at, u.key, u.name, p.name
FROM rollout_rolloutunit e JOIN orgunits_adminunit u ON u.id = e.unit_id
LEFT JOIN orgunits_adminunit p ON p.id = u.parent_id
WHERE e.rollout_id = %s AND {kept} ORDER BY u.sort_key, e.id LIMIT %s OFFSET %s
"""
# What the page shows around its rows: the rollout with its template, campaign and owner, and the phases.
ROLLOUT_FLOOR = """
SELECT r.id, r.code, r.title_vi, r.starts_on, r.ends_on, r.stuck_after_days, t.title_vi, t.version,
       t.stuck_after_days, c.code, c.title_vi, o.name
FROM rollout_rollout r JOIN rollout_phasetemplate t ON t.id = r.template_id
LEFT JOIN assessments_campaign c ON c.id = r.campaign_id LEFT JOIN orgunits_adminunit o ON o.id = r.owner_unit_id
WHERE r.code = %s
"""
PHASES_FLOOR = 'SELECT * FROM rollout_phasedefinition WHERE template_id = %s ORDER BY "order"'
# The gates of the page's fifty units, from the data they are derived from ({ids}: the page's entries, {units}:
# their units, as the page itself selects them).
PAGE_RECORDS_FLOOR = """
SELECT r.rollout_unit_id, r.phase, r.skipped FROM rollout_phaserecord r
WHERE r.rollout_unit_id IN ({ids}) ORDER BY r.entered_on, r.id
"""
PAGE_HAND_FLOOR = """
SELECT g.rollout_unit_id, g.gate, g.met, g.reason FROM rollout_gaterecord g
WHERE g.rollout_unit_id IN ({ids}) ORDER BY g.recorded_at, g.id
"""
PAGE_TRAINED_FLOOR = """
SELECT a.unit_id, COUNT(DISTINCT a.session_id) FROM rollout_attendance a
JOIN rollout_trainingsession s ON s.id = a.session_id
WHERE s.rollout_id = %s AND s.held_on <= %s AND a.unit_id IN ({units}) GROUP BY a.unit_id
"""
PAGE_ASSESSMENTS_FLOOR = """
SELECT a.unit_id, a.submitted_at, g.id, g.approved_version_id,
       COUNT(CASE WHEN x.status <> 'cancelled' THEN 1 END), COUNT(CASE WHEN x.status = 'done' THEN 1 END)
FROM assessments_assessment a LEFT JOIN improvement_programme g ON g.assessment_id = a.id
LEFT JOIN improvement_action x ON x.programme_id = g.id
WHERE a.campaign_id = %s AND a.unit_id IN ({units}) GROUP BY a.unit_id, a.submitted_at, g.id, g.approved_version_id
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


def generate(rng: random.Random) -> Rollout:
    """One rollout over every commune of today, written straight to the tables."""
    communes = list(AdminUnit.objects.filter(valid_to__isnull=True, level="commune").order_by("pk"))
    template = PhaseTemplate.objects.get(code="five-phases", version=1)
    today = timezone.localdate()
    start = today - dt.timedelta(days=400)
    with transaction.atomic():
        # the national campaign of the full run, else this module's own (kept from an earlier run)
        campaign = Campaign.objects.filter(code__in=["bench-national-2026", "bench-rollout-campaign"]).first()
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
    analyze()
    n = rollout.units.count()
    print(
        f"  {'generate: national rollout (3,321 units, 10 actions each)':<54} "
        f"{1000 * (time.perf_counter() - start):8.0f}ms  ({n:,} units)",
        flush=True,
    )
    get = signed_in("quantri")

    cutoff = timezone.localdate() - dt.timedelta(days=rollout.stuck_after_days or rollout.template.stuck_after_days)
    base = f"/rollout/{CODE}/"
    print(f"\n  rollout board (issue 10): {n:,} units, page of {PAGE_SIZE}")
    first_page = _board_floor(rollout, cutoff, 0)
    line("board, first page (units × phases, gates)", median(get(base)), first_page)
    line("board, stuck only", median(get(base + "?stuck=1")), _board_floor(rollout, cutoff, 0, STUCK, [cutoff]))
    line(
        "board, phase 4, name 'xa'",
        median(get(base + "?phase=action_programme&q=xa")),
        _board_floor(rollout, cutoff, 0, PHASE_AND_NAME, ["action_programme", "%xa%"]),
    )
    line("board, page 40", median(get(base + "?page=40")), _board_floor(rollout, cutoff, 39 * PAGE_SIZE))
    line(
        f"export CSV, all {n:,} units with gates",
        median(get(base + "export.csv")),
        sql_floor(
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
    line(
        "one unit's entry (history, every gate)",
        median(get(f"{base}units/{first.unit.key}/")),
        sql_floor([(ENTRY_FLOOR, [first.pk])]),
    )
    reference()


def _board_floor(rollout: Rollout, cutoff: dt.date, offset: int, kept: str = "TRUE", kept_params=()) -> float:
    """The board's numbers from the tables alone: the rollout and its phases, the counts per phase, one page of the
    units the filters keep (``kept``, an SQL condition on ``e`` and ``u``) and the data their current phase's
    gates are derived from."""
    counts = (COUNTS_FLOOR.format(stuck=STUCK, kept=kept), [cutoff, *kept_params, rollout.pk])
    page_query = (PAGE_FLOOR.format(kept=kept), [rollout.pk, *kept_params, PAGE_SIZE, offset])
    with connection.cursor() as cursor:
        cursor.execute(*page_query)
        page = cursor.fetchall()
    ids, units = [row[0] for row in page], [row[1] for row in page]
    marks = {"ids": ", ".join(["%s"] * len(ids)) or "NULL", "units": ", ".join(["%s"] * len(units)) or "NULL"}
    return sql_floor(
        [
            (ROLLOUT_FLOOR, [rollout.code]),
            (PHASES_FLOOR, [rollout.template_id]),
            counts,
            page_query,
            (PAGE_RECORDS_FLOOR.format(**marks), ids),
            (PAGE_HAND_FLOOR.format(**marks), ids),
            (PAGE_TRAINED_FLOOR.format(**marks), [rollout.pk, timezone.localdate(), *units]),
            (PAGE_ASSESSMENTS_FLOOR.format(**marks), [rollout.campaign_id, *units]),
        ]
    )
