"""Training pages for a rollout of a whole province (Hải Phòng's 114 communes): the attendance table is paged, the
session list names a few units and counts the rest, and the session form takes every unit, a province's units or
typed codes instead of listing a box per unit — with a clear message for a code that is no unit, or a unit the
rollout does not cover, and nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rollout_preparation_fixtures import HAI_AN, make_rollout, other_commune
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import RolloutUnit, TrainingSession
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_rollout():
    rollout = make_rollout("hp-toan-thanh", extra=200)  # every commune of today's Hải Phòng
    assert RolloutUnit.objects.filter(rollout=rollout).count() > selectors.TRAINING_PAGE_SIZE * 2
    return rollout


def session_for_all(users, rollout) -> TrainingSession:
    units = [e.unit for e in RolloutUnit.objects.filter(rollout=rollout).select_related("unit")]
    return services.training_session_create(
        actor=users["dieuphoi"],
        rollout=rollout,
        units=units,
        held_on=dt.date(2026, 3, 20),
        trainer="Chi cục",
        topic="Tổng quan TCVN ISO 18091:2020",
        level="basic",
    )


def form_data(**values):
    return {"topic": "Tập huấn trực tuyến", "held_on": "20/03/2026", "level": "basic", "trainer": "Sở KH&CN", **values}


def test_attendance_table_is_paged_and_the_counts_cover_every_unit(client_for, users, province_rollout):
    session = session_for_all(users, province_rollout)
    total = province_rollout.units.count()
    trained = [AdminUnit.objects.get(key=HAI_AN), other_commune()]
    for unit in trained:
        services.attendance_add(actor=users["dieuphoi"], session=session, name="Nguyễn Văn An", unit=unit)
    client = client_for("dieuphoi")
    first = client.get(f"/rollout/{province_rollout.code}/training/")
    overview = first.context["overview"]
    assert (overview.total, overview.trained) == (total, 2)
    assert len(overview.units) == selectors.TRAINING_PAGE_SIZE
    last_number = overview.page.paginator.num_pages
    last = client.get(f"/rollout/{province_rollout.code}/training/", {"page": last_number}).context["overview"]
    assert len(last.units) == total - selectors.TRAINING_PAGE_SIZE * (last_number - 1)
    untrained = client.get(f"/rollout/{province_rollout.code}/training/", {"untrained": "1"})
    assert untrained.context["overview"].page.paginator.count == total - 2
    assert "untrained=1&amp;page=2" in untrained.content.decode()
    assert all(line.attendance == 0 for line in untrained.context["overview"].units)
    # a page number that is no page falls back to a real one
    assert client.get(f"/rollout/{province_rollout.code}/training/", {"page": "abc"}).status_code == 200


def test_the_session_list_names_a_few_units_and_counts_them_all(client_for, users, province_rollout):
    session_for_all(users, province_rollout)
    page = client_for("dieuphoi").get(f"/rollout/{province_rollout.code}/training/")
    [line] = page.context["overview"].sessions
    total = province_rollout.units.count()
    assert (line.unit_count, len(line.preview)) == (total, selectors.SESSION_PREVIEW)
    assert f"({total} đơn vị)" in page.content.decode()


def test_a_large_rollout_form_has_no_box_per_unit(client_for, province_rollout):
    html = client_for("dieuphoi").get(f"/rollout/{province_rollout.code}/training/").content.decode()
    assert 'name="units"' not in html
    assert 'name="unit_codes"' in html and 'name="province"' in html
    assert '<option value="31">Thành phố Hải Phòng</option>' in html


def test_a_session_for_a_province_and_for_typed_codes(client_for, province_rollout):
    client = client_for("dieuphoi")
    url = f"/rollout/{province_rollout.code}/training/"
    assert client.post(url, form_data(province="31")).status_code == 302
    assert TrainingSession.objects.get(rollout=province_rollout).units.count() == province_rollout.units.count()
    other = other_commune()
    assert client.post(url, form_data(topic="Chuyên sâu", unit_codes=f"{HAI_AN}, {other.key}")).status_code == 302
    typed = TrainingSession.objects.get(rollout=province_rollout, topic="Chuyên sâu")
    assert sorted(typed.units.values_list("key", flat=True)) == sorted([HAI_AN, other.key])


def test_a_code_that_is_no_unit_is_refused_and_what_was_typed_is_kept(client_for, province_rollout):
    page = client_for("dieuphoi").post(
        f"/rollout/{province_rollout.code}/training/", form_data(unit_codes=f"{HAI_AN} 99999x")
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "99999x" in html and "Không có đơn vị nào mang các mã" in html
    assert 'value="Tập huấn trực tuyến"' in html
    assert not TrainingSession.objects.filter(rollout=province_rollout).exists()


def test_a_unit_outside_the_rollout_is_refused_by_the_service(client_for, province_rollout):
    ha_noi = AdminUnit.objects.filter(parent__key="01", valid_to__isnull=True).order_by("key").first()
    page = client_for("dieuphoi").post(
        f"/rollout/{province_rollout.code}/training/", form_data(unit_codes=f"{HAI_AN} {ha_noi.key}")
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "không thuộc đợt triển khai này" in html and ha_noi.name in html
    assert not TrainingSession.objects.filter(rollout=province_rollout).exists()


def test_editing_a_large_session_shows_its_codes(client_for, users, province_rollout):
    session = session_for_all(users, province_rollout)
    html = client_for("dieuphoi").get(f"/rollout/{province_rollout.code}/training/{session.pk}/edit/").content.decode()
    assert HAI_AN in html and 'name="unit_codes"' in html


def test_a_session_page_shows_its_units_a_page_at_a_time(client_for, users, province_rollout):
    session = session_for_all(users, province_rollout)
    last_unit = session.units.order_by("-sort_key").first()
    services.attendance_add(actor=users["dieuphoi"], session=session, name="Trần Thị Bình", unit=last_unit)
    first_unit = session.units.order_by("sort_key").first()
    services.attendance_add(actor=users["dieuphoi"], session=session, name="Khách Mời", unit=first_unit)
    client = client_for("dieuphoi")
    url = f"/rollout/{province_rollout.code}/training/{session.pk}/"
    first = client.get(url)
    detail = first.context["detail"]
    assert len(detail.per_unit) == selectors.SESSION_PAGE_SIZE and detail.attendees == 2
    assert "Khách Mời" in first.content.decode() and "Trần Thị Bình" not in first.content.decode()
    last = client.get(url, {"page": detail.page.paginator.num_pages})
    assert "Trần Thị Bình" in last.content.decode() and "Khách Mời" not in last.content.decode()
    assert (last_unit, 1) in last.context["detail"].per_unit


def test_a_session_of_many_units_takes_the_unit_by_its_code(client_for, users, province_rollout, monkeypatch):
    from tincay.rollout.views.preparation import training

    monkeypatch.setattr(training, "SELECT_LIMIT", 10)
    session = session_for_all(users, province_rollout)
    client = client_for("dieuphoi")
    url = f"/rollout/{province_rollout.code}/training/{session.pk}/"
    assert '<input type="text" name="unit"' in client.get(url).content.decode()
    refused = client.post(url, {"name": "Lê Văn Cường", "unit": "khong-co", "position": "Văn thư"})
    assert refused.status_code == 200 and 'value="Văn thư"' in refused.content.decode()
    assert not session.attendance.exists()
    assert client.post(url, {"name": "Lê Văn Cường", "unit": HAI_AN, "position": "Văn thư"}).status_code == 302
    assert session.attendance.get().unit.key == HAI_AN
