"""First journey: a coordinator logs in, browses the catalogue, finds Đằng Lâm's history, switches to English."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_coordinator_browses_catalogue_and_unit_history(live_server, seeded, page: Page, shot, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill("dieuphoi")
    page.get_by_label("Mật khẩu").fill("TinCay@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Điều phối")).to_be_visible()
    shot("01-home-coordinator")
    axe(page, name="01-home-coordinator")

    page.get_by_role("link", name="Bộ chỉ số", exact=True).click()
    page.get_by_role("link", name="TCVN ISO 18091:2020 — bộ chỉ số cơ sở", exact=True).click()
    expect(page.locator(".pillar-card")).to_have_count(4)
    expect(page.locator(".pillar-card li")).to_have_count(39)
    shot("02-catalogue-version")
    axe(page, name="02-catalogue-version")

    page.get_by_role("link", name=re.compile(r"4\.6 Nước sạch")).click()
    expect(page.locator("article.card")).to_have_count(6)
    expect(page.get_by_text("Mức xanh", exact=False).first).to_be_visible()
    shot("03-indicator-4-6")
    axe(page, name="03-indicator-4-6")

    page.get_by_role("link", name="Đơn vị hành chính").click()
    page.get_by_label("Tìm theo tên hoặc mã (không cần dấu)").fill("dang lam")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Phường Đằng Lâm").click()
    expect(page.get_by_role("heading", name="Phường Đằng Lâm")).to_be_visible()
    expect(page.get_by_text("Hiện nay thuộc:")).to_be_visible()
    shot("04-dang-lam-2023")
    axe(page, name="04-dang-lam-2023")

    page.locator(".alert").get_by_role("link", name="Phường Hải An").click()
    expect(page.get_by_role("heading", name="Phường Hải An")).to_be_visible()
    expect(page.get_by_role("link", name="Phường Đằng Lâm").first).to_be_visible()
    shot("05-hai-an-today")
    axe(page, name="05-hai-an-today")

    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.get_by_role("link", name="Indicator sets")).to_be_visible()
    shot("06-hai-an-english")
    axe(page, name="06-hai-an-english")


def test_pages_are_usable_on_a_phone(live_server, seeded, page: Page, shot, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("daumoi")
    page.get_by_label("Mật khẩu").fill("TinCay@2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/catalogue/tcvn-iso-18091/2020/indicators/1.7/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.7")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "horizontal scrolling"
    shot("07-phone-indicator")
    axe(page, name="07-phone-indicator")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Đơn vị hành chính")).to_be_visible()
    page.get_by_role("link", name="Đơn vị hành chính").click()
    expect(page.get_by_role("link", name="Phường Hải An")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "horizontal scrolling"
    shot("08-phone-units")
    axe(page, name="08-phone-units")
