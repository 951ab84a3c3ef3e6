"""Public progress of approved action programmes on the portal: roll-up action → programme → unit → province, only
approved actions of approved programmes of published assessments, public evidence only, a fixed number of queries.

The world (inside each test's transaction; the demo's own programmes, if any, are removed first so the figures
are exact), all units of the published 2023 Hải Phòng pilot (province 31-2025) unless said otherwise:
- Đằng Lâm: programme approved, then changed (a title edited, action 4 drafted after the approval). Approved
  actions: 1 done 100 % weight 1, 2 in progress weight 3 (40 % at approval, 60 % since, overdue), 3 cancelled.
  Programme progress (1×100 + 3×60) ÷ 4 = 70.
- Cầu Tre: approved; 1 done 100 %, 2 not started 0 % → 50. Province: mean of units (70, 50) = 60.
- Quận Hải An: a draft programme (never approved): never shown.
- Phường Hồng Bàng (2026 campaign, being scored): an approved programme of an unpublished assessment: never shown.
- Xã Du Lễ: no programme.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tincay.assessments.choices import Visibility
from tincay.assessments.models import Assessment, Document
from tincay.improvement.choices import ActionStatus, ProgrammeStatus
from tincay.improvement.models import Action, Programme, ProgressUpdate
from tincay.improvement.services.programmes import programme_approve
from tincay.orgunits.models import AdminUnit, Department
from tincay.portal import progress

pytestmark = pytest.mark.django_db
PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"]  # conftest's

PILOT = "thi-diem-hai-phong-2023"
PROVINCE = "31-2025"
DANG_LAM, CAU_TRE, HAI_AN_DISTRICT, DU_LE, HOANG_VAN_THU = (
    "11413-2025",
    "11338-2025",
    "306-2025",
    "11716-2025",
    "11320-2025",
)
UNPUBLISHED_UNIT = "11311"  # Phường Hồng Bàng, 2026 campaign, being scored
PAST = dt.date(2025, 6, 30)
FUTURE = dt.date(2099, 12, 31)
SECRETS = [
    "Ghi chú nội bộ của phòng",  # an update's note
    "Biên bản họp nội bộ",  # internal evidence on an approved action
    "Ảnh nội bộ của cập nhật",  # internal evidence on an update
    "Hành động thêm sau phê duyệt",  # an action drafted after the approval
    "Cập nhật của hành động chưa duyệt",  # an update of that action
    "Tiêu đề sửa sau phê duyệt",  # a title changed after the approval
    "Chương trình nháp của quận",  # a draft programme
    "Hành động của bản nháp",
    "Chương trình của kết quả chưa công bố",  # a programme of an unpublished assessment
    "Hành động chưa công bố",
]


def assessment_of(key: str, campaign: str = PILOT) -> Assessment:
    return Assessment.objects.select_related("unit").get(unit__key=key, campaign__code=campaign)


def make_programme(key: str, title: str, actions: list[dict], campaign: str = PILOT) -> Programme:
    assessment = assessment_of(key, campaign)
    programme = Programme.objects.create(assessment=assessment, title=title, summary=f"Tóm tắt: {title}")
    for number, fields in enumerate(actions, start=1):
        Action.objects.create(programme=programme, number=number, **{"deadline": FUTURE, **fields})
    return programme


def approve(programme: Programme, admin) -> Programme:
    """The approval service freezes the version (its content is what the public sees)."""
    programme.refresh_from_db()
    programme_approve(actor=admin, programme=programme, revision=programme.revision, note="Phê duyệt")
    programme.refresh_from_db()
    return programme


def document(unit: AdminUnit, title: str, visibility: str, *, link: str = "") -> Document:
    if link:
        return Document.objects.create(unit=unit, title=title, url=link, visibility=visibility)
    return Document.objects.create(
        unit=unit,
        title=title,
        visibility=visibility,
        file=SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 public progress"),
        original_name="tai-lieu.pdf",
        content_type="application/pdf",
        size=24,
    )


def add_actions(programme: Programme, count: int, start: int) -> None:
    Action.objects.bulk_create(
        Action(programme=programme, number=start + i, title=f"Hành động thêm {i}", deadline=FUTURE)
        for i in range(count)
    )


@pytest.fixture
def world(users):
    Programme.objects.all().delete()  # the figures below are exact whatever the demo seeds
    admin = users["quantri"]
    dang_lam = AdminUnit.objects.get(key=DANG_LAM)
    office = Department.objects.create(unit=dang_lam, name="Văn phòng HĐND và UBND phường")
    first = make_programme(
        DANG_LAM,
        "Chương trình hành động Đằng Lâm 2023",
        [
            {
                "title": "Công khai ngân sách trên cổng thông tin",
                "status": ActionStatus.DONE,
                "progress": 100,
                "department": office,
                "budget_vnd": 1_500_000,
                "deadline": PAST,
            },
            {
                "title": "Lấy ý kiến người dân về quy hoạch",
                "status": ActionStatus.IN_PROGRESS,
                "progress": 40,
                "weight": 3,
                "deadline": PAST,
            },
            {"title": "Hành động đã huỷ", "status": ActionStatus.CANCELLED, "progress": 0, "cancel_reason": "Trùng"},
        ],
    )
    one, two, _three = first.actions.order_by("number")
    public_plan = document(dang_lam, "Kế hoạch công khai ngân sách", Visibility.PUBLIC)
    public_link = document(dang_lam, "Trang công khai", Visibility.PUBLIC, link="https://haiphong.gov.vn/cong-khai")
    internal = document(dang_lam, "Biên bản họp nội bộ", Visibility.INTERNAL)
    one.documents.add(public_plan, public_link, internal)
    approve(first, admin)
    # after the approval: progress moves (live), the plan changes (not shown until approved again)
    Action.objects.filter(pk=two.pk).update(progress=60)
    Action.objects.filter(pk=one.pk).update(title="Tiêu đề sửa sau phê duyệt")
    later = Action.objects.create(
        programme=first,
        number=4,
        title="Hành động thêm sau phê duyệt",
        deadline=FUTURE,
        status=ActionStatus.IN_PROGRESS,
        progress=90,
    )
    Programme.objects.filter(pk=first.pk).update(status=ProgrammeStatus.CHANGED)
    on_later = document(dang_lam, "Tài liệu công khai của hành động chưa duyệt", Visibility.PUBLIC)
    later.documents.add(on_later)
    update = ProgressUpdate.objects.create(
        action=two,
        on=dt.date(2023, 10, 5),
        title="Đã họp dân lấy ý kiến tại 5 tổ dân phố",
        note="Ghi chú nội bộ của phòng",
        progress=60,
        status=ActionStatus.IN_PROGRESS,
    )
    update_public = document(dang_lam, "Ảnh buổi họp dân", Visibility.PUBLIC)
    update_internal = document(dang_lam, "Ảnh nội bộ của cập nhật", Visibility.INTERNAL)
    update.documents.add(update_public, update_internal)
    ProgressUpdate.objects.create(
        action=one, on=dt.date(2023, 9, 1), title="Đã đăng dự toán", progress=100, status=ActionStatus.DONE
    )
    ProgressUpdate.objects.create(
        action=later,
        on=dt.date(2023, 11, 1),
        title="Cập nhật của hành động chưa duyệt",
        progress=90,
        status=ActionStatus.IN_PROGRESS,
    )

    second = make_programme(
        CAU_TRE,
        "Chương trình hành động Cầu Tre 2023",
        [
            {"title": "Chuẩn hoá bộ phận một cửa", "status": ActionStatus.DONE, "progress": 100},
            {"title": "Số hoá hồ sơ lưu trữ", "status": ActionStatus.NOT_STARTED, "progress": 0},
        ],
    )
    approve(second, admin)

    draft = make_programme(
        HAI_AN_DISTRICT, "Chương trình nháp của quận", [{"title": "Hành động của bản nháp", "progress": 0}]
    )
    draft_public = document(draft.assessment.unit, "Tài liệu công khai của bản nháp", Visibility.PUBLIC)
    draft.actions.get().documents.add(draft_public)

    unpublished = make_programme(
        UNPUBLISHED_UNIT,
        "Chương trình của kết quả chưa công bố",
        [{"title": "Hành động chưa công bố", "status": ActionStatus.IN_PROGRESS, "progress": 30}],
        campaign="hai-phong-2026",
    )
    approve(unpublished, admin)
    loose = document(dang_lam, "Tài liệu công khai không gắn hành động", Visibility.PUBLIC)
    return {
        "first": first,
        "second": second,
        "draft": draft,
        "unpublished": unpublished,
        "later": later,
        "docs": {
            "public_plan": public_plan,
            "public_link": public_link,
            "internal": internal,
            "on_later": on_later,
            "update_public": update_public,
            "update_internal": update_internal,
            "draft_public": draft_public,
            "loose": loose,
        },
    }


# --- roll-up --------------------------------------------------------------------------------------------------------


def test_rollup_action_programme_unit_province(world):
    programmes, unit_progress = progress.unit_programmes(AdminUnit.objects.get(key=DANG_LAM))
    [shown] = programmes
    assert [a.number for a in shown.actions] == [1, 2, 3]  # action 4 came after the approval
    assert [a.progress for a in shown.actions] == [100, 60, 0]  # live progress of the approved actions
    assert shown.progress == 70 and unit_progress == 70  # (1×100 + 3×60) ÷ 4, the cancelled one left out
    assert shown.actions[1].overdue and not shown.actions[0].overdue and not shown.actions[2].overdue
    assert shown.done == 1 and shown.overdue == 1
    assert shown.budget_total == 1_500_000 and shown.budget_total_text == "1.500.000 ₫"

    province = AdminUnit.objects.get(key=PROVINCE)
    summary, units = progress.province_progress(province)
    assert [(r.unit.key, r.programmes, r.progress) for r in units] == [(CAU_TRE, 1, 50), (DANG_LAM, 1, 70)]
    assert (summary.units, summary.programmes, summary.progress) == (2, 2, 60)
    assert (summary.tally.actions, summary.tally.done, summary.tally.overdue) == (5, 2, 1)

    [row] = progress.provinces_progress()  # the unpublished programme's province (today's Hải Phòng) is absent
    assert (row.province.key, row.units, row.progress) == (PROVINCE, 2, 60)


def test_unit_progress_is_the_mean_of_its_programmes():
    assert progress.mean([70, 50, None]) == 60
    assert progress.rollup([]) is None


def test_province_counts_each_unit_once_whatever_its_number_of_actions(world):
    add_actions(world["second"], 8, start=3)  # drafted after the approval: not counted
    province = AdminUnit.objects.get(key=PROVINCE)
    summary, _units = progress.province_progress(province)
    assert summary.progress == 60 and summary.tally.actions == 5


# --- pages ----------------------------------------------------------------------------------------------------------


def test_anonymous_reads_the_three_pages(client, world):
    index = client.get("/public/progress/")
    assert index.status_code == 200
    body = index.content.decode()
    assert f'href="/public/progress/{PROVINCE}/"' in body and 'aria-valuenow="60"' in body and "60%" in body
    assert "rollup-rule" in body and "Σ" in body  # the rule is shown

    province = client.get(f"/public/progress/{PROVINCE}/")
    assert province.status_code == 200
    body = province.content.decode()
    assert (
        f'href="/public/units/{DANG_LAM}/programme/"' in body and f'href="/public/units/{CAU_TRE}/programme/"' in body
    )
    assert 'aria-valuenow="70"' in body and 'aria-valuenow="50"' in body
    assert HAI_AN_DISTRICT not in body  # the draft programme's unit

    unit = client.get(f"/public/units/{DANG_LAM}/programme/")
    assert unit.status_code == 200
    body = unit.content.decode()
    for shown in (
        "Chương trình hành động Đằng Lâm 2023",
        "Công khai ngân sách trên cổng thông tin",  # the approved title
        "Lấy ý kiến người dân về quy hoạch",
        "Văn phòng HĐND và UBND phường",
        "1.500.000 ₫",
        "30/06/2025",
        "Đã họp dân lấy ý kiến tại 5 tổ dân phố",
        "05/10/2023",
        "Kế hoạch công khai ngân sách",
        "Ảnh buổi họp dân",
    ):
        assert shown in body, shown
    assert 'aria-valuenow="70"' in body and "70%" in body and 'aria-valuenow="60"' in body and "60%" in body
    assert "programme-changed" in body  # being revised: the approved version is shown
    assert body.index("05/10/2023") < body.index("01/09/2023")  # newest update first


def test_portal_index_and_unit_page_link_to_progress(client, world):
    assert 'href="/public/progress/"' in client.get("/public/").content.decode()
    assert f'href="/public/units/{DANG_LAM}/programme/"' in client.get(f"/public/units/{DANG_LAM}/").content.decode()


@pytest.mark.parametrize("persona", [None, *PERSONAS])
def test_nothing_internal_on_the_public_pages_whoever_reads(client_for, world, persona):
    client = client_for(persona)
    pages = [
        "/public/progress/",
        f"/public/progress/{PROVINCE}/",
        f"/public/units/{DANG_LAM}/programme/",
        f"/public/units/{CAU_TRE}/programme/",
        f"/public/units/{HAI_AN_DISTRICT}/programme/",
        f"/public/units/{UNPUBLISHED_UNIT}/programme/",
        "/public/progress/31/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in SECRETS:
            assert secret not in body, (url, secret)


def test_draft_and_unpublished_programmes_are_not_shown(client, world):
    for key in (HAI_AN_DISTRICT, UNPUBLISHED_UNIT):
        response = client.get(f"/public/units/{key}/programme/")
        assert response.status_code == 200
        assert "public-programme" not in response.content.decode()
    assert progress.unit_programmes(AdminUnit.objects.get(key=HAI_AN_DISTRICT)) == ([], None)
    assert progress.province_progress(AdminUnit.objects.get(key="31"))[0].units == 0


def test_unit_with_no_programme(client, world):
    response = client.get(f"/public/units/{DU_LE}/programme/")
    assert response.status_code == 200
    assert "public-programme" not in response.content.decode()
    assert client.get("/public/units/khong-co/programme/").status_code == 404
    assert client.get("/public/progress/khong-co/").status_code == 404
    assert client.get(f"/public/progress/{DANG_LAM}/").status_code == 404  # a ward is not a province


def test_no_programme_published_yet(client, db):
    Programme.objects.all().delete()
    response = client.get("/public/progress/")
    assert response.status_code == 200 and progress.provinces_progress() == []


# --- evidence -------------------------------------------------------------------------------------------------------


def test_public_evidence_of_a_shown_action_or_update_is_downloadable(client, world):
    docs = world["docs"]
    response = client.get(f"/public/evidence/{docs['public_plan'].pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 public progress"
    assert client.get(f"/public/evidence/{docs['update_public'].pk}/").status_code == 200
    link = client.get(f"/public/evidence/{docs['public_link'].pk}/")
    assert link.status_code == 200 and "haiphong.gov.vn" in link.content.decode()


@pytest.mark.parametrize("name", ["internal", "update_internal", "on_later", "draft_public", "loose"])
def test_other_evidence_is_never_downloadable(client, world, name):
    assert client.get(f"/public/evidence/{world['docs'][name].pk}/").status_code == 404


def test_evidence_of_an_unpublished_programme_is_not_downloadable(client, world):
    public = document(world["unpublished"].assessment.unit, "Công khai nhưng chưa công bố", Visibility.PUBLIC)
    world["unpublished"].actions.get().documents.add(public)
    assert client.get(f"/public/evidence/{public.pk}/").status_code == 404


def test_evidence_links_on_the_page_are_public_ones_only(client, world):
    body = client.get(f"/public/units/{DANG_LAM}/programme/").content.decode()
    docs = world["docs"]
    for name in ("public_plan", "public_link", "update_public"):
        assert f'href="/public/evidence/{docs[name].pk}/"' in body
    for name in ("internal", "update_internal", "on_later"):
        assert f'href="/public/evidence/{docs[name].pk}/"' not in body


# --- query counts ---------------------------------------------------------------------------------------------------

PINNED = {
    "/public/progress/": 4,
    f"/public/progress/{PROVINCE}/": 4,
    f"/public/units/{DANG_LAM}/programme/": 7,
}


def count_queries(client, url: str) -> int:
    client.get(url)  # warm what is cached per process (the approved versions' plans)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_are_pinned_whatever_the_number_of_actions_and_units(client, world, users):
    before = {url: count_queries(client, url) for url in PINNED}
    assert before == PINNED
    # more approved actions, updates, evidence, programmes and units
    first = world["first"]
    add_actions(first, 12, start=5)
    for action in first.actions.all():
        ProgressUpdate.objects.create(action=action, on=dt.date(2024, 1, 2), title="Tiến độ", progress=0, status="")
        action.documents.add(document(action.programme.assessment.unit, f"Công khai {action.pk}", Visibility.PUBLIC))
    approve(first, users["quantri"])
    third = make_programme(
        HOANG_VAN_THU, "Chương trình Hoàng Văn Thụ", [{"title": f"Việc {i}", "progress": 0} for i in range(15)]
    )
    approve(third, users["quantri"])
    after = {url: count_queries(client, url) for url in PINNED}
    assert after == PINNED
    assert len(progress.unit_programmes(AdminUnit.objects.get(key=DANG_LAM))[0][0].actions) == 16


def test_lists_read_each_approved_version_once_per_process(client, world):
    count_queries(client, "/public/progress/")
    progress._plans_cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert 'aria-valuenow="60"' in client.get("/public/progress/").content.decode()
    assert len(cold) == PINNED["/public/progress/"] + 1
    with CaptureQueriesContext(connection) as warm:
        assert 'aria-valuenow="60"' in client.get("/public/progress/").content.decode()
    assert len(warm) == PINNED["/public/progress/"]
