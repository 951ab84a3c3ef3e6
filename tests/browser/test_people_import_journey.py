"""Users and roles from a spreadsheet, in a browser: the coordinator opens "Người dùng và vai trò", follows "Nhập từ
tệp", downloads today's people in the columns the import reads, adds two colleagues (one of them with a role they
may not grant), reads the refusal, corrects the file and imports it for real. Screenshots (desktop and phone) and
axe-core on every page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.browser.signing_in import login
from tincay.orgunits.models import Membership

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def both(page: Page, shot, axe, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    shot(f"journey11-people-{name}-desktop")
    axe(page, name=f"journey11-people-{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(f"journey11-people-{name}-phone")
    axe(page, name=f"journey11-people-{name}-phone")
    page.set_viewport_size(DESKTOP)


def _with_new_people(exported: bytes, path, *, second_role: str) -> str:
    """The downloaded CSV with two new colleagues of Hải An added at the end."""
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    header = rows[0]

    def person(username: str, name: str, role: str) -> list[str]:
        cells = dict.fromkeys(header, "")
        cells.update({"Tên đăng nhập": username, "Họ và tên": name, "Mã đơn vị": "11413", "Vai trò": role})
        cells["Email"] = f"{username}@haiphong.gov.vn"
        return [cells[h] for h in header]

    rows += [person("pham.thu.ha", "Phạm Thu Hà", "Cán bộ đầu mối"), person("do.van.an", "Đỗ Văn An", second_role)]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


@override_settings(TASKS=IMMEDIATE)
def test_add_colleagues_from_a_spreadsheet(live_server, seeded, page: Page, shot, axe, tmp_path):
    base = live_server.url
    login(page, base, "dieuphoi")
    page.goto(f"{base}/people/")
    page.get_by_role("link", name="Nhập từ tệp").click()
    expect(page).to_have_url(re.compile(r"/reports/imports/\?kind=people$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập người dùng và vai trò")
    expect(page.get_by_label("Người dùng và vai trò")).to_be_checked()
    with page.expect_download() as download:
        page.locator("#import-exports").get_by_role("link", name="CSV").click()
    exported = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert exported.decode("utf-8-sig").splitlines()[0].startswith("Tên đăng nhập")
    both(page, shot, axe, "01-page")

    bad = _with_new_people(exported, tmp_path / "sai.csv", second_role="Cán bộ điều phối")
    page.get_by_label("Tệp (Excel .xlsx hoặc CSV)").set_input_files(bad)
    page.get_by_role("button", name="Kiểm tra tệp (chạy thử)").click()
    rows = page.locator("#import-rows")
    expect(rows.locator("tr.table-danger")).to_have_count(1)
    expect(rows.locator("tr.table-danger")).to_contain_text("do.van.an")
    expect(page.get_by_role("button", name="Nhập thật")).to_have_count(0)
    both(page, shot, axe, "02-refused")
    assert not get_user_model().objects.filter(username__in=["pham.thu.ha", "do.van.an"]).exists()

    page.goto(f"{base}/reports/imports/?kind=people")
    good = _with_new_people(exported, tmp_path / "dung.csv", second_role="Công chức phòng ban")
    page.get_by_label("Tệp (Excel .xlsx hoặc CSV)").set_input_files(good)
    page.get_by_role("button", name="Kiểm tra tệp (chạy thử)").click()
    expect(page.locator("#import-counts")).to_contain_text("2")
    both(page, shot, axe, "03-checked")
    page.get_by_role("button", name="Nhập thật").click()
    expect(page.locator("#import-status")).to_contain_text("Đã ghi 2 dòng.")
    both(page, shot, axe, "04-done")
    assert Membership.objects.filter(user__username="do.van.an", unit__key="11413", role="contributor").exists()
    page.goto(f"{base}/people/?q=pham")
    expect(page.get_by_text("Phạm Thu Hà")).to_be_visible()
