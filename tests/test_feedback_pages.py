"""The coordinator's survey pages: the list of surveys one sees, a new survey (a bad unit code or a minimum out of
range is shown on the form with what was typed kept), one survey's public link and answers per channel, open and
close, printed slips; results appear only once it is closed. Others see but do not change; strangers get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.models import Survey, SurveyTemplate, SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_opens_collects_and_closes_a_survey(client_for):
    client = client_for("dieuphoi")
    assert client.get(reverse("feedback:surveys")).status_code == 200
    template = SurveyTemplate.objects.get(code="sipas").pk
    bad = client.post(reverse("feedback:survey_new"), {"unit_key": "00004", "template": template, "min_responses": 3})
    assert bad.status_code == 200 and bad.context["form"]["unit_key"].value() == "00004"
    assert "unit_key" in bad.context["form"].errors and not Survey.objects.exists()
    low = client.post(reverse("feedback:survey_new"), {"unit_key": "11413", "template": template, "min_responses": 2})
    assert "min_responses" in low.context["form"].errors and not Survey.objects.exists()
    made = client.post(reverse("feedback:survey_new"), {"unit_key": "11413", "template": template, "min_responses": 5})
    survey = Survey.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("feedback:survey", args=[survey.pk])
    page = client.get(made["Location"]).content.decode()
    assert f"/s/{survey.public_code}/" in page and "Kết quả chỉ hiển thị khi cuộc khảo sát đã đóng." in page
    client.post(reverse("feedback:survey_state", args=[survey.pk]), {"status": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    slips = client.post(reverse("feedback:survey_tokens", args=[survey.pk]), {"count": 12})
    assert slips.status_code == 200 and len(slips.context["codes"]) == 12 and SurveyToken.objects.count() == 12
    for value in (5, 5, 4, 4, 2):
        response_submit(survey=survey, channel="qr", answers=good_answers(survey, value))
    open_page = client.get(reverse("feedback:survey", args=[survey.pk]))
    assert open_page.context["results"] is None and open_page.context["total"] == 5
    client.post(reverse("feedback:survey_state", args=[survey.pk]), {"status": "closed"})
    closed = client.get(reverse("feedback:survey", args=[survey.pk]))
    assert closed.context["results"].overall.n == 5 and "80,0 %" in closed.content.decode()


def test_bad_state_changes_are_refused_with_a_message(client_for, users):
    survey = sipas_survey(users["dieuphoi"])
    client = client_for("dieuphoi")
    response = client.post(reverse("feedback:survey_state", args=[survey.pk]), {"status": "closed"}, follow=True)
    assert response.status_code == 200 and Survey.objects.get().status == "draft"
    assert any("không thể chuyển" in str(m) for m in response.context["messages"])
    for bad in ({"count": "0"}, {"count": "nhiều"}, {}):
        assert client.post(reverse("feedback:survey_tokens", args=[survey.pk]), bad).status_code == 302
    assert not SurveyToken.objects.exists()


@pytest.mark.parametrize(("persona", "sees", "manages"), [
    ("quantri", True, True), ("dieuphoi", True, True), ("lanhdao", True, False), ("daumoi", True, False),
    ("xem", True, False),
])  # fmt: skip
def test_who_sees_and_who_changes_a_survey(client_for, users, persona, sees, manages):
    survey = sipas_survey(users["dieuphoi"])
    client = client_for(persona)
    page = client.get(reverse("feedback:survey", args=[survey.pk]))
    assert page.status_code == (200 if sees else 404)
    assert page.context["can_manage"] is manages
    client.post(reverse("feedback:survey_state", args=[survey.pk]), {"status": "open"})
    assert Survey.objects.get().status == ("open" if manages else "draft")


def test_a_stranger_sees_no_survey(client, stranger, users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")
    client.force_login(stranger)
    assert client.get(reverse("feedback:survey", args=[survey.pk])).status_code == 404
    assert survey.public_code not in client.get(reverse("feedback:surveys")).content.decode()
    assert client.post(reverse("feedback:survey_state", args=[survey.pk]), {"status": "closed"}).status_code == 404
