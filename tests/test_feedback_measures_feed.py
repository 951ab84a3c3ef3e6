"""A closed survey's aggregates land in the criteria its questions are bound to: the share satisfied of the SIPAS
"overall" question becomes criterion 3.1.5's measured value in the unit's assessment, with the survey named, the
number of responses and the Wilson interval; shown in the assessment as survey-based. Suppressed figures feed
nothing; a self-assessment already submitted keeps the unit's value and shows the survey's beside it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from tests.assessment_fixtures import make_campaign
from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, MeasuredValue
from tincay.audit.models import AuditEvent
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set
from tincay.feedback.stats import wilson_interval

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(users):
    return make_campaign(users)


def _survey_with_answers(users, campaign, overall: list[int], **kwargs):
    survey = sipas_survey(users["dieuphoi"], campaign=campaign, **kwargs)
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    for value in overall:
        answers = good_answers(survey)
        answers["overall"] = value
        response_submit(survey=survey, channel=Channel.LINK, answers=answers)
    return survey


def _result(campaign, code: str = "3.1.5"):
    assessment = Assessment.objects.get(campaign=campaign, unit__key="11413")
    return assessment.results.select_related("criterion").get(criterion__code=code)


def test_closing_feeds_the_share_satisfied_into_the_bound_criterion(users, campaign):
    survey = _survey_with_answers(users, campaign, [5] * 9 + [4] * 4 + [2] * 3 + [1] * 1)  # 13 of 17 satisfied
    result = _result(campaign)
    assert result.self_value is None and not MeasuredValue.objects.exists()

    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)

    result.refresh_from_db()
    measured = MeasuredValue.objects.get(result=result)
    low, high = wilson_interval(13, 17)
    assert result.self_value == Decimal("76.47")  # 13/17 = 76.470…%
    assert measured.value == Decimal("76.47") and measured.n == 17 and measured.applied
    assert measured.low <= Decimal(str(100 * low)) and measured.low > Decimal(str(100 * low)) - Decimal("0.01")
    assert measured.high >= Decimal(str(100 * high)) and measured.high < Decimal(str(100 * high)) + Decimal("0.01")
    assert measured.source == "survey" and measured.source_ref == f"survey:{survey.pk}"
    assert measured.title_vi == survey.title_vi and measured.url == reverse("feedback:survey", args=[survey.pk])
    event = AuditEvent.objects.get(action="feedback.survey_closed")
    assert event.after["measures"] == {"3.1.5": "76.47"}
    assert AuditEvent.objects.filter(action="assessments.result_measured", object_id=str(result.pk)).exists()
    assert result.assessment.scores_stale or Assessment.objects.get(pk=result.assessment_id).scores_stale


def test_the_assessment_shows_the_value_as_survey_based_with_the_survey_named(users, campaign, client_for):
    survey = _survey_with_answers(users, campaign, [5] * 12)
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    result = _result(campaign)
    page = client_for("daumoi").get(reverse("assessments:indicator", args=[result.assessment_id, "3.1"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Theo khảo sát" in html and survey.title_vi in html and "12 phiếu" in html
    survey_page = client_for("dieuphoi").get(reverse("feedback:survey", args=[survey.pk])).content.decode()
    assert "Tiêu chí được đo bằng cuộc khảo sát này" in survey_page and "đã ghi vào kết quả tự đánh giá" in survey_page


def test_a_suppressed_figure_feeds_nothing(users, campaign):
    survey = _survey_with_answers(users, campaign, [5] * 4, min_responses=10)
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    assert _result(campaign).self_value is None and not MeasuredValue.objects.exists()
    with translation.override("en"):
        event = AuditEvent.objects.get(action="feedback.survey_closed")
    assert "3.1.5" in event.after["measures"] and event.after["measures"]["3.1.5"] != ""


def test_a_submitted_self_assessment_keeps_its_value_and_shows_the_survey_beside_it(users, campaign):
    survey = _survey_with_answers(users, campaign, [4] * 10)
    result = _result(campaign)
    result.self_value = Decimal("95")
    result.save(update_fields=["self_value"])
    Assessment.objects.filter(pk=result.assessment_id).update(state=State.SUBMITTED)
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    result.refresh_from_db()
    measured = MeasuredValue.objects.get(result=result)
    assert result.self_value == Decimal("95") and measured.value == Decimal("100") and not measured.applied


def test_a_survey_outside_a_campaign_feeds_nothing(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    for _n in range(12):
        response_submit(survey=survey, channel=Channel.QR, answers=good_answers(survey, 5))
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    assert not MeasuredValue.objects.exists()


def test_a_survey_in_a_campaign_the_unit_is_not_in_is_refused(users):
    from tincay.feedback.services.surveys import SurveyInputError

    campaign = make_campaign(users, units={"parent": "31"})
    with pytest.raises(SurveyInputError) as refused:
        sipas_survey(users["dieuphoi"], campaign=campaign)
    assert "campaign" in refused.value.errors
