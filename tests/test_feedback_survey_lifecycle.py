"""A coordinator creates a survey of a unit from the SIPAS template, adapts a question, tries it in test mode (the
test answers are discarded when it goes live), opens and closes it (closing is audited); questions lock at the
first real answer; only administrators and the coordinators over the unit do any of it."""

from __future__ import annotations

import pytest

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.feedback.models import Response, Survey, SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import (
    survey_question_update,
    survey_status_set,
    survey_tokens_issue,
    token_digest,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("quantri", True), ("dieuphoi", True), ("lanhdao", False), ("daumoi", False), ("congchuc", False),
     ("chamdiem", False), ("thamdinh", False), ("xem", False)],
)  # fmt: skip
def test_only_administrators_and_the_coordinators_over_the_unit_create_surveys(users, persona, allowed):
    if allowed:
        survey = sipas_survey(users[persona])
        assert survey.status == "draft" and survey.questions.count() == 23
        assert survey.title_vi.endswith("Phường Hải An") and len(survey.public_code) >= 12
        assert AuditEvent.objects.filter(action="feedback.survey_created").exists()
    else:
        with pytest.raises(Refused):
            sipas_survey(users[persona])
        assert not Survey.objects.exists()


def test_bad_input_is_refused_whole_and_nothing_stored(users):
    with pytest.raises(InvalidInput) as caught:
        sipas_survey(users["dieuphoi"], title_vi=5, min_responses=0)
    assert set(caught.value.errors) == {"title_vi", "min_responses"}
    assert not Survey.objects.exists()


def test_test_mode_answers_are_discarded_when_the_survey_goes_live(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="test")
    response_submit(survey=survey, channel="link", answers=good_answers(survey))
    assert Response.objects.filter(survey=survey, test=True).count() == 1
    question = survey.questions.get(key="access-seats")
    survey_question_update(actor=users["dieuphoi"], question=question, text_vi="Có đủ ghế ngồi chờ")  # not locked
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")
    assert not Response.objects.filter(survey=survey).exists()
    event = AuditEvent.objects.get(action="feedback.survey_open")
    assert event.after["test_answers_discarded"] >= 1


def test_questions_lock_at_the_first_real_answer_and_closing_is_audited(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")
    response_submit(survey=survey, channel="qr", answers=good_answers(survey))
    with pytest.raises(InvalidInput) as caught:
        survey_question_update(actor=users["dieuphoi"], question=survey.questions.first(), text_vi="Khác")
    assert "__all__" in caught.value.errors
    with pytest.raises(Refused):
        survey_status_set(actor=users["xem"], survey=survey, status="closed")
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="closed", reason="Hết hạn khảo sát")
    event = AuditEvent.objects.get(action="feedback.survey_closed")
    assert event.after == {"status": "closed", "responses": 1} and event.reason == "Hết hạn khảo sát"
    with pytest.raises(InvalidInput):
        survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")  # closing is final
    with pytest.raises(InvalidInput):
        response_submit(survey=survey, channel="link", answers=good_answers(survey))


def test_tokens_are_kept_only_as_digests(users):
    survey = sipas_survey(users["dieuphoi"])
    codes = survey_tokens_issue(actor=users["dieuphoi"], survey=survey, count=50)
    assert len(set(codes)) == 50 and all(len(code) == 10 for code in codes)
    stored = set(SurveyToken.objects.filter(survey=survey).values_list("digest", flat=True))
    assert stored == {token_digest(code) for code in codes} and not stored & set(codes)
    for bad in (0, 5001, "10", True):
        with pytest.raises(InvalidInput):
            survey_tokens_issue(actor=users["dieuphoi"], survey=survey, count=bad)
    with pytest.raises(Refused):
        survey_tokens_issue(actor=users["daumoi"], survey=survey, count=5)
    assert SurveyToken.objects.filter(survey=survey).count() == 50
