"""A visitor reads the public portal as it should earn trust: the methodology page, the heat map whole on a
1366 × 768 screen with the total in view, an indicator's name shown on keyboard focus, search without diacritics
leading to a unit page with its predecessor/successor links, and the same pages on a 390 × 844 phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
PILOT = "thi-diem-hai-phong-2023"
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _inside_viewport(page: Page, selector: str) -> None:
    width = page.viewport_size["width"]
    cells = page.locator(selector)
    assert cells.count() > 0
    for n in range(cells.count()):
        box = cells.nth(n).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, n, box, width)


def test_methodology_heatmap_and_indicator_names_on_a_laptop(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    page.set_viewport_size(LAPTOP)
    page.goto(f"{base}/public/")
    page.locator('a[href="/public/phuong-phap/"]').first.click()
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("article.methodology")).to_have_count(1)
    expect(page.locator("article.methodology")).to_contain_text("Tin cậy")  # classes from the scheme
    expect(page.locator("article.methodology")).to_contain_text("85")  # the green threshold on 0–100
    shot("60-public-methodology")
    axe(page)

    page.goto(f"{base}/public/campaigns/{PILOT}/")
    expect(page.locator("table.heatmap tbody tr")).to_have_count(12)
    _inside_viewport(page, "table.heatmap thead th.hm-total")
    _inside_viewport(page, "table.heatmap tbody td.hm-total")
    wrap = page.locator(".heatmap-wrap")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth + 1")  # the whole table fits: nothing to scroll
    expect(page.locator(".heatmap-legend")).to_be_visible()
    shot("61-public-heatmap-1366")
    axe(page)

    # keyboard: from the search button, Tab reaches the first indicator code, whose name then shows
    page.locator('form[role="search"] button').focus()
    page.keyboard.press("Tab")
    first = page.locator("a.ind-code").first
    expect(first).to_be_focused()
    name = first.locator(".ind-name")
    box = name.bounding_box()
    assert box is not None and box["width"] > 60 and box["height"] > 10, box
    expect(name).to_contain_text("1.1")
    expect(name).to_contain_text("Hệ thống quản lý chất lượng")
    shot("62-public-heatmap-indicator-focus")
    # touch or Enter follows the code to the list of names
    page.keyboard.press("Enter")
    expect(page.locator("#ind-1")).to_be_in_viewport()
    expect(page.locator("#ind-1")).to_contain_text("1.1")


def test_search_lineage_and_phone(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/public/")
    page.locator("#portal-q").fill("dang lam")
    page.locator('form[role="search"] button').click()
    expect(page.locator(".search-results a", has_text="Phường Đằng Lâm")).to_be_visible()
    shot("63-public-search-phone")
    axe(page)
    page.locator(".search-results a", has_text="Phường Đằng Lâm").first.click()
    expect(page.get_by_role("heading", name="Phường Đằng Lâm")).to_be_visible()
    successor = page.locator('.lineage a[href="/public/units/11413/"]')
    expect(successor).to_be_visible()
    expect(page.locator(".card-header").first).to_contain_text("/100")  # pillar scores on 0–100
    shot("64-public-unit-lineage-phone")
    axe(page)
    successor.click()
    expect(page.locator('.lineage a[href="/public/units/11413-2025/"]')).to_be_visible()

    page.goto(f"{base}/public/campaigns/{PILOT}/")
    _inside_viewport(page, "table.heatmap thead th.hm-total")  # kept in view while the indicators scroll
    shot("65-public-heatmap-phone")
    axe(page)
    page.goto(f"{base}/public/campaigns/{PILOT}/phuong-phap/")
    expect(page.locator("article.methodology")).to_have_count(1)
    shot("66-public-methodology-phone")
    axe(page)
