"""A closed survey's aggregates feed the criteria its questions are bound to (``SurveyQuestion.measures``).

When a survey of a unit in a campaign closes, each scale or number question bound to a measured criterion gives
that criterion of the unit's assessment its value: the share satisfied in % (scale) or the mean (number), with
the number of responses and the 95 % interval, and the survey named as the source. The assessments service
(``result_measured_record``) checks and records it, and writes it into the self-assessment while the unit can
still change it. A figure suppressed below the survey's minimum of responses feeds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tincay.assessments.choices import MeasureSource
from tincay.assessments.models import Assessment, MeasuredValue
from tincay.assessments.services.measured import result_measured_record
from tincay.common.errors import InvalidInput
from tincay.feedback.bindings import FEEDS
from tincay.feedback.choices import QuestionKind
from tincay.feedback.models import Survey
from tincay.feedback.selectors.results import QuestionResult, survey_results

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Fed:
    """What one bound question gave its criterion: the value (None when nothing was fed) and why not."""

    key: str
    code: str
    value: Decimal | None = None
    applied: bool = False
    reason: str = ""


def source_ref(survey: Survey) -> str:
    return f"survey:{survey.pk}"


def _figure(question: QuestionResult) -> tuple[Decimal, Decimal | None, Decimal | None]:
    """The value with its interval, rounded outwards so that the interval still contains the value."""
    if question.kind == QuestionKind.LIKERT and question.satisfied is not None:
        share = question.satisfied
        value = Decimal(str(share.percent)).quantize(CENT, ROUND_HALF_UP)
        low = Decimal(str(share.low_percent)).quantize(CENT, ROUND_FLOOR)
        high = Decimal(str(share.high_percent)).quantize(CENT, ROUND_CEILING)
    else:
        mean = question.mean
        value = Decimal(str(mean.value)).quantize(CENT, ROUND_HALF_UP)
        low = None if mean.low is None else max(Decimal(0), Decimal(str(mean.low)).quantize(CENT, ROUND_FLOOR))
        high = None if mean.high is None else Decimal(str(mean.high)).quantize(CENT, ROUND_CEILING)
    if low is not None and high is not None:
        low, high = min(low, value), max(high, value)
    return value, low, high


def survey_measures_feed(*, actor: Any, survey: Survey) -> list[Fed]:
    """Feed the bound criteria of the unit's assessment in the survey's campaign from the closed ``survey``;
    returns what each bound question gave. Nothing for a survey outside a campaign or not closed."""
    bound = [q for q in survey.questions.all() if q.measures.count(".") == 2 and q.kind in FEEDS]
    if not bound or survey.campaign_id is None or survey.closed_on is None:
        return []
    assessment = Assessment.objects.filter(campaign_id=survey.campaign_id, unit_id=survey.unit_id).first()
    if assessment is None:
        return [Fed(q.key, q.measures, reason=_("The unit has no assessment in this campaign.")) for q in bound]
    results = survey_results(survey)
    fed: list[Fed] = []
    for question in bound:
        figures = results.question(question.key)
        if figures is None or figures.suppressed:
            fed.append(Fed(question.key, question.measures, reason=_("Too few responses to give a figure.")))
            continue
        value, low, high = _figure(figures)
        try:
            measured = result_measured_record(
                actor=actor,
                assessment=assessment,
                criterion_code=question.measures,
                value=value,
                low=low,
                high=high,
                n=figures.n,
                source=MeasureSource.SURVEY,
                source_ref=source_ref(survey),
                title_vi=survey.title_vi,
                title_en=survey.title_en,
                url=reverse("feedback:survey", args=[survey.pk]),
                measured_on=survey.closed_on,
            )
        except InvalidInput as exc:  # refused too (Refused is an InvalidInput)
            reason = " ".join(str(m) for messages in exc.errors.values() for m in messages)
            fed.append(Fed(question.key, question.measures, reason=reason))
        else:
            fed.append(Fed(question.key, question.measures, value=measured.value, applied=measured.applied))
    return fed


def measured_from(survey: Survey) -> list[MeasuredValue]:
    """The criteria values this survey gave, for its page."""
    return list(
        MeasuredValue.objects.filter(source_ref=source_ref(survey))
        .select_related("result__criterion", "result__assessment")
        .order_by("result__criterion__order")
    )
