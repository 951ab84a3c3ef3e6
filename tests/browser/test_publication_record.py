"""Publication as a record, in a browser: the coordinator publishes from the board → a confirmation page says
what becomes public → the published units and their open-data snapshot are on the portal; then a published
result is corrected with a reason → the public page says "corrected on …" (desktop and phone)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import complete, make_campaign
from tests.browser.signing_in import login
from tincay.assessments.models import Assessment

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
REASON = "Sở Y tế đính chính tỷ lệ hộ dùng nước sạch năm 2026 (kiểm thử)."


def test_publish_confirm_snapshot_then_correct(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    campaign = make_campaign(users, code="cong-bo-truc-tuyen")
    for unit in ("11413", "11311"):
        assessment = campaign.assessments.get(unit__key=unit)
        complete(assessment, submitted_by=users["daumoi"])
    campaign.assessments.filter(unit__key__in=["11413", "11311"]).update(state="approved")
    own = campaign.assessments.get(unit__key="11413")

    # publish from the board: first the confirmation, nothing published yet
    login(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/{campaign.code}/")
    page.get_by_role("button", name="Công bố các kết quả đã phê duyệt").click()
    expect(page.locator("#publish-units")).to_contain_text("Phường Hải An")
    expect(page.locator("#publish-units")).to_contain_text("Phường Hồng Bàng")
    assert Assessment.objects.get(pk=own.pk).state == "approved" and not campaign.snapshots.exists()
    shot("publication-01-confirm-desktop")
    axe(page, name="publication-01-confirm")
    page.set_viewport_size(PHONE)
    shot("publication-02-confirm-phone")
    page.set_viewport_size(DESKTOP)
    page.locator("#confirm-publish").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot("publication-03-board-published")
    axe(page, name="publication-03-board-published")
    snapshot = campaign.snapshots.get()
    assert snapshot.rows == 2

    # the public page of the newly published campaign: its units and the snapshot just frozen
    page.goto(f"{base}/public/campaigns/{campaign.code}/")
    expect(page.get_by_role("link", name="Phường Hải An").first).to_be_visible()
    expect(page.locator(f"a[href='/public/snapshots/{snapshot.pk}.csv']")).to_be_visible()
    shot("publication-04-portal-campaign-desktop")
    axe(page, name="publication-04-portal-campaign")

    # a correction after publication, with its reason
    page.goto(f"{base}/assessments/{own.pk}/corrections/")
    code = own.results.exclude(criterion__type="performance").order_by("criterion__order")[0].criterion.code
    page.locator("#criterion-code").select_option(code)
    page.locator("#pick-criterion button[type=submit]").click()
    page.locator("select[name=final_level]").select_option("red")
    page.locator("textarea[name=reason]").fill(REASON)
    shot("publication-05-correction-form")
    axe(page, name="publication-05-correction-form")
    page.locator("#record-correction").click()
    expect(page.locator("#corrections")).to_contain_text(REASON)
    shot("publication-06-corrections-list")
    axe(page, name="publication-06-corrections-list")
    assert own.corrections.get().after == {"final_level": "red"}

    # the public page says "corrected on …" with the reason; the snapshot of the publication is unchanged
    page.goto(f"{base}/public/units/11413/")
    corrections = page.locator("#corrections")
    expect(corrections).to_contain_text(REASON)
    expect(corrections).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    expect(corrections).to_contain_text(code)
    shot("publication-07-portal-corrected-desktop")
    axe(page, name="publication-07-portal-corrected")
    page.set_viewport_size(PHONE)
    expect(corrections).to_be_visible()
    shot("publication-08-portal-corrected-phone")
    axe(page, name="publication-08-portal-corrected-phone")
    page.goto(f"{base}/public/campaigns/{campaign.code}/")
    expect(page.locator("#corrections")).to_contain_text(REASON)
    shot("publication-09-portal-campaign-phone")
    assert campaign.snapshots.get().csv_sha256 == snapshot.csv_sha256
