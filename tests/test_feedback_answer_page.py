"""The citizens' answer page: no log-in and no JavaScript, under 100 KB with its style sheet; a refused answer comes
back with its message and every choice kept; a robot filling the hidden field is thanked and nothing kept; a flood
from one address is slowed down while another address still answers; closed and draft surveys answer clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client, override_settings

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.models import Answer, Response
from tincay.feedback.services.surveys import survey_status_set, survey_tokens_issue

pytestmark = pytest.mark.django_db
LIMIT_3 = {"TINCAY_SURVEY_ANSWER_LIMIT": 3, "TINCAY_SURVEY_ANSWER_WINDOW_MINUTES": 10}


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(users):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="open")
    return survey


def _form(survey, **changes) -> dict:
    data = {key: value for key, value in good_answers(survey).items()}
    data.update(changes)
    return data


def test_the_page_is_light_has_no_script_and_asks_every_question(client, survey):
    response = client.get(f"/s/{survey.public_code}/?via=qr")
    html = response.content.decode()
    assert response.status_code == 200 and "<script" not in html.lower() and "bootstrap" not in html
    css = re.findall(r'href="([^"]+\.css)"', html)
    weight = len(response.content) + sum(Path(finders.find(p.removeprefix("/static/"))).stat().st_size for p in css)
    assert weight < 100 * 1024, weight
    assert html.count("<fieldset") == survey.questions.count()
    assert "Tiếp cận dịch vụ" in html and "Rất hài lòng" in html and 'lang="vi"' in html


def test_answers_are_taken_with_the_channel_of_the_link(client, survey):
    response = client.post(f"/s/{survey.public_code}/?via=qr", _form(survey))
    assert response.status_code == 302 and response["Location"].endswith("/thanks/")
    assert Response.objects.get(survey=survey).channel == "qr"
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_answer_comes_back_with_its_message_and_the_choices_kept(client, survey):
    data = _form(survey, overall="9")
    data.pop("result-correct")
    response = client.post(f"/s/{survey.public_code}/", data)
    html = response.content.decode()
    assert response.status_code == 400 and not Response.objects.exists()
    assert "Hãy chọn một mức trên thang đo." in html and "Xin Ông/Bà trả lời câu hỏi này." in html
    assert 'name="access-seats" value="4" checked' in html  # what was chosen is kept
    assert 'value="online" checked' in html and "Cán bộ nhiệt tình." in html


def test_a_robot_filling_the_hidden_field_is_thanked_and_nothing_kept(client, survey):
    response = client.post(f"/s/{survey.public_code}/", {**_form(survey), "website": "http://spam.example"})
    assert response.status_code == 302 and not Response.objects.exists()


@override_settings(**LIMIT_3)
def test_a_flood_from_one_address_is_slowed_while_another_address_still_answers(survey):
    counter, home = Client(REMOTE_ADDR="203.0.113.7"), Client(REMOTE_ADDR="198.51.100.9")
    codes = [counter.post(f"/s/{survey.public_code}/", _form(survey)).status_code for _n in range(4)]
    assert codes == [302, 302, 302, 429]
    refused = counter.post(f"/s/{survey.public_code}/", _form(survey))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "vẫn được giữ" in refused.content.decode() or "kept" in refused.content.decode()
    assert home.post(f"/s/{survey.public_code}/", _form(survey)).status_code == 302
    assert Response.objects.count() == 4


def test_a_token_slip_is_used_once_through_the_page(client, users, survey):
    code = survey_tokens_issue(actor=users["dieuphoi"], survey=survey, count=1)[0]
    url = f"/s/{survey.public_code}/?via=token"
    assert 'name="token"' in client.get(url).content.decode()
    assert client.post(url, {**_form(survey), "token": code}).status_code == 302
    again = client.post(url, {**_form(survey), "token": code})
    assert again.status_code == 400 and "đã được dùng" in again.content.decode()
    assert list(Response.objects.values_list("channel", flat=True)) == ["token"]


def test_closed_and_draft_surveys_answer_clearly(client, users, survey):
    survey_status_set(actor=users["dieuphoi"], survey=survey, status="closed")
    closed = client.get(f"/s/{survey.public_code}/")
    assert closed.status_code == 200 and "đã đóng" in closed.content.decode()
    assert f"/public/surveys/{survey.public_code}/" in closed.content.decode()
    assert client.post(f"/s/{survey.public_code}/", _form(survey)).status_code == 200
    assert not Answer.objects.exists()
    draft = sipas_survey(users["dieuphoi"])
    assert client.get(f"/s/{draft.public_code}/").status_code == 404
    assert client.get("/s/khong-co-khao-sat/").status_code == 404
