"""Individual responses are for administrators only, after close: a page of them and a CSV, with option labels,
no token and no time; everyone else 403, administrators too before close."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    for value in (5, 4, 2):
        response_submit(survey=survey, channel=Channel.QR, answers=good_answers(survey, value))
    return survey


def test_administrators_read_them_after_close(users, survey, client_for):
    url = reverse("feedback:responses", args=[survey.pk])
    assert client_for("quantri").get(url).status_code == 403  # open: nobody, administrators included
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    page = client_for("quantri").get(url)
    html = page.content.decode()
    assert page.status_code == 200 and len(page.context["rows"]) == 3
    assert "Nộp hồ sơ và nhận kết quả trực tuyến; Rút ngắn thời gian giải quyết" in html  # labels, not keys
    assert "Cán bộ nhiệt tình." in html and "Áp phích mã QR" in html
    csv = client_for("quantri").get(url + "?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert csv.status_code == 200 and text.count("\r\n") == 4 and "token" not in text.lower()
    assert (
        "Phiếu trả lời cá nhân"
        in client_for("quantri").get(reverse("feedback:survey", args=[survey.pk])).content.decode()
    )


@pytest.mark.parametrize("persona", ["dieuphoi", "xem", "daumoi", "chamdiem"])
def test_everyone_else_is_refused_even_after_close(users, survey, client_for, persona):
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    url = reverse("feedback:responses", args=[survey.pk])
    assert client_for(persona).get(url).status_code in (403, 404)
    assert client_for(persona).get(url + "?format=csv").status_code in (403, 404)
