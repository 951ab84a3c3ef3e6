"""Pages the journeys do not reach, in a browser under the Content-Security-Policy: the login and error pages, the
unit tree (htmx, no inline handler), the API's Swagger UI and browsable pages, a chart's tooltip, and the page that
names an evidence link's external address. The conftest fails each test on any CSP violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login
from tincay.assessments.models import Document
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.browser


def test_violations_are_caught_and_inline_code_is_refused(live_server, seeded, page: Page, csp_violations):
    """The watcher itself: inline style and an inline handler injected into a page are refused and reported."""
    page.goto(f"{live_server.url}/accounts/login/")
    injected = '<p id="probe" style="color: rgb(255, 0, 0)">x</p><img src="/none.png" onerror="window.hacked=1">'
    page.evaluate("(html) => document.body.insertAdjacentHTML('beforeend', html)", injected)
    page.wait_for_timeout(300)
    assert page.evaluate("getComputedStyle(document.getElementById('probe')).color") != "rgb(255, 0, 0)"
    assert page.evaluate("window.hacked") is None
    assert any("style-src" in v for v in csp_violations), csp_violations
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()


def test_login_error_and_public_pages(live_server, seeded, page: Page, shot):
    base = live_server.url
    response = page.goto(f"{base}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    response = page.goto(f"{base}/khong-co-trang-nay/")
    assert response.status == 404
    page.goto(f"{base}/public/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"{base}/public/units/11413/")
    expect(page.locator("#trend svg")).to_be_visible()
    page.locator("#trend svg").hover(position={"x": 200, "y": 120})  # ECharts' tooltip: no style attributes
    page.wait_for_timeout(300)
    shot("40-public-trend-tooltip")


def test_unit_tree_opens_and_closes_without_inline_handlers(live_server, seeded, page: Page, shot):
    base = live_server.url
    login(page, base, "dieuphoi")
    page.goto(f"{base}/units/")
    toggle = page.locator(".tree button[data-tree-toggle]").first
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    branch = page.locator(".tree > ul > li").first.locator(":scope > ul > li")
    expect(branch.first).to_be_visible()
    shot("41-unit-tree-open")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(branch).to_have_count(0)


def test_api_pages_under_the_policy(live_server, seeded, page: Page, shot):
    base = live_server.url
    login(page, base, "dieuphoi")
    page.goto(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    shot("42-swagger-ui")
    page.locator(".swagger-ui .opblock-summary").first.click()
    page.wait_for_timeout(300)
    page.goto(f"{base}/api/v1/frameworks/")
    expect(page.locator(".response-info")).to_be_visible()
    shot("43-browsable-api")
    page.goto(f"{base}/api/v1/units/11413/documents/")  # with the HTML form for a POST
    expect(page.locator("form button", has_text="POST").first).to_be_visible()
    shot("45-browsable-api-form")


def test_evidence_link_names_the_address_before_leaving(live_server, seeded, page: Page, shot):
    base = live_server.url
    unit = AdminUnit.objects.get(key="11413")
    Document.objects.create(
        unit=unit, title="Dự toán công khai", number="12/TB-UBND", url="https://haian.haiphong.gov.vn/du-toan"
    )
    login(page, base, "daumoi")
    page.goto(f"{base}/units/11413/documents/")
    page.get_by_role("link", name=re.compile("toán công khai")).click()
    expect(page.locator("main h1")).to_be_visible()
    expect(page.locator(".external-host")).to_have_text("haian.haiphong.gov.vn")
    go = page.get_by_role("link", name=re.compile("haian.haiphong.gov.vn"))
    expect(go).to_have_attribute("href", "https://haian.haiphong.gov.vn/du-toan")
    expect(go).to_have_attribute("rel", "noopener noreferrer")
    shot("44-external-link")
    page.locator("main a.btn-outline-secondary").click()  # back
    expect(page).to_have_url(f"{base}/units/11413/documents/")
