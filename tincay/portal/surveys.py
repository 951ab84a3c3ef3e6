"""Citizens' satisfaction on the public portal: the closed surveys of a unit or of a campaign (overall and per factor,
pooled across a campaign's units) and one closed survey's full results.

Only closed surveys are ever read (``feedback.selectors.public``): a draft, test or open survey has no public figure
and no public page. Figures below a survey's minimum of responses arrive suppressed (no ``n``, no share) and the
templates show "too few answers" in their place. Each function runs a fixed number of queries, whatever the number
of surveys, questions and answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from tincay.assessments.models import Campaign
from tincay.feedback.choices import Channel
from tincay.feedback.models import Survey
from tincay.feedback.selectors.public import ClosedSurvey, closed_summaries, closed_survey
from tincay.feedback.selectors.results import SatisfactionResult, SurveyResults, results_public
from tincay.feedback.selectors.summary import PooledSatisfaction, PooledSummary, SurveySummary, pooled_summary
from tincay.orgunits.models import AdminUnit
from tincay.reports.selectors import public_campaigns, published_assessments, trend_assessments


@dataclass(frozen=True)
class SurveyRow:
    """One closed survey in a table: its figures per factor in the table's column order (None: not asked)."""

    survey: Survey
    summary: SurveySummary
    cells: tuple[SatisfactionResult | None, ...]


@dataclass(frozen=True)
class SurveyTable:
    """Closed surveys side by side: the factor columns (in the order they first appear; titles from the pooled
    figure), one row per survey, and the pooled totals."""

    rows: tuple[SurveyRow, ...] = ()
    columns: tuple[PooledSatisfaction, ...] = ()
    pooled: PooledSummary | None = None  # its factors are the columns, in the same order


def _table(found: list[ClosedSurvey]) -> SurveyTable:
    if not found:
        return SurveyTable()
    pooled = pooled_summary(item.summary for item in found)
    keys = [column.key for column in pooled.factors]
    rows = tuple(SurveyRow(i.survey, i.summary, tuple(i.summary.factor(k) for k in keys)) for i in found)
    return SurveyTable(rows, pooled.factors, pooled)


def unit_surveys(unit: AdminUnit) -> SurveyTable:
    """The unit's closed surveys, newest first (four queries)."""
    return _table(closed_summaries(Survey.objects.filter(unit=unit).order_by("-closed_on", "-pk")))


def campaign_surveys(campaign: Campaign) -> SurveyTable:
    """The campaign's closed surveys, by unit, with the campaign-wide pooled figures (four queries)."""
    surveys = Survey.objects.filter(campaign=campaign).order_by("unit__sort_key", "unit__key", "closed_on", "pk")
    return _table(closed_summaries(surveys))


@dataclass(frozen=True)
class SurveyPage:
    survey: Survey
    results: SurveyResults
    channels: list[tuple[str, int]]  # (label, real responses), every channel
    satisfied: dict[str, str]  # the scale point from which an answer counts as satisfied: label_vi, label_en
    unit_page: bool  # the unit has a public page (a published result, its own or its predecessors')
    campaign_page: bool  # the survey's campaign has a public page


def survey_page(code: str) -> SurveyPage | None:
    """One closed survey's public results, or None when there is no closed survey at that code (six queries, a few
    more for a unit with a long lineage)."""
    survey = closed_survey(code)
    if survey is None:
        return None
    results = results_public(survey)
    if results is None:  # pragma: no cover - closed_survey only finds closed surveys
        return None
    labels = dict(Channel.choices)
    point = next((p for p in survey.template.scale if p.get("value") == survey.template.satisfied_from), {})
    return SurveyPage(
        survey=survey,
        results=results,
        channels=[(str(labels.get(key, key)), n) for key, n in results.by_channel.items()],
        satisfied={
            "label_vi": point.get("vi") or str(survey.template.satisfied_from),
            "label_en": point.get("en", ""),
        },
        unit_page=trend_assessments(survey.unit, published_assessments()).exists(),
        campaign_page=survey.campaign_id is not None and public_campaigns().filter(pk=survey.campaign_id).exists(),
    )
