"""People in a browser: the demo viewer ``xem`` follows the 2026 campaign in progress (board and one unit, read
only; outside her scope the Vietnamese 404 page), and a scorer's clarification question reaches the contributor to
whom the indicator is assigned (the notice in the navigation, the notifications page, the indicator page)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import make_campaign
from tests.browser.signing_in import login
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, IndicatorAssignment
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.browser
CURRENT = "hai-phong-2026"
PHONE = {"width": 390, "height": 844}


def test_the_viewer_follows_the_campaign_in_progress(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    login(page, base, "xem")
    page.goto(f"{base}/campaigns/{CURRENT}/")
    expect(page.locator("h1")).to_contain_text("2026")
    table = page.locator("table").first
    expect(table.get_by_role("link", name="Phường Hải An")).to_be_visible()
    expect(table.get_by_role("link", name="Phường Hồng Bàng")).to_be_visible()
    assert page.locator("form[action*='/team/'], form[action*='/publish/'], a[href*='/remove/']").count() == 0
    shot("people-viewer-campaign-board")
    axe(page)
    page.set_viewport_size(PHONE)  # the same board on a phone: the units still listed, nothing to write
    expect(table.get_by_role("link", name="Phường Hải An")).to_be_visible()
    shot("people-viewer-campaign-board-phone")
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    table.get_by_role("link", name="Phường Hải An").click()
    expect(page.locator("h1")).to_contain_text("Phường Hải An")
    assert page.locator("form[action*='/transition/'], form[action*='/assign'], [hx-post]").count() == 0
    shot("people-viewer-assessment-read-only")
    axe(page)

    page.goto(f"{base}/campaigns/khong-co-ky-nay/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_be_visible()
    with translation.override("vi"):
        refused = gettext("This campaign does not exist or is not visible to you.")
    expect(page.locator("body")).to_contain_text(refused)
    shot("people-viewer-not-found")
    axe(page)


def test_a_clarification_question_reaches_the_contributor(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    assessment = Assessment.objects.get(campaign=make_campaign(users, code="hoi-dap"), unit__key="11413")
    target = assessment.results.get(criterion__code="1.7.1")
    assessment.results.update(self_level="green", no_evidence_reason="Lưu bản giấy (kiểm thử).")
    IndicatorAssignment.objects.create(
        assessment=assessment, indicator=target.criterion.indicator, assignee=users["congchuc"]
    )
    Assessment.objects.filter(pk=assessment.pk).update(state=State.SCORING)

    # the scorer asks on 1.7.1 and sends the questions
    login(page, base, "chamdiem")
    page.goto(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    row = page.locator(f"#c-{target.pk}")
    row.locator("textarea[name=question]").fill("Đề nghị cung cấp biên bản niêm yết dự toán năm 2026?")
    row.get_by_role("button", name="Hỏi", exact=True).click()
    expect(page.locator(".alert-success")).to_be_visible()
    page.goto(f"{base}/assessments/{assessment.pk}/")
    with translation.override("vi"):
        send = gettext("Send clarification questions")
    page.get_by_role("button", name=send).click()
    expect(page.locator(".alert-success")).to_be_visible()

    # the contributor sees the notice and follows it to the question
    login(page, base, "congchuc")
    notices = page.get_by_role("link", name="Thông báo")
    expect(notices.locator(".badge")).to_be_visible()
    notices.click()
    notice = page.locator(".list-group-item", has_text="1.7.1").first
    expect(notice).to_contain_text("Phường Hải An")
    expect(notice).to_contain_text("Vũ Thị Chấm")
    shot("people-contributor-clarification-notice")
    axe(page)
    notice.get_by_role("link").click()
    expect(page).to_have_url(f"{base}/assessments/{assessment.pk}/indicators/1.7/")
    expect(page.locator(f"#c-{target.pk}")).to_contain_text("Đề nghị cung cấp biên bản niêm yết dự toán năm 2026?")
    shot("people-contributor-clarification-question")
    axe(page)
    page.set_viewport_size(PHONE)  # the contributor on a phone: the question is readable where the answer goes
    expect(page.locator(f"#c-{target.pk}")).to_contain_text("Đề nghị cung cấp biên bản niêm yết dự toán năm 2026?")
    shot("people-contributor-clarification-question-phone")
    axe(page)


def test_the_coordinator_sees_staffing_warnings_and_takes_a_member_off_the_team(
    live_server, seeded, page: Page, shot, axe
):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    campaign = make_campaign(users, code="doi-ngu", units={"own": "11413", "sibling": "11311", "empty": "11329"})
    scorer = users["chamdiem"].display_name
    login(page, base, "dieuphoi")
    page.goto(f"{base}/campaigns/{campaign.code}/")
    expect(page.locator("#staffing-gaps")).to_contain_text(AdminUnit.objects.get(key="11329").name)
    expect(page.locator("#staffing-gaps")).not_to_contain_text("Phường Hải An")
    shot("people-coordinator-board-warnings")
    axe(page)

    page.locator("a[href*='/remove/']", has_text=scorer).click()
    expect(page.locator("h1")).to_contain_text(scorer)
    page.locator("textarea[name=reason]").fill("Chuyển công tác")
    shot("people-coordinator-remove-confirm")
    axe(page)
    page.locator("form[action*='/remove/'] button[type=submit]").click()
    expect(page.locator(".alert-success")).to_contain_text(scorer)
    assert not campaign.members.filter(user=users["chamdiem"]).exists()
    page.locator("#team-history summary").click()
    expect(page.locator("#team-history table tbody tr").first).to_contain_text("Chuyển công tác")
    shot("people-coordinator-team-history")
    axe(page)
