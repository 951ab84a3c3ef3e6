"""Saving never fights the person typing, on a desktop and on a phone (390×844):

- typing then clicking "Lưu" at once (while the autosave is on its way) saves once after the other, never two saves
  in flight, and no conflict with oneself;
- another person saving meanwhile is a real conflict, shown on the page with field labels, level names and both
  versions; "Keep mine" saves mine over theirs in one click;
- "87,5" typed in a percentage criterion is stored as 87.5 and the level its thresholds give is shown beside it;
- a refused upload (a program named .pdf) keeps the title, number and date, with the error next to the file field
  and the cursor on it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import make_campaign, percent_result
from tests.browser.signing_in import login
from tincay.assessments.models import Assessment, CriterionResult
from tincay.assessments.services import results

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# Counts the saves of criterion results the page has on their way at once (installed before the page's scripts).
SAVE_COUNTER = """
(() => {
  const seen = {now: 0, most: 0, sent: 0};
  window.__saves = seen;
  const original = window.fetch;
  window.fetch = function (url, options) {
    if (!String(url).includes("/results/")) { return original.apply(this, arguments); }
    seen.now += 1; seen.sent += 1; seen.most = Math.max(seen.most, seen.now);
    return original.apply(this, arguments).finally(() => { seen.now -= 1; });
  };
})();
"""


def fresh(result: CriterionResult) -> CriterionResult:
    return CriterionResult.objects.get(pk=result.pk)


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_saving_never_fights_you(live_server, seeded, page: Page, shot, axe, tmp_path, screen):
    page.set_viewport_size(VIEWPORTS[screen])
    page.add_init_script(SAVE_COUNTER)
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    assessment = Assessment.objects.get(campaign=make_campaign(users, code=f"luu-{screen}"), unit__key="11413")
    login(page, base, "daumoi")

    # 1. type, then click "Lưu" at once: the click waits for the autosave, then saves with its revision
    mine = assessment.results.get(criterion__code="1.7.1")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{mine.pk}")
    row.get_by_label("Mức", exact=True).select_option("green")  # a change: saved at once
    row.get_by_label("Hiện trạng và cách thực hiện").fill("Dự toán được niêm yết tại bảng tin phường.")
    row.get_by_role("button", name="Lưu", exact=True).click()
    expect(row.locator(".save-status .text-success")).to_be_visible()
    page.wait_for_function("window.__saves.now === 0")
    assert page.evaluate("window.__saves.most") == 1, "two saves of one criterion were on their way at once"
    expect(row.locator(".conflict")).to_have_count(0)
    stored = fresh(mine)
    assert (stored.self_level, stored.narrative) == ("green", "Dự toán được niêm yết tại bảng tin phường.")
    assert page.url.endswith("/indicators/1.7/")  # still the page, never the bare address of the save
    shot(f"saving-{screen}-1-saved-without-conflict")
    axe(page)

    # 2. the leader saves the same criterion meanwhile: a real conflict, resolved on the page with "Keep mine"
    other = assessment.results.get(criterion__code="1.7.2")
    page.reload()
    row = page.locator(f"#c-{other.pk}")
    results.result_save(
        user=users["lanhdao"],
        result=other,
        track="self",
        data={"self_level": "red", "narrative": "Bản của lãnh đạo phường."},
        revision=0,
    )
    row.get_by_label("Mức", exact=True).select_option("yellow")
    row.get_by_label("Hiện trạng và cách thực hiện").fill("Bản của đầu mối.")
    row.get_by_role("button", name="Lưu", exact=True).click()
    conflict = row.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator("table")).to_contain_text("Mức")  # labels, not field names
    expect(conflict.locator("table")).not_to_contain_text("self_level")
    expect(conflict.locator("table")).to_contain_text("Đỏ")  # level names: theirs red, mine yellow
    expect(conflict.locator("table")).to_contain_text("Vàng")
    expect(conflict.locator("table")).to_contain_text("Bản của lãnh đạo phường.")
    expect(conflict.locator("table")).to_contain_text("Bản của đầu mối.")
    assert fresh(other).narrative == "Bản của lãnh đạo phường."  # nothing overwritten
    conflict.scroll_into_view_if_needed()
    shot(f"saving-{screen}-2-conflict-on-the-page")
    axe(page)
    conflict.locator("button[name=keep]").click()
    expect(row.locator(".save-status .text-success")).to_be_visible()
    expect(row.locator(".conflict")).to_have_count(0)
    stored = fresh(other)
    assert (stored.self_level, stored.narrative, stored.revision) == ("yellow", "Bản của đầu mối.", 2)
    assert stored.updated_by == users["daumoi"]
    assert page.url.endswith("/indicators/1.7/")

    # ... and "Take theirs": their version back in the form, nothing saved over it, saving goes on from theirs
    results.result_save(
        user=users["lanhdao"],
        result=other,
        track="self",
        data={"self_level": "red", "narrative": "Lãnh đạo sửa lần hai."},
        revision=2,
    )
    row.get_by_label("Hiện trạng và cách thực hiện").fill("Đầu mối sửa tiếp.")
    expect(row.locator(".conflict")).to_be_visible()  # found by the autosave after the pause
    row.locator("[data-take-theirs]").click()
    expect(row.locator(".conflict")).to_have_count(0)
    expect(row.get_by_label("Hiện trạng và cách thực hiện")).to_have_value("Lãnh đạo sửa lần hai.")
    expect(row.get_by_label("Mức", exact=True)).to_have_value("red")
    assert fresh(other).narrative == "Lãnh đạo sửa lần hai."
    row.get_by_label("Mức", exact=True).select_option("yellow")
    expect(row.locator(".save-status .text-success")).to_be_visible()
    stored = fresh(other)
    assert (stored.self_level, stored.narrative, stored.revision) == ("yellow", "Lãnh đạo sửa lần hai.", 4)

    # 3. "87,5" in a percentage criterion: stored as 87.5, the level its thresholds give shown beside it
    percent = percent_result(assessment)
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/{percent.criterion.indicator.code}/")
    row = page.locator(f"#c-{percent.pk}")
    value = row.get_by_label("Giá trị đo được")
    value.fill("150")  # out of range: refused, the message next to the field
    value.press("Tab")
    expect(row.locator(f"#id_r{percent.pk}-self_value_error")).to_contain_text("0")
    expect(value).to_have_attribute("aria-invalid", "true")
    assert fresh(percent).self_value is None
    value.fill("87,5")
    value.press("Tab")
    expect(row.locator(".measured-level .level-green")).to_be_visible()
    expect(row.locator(f"#id_r{percent.pk}-self_value_error")).to_have_text("")
    assert fresh(percent).self_value == Decimal("87.5")
    row.scroll_into_view_if_needed()
    shot(f"saving-{screen}-3-percentage-with-its-level")
    axe(page)

    # 4. a refused upload keeps what was typed, the error next to the file field, the cursor on it
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{mine.pk}")
    row.locator("summary", has_text="Đính kèm tài liệu kiểm chứng").click()
    row.get_by_label("Tiêu đề").fill("Biên bản niêm yết dự toán năm 2026")
    row.get_by_label("Số/ký hiệu").fill("07/BB-UBND")
    row.get_by_label("Ngày ban hành").fill("05/03/2026")
    program = tmp_path / "bien-ban.pdf"
    program.write_bytes(b"MZ\x90\x00" + b"\x00" * 512)
    row.get_by_label("Tệp").set_input_files(str(program))
    row.get_by_role("button", name="Tải lên và đính kèm").click()
    row = page.locator(f"#c-{mine.pk}")
    expect(row.get_by_label("Tiêu đề")).to_have_value("Biên bản niêm yết dự toán năm 2026")
    expect(row.get_by_label("Số/ký hiệu")).to_have_value("07/BB-UBND")
    expect(row.get_by_label("Ngày ban hành")).to_have_value("05/03/2026")
    file_field = row.get_by_label("Tệp")
    expect(file_field).to_have_attribute("aria-invalid", "true")
    expect(row.locator(f"#f-{mine.pk}-error")).to_be_visible()
    expect(file_field).to_be_focused()
    expect(file_field).to_be_in_viewport(ratio=1)  # retried: the page may still be scrolling smoothly to it
    assert not fresh(mine).evidence_links.exists()
    shot(f"saving-{screen}-4-refused-upload-kept")
    axe(page)
