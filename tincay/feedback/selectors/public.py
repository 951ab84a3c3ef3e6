"""What the public reads of citizens' surveys (the portal, the campaign's open-data snapshot): **closed surveys
only**, whatever the queryset passed in, with the same figures and the same suppression as
:mod:`~tincay.feedback.selectors.results` and :mod:`~tincay.feedback.selectors.summary`.

- :func:`closed_survey`: one closed survey by its public code (the address on the poster), or None (one query);
- :func:`closed_summaries`: many closed surveys with their summary (overall and factors): four queries, whatever the
  number of surveys (one when there is none);
- :func:`closed_results`: many closed surveys with their full results (per question too), as
  :func:`~tincay.feedback.selectors.results.survey_results` gives them one by one, in four queries whatever the
  number of surveys, questions and answers (the open-data snapshot of a national campaign).

Nothing here reads a text answer's content, a response's key or its day: texts are only counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion
from tincay.feedback.selectors.results import SurveyResults, _question_result, _satisfactions, _Tally
from tincay.feedback.selectors.results import _tallies as results_tallies
from tincay.feedback.selectors.summary import SurveySummary, surveys_summary


def closed(surveys: QuerySet[Survey]) -> QuerySet[Survey]:
    return surveys.filter(status=SurveyStatus.CLOSED)


def closed_survey(code: str) -> Survey | None:
    """The closed survey whose public code is ``code``, with its unit, template and campaign; None for any other
    (a draft, a test, an open survey: results never show before close). One query."""
    return closed(Survey.objects.select_related("unit", "template", "campaign")).filter(public_code=code).first()


@dataclass(frozen=True)
class ClosedSurvey:
    """A closed survey (with its unit and campaign loaded) and its summary."""

    survey: Survey
    summary: SurveySummary


def closed_summaries(surveys: QuerySet[Survey]) -> list[ClosedSurvey]:
    """The closed surveys of ``surveys`` (an unsliced queryset, in its order) with their summaries: four queries,
    one when there is none."""
    chosen = closed(surveys)
    by_id = {s.survey_id: s for s in surveys_summary(chosen)}
    if not by_id:
        return []
    listed = chosen.select_related("unit", "campaign")
    return [ClosedSurvey(survey, by_id[survey.pk]) for survey in listed if survey.pk in by_id]


# --- full results of many surveys -------------------------------------------------------------------------------


def _channels(ids: QuerySet) -> dict[int, dict[str, int]]:
    """Per survey, its real responses per channel, every channel listed (as ``results.survey_channels``)."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Response.objects.filter(survey__in=ids, test=False)
        .values_list("survey_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for survey_id, channel, n in rows:
        counts[survey_id][channel] = n
    split: dict[int, dict[str, int]] = {}
    for survey_id, found in counts.items():
        by_channel = {channel: found.pop(channel, 0) for channel in Channel.values}
        by_channel.update(found)  # a channel retired since keeps its responses in the total
        split[survey_id] = by_channel
    return split


def _tallies(ids: QuerySet, questions: list[SurveyQuestion]) -> dict[int, _Tally]:
    """One query: the real answers of every survey, tallied as ``results._tallies`` does for one."""
    return results_tallies(Answer.objects.filter(question__survey__in=ids, response__test=False), questions)


def closed_results(surveys: QuerySet[Survey]) -> list[tuple[Survey, SurveyResults]]:
    """The closed surveys of ``surveys`` (an unsliced queryset, in its order; unit and template loaded) with their
    results, equal to ``survey_results`` of each: four queries whatever their number."""
    listed = list(closed(surveys).select_related("unit", "template"))
    if not listed:
        return []
    ids = closed(surveys).values("pk")
    questions = list(SurveyQuestion.objects.filter(survey__in=ids).order_by("survey_id", "order", "pk"))
    by_survey: dict[int, list[SurveyQuestion]] = defaultdict(list)
    for question in questions:
        by_survey[question.survey_id].append(question)
    channels = _channels(ids)
    tallies = _tallies(ids, questions)
    out = []
    for survey in listed:
        threshold = max(survey.min_responses, 1)
        own = by_survey[survey.pk]
        by_channel = channels.get(survey.pk) or dict.fromkeys(Channel.values, 0)
        results = tuple(_question_result(q, tallies[q.pk], survey.template, threshold) for q in own)
        factors, overall = _satisfactions(own, tallies, survey.template, threshold)
        out.append(
            (
                survey,
                SurveyResults(
                    survey_id=survey.pk,
                    min_responses=threshold,
                    responses=sum(by_channel.values()),
                    by_channel=by_channel,
                    questions=results,
                    factors=factors,
                    overall=overall,
                    by_key={r.key: r for r in results},
                ),
            )
        )
    return out
