"""Bulk rescoring (``campaign_rescore_bulk``) and one-by-one rescoring (``scores_refresh``) store the same scores.

Property over random stored rows under each roll-up (weighted_average, worst_of, points): random levels, measured
values, points and N/A, including values that today's rules refuse (points above the maximum, a value on a
management criterion, a percentage over 100; on SQLite also an unknown level, N/A with a level and a number too
long for the column, written with the CHECK constraints switched off). Both paths read the rows through one adapter,
so every track's total, class, completeness, indicator and pillar scores and flagged values must be equal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assessment_fixtures import checks_off, make_campaign
from tincay.assessments.models import Assessment, AssessmentScore, CriterionResult
from tincay.assessments.services.scores import campaign_rescore_bulk, scores_refresh
from tincay.catalogue.models import Criterion, FrameworkVersion
from tincay.catalogue.scheme import DEFAULT_SCHEME

pytestmark = pytest.mark.django_db
SQLITE = connection.vendor == "sqlite"
ROLLUPS = ["weighted_average", "worst_of", "points"]
INDICATORS = ("1.1", "1.2", "2.1")  # a performance criterion (1.1.6) among management ones
# on top of the profile (tests/conftest.py: 150 examples in CI, 25 locally), capped at 60: each example writes
# about 40 rows and rescores twice through the database (60 examples x 3 roll-ups take about 25 s in CI)
PROPERTY = settings(
    max_examples=min(settings.default.max_examples, 60),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def campaign(users):
    """Two units; a few criteria get a maximum of 4 points, one is measured in %."""
    campaign = make_campaign(users, code="khop-diem", units={"a": "11413", "b": "11311"})
    criteria = Criterion.objects.filter(version=campaign.version, indicator__code__in=INDICATORS)
    codes = sorted(criteria.values_list("code", flat=True))
    Criterion.objects.filter(version=campaign.version, code__in=codes[::2]).update(max_points=4)
    Criterion.objects.filter(version=campaign.version, code="1.1.6").update(measure_unit_vi="%", measure_unit_en="%")
    return campaign


LEVELS = ["", "red", "yellow", "green"] + (["purple"] if SQLITE else [])
NUMBERS = st.one_of(
    st.none(),
    st.decimals(0, 150, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal("0"), Decimal("70"), Decimal("90"), Decimal("250")]),  # 250 %: over 100
    *([st.just(Decimal("12345678901.12345"))] if SQLITE else []),  # too long for the column (SQLite keeps it)
)
POINTS = st.one_of(st.none(), st.decimals(0, 6, places=3, allow_nan=False, allow_infinity=False))


@st.composite
def stored_row(draw: st.DrawFn) -> dict[str, Any]:
    row = {
        "na": draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False,
        "self_level": draw(st.sampled_from(LEVELS)),
        "self_value": draw(NUMBERS),
        "self_points": draw(POINTS),
        "scorer_level": draw(st.sampled_from(LEVELS)),
        "scorer_value": draw(NUMBERS),
        "final_level": draw(st.sampled_from(LEVELS)),
        "final_value": draw(NUMBERS),
    }
    if row["na"] and not SQLITE:  # PostgreSQL keeps its CHECK: N/A without a level or value
        row.update(self_level="", self_value=None)
    return row


def _stored(campaign) -> dict[tuple[int, str], tuple]:
    return {
        (s.assessment_id, s.track): (
            s.total,
            s.classification,
            s.complete,
            s.indicators,
            s.pillars,
            s.problems,
        )
        for s in AssessmentScore.objects.filter(assessment__campaign=campaign)
    }


def _rows(campaign) -> list[int]:
    return list(
        CriterionResult.objects.filter(
            assessment__campaign=campaign, criterion__indicator__code__in=INDICATORS
        ).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("rollup", ROLLUPS)
def test_bulk_rescore_equals_one_by_one_under_every_rollup(campaign, rollup):
    scheme = {**DEFAULT_SCHEME, "rollup": rollup}
    FrameworkVersion.objects.filter(pk=campaign.version_id).update(scoring=scheme)
    pks = _rows(campaign)

    @PROPERTY
    @given(rows=st.lists(stored_row(), min_size=len(pks), max_size=len(pks)))
    def check(rows: list[dict[str, Any]]) -> None:
        with checks_off():
            for pk, values in zip(pks, rows, strict=True):
                CriterionResult.objects.filter(pk=pk).update(**values)
        Assessment.objects.filter(campaign=campaign).update(scores_stale=True)
        assert scores_refresh(Assessment.objects.filter(campaign=campaign)) == 2
        one_by_one = _stored(campaign)
        assert campaign_rescore_bulk(campaign.pk) == 2
        bulk = _stored(campaign)
        assert bulk.keys() == one_by_one.keys() and len(bulk) == 6
        for key, single in one_by_one.items():
            assert bulk[key] == single, key

    check()


def test_points_given_directly_count_in_bulk_as_in_single(campaign):
    """The bug this module guards: bulk ignored ``self_points`` (0.0 against 100.0 under a points scheme)."""
    FrameworkVersion.objects.filter(pk=campaign.version_id).update(scoring={**DEFAULT_SCHEME, "rollup": "points"})
    assessment = campaign.assessments.get(unit__key="11413")
    for result in assessment.results.select_related("criterion"):
        top = result.criterion.max_points if result.criterion.max_points > 0 else Decimal(1)
        CriterionResult.objects.filter(pk=result.pk).update(self_points=top)
    Assessment.objects.filter(pk=assessment.pk).update(scores_stale=True)
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))
    single = AssessmentScore.objects.get(assessment=assessment, track="self").total
    campaign_rescore_bulk(campaign.pk)
    bulk = AssessmentScore.objects.get(assessment=assessment, track="self").total
    assert single == pytest.approx(100.0) and bulk == single
