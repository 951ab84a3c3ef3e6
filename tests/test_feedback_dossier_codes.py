"""One-use codes keyed by the dossier code of a case: the coordinator registers the codes of the cases handled at
the counter; each citizen answers once with the code of their case; malformed, repeated or known codes are refused
whole; only digests are kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.common.errors import InvalidInput, Refused
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.models import Response, SurveyToken
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set, survey_tokens_register, token_digest

pytestmark = pytest.mark.django_db
CODES = ["H31.45-241130-0001", "H31.45-241130-0002"]


@pytest.fixture
def survey(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    return survey


def test_a_citizen_answers_once_with_the_code_of_their_case(users, survey):
    assert survey_tokens_register(actor=users["dieuphoi"], survey=survey, codes=CODES) == 2
    assert set(SurveyToken.objects.values_list("digest", flat=True)) == {token_digest(c) for c in CODES}
    assert not SurveyToken.objects.filter(digest__in=CODES).exists()  # the codes themselves are not kept
    response_submit(survey=survey, channel=Channel.TOKEN, answers=good_answers(survey), token="h31.45-241130-0001 ")
    with pytest.raises(InvalidInput) as again:
        response_submit(survey=survey, channel=Channel.TOKEN, answers=good_answers(survey), token=CODES[0])
    assert "token" in again.value.errors and Response.objects.count() == 1


@pytest.mark.parametrize(
    "codes",
    [
        [],
        "H31.45-241130-0001",
        ["H31"],
        ["H31.45-241130-0001", "h31.45-241130-0001"],
        ["<script>alert(1)</script>"],
        [12345678],
        ["x" * 41],
    ],
)
def test_bad_codes_are_refused_whole(users, survey, codes):
    with pytest.raises(InvalidInput) as refused:
        survey_tokens_register(actor=users["dieuphoi"], survey=survey, codes=codes)
    assert "codes" in refused.value.errors and not SurveyToken.objects.exists()


def test_a_known_code_is_refused(users, survey):
    survey_tokens_register(actor=users["dieuphoi"], survey=survey, codes=CODES[:1])
    with pytest.raises(InvalidInput):
        survey_tokens_register(actor=users["dieuphoi"], survey=survey, codes=CODES)
    assert SurveyToken.objects.count() == 1


@pytest.mark.parametrize("persona", ["xem", "daumoi", "chamdiem"])
def test_only_those_who_run_the_survey_register_codes(users, survey, persona):
    with pytest.raises(Refused):
        survey_tokens_register(actor=users[persona], survey=survey, codes=CODES)
    assert not SurveyToken.objects.exists()


def test_the_page_registers_and_keeps_a_refused_list(survey, client_for):
    client = client_for("dieuphoi")
    url = reverse("feedback:survey_dossiers", args=[survey.pk])
    refused = client.post(url, {"codes": "H31.45-241130-0001\nsai mã!"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "sai mã!" in html and "Dòng 2" in html and not SurveyToken.objects.exists()
    done = client.post(url, {"codes": "\n".join(CODES)})
    assert done.status_code == 302 and SurveyToken.objects.count() == 2
    answer_page = client.get(reverse("survey:answer", args=[survey.public_code]) + "?via=token")
    assert "hoặc mã hồ sơ" in answer_page.content.decode()


def test_the_api_registers_codes_and_refuses_bad_ones(survey, client_for):
    client = client_for("dieuphoi")
    url = f"/api/v1/surveys/{survey.pk}/dossier-codes/"
    bad = client.post(url, {"codes": ["H31.45-241130-0001", "?"]}, content_type="application/json")
    assert bad.status_code == 400 and "codes" in bad.json()["errors"] and not SurveyToken.objects.exists()
    shape = client.post(url, {"codes": "H31.45-241130-0001"}, content_type="application/json")
    assert shape.status_code == 400 and not SurveyToken.objects.exists()
    done = client.post(url, {"codes": CODES}, content_type="application/json")
    assert done.status_code == 201 and done.json()["count"] == 2
    assert client_for("xem").post(
        url, {"codes": ["H31.45-241130-0009"]}, content_type="application/json"
    ).status_code in (
        403,
        404,
    )
