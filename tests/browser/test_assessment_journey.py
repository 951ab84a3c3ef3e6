"""The whole journey in a browser: a contributor fills a criterion with evidence → the focal point submits →
the leader approves → the scorer scores and asks one clarification → the unit answers → the council settles
and approves → the coordinator publishes. The other ~230 criteria are pre-filled in the database so the test
stays about the steps, not about typing; every step shown is done through the pages."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import make_campaign
from tests.browser.signing_in import login
from tincay.assessments.models import Assessment, IndicatorAssignment

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def step(page: Page, base: str, pk: int, label: str, reason: str = "") -> None:
    page.goto(f"{base}/assessments/{pk}/")
    if reason:
        page.locator("textarea[name=reason]").first.fill(reason)
    page.get_by_role("button", name=label).click()
    expect(page.locator(".alert-success")).to_be_visible()


def test_assessment_from_first_entry_to_publication(live_server, seeded, page: Page, shot, axe, tmp_path):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    assessment = Assessment.objects.get(campaign=make_campaign(users, code="hanh-trinh"), unit__key="11413")
    target = assessment.results.get(criterion__code="1.7.1")
    assessment.results.exclude(pk=target.pk).update(self_level="green", no_evidence_reason="Lưu bản giấy (kiểm thử).")
    department = users["congchuc"].memberships.get(unit__key="11413").department
    IndicatorAssignment.objects.create(
        assessment=assessment, indicator=target.criterion.indicator, department=department
    )

    # contributor: level + narrative (saved as they type) + evidence upload
    login(page, base, "congchuc")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{target.pk}")
    row.get_by_label("Mức", exact=True).select_option("yellow")
    row.get_by_label("Hiện trạng và cách thực hiện").fill("Dự toán và quyết toán được niêm yết tại bảng tin phường.")
    expect(row.locator(".save-status .text-success")).to_be_visible()
    evidence = tmp_path / "Niêm yết dự toán 2026.pdf"
    evidence.write_bytes(PDF)
    row.locator("summary", has_text="Đính kèm tài liệu kiểm chứng").click()
    row.get_by_label("Tiêu đề").fill("Biên bản niêm yết dự toán năm 2026")
    row.get_by_label("Tệp").set_input_files(str(evidence))
    row.get_by_role("button", name="Tải lên và đính kèm").click()
    expect(
        page.locator(f"#c-{target.pk}").get_by_role("link", name="Biên bản niêm yết dự toán năm 2026")
    ).to_be_visible()
    shot("10-contributor-criterion-with-evidence")
    axe(page, name="10-contributor-criterion-with-evidence")

    login(page, base, "daumoi")
    step(page, base, assessment.pk, "Trình lãnh đạo")
    login(page, base, "lanhdao")
    step(page, base, assessment.pk, "Phê duyệt và chuyển chấm điểm")

    # scorer: one clarification, then levels for all criteria (the one shown through the page)
    login(page, base, "chamdiem")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{target.pk}")
    row.get_by_placeholder("Câu hỏi gửi đơn vị về tiêu chí này").fill("Đề nghị gửi ảnh chụp bảng tin có ngày niêm yết.")
    row.get_by_role("button", name="Hỏi").click()
    step(page, base, assessment.pk, "Gửi yêu cầu giải trình")
    shot("12-clarification-requested")
    axe(page, name="12-clarification-requested")

    login(page, base, "daumoi")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    page.locator(f"#c-{target.pk} textarea[name=answer]").fill("Đã bổ sung ảnh chụp bảng tin ngày 05/03/2026.")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    step(page, base, assessment.pk, "Gửi giải trình")

    assessment.results.exclude(pk=target.pk).update(scorer_level="green")
    login(page, base, "chamdiem")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{target.pk}")
    row.get_by_label("Mức của tổ chấm điểm").select_option("red")
    row.get_by_label("Nhận xét của tổ chấm điểm").fill("Ảnh chụp không thể hiện ngày niêm yết.")
    expect(row.locator(".save-status .text-success")).to_be_visible()
    shot("13-scorer-beside-self")
    axe(page, name="13-scorer-beside-self")
    step(page, base, assessment.pk, "Hoàn thành chấm điểm")

    login(page, base, "thamdinh")
    step(page, base, assessment.pk, "Bắt đầu thẩm định")
    page.goto(f"{base}/assessments/{assessment.pk}/review/")
    first = page.locator("#gap-table tbody tr").first
    expect(first).to_contain_text("1.7.1")  # the largest self-vs-scorer gap comes first
    first.locator("select").select_option("yellow")
    first.locator("input[name$=final_comment]").fill("Hội đồng chấp nhận giải trình bổ sung.")
    expect(first.locator(".save-status .text-success")).to_be_visible()
    shot("14-council-review")
    axe(page, name="14-council-review")
    step(page, base, assessment.pk, "Phê duyệt kết quả cuối cùng")

    login(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/hanh-trinh/")
    page.get_by_role("button", name="Công bố các kết quả đã phê duyệt").click()
    page.locator("#confirm-publish").click()  # the confirmation page says what becomes public
    expect(page.locator(".alert-success")).to_be_visible()
    shot("15-board-published")
    axe(page, name="15-board-published")
    page.goto(f"{base}/assessments/{assessment.pk}/")
    expect(page.locator(".state-published").first).to_be_visible()
    shot("16-assessment-published")
    axe(page, name="16-assessment-published")
    assessment.refresh_from_db()
    assert assessment.state == "published"
    target.refresh_from_db()
    assert (target.self_level, target.scorer_level, target.final_level) == ("yellow", "red", "yellow")
