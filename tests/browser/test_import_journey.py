"""Issue 11's imports in a browser: the coordinator opens the campaign, goes to "Nhập kết quả", downloads the
criteria of the units in the columns the import reads, checks a file with a bad row (the dry run names the row, the
column and the reason; nothing can be imported), then checks the corrected file and imports it for real (the worker
runs inline here). Screenshots (desktop and phone) and axe-core on every page."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import make_campaign
from tests.browser.signing_in import login
from tincay.assessments.models import CriterionResult

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CAMPAIGN = "hanh-trinh-nhap"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def both(page: Page, shot, axe, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    shot(f"journey11-import-{name}-desktop")
    axe(page, name=f"journey11-import-{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(f"journey11-import-{name}-phone")
    axe(page, name=f"journey11-import-{name}-phone")
    page.set_viewport_size(DESKTOP)


def _edited(exported: bytes, path, *, bad: bool) -> str:
    """The downloaded CSV with three rows of Hải An set to Xanh; ``bad`` also writes "Tím" on a fourth."""
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    header, body = rows[0], [r for r in rows[1:] if r[0] == "11413"][:4]
    level = header.index("Mức tự đánh giá")
    for n, row in enumerate(body):
        row[level] = "Tím" if bad and n == 3 else "Xanh"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


@override_settings(TASKS=IMMEDIATE)
def test_check_a_bad_file_then_import_the_corrected_one(live_server, seeded, page: Page, shot, axe, tmp_path):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    make_campaign(users, code=CAMPAIGN)

    login(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/{CAMPAIGN}/")
    page.locator("#imports-link").click()
    expect(page).to_have_url(re.compile(rf"/results/campaigns/{CAMPAIGN}/imports/$"))
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    exported = open(download.value.path(), "rb").read()  # noqa: SIM115
    assert "Mã đơn vị" in exported.decode("utf-8-sig").splitlines()[0]
    both(page, shot, axe, "01-page")

    page.get_by_label("Tệp (Excel .xlsx hoặc CSV)").set_input_files(_edited(exported, tmp_path / "sai.csv", bad=True))
    page.get_by_role("button", name="Kiểm tra tệp (chạy thử)").click()
    rows = page.locator("#import-rows")
    expect(rows.locator("tr.table-danger")).to_have_count(1)
    expect(rows).to_contain_text("Tím")
    expect(page.get_by_role("button", name="Nhập thật")).to_have_count(0)
    both(page, shot, axe, "02-refused")
    assert not CriterionResult.objects.filter(assessment__campaign__code=CAMPAIGN, self_level="green").exists()

    page.goto(f"{base}/results/campaigns/{CAMPAIGN}/imports/")
    page.get_by_label("Tệp (Excel .xlsx hoặc CSV)").set_input_files(_edited(exported, tmp_path / "dung.csv", bad=False))
    page.get_by_role("button", name="Kiểm tra tệp (chạy thử)").click()
    expect(page.locator("#import-counts")).to_contain_text("4")
    both(page, shot, axe, "03-checked")
    page.get_by_role("button", name="Nhập thật").click()
    expect(page.locator("#import-status")).to_contain_text("Đã nhập")
    both(page, shot, axe, "04-imported")
    assert CriterionResult.objects.filter(assessment__campaign__code=CAMPAIGN, self_level="green").count() == 4
