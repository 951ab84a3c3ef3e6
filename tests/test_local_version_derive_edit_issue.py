"""A coordinator derives a local version, edits criteria, weights and scoring in the UI, and issues it."""

import pytest

from tincay.audit.models import AuditEvent
from tincay.catalogue.selectors import version_by_ref

pytestmark = pytest.mark.django_db
BASE = "/catalogue/tcvn-iso-18091/2020"
LOCAL = "/catalogue/tcvn-iso-18091/hp-2027"


@pytest.fixture
def coordinator(client_for):
    return client_for("dieuphoi")


def _derive(client):
    page = client.get(f"{BASE}/derive/")
    assert page.status_code == 200
    owner = page.context["form"].fields["owner_unit"].choices[0][0]
    return client.post(
        f"{BASE}/derive/",
        {
            "code": "hp-2027",
            "title_vi": "Bộ chỉ số Hải Phòng 2027",
            "title_en": "Hải Phòng 2027",
            "owner_unit": owner,
        },
    )


def test_coordinator_derives_edits_and_issues_a_local_version(coordinator):
    assert _derive(coordinator).status_code == 302
    local = version_by_ref("tcvn-iso-18091", "hp-2027")
    assert local.status == "draft" and local.derived_from.code == "2020" and local.owner_unit.code == "31"
    assert local.criteria.count() == version_by_ref("tcvn-iso-18091", "2020").criteria.count()

    criterion = local.criteria.get(code="1.7.1")
    form = coordinator.get(f"{LOCAL}/criteria/1.7.1/edit/").context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(title_vi="Công khai ngân sách trên cổng thông tin phường", weight="3", applies_to=["ward"])
    response = coordinator.post(f"{LOCAL}/criteria/1.7.1/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    criterion.refresh_from_db()
    assert (criterion.title_vi, float(criterion.weight), criterion.applies_to) == (
        "Công khai ngân sách trên cổng thông tin phường",
        3.0,
        ["ward"],
    )

    edit = coordinator.get(f"{LOCAL}/edit/").context["form"].initial
    edit.update(threshold_green=0.9, effective_date="01/01/2027")
    response = coordinator.post(f"{LOCAL}/edit/", {k: v for k, v in edit.items() if v is not None})
    assert response.status_code == 302, response.context["form"].errors
    local.refresh_from_db()
    assert local.scoring["indicator_thresholds"]["green"] == 0.9

    assert coordinator.post(f"{LOCAL}/issue/", {"confirm": "hp-2027"}).status_code == 302
    local.refresh_from_db()
    assert local.status == "issued" and local.issued_by.username == "dieuphoi"
    assert AuditEvent.objects.filter(action="catalogue.version_issued", object_id=str(local.pk)).exists()
    assert coordinator.get(f"{LOCAL}/criteria/1.7.1/edit/").status_code == 404


def test_bad_scoring_input_is_explained_and_kept(coordinator):
    _derive(coordinator)
    edit = coordinator.get(f"{LOCAL}/edit/").context["form"].initial
    edit.update(threshold_yellow=0.9, threshold_green=0.5, title_vi="Tiêu đề mới giữ nguyên")
    response = coordinator.post(f"{LOCAL}/edit/", {k: v for k, v in edit.items() if v is not None})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Tiêu đề mới giữ nguyên" in response.content.decode()


def test_performance_criterion_needs_ordered_thresholds(coordinator):
    _derive(coordinator)
    form = coordinator.get(f"{LOCAL}/indicators/4.6/criteria/new/").context["form"]
    data = {
        "title_vi": "Tỷ lệ hộ dùng nước máy",
        "title_en": "Piped water",
        "type": "performance",
        "weight": "1",
        "level_red_vi": "Dưới 50%",
        "level_yellow_vi": "50–80%",
        "level_green_vi": "Trên 80%",
        "direction": "higher_is_better",
        "threshold_yellow": "80",
        "threshold_green": "50",
        "measure_unit_vi": "%",
    }
    response = coordinator.post(f"{LOCAL}/indicators/4.6/criteria/new/", data)
    assert response.status_code == 200 and "threshold_green" in response.context["form"].errors
    assert "Tỷ lệ hộ dùng nước máy" in response.content.decode()
    data.update(threshold_yellow="50", threshold_green="80")
    assert coordinator.post(f"{LOCAL}/indicators/4.6/criteria/new/", data).status_code == 302
    assert version_by_ref("tcvn-iso-18091", "hp-2027").criteria.filter(code="4.6.7").exists()
    assert form is not None


def test_a_unit_official_cannot_derive_or_edit(client_for):
    client = client_for("lanhdao")
    assert client.get(f"{BASE}/derive/").status_code == 404
    assert client.get("/catalogue/tcvn-iso-18091/hai-phong-2026/").status_code == 404


def test_indicator_title_and_links_are_edited_in_a_draft(coordinator):
    _derive(coordinator)
    initial = coordinator.get(f"{LOCAL}/indicators/1.7/edit/").context["form"].initial
    bad = {**initial, "sdgs": "16, 42", "title_vi": "Minh bạch và giải trình (Hải Phòng)"}
    response = coordinator.post(f"{LOCAL}/indicators/1.7/edit/", bad)
    assert (
        "sdgs" in response.context["form"].errors and "Minh bạch và giải trình (Hải Phòng)" in response.content.decode()
    )
    response = coordinator.post(f"{LOCAL}/indicators/1.7/edit/", {**bad, "sdgs": "16, 17"})
    assert response.status_code == 302
    indicator = version_by_ref("tcvn-iso-18091", "hp-2027").indicators.get(code="1.7")
    assert (indicator.title_vi, indicator.sdgs) == ("Minh bạch và giải trình (Hải Phòng)", [16, 17])
