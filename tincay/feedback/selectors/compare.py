"""A closed survey beside the others: the same unit's earlier surveys, followed through the 2025 mergers (its
predecessors' surveys count as its history), and the other units' surveys of the same campaign (or, outside a
campaign, of the same template under the same parent unit in the same year).

Only what the reader sees (``access.surveys_visible_to``) and only closed surveys are compared; every figure is the
summary of :mod:`~tincay.feedback.selectors.summary` (suppressed below each survey's own minimum). Four queries for
the lineage, one for the candidates, three for the summaries, whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tincay.feedback import access
from tincay.feedback.choices import SurveyStatus
from tincay.feedback.models import Survey
from tincay.feedback.selectors.summary import PooledSummary, SurveySummary, pooled_summary, surveys_summary
from tincay.orgunits.selectors import lineage_closure

PEERS_MAX = 500  # other units' surveys on one page
EARLIER_MAX = 10


@dataclass(frozen=True)
class Row:
    survey: Survey
    summary: SurveySummary


@dataclass(frozen=True)
class Change:
    """The difference from the previous survey, in percentage points, for overall and each factor shown in both."""

    key: str
    title_vi: str
    title_en: str
    now: float
    before: float

    @property
    def points(self) -> float:
        return self.now - self.before


@dataclass(frozen=True)
class Comparison:
    this: Row
    earlier: list[Row] = field(default_factory=list)  # newest first
    peers: list[Row] = field(default_factory=list)  # by overall satisfaction, highest first
    peers_pooled: PooledSummary | None = None
    changes: list[Change] = field(default_factory=list)
    peers_cut: bool = False


def _changes(now: SurveySummary, before: SurveySummary) -> list[Change]:
    pairs = [(now.overall, before.overall)] + [(f, before.factor(f.key)) for f in now.factors]
    return [
        Change(a.key, a.title_vi, a.title_en, a.satisfied.percent, b.satisfied.percent)
        for a, b in pairs
        if a is not None and b is not None and not a.suppressed and not b.suppressed
    ]


def _overall(row: Row) -> float:
    figure = row.summary.overall
    return -1.0 if figure is None or figure.suppressed else figure.satisfied.percent


def survey_comparison(user: Any, survey: Survey) -> Comparison | None:
    """The comparison for ``user``, or None while the survey is not closed or the user does not see it."""
    if not access.can_see_results(user, survey):
        return None
    visible = access.surveys_visible_to(user).filter(status=SurveyStatus.CLOSED)
    lineage = [unit.pk for _depth, unit in lineage_closure(survey.unit, "predecessors")] + [survey.unit_id]
    earlier_ids = list(
        visible.filter(unit_id__in=lineage, closed_on__lte=survey.closed_on)
        .exclude(pk=survey.pk)
        .order_by("-closed_on", "-pk")
        .values_list("pk", flat=True)[:EARLIER_MAX]
    )
    if survey.campaign_id:
        peers = visible.filter(campaign_id=survey.campaign_id)
    else:
        peers = visible.filter(
            campaign__isnull=True,
            template__code=survey.template.code,
            unit__parent_id=survey.unit.parent_id,
            closed_on__year=survey.closed_on.year,
        )
    peer_ids = list(peers.exclude(unit_id=survey.unit_id).order_by("unit__sort_key").values_list("pk", flat=True))
    cut = len(peer_ids) > PEERS_MAX
    peer_ids = peer_ids[:PEERS_MAX]
    surveys = {
        s.pk: s
        for s in Survey.objects.select_related("unit", "template").filter(pk__in=[survey.pk, *earlier_ids, *peer_ids])
    }
    summaries = {s.survey_id: s for s in surveys_summary(Survey.objects.filter(pk__in=list(surveys)))}
    this = Row(surveys[survey.pk], summaries[survey.pk])
    earlier = [Row(surveys[pk], summaries[pk]) for pk in earlier_ids if pk in summaries]
    others = sorted((Row(surveys[pk], summaries[pk]) for pk in peer_ids if pk in summaries), key=_overall, reverse=True)
    return Comparison(
        this=this,
        earlier=earlier,
        peers=others,
        peers_pooled=pooled_summary([row.summary for row in others]) if others else None,
        changes=_changes(this.summary, earlier[0].summary) if earlier else [],
        peers_cut=cut,
    )
