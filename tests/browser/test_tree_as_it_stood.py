"""The unit tree as it stood on 1 June 2023 (pre-2025 tree loaded): Hải Phòng's coordinator opens the 2023 city
to its 2023 districts only (Huyện Thuỷ Nguyên, not the city it became in 2025), a district to its 2023 wards,
and reads which list the units come from; on a desktop and on a phone."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _node(page: Page, name: str):
    """The tree item whose own link is ``name`` (not one of its descendants)."""
    return page.locator(".tree li").filter(has=page.locator(":scope > a", has_text=name)).first


def _open(page: Page, name: str):
    node = _node(page, name)
    node.locator(":scope > button[data-tree-toggle]").click()
    branch = node.locator(":scope > ul > li")
    expect(branch.first).to_be_visible()
    return branch


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_2023_tree_of_hai_phong_has_its_2023_districts_only(live_server, seeded, page: Page, shot, axe, viewport):
    call_command("load_units", "--legacy", stdout=open(os.devnull, "w"))  # noqa: SIM115
    base = live_server.url
    login(page, base, "dieuphoi")  # the log-out button that proves it shows only in the expanded menu
    page.set_viewport_size(viewport)
    page.goto(f"{base}/units/")
    page.locator("#id_date").fill("01/06/2023")
    page.locator("form[role=search] button[type=submit]").click()
    expect(page.get_by_role("note").filter(has_text="04/01/2025")).to_be_visible()
    roots = page.locator(".tree > ul > li")
    expect(roots).to_have_count(2)  # Thành phố Hải Phòng and Tỉnh Hải Dương, merged in 2025

    districts = _open(page, "Thành phố Hải Phòng")
    expect(districts).to_have_count(15)
    expect(districts.filter(has_text="Huyện Thuỷ Nguyên")).to_have_count(1)
    expect(districts.filter(has_text="Thành phố Thuỷ Nguyên")).to_have_count(0)  # a city from 1 January 2025
    wards = _open(page, "Quận Hải An")
    expect(wards.filter(has_text="Phường Đằng Lâm")).to_have_count(1)
    expect(page.locator(".tree").get_by_text("Phường Hải An", exact=True)).to_have_count(0)  # today's ward
    communes = _open(page, "Huyện Thuỷ Nguyên")
    expect(communes).to_have_count(3)  # the three the sources know; none of the 2025 wards
    kind = "desktop" if viewport is DESKTOP else "phone"
    shot(f"60-tree-2023-hai-phong-{kind}")
    axe(page)

    _node(page, "Quận Hải An").locator(":scope > a").click()
    expect(page.get_by_role("heading", level=1, name="Quận Hải An")).to_be_visible()
    expect(page.get_by_text("04/01/2025")).to_be_visible()
    shot(f"61-district-2023-{kind}")
    axe(page)
