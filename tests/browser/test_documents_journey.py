"""Issue 11 in a browser: the unit leader asks for the self-assessment report from the unit's results page, types a
wrong number the way people do and gets it back with the message, then the report is made (the worker runs inline
here) and downloaded; the coordinator asks for the consolidated report as PDF from the heat map; the administrator
opens the document templates and a hostile template is refused. Screenshots (desktop and phone) and axe-core on
every page."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from docx import Document
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import complete, make_campaign
from tests.browser.signing_in import login
from tests.office_tools import office_or_skip
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CAMPAIGN = "hanh-trinh-van-ban"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
HOSTILE = b"{{ cycler.__init__.__globals__.os.popen('id').read() }}"


def both(page: Page, shot, axe, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    shot(f"journey11-{name}-desktop")
    axe(page, name=f"journey11-{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(f"journey11-{name}-phone")
    axe(page, name=f"journey11-{name}-phone")
    page.set_viewport_size(DESKTOP)


def _hostile_docx(tmp_path):
    document = Document()
    document.add_paragraph(HOSTILE.decode())
    path = tmp_path / "mau-doc-hai.docx"
    document.save(path)
    return path


@override_settings(TASKS=IMMEDIATE)
def test_documents_from_results_pages(live_server, seeded, page: Page, shot, axe, tmp_path):
    office_or_skip()
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    campaign = make_campaign(users, code=CAMPAIGN)
    assessment = campaign.assessments.get(unit__key="11413")
    complete(assessment, submitted_by=users["daumoi"])
    scores_refresh(Assessment.objects.filter(campaign=campaign))

    # 1. the unit leader: results → "Báo cáo tự đánh giá" → a wrong number, kept with its message → fixed → made
    login(page, base, "lanhdao")
    page.goto(f"{base}/results/assessments/{assessment.pk}/")
    page.locator("#unit-documents").get_by_role("link", name="Báo cáo tự đánh giá").click()
    expect(page.locator("h1")).to_have_text("Tạo văn bản")
    page.get_by_label("Số văn bản").fill("12a")
    page.get_by_label("Ngày").fill("5/1/2026")
    page.get_by_label("Họ tên người ký").fill("Nguyễn Văn An")
    page.get_by_label("Khó khăn, vướng mắc").fill("Thiếu kinh phí số hóa hồ sơ một cửa.")
    page.locator("#make-document").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Nhập số văn bản là số nguyên")
    expect(page.get_by_label("Họ tên người ký")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Khó khăn, vướng mắc")).to_have_value("Thiếu kinh phí số hóa hồ sơ một cửa.")
    both(page, shot, axe, "01-form-error")
    page.get_by_label("Số văn bản").fill("5")
    page.locator("#make-document").click()
    expect(page).to_have_url(re.compile(r"/reports/documents/$"))
    link = page.locator("#documents-list a", has_text="bao-cao-tu-danh-gia-11413.docx")
    expect(link).to_be_visible()
    both(page, shot, axe, "02-my-documents")
    with page.expect_download() as download:
        link.click()
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Thiếu kinh phí số hóa hồ sơ một cửa." in text
    assert document.tables[0].cell(1, 1).text.endswith("ngày 05 tháng 01 năm 2026")
    assert document.tables[0].cell(1, 0).text == "Số: 05/BC-UBND"

    # 2. the coordinator: heat map → consolidated report as PDF
    login(page, base, "dieuphoi")
    page.goto(f"{base}/results/campaigns/{CAMPAIGN}/")
    page.locator("#campaign-report-link").click()
    page.get_by_label("PDF").check()
    both(page, shot, axe, "03-campaign-report-form")
    page.locator("#make-document").click()
    link = page.locator("#documents-list a", has_text=f"bao-cao-tong-hop-{CAMPAIGN}.pdf")
    expect(link).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        link.click()
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"  # noqa: SIM115

    # 3. the administrator: the templates; a hostile one is refused with its reason
    login(page, base, "quantri")
    page.goto(f"{base}/reports/templates/")
    row = page.locator("#template-decision-vi")
    row.locator("input[type=file]").set_input_files(str(_hostile_docx(tmp_path)))
    row.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#template-decision-vi .invalid-feedback")).to_contain_text("không được phép")
    expect(page.locator("#template-decision-vi")).to_contain_text("Mẫu có sẵn")
    both(page, shot, axe, "04-templates-refused")
