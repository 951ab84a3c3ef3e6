"""Issue 12 in a browser: a citizen scans the counter's QR poster and answers the survey on a phone, first with
JavaScript on (axe-core on the page and on the thanks page), then again with JavaScript off: a required question
left empty comes back with its message and the other answers kept, and the corrected form goes through.
Screenshots of each step."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tincay.feedback.models import Response, SurveyTemplate
from tincay.feedback.services.surveys import survey_create, survey_status_set
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def _open_survey():
    coordinator = get_user_model().objects.get(username="dieuphoi")
    survey = survey_create(
        actor=coordinator, unit=AdminUnit.objects.get(key="11413"), template=SurveyTemplate.objects.get(code="sipas")
    )
    return survey_status_set(actor=coordinator, survey=survey, status="open")


def _answer(page: Page, survey, *, skip: str = "") -> None:
    for question in survey.questions.filter(kind="likert", required=True):
        if question.key != skip:
            page.locator(f'input[name="{question.key}"][value="4"]').check()
    page.get_by_label("Nộp hồ sơ và nhận kết quả trực tuyến").check()
    page.locator('textarea[name="comment"]').fill("Cán bộ nhiệt tình, hướng dẫn dễ hiểu.")


def test_answer_on_a_phone_with_and_without_javascript(live_server, seeded, page: Page, browser, shot, axe):
    survey = _open_survey()
    url = f"{live_server.url}/s/{survey.public_code}/?via=qr"

    page.set_viewport_size(PHONE)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phường Hải An")
    shot("journey12-survey-01-phone")
    axe(page, name="journey12-survey-01-phone")
    _answer(page, survey)
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("status")).to_contain_text("đã được ghi nhận")
    shot("journey12-survey-02-thanks-phone")
    axe(page, name="journey12-survey-02-thanks-phone")

    quiet = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="vi-VN")
    plain = quiet.new_page()
    plain.goto(url)
    _answer(plain, survey, skip="overall")
    plain.get_by_role("button", name="Gửi câu trả lời").click()
    expect(plain.get_by_role("alert")).to_contain_text("Xin Ông/Bà trả lời câu hỏi này.")
    expect(plain.locator('input[name="access-seats"][value="4"]')).to_be_checked()  # kept
    expect(plain.locator('textarea[name="comment"]')).to_have_value("Cán bộ nhiệt tình, hướng dẫn dễ hiểu.")
    plain.screenshot(path=str(ARTIFACTS / "journey12-survey-03-refused-nojs-phone.png"), full_page=True)
    plain.locator('input[name="overall"][value="5"]').check()
    plain.get_by_role("button", name="Gửi câu trả lời").click()
    expect(plain.get_by_role("status")).to_contain_text("đã được ghi nhận")
    plain.screenshot(path=str(ARTIFACTS / "journey12-survey-04-thanks-nojs-phone.png"), full_page=True)
    quiet.close()
    assert list(Response.objects.filter(survey=survey).values_list("channel", flat=True)) == ["qr", "qr"]
