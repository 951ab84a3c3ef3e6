"""Keeping the materialised scores (AssessmentScore) in step with the results."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from tincay.assessments import selectors
from tincay.assessments.models import Assessment, AssessmentScore


def mark_stale(assessment_ids: Iterable[int]) -> None:
    Assessment.objects.filter(pk__in=list(assessment_ids), scores_stale=False).update(scores_stale=True)


@transaction.atomic
def assessment_rescore(assessment: Assessment) -> None:
    """Run the engine for the three tracks and store the outcome."""
    results = selectors.assessment_scores(assessment)
    for track, result in results.items():
        AssessmentScore.objects.update_or_create(
            assessment=assessment,
            track=track,
            defaults={
                "total": result.total,
                "classification": result.classification or "",
                "complete": result.complete,
                "indicators": {code: [i.score, i.colour] for code, i in result.indicators.items() if i.applicable},
                "pillars": {code: p.score for code, p in result.pillars.items()},
            },
        )
    Assessment.objects.filter(pk=assessment.pk).update(scores_stale=False)


def scores_refresh(assessments) -> int:
    """Rescore the stale ones among ``assessments`` (a queryset); returns how many were refreshed."""
    stale = list(assessments.filter(scores_stale=True).select_related("campaign__version"))
    for assessment in stale:
        assessment_rescore(assessment)
    return len(stale)
