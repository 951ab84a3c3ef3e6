"""Choosing by name and the list of what waits on me, in a real browser (desktop and phone):

- the coordinator types "bach dang" in the campaign form and picks Phường Bạch Đằng (its code is filled in), and
  types "hoang van cong" on the campaign board to pick the contributor by name;
- the focal point sees her draft waiting on the home page, ticks three indicators and gives them to one
  contributor in one action: the page does not navigate or jump, the three "assigned to" lines change in place.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.signing_in import login

pytestmark = pytest.mark.browser

PASSWORD = "TinCay@2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _login(page: Page, base: str, username: str) -> None:
    login(page, base, username, PASSWORD)
    expect(page.locator("#waiting-title")).to_be_visible()


def _screen(page: Page, name: str) -> None:
    """What the person sees (the viewport only), beside the full-page ``shot``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _combobox(page: Page, field_id: str):
    """The search box picker.js puts before the code input ``field_id``."""
    return page.locator(f".picker:has(+ #{field_id}) [role=combobox]")


def test_pick_by_name_and_assign_several_indicators(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    _login(page, base, "dieuphoi")
    axe(page, name="pickers-01-home-coordinator")

    page.goto(f"{base}/campaigns/new/")
    units = _combobox(page, "id_unit_codes")
    units.press_sequentially("bach dang", delay=30)
    option = page.get_by_role("option", name="Phường Bạch Đằng")
    expect(option).to_be_visible()
    expect(units).to_have_attribute("aria-expanded", "true")
    shot("pickers-02-unit-picker-desktop")
    axe(page, name="pickers-02-unit-picker")
    option.click()
    expect(page.locator("#id_unit_codes")).to_have_value("11473")
    expect(page.locator("ul[role=listbox]:visible")).to_have_count(0)

    # without JavaScript the same search is a page whose "Choose" links return to the form
    page.goto(f"{base}/pick/units/?scope=manage&field=unit_codes&next=/campaigns/new/&q=bach+dang")
    page.locator("a[href*='unit_codes=11473']").click()
    expect(page.locator("#id_unit_codes")).to_have_value("11473")
    page.go_back()
    axe(page, name="pickers-02b-pick-page")

    page.goto(f"{base}/campaigns/hai-phong-2026/")
    person = _combobox(page, "m-user")
    person.press_sequentially("hoang van cong", delay=30)
    expect(page.get_by_role("option", name="Hoàng Văn Công")).to_be_visible()
    person.press("ArrowDown")
    person.press("Enter")  # keyboard choice: the form is not submitted
    expect(page.locator("#m-user")).to_have_value("congchuc")
    expect(person).to_have_value("Hoàng Văn Công")
    shot("pickers-03-person-picked-desktop")
    axe(page, name="pickers-03-board")

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/campaigns/new/")
    _combobox(page, "id_unit_codes").press_sequentially("hai an", delay=30)
    expect(page.get_by_role("option", name="Phường Hải An")).to_be_visible()
    page.get_by_role("option", name="Phường Hải An").scroll_into_view_if_needed()
    _screen(page, "pickers-04-unit-picker-phone")

    page.set_viewport_size(DESKTOP)
    _login(page, base, "daumoi")
    waiting = page.locator(".waiting-list li").filter(has_text="Phường Hải An")
    expect(waiting.first).to_be_visible()
    shot("pickers-05-home-focal-point-desktop")
    axe(page, name="pickers-05-home-focal-point")
    waiting.first.get_by_role("link").click()

    expect(page.locator("#assign-form")).to_be_visible()
    codes = ["2.1", "2.2", "2.3"]
    for code in codes:
        page.locator(f"input[name=indicators][value='{code}']").check()
    page.locator("#assign-person").select_option(label="Hoàng Văn Công")
    page.locator(f"input[name=indicators][value='{codes[-1]}']").scroll_into_view_if_needed()
    page.evaluate("window.__stayed = true")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    page.locator("#assign-form").get_by_role("button").click()
    expect(page.locator("#assign-status")).to_contain_text("2.1, 2.2, 2.3")
    assert page.evaluate("window.__stayed") is True  # no navigation, no reload
    assert abs(page.evaluate("window.scrollY") - scrolled) < 5  # no jump to the top
    for code in codes:
        line = (
            page.locator("li.list-group-item")
            .filter(has=page.locator(f"input[value='{code}']"))
            .locator("[id^=assigned-]")
        )
        expect(line).to_contain_text("Hoàng Văn Công")
        expect(page.locator(f"input[name=indicators][value='{code}']")).not_to_be_checked()
    shot("pickers-06-three-assigned-desktop")
    axe(page, name="pickers-06-assessment-assigned")

    pillar = page.locator("input[data-select-pillar='4']")
    pillar.check()
    expect(page.locator("input[name=indicators][data-pillar='4']:not(:checked)")).to_have_count(0)
    pillar.uncheck()

    page.set_viewport_size(PHONE)
    page.goto(f"{base}/")
    shot("pickers-07-home-focal-point-phone")
    axe(page, name="pickers-07-home-phone")
    waiting = page.locator(".waiting-list li").filter(has_text="Phường Hải An")
    waiting.first.get_by_role("link").click()
    page.locator("input[name=indicators][value='2.4']").check()
    page.locator("#assign-person").select_option(label="Hoàng Văn Công")
    page.evaluate("window.__stayed = true")
    page.locator("#assign-form").get_by_role("button").click()
    expect(page.locator("#assign-status")).to_contain_text("2.4")
    assert page.evaluate("window.__stayed") is True
    shot("pickers-08-assigned-phone")
    _screen(page, "pickers-09-assigned-phone-screen")
    axe(page, name="pickers-08-assessment-phone")
