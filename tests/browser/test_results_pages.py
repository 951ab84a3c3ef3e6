"""Results as people see them: a unit's result with its radar, the campaign heat map, the public unit page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login
from tincay.assessments.models import Assessment

pytestmark = pytest.mark.browser
PILOT = "thi-diem-hai-phong-2023"


def test_unit_results_heatmap_and_public_page(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    assessment = Assessment.objects.get(campaign__code=PILOT, unit__key="11413-2025")
    login(page, base, "dieuphoi")
    page.goto(f"{base}/results/assessments/{assessment.pk}/")
    expect(page.get_by_role("heading", name="Phường Đằng Lâm · Kết quả")).to_be_visible()
    expect(page.locator("#radar svg")).to_be_visible()
    shot("20-unit-results")
    axe(page, name="20-unit-results")
    page.goto(f"{base}/results/campaigns/{PILOT}/")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(12)
    shot("21-heatmap")
    axe(page, name="21-heatmap")
    page.goto(f"{base}/results/campaigns/{PILOT}/analysis/")
    expect(page.get_by_role("heading", name="Mục tiêu phát triển bền vững")).to_be_visible()
    shot("22-analysis")
    axe(page, name="22-analysis")

    page.context.clear_cookies()
    page.goto(f"{base}/public/")
    page.get_by_role("link", name="Thí điểm áp dụng TCVN ISO 18091:2020").click()
    page.get_by_role("link", name="Phường Đằng Lâm").click()
    expect(page.get_by_role("heading", name="Phường Đằng Lâm")).to_be_visible()
    expect(page.get_by_text("Dữ liệu mẫu: mô tả hiện trạng")).to_have_count(0)
    shot("23-public-unit")
    axe(page, name="23-public-unit")
    page.goto(f"{base}/public/units/11413/")
    expect(page.get_by_text("kết quả của đơn vị tiền thân").first).to_be_visible()
    expect(page.locator("#trend svg")).to_be_visible()
    shot("24-public-today-with-predecessors")
    axe(page, name="24-public-today-with-predecessors")


def test_ranking_timeliness_trend_print_and_phone(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    login(page, base, "dieuphoi")
    page.goto(f"{base}/results/campaigns/{PILOT}/ranking/")
    expect(page.locator("table tbody tr")).to_have_count(12)
    page.get_by_role("link", name="Mức độ hoàn thành và đúng hạn").click()
    expect(page.get_by_text("không có thời điểm trình (kết quả nhập từ hồ sơ)")).to_be_visible()
    shot("25-timeliness")
    axe(page, name="25-timeliness")
    page.goto(f"{base}/results/units/11413/")
    expect(page.locator("#trend svg")).to_be_visible()
    shot("26-trend")
    axe(page, name="26-trend")
    assessment = Assessment.objects.get(campaign__code=PILOT, unit__key="11413-2025")
    page.goto(f"{base}/results/assessments/{assessment.pk}/")
    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.locator("#radar svg")).to_be_visible()
    shot("27-unit-results-print")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/results/campaigns/{PILOT}/")
    expect(page.locator("table.heatmap td.hm-green").first).to_be_visible()
    shot("28-heatmap-phone")
    axe(page, name="28-heatmap-phone")
    page.locator(".heatmap-wrap").evaluate("el => { el.scrollLeft = 500; }")
    first = page.locator("table.heatmap tbody th").first
    box, wrap = first.bounding_box(), page.locator(".heatmap-wrap").bounding_box()
    assert abs(box["x"] - wrap["x"]) < 2  # unit names stay in view while the indicators scroll
    shot("29-heatmap-phone-scrolled")
    axe(page, name="29-heatmap-phone-scrolled")
