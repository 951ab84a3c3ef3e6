"""Accessibility: axe-core (WCAG 2.1 A/AA and best practices) finds no critical or serious violation on the main
pages of every role and of the public portal, on a desktop and, for the pages used on the move, on a phone.

Each test visits a group of pages on one seed of the demo data and reports every page's findings together."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login
from tincay.assessments.models import Assessment
from tincay.reports.models import Snapshot

pytestmark = pytest.mark.browser
PILOT = "thi-diem-hai-phong-2023"
CURRENT = "hai-phong-2026"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _ids() -> dict[str, int]:
    pick = Assessment.objects.values_list("pk", flat=True)
    return {
        "hai_an": pick.get(campaign__code=CURRENT, unit__key="11413"),
        "hong_bang": pick.get(campaign__code=CURRENT, unit__key="11311"),
        "dang_lam": pick.get(campaign__code=PILOT, unit__key="11413-2025"),
        "snapshot": Snapshot.objects.filter(campaign__code=PILOT).values_list("pk", flat=True).latest("pk"),
        "focal_point": get_user_model().objects.values_list("pk", flat=True).get(username="daumoi"),
    }


def _role_pages(ids: dict[str, int]) -> dict[str | None, list[str]]:
    """The pages each role starts from and works in (paths under the live server); None is a visitor."""
    hai_an, hong_bang, dang_lam = ids["hai_an"], ids["hong_bang"], ids["dang_lam"]
    local = "/catalogue/tcvn-iso-18091/hai-phong-2026"  # the coordinator's draft of a local indicator set
    return {
        None: ["/accounts/login/", "/accounts/password/reset/"],
        "quantri": ["/", "/people/", "/accounts/lockouts/", "/catalogue/", "/units/"],
        "dieuphoi": [
            "/",
            "/campaigns/",
            f"/campaigns/{CURRENT}/",
            "/campaigns/new/",
            f"/campaigns/{PILOT}/",
            f"/results/campaigns/{PILOT}/",
            f"/results/campaigns/{PILOT}/ranking/",
            f"/results/campaigns/{PILOT}/analysis/",
            f"/results/campaigns/{PILOT}/timeliness/",
            f"/results/assessments/{dang_lam}/",
            "/results/units/11413/",
            "/catalogue/tcvn-iso-18091/2020/",
            "/catalogue/tcvn-iso-18091/2020/indicators/4.6/",
            "/units/31/",
            "/units/11413-2025/",
            "/units/?date=01/06/2023",
            "/people/",
            f"/people/{ids['focal_point']}/",
            "/people/new/",
            f"/results/campaigns/{PILOT}/snapshots/",
            f"/assessments/{dang_lam}/corrections/",
            f"{local}/",
            f"{local}/edit/",
            f"{local}/indicators/1.1/edit/",
            f"{local}/criteria/1.1.1/edit/",
            "/accounts/password/change/",
        ],
        "daumoi": [
            "/",
            f"/assessments/{hai_an}/",
            f"/assessments/{hai_an}/indicators/1.1/",
            "/units/11413/documents/",
            "/accounts/profile/",
            "/accounts/notifications/",
        ],
        "congchuc": ["/", f"/assessments/{hai_an}/indicators/1.7/"],
        "lanhdao": ["/", f"/assessments/{hai_an}/"],
        "chamdiem": [
            "/",
            f"/assessments/{hong_bang}/",
            f"/assessments/{hong_bang}/indicators/1.1/",
            f"/assessments/{hong_bang}/review/",
        ],
        "thamdinh": ["/", f"/campaigns/{CURRENT}/", f"/assessments/{hong_bang}/review/"],
        "xem": ["/", "/campaigns/", f"/campaigns/{CURRENT}/", f"/results/campaigns/{PILOT}/"],
    }


def _portal_pages(ids: dict[str, int]) -> list[str]:
    return [
        "/public/",
        "/public/phuong-phap/",
        "/public/tim-kiem/?q=hai+an",
        "/public/provinces/31/",
        f"/public/campaigns/{PILOT}/",
        f"/public/campaigns/{PILOT}/phuong-phap/",
        "/public/units/11413/",
        "/public/units/11413-2025/",
        f"/public/snapshots/{ids['snapshot']}/changes/",
    ]


def _visit_all(page: Page, base: str, paths: list[str], axe: Callable, label: str, failures: list[str]) -> None:
    """Every page answers and is checked; findings are collected so one run shows every page's problems."""
    for path in paths:
        response = page.goto(f"{base}{path}")
        if response is None or response.status != 200:
            failures.append(f"[{label}] {path} answered {response and response.status}")
            continue
        _check(page, axe, f"{label}{path}".strip("/").replace("/", "_").replace("?", "_"), failures)


def _check(page: Page, axe: Callable, name: str, failures: list[str]) -> None:
    try:
        axe(page, name=f"main-pages-{name}")
    except pytest.fail.Exception as failure:
        failures.append(f"[{name}] {failure}")


def test_main_pages_of_every_role_on_a_desktop(live_server, seeded, page: Page, axe):
    failures: list[str] = []
    for role, paths in _role_pages(_ids()).items():
        if role is None:
            page.context.clear_cookies()
        else:
            login(page, live_server.url, role)
        _visit_all(page, live_server.url, paths, axe, role or "visitor", failures)
    # states reached by interaction: a branch of the unit tree opened, a page that is not there
    page.goto(f"{live_server.url}/units/")
    page.locator("[data-tree-toggle]").first.click()
    expect(page.locator("[data-tree-toggle][aria-expanded=true] ~ ul li").first).to_be_visible()
    _check(page, axe, "units-tree-opened", failures)
    assert page.goto(f"{live_server.url}/public/units/khong-co/").status == 404
    _check(page, axe, "not-found", failures)
    assert not failures, "\n\n".join(failures)


def test_public_portal_on_a_desktop_and_a_phone_in_both_languages(live_server, seeded, page: Page, axe, shot):
    failures: list[str] = []
    paths = _portal_pages(_ids())
    _visit_all(page, live_server.url, paths, axe, "portal-desktop", failures)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.set_viewport_size(PHONE)
    _visit_all(page, live_server.url, paths, axe, "portal-phone", failures)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/public/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _visit_all(page, live_server.url, paths[:3], axe, "portal-english", failures)
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # keyboard: the first Tab reaches the skip link, which leads past the navigation into the main content
    page.goto(f"{live_server.url}/public/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    shot("a11y-skip-link-focused")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left <main>"
    assert not failures, "\n\n".join(failures)


def test_pages_used_on_the_move_on_a_phone(live_server, seeded, page: Page, axe):
    failures: list[str] = []
    ids = _ids()
    phone_pages = {
        "daumoi": ["/", f"/assessments/{ids['hai_an']}/", f"/assessments/{ids['hai_an']}/indicators/1.1/"],
        "chamdiem": [f"/assessments/{ids['hong_bang']}/indicators/1.1/"],
        "dieuphoi": [f"/campaigns/{CURRENT}/", f"/results/campaigns/{PILOT}/", "/units/31/"],
    }
    for role, paths in phone_pages.items():
        page.set_viewport_size(DESKTOP)  # the log-out button shows only in the expanded menu
        login(page, live_server.url, role)
        page.set_viewport_size(PHONE)
        _visit_all(page, live_server.url, paths, axe, f"{role}-phone", failures)
    page.get_by_role("button", name="Menu").click()
    expect(
        page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Bộ chỉ số")
    ).to_be_visible()
    _check(page, axe, "phone-menu-open", failures)
    assert not failures, "\n\n".join(failures)
