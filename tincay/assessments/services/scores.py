"""Keeping the materialised scores (AssessmentScore) in step with the results."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from tincay.assessments import scoring, selectors
from tincay.assessments.models import Assessment, AssessmentScore, CriterionResult


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


def campaign_rescore_bulk(campaign_id: int, tracks: tuple[str, ...] = ("self", "scorer", "final")) -> int:
    """Score every assessment of a campaign in a few queries (after a bulk import): one read of all results,
    the engine in memory, one bulk write. Returns the number of assessments scored."""
    assessments = list(Assessment.objects.filter(campaign_id=campaign_id).select_related("campaign__version"))
    if not assessments:
        return 0
    version = assessments[0].campaign.version
    specs = {s.code: s for s in selectors.criterion_specs(version.pk)}
    rows = (
        CriterionResult.objects.filter(assessment__campaign_id=campaign_id)
        .order_by("assessment_id")
        .values_list(
            "assessment_id",
            "criterion__code",
            "self_level",
            "self_value",
            "scorer_level",
            "scorer_value",
            "final_level",
            "final_value",
            "na",
        )
    )
    by_assessment: dict[int, list[tuple]] = {}
    for row in rows.iterator(chunk_size=20000):
        by_assessment.setdefault(row[0], []).append(row)
    scores = []
    for assessment_id, results in by_assessment.items():
        present = [specs[r[1]] for r in results]
        for track in tracks:
            index = {"self": 2, "scorer": 4, "final": 6}[track]
            answers = {
                r[1]: scoring.Answer(
                    level=r[index] or None, value=None if r[index + 1] is None else float(r[index + 1]), na=r[8]
                )
                for r in results
            }
            result = scoring.score(version.scoring, present, answers)
            scores.append(
                AssessmentScore(
                    assessment_id=assessment_id,
                    track=track,
                    total=result.total,
                    classification=result.classification or "",
                    complete=result.complete,
                    indicators={c: [i.score, i.colour] for c, i in result.indicators.items() if i.applicable},
                    pillars={c: p.score for c, p in result.pillars.items()},
                )
            )
    with transaction.atomic():
        AssessmentScore.objects.filter(assessment__campaign_id=campaign_id, track__in=tracks).delete()
        AssessmentScore.objects.bulk_create(scores, batch_size=2000)
        Assessment.objects.filter(campaign_id=campaign_id).update(scores_stale=False)
    return len(by_assessment)
