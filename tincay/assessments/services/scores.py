"""Keeping the materialised scores (AssessmentScore) in step with the results.

One assessment (``assessment_rescore``, through ``scores_refresh``) and a whole campaign (``campaign_rescore_bulk``)
are scored by the same adapter (``selectors.score_stored``) and stored through the same ``selectors.score_columns``,
so both give the same totals, classes, indicator scores and flagged values for the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import groupby

from django.db import transaction
from django.db.models import F, QuerySet

from tincay.assessments import scoring, selectors
from tincay.assessments.models import Assessment, AssessmentScore, CriterionResult


def mark_stale(assessment_ids: Iterable[int]) -> None:
    Assessment.objects.filter(pk__in=list(assessment_ids), scores_stale=False).update(scores_stale=True)


@transaction.atomic
def assessment_rescore(assessment: Assessment) -> None:
    """Run the engine for the three tracks and store the outcome."""
    stored = selectors.assessment_scores_checked(assessment)
    for track in stored.results:
        AssessmentScore.objects.update_or_create(
            assessment=assessment, track=track, defaults=selectors.score_columns(stored, track)
        )
    Assessment.objects.filter(pk=assessment.pk).update(scores_stale=False)


def scores_refresh(assessments: QuerySet[Assessment]) -> int:
    """Rescore the stale ones among ``assessments`` (a queryset); returns how many were refreshed.

    Views, the API and the portal call it on what they are about to show, before the (read-only) selectors."""
    stale = list(assessments.filter(scores_stale=True).select_related("campaign__version"))
    for assessment in stale:
        assessment_rescore(assessment)
    return len(stale)


def campaign_rescore_bulk(campaign_id: int, tracks: Sequence[str] = scoring.TRACKS) -> int:
    """Score every assessment of a campaign in a few queries (after a bulk import): one streamed read of all
    results, the engine in memory one assessment at a time, one bulk write. Returns the number scored."""
    campaign_assessments = Assessment.objects.filter(campaign_id=campaign_id)
    first = campaign_assessments.select_related("campaign__version").first()
    if first is None:
        return 0
    version = first.campaign.version
    criteria = selectors.version_criteria(version.pk)
    rows = (
        CriterionResult.objects.filter(assessment__campaign_id=campaign_id)
        .order_by("assessment_id")
        .values("assessment_id", *selectors.RESULT_VALUES, code=F("criterion__code"))
    )
    scores, scored = [], 0
    for assessment_id, group in groupby(rows.iterator(chunk_size=20000), key=lambda row: row["assessment_id"]):
        stored = selectors.score_stored(version.scoring, criteria, group, tracks)
        scores += [
            AssessmentScore(assessment_id=assessment_id, track=t, **selectors.score_columns(stored, t)) for t in tracks
        ]
        scored += 1
    with transaction.atomic():
        AssessmentScore.objects.filter(assessment__campaign_id=campaign_id, track__in=tracks).delete()
        AssessmentScore.objects.bulk_create(scores, batch_size=2000)
        campaign_assessments.update(scores_stale=False)
    return scored
