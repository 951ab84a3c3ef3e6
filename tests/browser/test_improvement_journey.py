"""Issue 10 in a browser, end to end: the unit leader opens the final results and accepts suggested areas to improve,
the focal point drafts the action programme, the leader approves it on a confirmation page, a contributor posts
progress with public evidence, the coordinator's view and the public portal show the progress, and the rollout
board moves the unit from phase 3 to phase 4. Every main page: desktop and phone screenshots, axe-core."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.assessment_fixtures import complete, make_campaign
from tests.browser.signing_in import login
from tincay.assessments.models import Assessment, Document
from tincay.assessments.services.scores import scores_refresh
from tincay.improvement.models import Action, Programme
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import PhaseTemplate, RolloutUnit
from tincay.rollout.services import phases as phase_services
from tincay.rollout.services.templates import FIVE_PHASES, phase_template_load

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CAMPAIGN = "hanh-trinh-cai-thien"
ROLLOUT = "hanh-trinh-trien-khai"
PROGRAMME = "Chương trình hành động cải thiện chất lượng phục vụ của Phường Hải An (kiểm thử)"
ACTION = "Số hóa hồ sơ một cửa và niêm yết công khai thủ tục hành chính"
UPDATE = "Đã số hóa 60% hồ sơ tiếp nhận tại bộ phận một cửa"
EVIDENCE = "Báo cáo kết quả số hóa hồ sơ một cửa quý IV"
REASON = "Chương trình hành động đã được lãnh đạo phường phê duyệt (kiểm thử)."


def both(page: Page, shot, axe, name: str) -> None:
    """Desktop then phone screenshots of the page as it stands, axe on both; back to desktop."""
    page.set_viewport_size(DESKTOP)
    shot(f"journey10-{name}-desktop")
    axe(page, name=f"journey10-{name}-desktop")
    page.set_viewport_size(PHONE)
    shot(f"journey10-{name}-phone")
    axe(page, name=f"journey10-{name}-phone")
    page.set_viewport_size(DESKTOP)


def _setup(users):
    """A published assessment of Phường Hải An with red and yellow results, a public document in its register, and
    a rollout of Hải Phòng with Hải An in phase 3 (guided self-assessment)."""
    campaign = make_campaign(users, code=CAMPAIGN)
    assessment = campaign.assessments.get(unit__key="11413")
    complete(assessment, submitted_by=users["daumoi"])
    results = assessment.results.exclude(criterion__type="performance").select_related("criterion__indicator")
    indicators = []
    for result in results.order_by("criterion__order"):
        if result.criterion.indicator_id not in indicators:
            indicators.append(result.criterion.indicator_id)
        if len(indicators) == 3:
            break
    for n, indicator_id in enumerate(indicators):
        weak = results.filter(criterion__indicator_id=indicator_id).order_by("criterion__order")[: 2 if n else 1]
        assessment.results.filter(pk__in=[r.pk for r in weak]).update(final_level="red" if n == 0 else "yellow")
    Assessment.objects.filter(pk=assessment.pk).update(state="published", scores_stale=True)
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))
    unit = AdminUnit.objects.get(key="11413")
    document = Document.objects.create(
        unit=unit,
        title=EVIDENCE,
        number="45/BC-UBND",
        issued_on=timezone.localdate() - dt.timedelta(days=2),
        issuer="UBND Phường Hải An",
        url="https://haian.haiphong.gov.vn/bao-cao-so-hoa-mot-cua",
        visibility="public",
        created_by=users["daumoi"],
    )
    if not PhaseTemplate.objects.filter(code="five-phases", version=1).exists():
        phase_template_load(FIVE_PHASES)  # a flush by an earlier browser test empties the migration's rows
    today = timezone.localdate()
    rollout = phase_services.rollout_create(
        actor="seed_demo",
        code=ROLLOUT,
        title_vi="Triển khai TCVN ISO 18091:2020 tại Hải Phòng (kiểm thử hành trình)",
        owner_unit=AdminUnit.objects.get(key="31"),
        template=PhaseTemplate.objects.get(code="five-phases", version=1),
        campaign=campaign,
        starts_on=today - dt.timedelta(days=60),
    )
    (entry,) = phase_services.rollout_add_units(
        actor="seed_demo", rollout=rollout, units=[unit], on=today - dt.timedelta(days=60)
    )
    for phase, days in (("training", 40), ("self_assessment", 20)):
        phase_services.phase_enter(
            actor="seed_demo", entry=entry, phase=phase, on=today - dt.timedelta(days=days), reason="Kiểm thử."
        )
    return campaign, assessment, document


def test_areas_programme_progress_portal_rollout(live_server, seeded, page: Page, shot, axe):
    base = live_server.url
    users = {u.username: u for u in get_user_model().objects.all()}
    campaign, assessment, document = _setup(users)
    contributor = users["congchuc"]
    department = contributor.memberships.filter(department__isnull=False).select_related("department").first()
    assert department is not None, "the demo contributor belongs to a department of Hải An"
    department = department.department

    # 1. the unit leader: the assessment → areas to improve → suggest → accept several with a stage
    login(page, base, "lanhdao")
    page.goto(f"{base}/assessments/{assessment.pk}/")
    page.locator("#areas-link").click()
    expect(page).to_have_url(re.compile(rf"/improvement/assessments/{assessment.pk}/areas/$"))
    page.locator("#suggest-form button[type=submit]").click()
    picks = page.locator("input[name=codes][form=accept-form]")
    expect(picks.first).to_be_visible()
    assert picks.count() >= 3
    for n in range(3):
        picks.nth(n).check()
    page.locator("#accept-stage").select_option("short")
    page.locator("#accept-form button[type=submit]").click()
    expect(page.locator("#stage-short")).to_be_visible()
    expect(page.locator("#stage-short .area-list > li")).to_have_count(3)
    both(page, shot, axe, "01-areas")
    accepted = assessment.improvement_areas.filter(selected=True, stage="short")
    assert accepted.count() == 3

    # 2. the focal point: the programme → create → add an action linked to an accepted area
    login(page, base, "daumoi")
    page.goto(f"{base}/assessments/{assessment.pk}/")
    page.locator("#programme-link").click()
    page.locator("#id_title").fill(PROGRAMME)
    page.locator("#create-programme").click()
    expect(page.locator("h1")).to_have_text(PROGRAMME)
    page.locator("#add-action").click()
    form = page.locator("#action-form")
    form.locator("#id_title").fill(ACTION)
    form.locator("#id_description").fill("Số hóa hồ sơ tiếp nhận; niêm yết thủ tục tại bộ phận một cửa và trên cổng.")
    form.locator("#id_department").select_option(label=department.name)
    form.locator("#id_responsible").select_option(label=contributor.display_name)
    deadline = timezone.localdate() + dt.timedelta(days=120)
    form.locator("#id_deadline").fill(deadline.strftime("%d/%m/%Y"))
    form.locator("#id_budget_vnd").fill("15.000.000")
    form.locator("#id_expected_result").fill("100% hồ sơ một cửa được số hóa.")
    form.locator("input[name=areas]").first.check()
    both(page, shot, axe, "02-action-form")
    page.locator("#save-action").click()
    expect(page.locator("#action-table")).to_contain_text(ACTION)
    expect(page.locator("#action-table")).to_contain_text("15.000.000 ₫")
    programme = Programme.objects.get(assessment=assessment)
    action = Action.objects.get(programme=programme)
    assert action.budget_vnd == 15_000_000 and action.deadline == deadline
    assert action.areas.filter(pk__in=accepted.values("pk")).exists()
    both(page, shot, axe, "03-programme-draft")

    # 3. the leader approves on the confirmation page
    login(page, base, "lanhdao")
    page.goto(f"{base}/improvement/programmes/{programme.pk}/")
    page.locator("#approve-programme").click()
    expect(page.locator("#approve-actions")).to_contain_text(ACTION)
    programme.refresh_from_db()
    assert programme.approved_version_id is None  # nothing approved by opening the confirmation
    both(page, shot, axe, "04-approve-confirm")
    page.locator("#confirm-approve").click()
    expect(page.locator(".alert-success")).to_be_visible()
    programme.refresh_from_db()
    assert programme.status == "approved" and programme.approved_version_id is not None

    # 4. the contributor posts progress with the public document as evidence
    login(page, base, "congchuc")
    page.goto(f"{base}/improvement/programmes/{programme.pk}/")
    page.locator("#action-table").get_by_role("link", name=ACTION).click()
    post = page.locator("#post-progress")
    expect(post).to_be_visible()
    post.locator("#id_on").fill(timezone.localdate().strftime("%d/%m/%Y"))
    post.locator("#id_title").fill(UPDATE)
    post.locator("#id_status").select_option("in_progress")
    post.locator("#id_progress").fill("60")
    post.locator(f"input[name=documents][value='{document.pk}']").check()
    page.locator("#post-progress-button").click()
    expect(page.locator("#action-log")).to_contain_text(UPDATE)
    expect(page.locator("#action-log")).to_contain_text("60%")
    expect(page.locator("#action-log")).to_contain_text(EVIDENCE)
    both(page, shot, axe, "05-action-progress")
    action.refresh_from_db()
    assert action.progress == 60 and action.status == "in_progress"

    # 5. the coordinator's view of the campaign shows the unit at 60 %
    login(page, base, "dieuphoi")
    page.goto(f"{base}/improvement/coordination/?campaign={campaign.code}")
    row = page.locator("tbody tr", has_text="Phường Hải An")
    expect(row).to_contain_text("60%")
    expect(row).to_contain_text("15.000.000")
    both(page, shot, axe, "06-coordination")

    # 6. the public page of the unit's programme, anonymous
    page.context.clear_cookies()
    page.goto(f"{base}/public/units/11413/programme/")
    section = page.locator("section.public-programme", has_text=PROGRAMME)
    expect(section).to_contain_text(ACTION)
    expect(section.locator(f"#action-{action.pk}")).to_contain_text("60%")
    expect(section.locator(".public-timeline")).to_contain_text(UPDATE)
    evidence = section.locator(f"a[href='/public/evidence/{document.pk}/']").first
    expect(evidence).to_contain_text(EVIDENCE)
    both(page, shot, axe, "07-public-programme")
    evidence.click()
    expect(page.locator(".external-host")).to_have_text("haian.haiphong.gov.vn")
    shot("journey10-08-public-evidence-desktop")
    axe(page, name="journey10-08-public-evidence")

    # 7. the rollout board: Hải An from phase 3 to phase 4 on its entry page
    login(page, base, "dieuphoi")
    page.goto(f"{base}/rollout/{ROLLOUT}/")
    board_row = page.locator("tbody tr", has_text="Phường Hải An")
    expect(board_row.locator("td").nth(2).locator(".badge.text-bg-primary")).to_be_visible()  # phase 3
    both(page, shot, axe, "09-rollout-board-before")
    board_row.get_by_role("link", name="Phường Hải An").click()
    move = page.locator("form[action$='/move/']")
    move.locator("select[name=move-phase]").select_option("action_programme")
    move.locator("input[name=move-on]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    move.locator("textarea[name=move-reason]").fill(REASON)
    both(page, shot, axe, "10-rollout-entry")
    move.locator("button[type=submit]").click()
    expect(page.locator("tr.table-primary th")).to_contain_text("4.")
    assert RolloutUnit.objects.get(rollout__code=ROLLOUT, unit__key="11413").current_phase == "action_programme"
    page.goto(f"{base}/rollout/{ROLLOUT}/")
    board_row = page.locator("tbody tr", has_text="Phường Hải An")
    expect(board_row.locator("td").nth(3).locator(".badge.text-bg-primary")).to_be_visible()
    expect(board_row.locator("td").nth(2).locator(".badge.text-bg-primary")).to_have_count(0)
    both(page, shot, axe, "11-rollout-board-after")
