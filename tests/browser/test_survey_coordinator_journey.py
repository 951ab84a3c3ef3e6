"""Issue 12 in a browser, on the coordinator's side: the Hải Phòng coordinator opens "Khảo sát", reads the closed
demo survey of Phường Hải An (question by question, the criterion it measured), compares it with the 2023 survey
of Phường Đằng Lâm (reached through the 2025 merger) and with the other wards, prints the QR poster, then creates
a survey for Phường Ngô Quyền in the 2026 campaign and adapts its questions: a binding the framework refuses comes
back with its message and the typed wording kept. The ward's focal point then sees criterion 3.1.5 marked
survey-based. Screenshots (desktop and phone) and axe-core on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login
from tincay.feedback.models import Survey

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def both(page: Page, shot, axe, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    shot(f"journey12-coord-{name}-desktop")
    axe(page, name=f"journey12-coord-{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(f"journey12-coord-{name}-phone")
    axe(page, name=f"journey12-coord-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_the_coordinator_reads_compares_prints_and_adapts(live_server, seeded_with_surveys, page: Page, shot, axe):
    base = live_server.url
    login(page, base, "dieuphoi")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Khảo sát").first.click()
    both(page, shot, axe, "01-list")
    hai_an = Survey.objects.get(unit__key="11413", campaign__code="hai-phong-2026")
    page.goto(f"{base}/surveys/{hai_an.pk}/")
    expect(page.locator("#measured")).to_contain_text("3.1.5")
    expect(page.locator("#measured")).to_contain_text("đã ghi vào kết quả tự đánh giá")
    expect(page.get_by_role("heading", name="Theo từng câu hỏi")).to_be_visible()
    both(page, shot, axe, "02-results")

    page.get_by_role("link", name="So sánh với đơn vị khác và các lần khảo sát trước").click()
    expect(page.locator("#earlier")).to_contain_text("Phường Đằng Lâm")
    expect(page.locator("#peers")).to_contain_text("Phường Hồng Bàng")
    expect(page.locator("#changes")).to_contain_text("điểm")
    both(page, shot, axe, "03-compare")

    page.goto(f"{base}/surveys/{hai_an.pk}/poster/")
    expect(page.get_by_role("img", name="Mã QR của cuộc khảo sát")).to_be_visible()
    expect(page.locator("#poster")).to_contain_text("?via=qr")
    both(page, shot, axe, "04-poster")

    page.goto(f"{base}/surveys/new/")
    page.get_by_label("Mã đơn vị").fill("11329")
    page.get_by_label("Kỳ đánh giá").select_option(
        label="Kỳ đánh giá chính quyền địa phương tin cậy năm 2026 (dữ liệu mẫu)"
    )
    page.get_by_role("button", name="Tạo cuộc khảo sát").click()
    expect(page.get_by_role("link", name="Điều chỉnh câu hỏi")).to_be_visible()
    page.get_by_role("link", name="Điều chỉnh câu hỏi").click()
    card = page.locator("#q-access-seats")
    card.get_by_label("Câu hỏi (tiếng Việt)").fill("Phòng chờ của phường có đủ ghế ngồi")
    card.get_by_label("Đo lường (chỉ số hoặc tiêu chí)").fill("1.1.1")
    card.get_by_role("button", name="Lưu").click()
    card = page.locator("#q-access-seats")
    expect(card.get_by_role("alert")).to_contain_text("được đánh giá theo minh chứng")
    expect(card.get_by_label("Câu hỏi (tiếng Việt)")).to_have_value("Phòng chờ của phường có đủ ghế ngồi")
    both(page, shot, axe, "05-questions-refused")
    card.get_by_label("Đo lường (chỉ số hoặc tiêu chí)").fill("3.1")
    card.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text("Đã lưu câu hỏi")
    expect(page.locator("#q-access-seats")).to_contain_text("3.1")
    survey = Survey.objects.get(unit__key="11329", status="draft")
    question = survey.questions.get(key="access-seats")
    assert (question.text_vi, question.measures) == ("Phòng chờ của phường có đủ ghế ngồi", "3.1")

    login(page, base, "daumoi")
    assessment = hai_an.campaign.assessments.get(unit__key="11413")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/3.1/")
    badge = page.locator(".measured-source").first
    expect(badge).to_contain_text("Theo khảo sát")
    expect(badge).to_contain_text("Phường Hải An")
    both(page, shot, axe, "06-indicator-survey-based")
