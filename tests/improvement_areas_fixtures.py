"""Helpers of the areas-to-improve tests: an assessment brought to approved with chosen final levels."""

from __future__ import annotations

from collections import defaultdict

from tests.assessment_fixtures import complete
from tincay.assessments.models import Assessment, CriterionResult
from tincay.assessments.services.scores import mark_stale


def approve(assessment: Assessment, *, state: str = "approved") -> Assessment:
    """Every criterion answered (final green everywhere), then the assessment approved (or published) as the
    appraisal council leaves it."""
    complete(assessment)
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    mark_stale([assessment.pk])
    assessment.refresh_from_db()
    return assessment


def set_final(assessment: Assessment, levels: dict[str, str]) -> None:
    """Final levels by criterion code ("na" makes the criterion not applicable), then the scores go stale as a
    saved result makes them."""
    for code, level in levels.items():
        rows = CriterionResult.objects.filter(assessment=assessment, criterion__code=code)
        if level == "na":
            rows.update(na=True, na_reason="Không có dịch vụ này.", self_level="", self_value=None, final_level="")
        else:
            rows.update(na=False, na_reason="", final_level=level)
    mark_stale([assessment.pk])


def indicators_of(assessment: Assessment) -> list[tuple[str, list[tuple[str, float]]]]:
    """The indicators of the assessment in catalogue order with their applicable criteria and weights:
    (indicator code, [(criterion code, weight), ...]). No measured value is stored in these tests, so every
    criterion's final level is the one set (a measured value would decide it)."""
    rows = (
        CriterionResult.objects.filter(assessment=assessment)
        .select_related("criterion__indicator__pillar")
        .order_by("criterion__indicator__pillar__order", "criterion__indicator__order", "criterion__order")
    )
    assert not rows.filter(final_value__isnull=False).exists()
    by_indicator: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for r in rows:
        by_indicator[r.criterion.indicator.code].append((r.criterion.code, float(r.criterion.weight)))
    return list(by_indicator.items())
