"""The import pages outside any campaign: people (coordinators and administrators), units and lineage events
(administrators). Each sees only the kinds they may import and the exports of those kinds; the others get 403.
A file is checked (nothing written), its rows shown under the kind's own headings, then imported for real; a run
is seen only by the person who checked it (and administrators)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from tests.import_fixtures import csv_bytes, upload
from tincay.orgunits.models import Membership
from tincay.reports.models import ImportRun

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
PEOPLE = ("Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò")
PAGE = reverse("reports:general_imports")

pytestmark = pytest.mark.django_db


def _people_file(*rows: tuple[str, ...]) -> bytes:
    return csv_bytes(PEOPLE, rows)


def _kinds(response) -> set[str]:
    return {str(value) for value, _label in response.context["form"].fields["kind"].choices}


@pytest.mark.parametrize(
    ("persona", "status", "kinds"),
    [
        ("quantri", 200, {"people", "units", "lineage"}),
        ("dieuphoi", 200, {"people"}),
        ("daumoi", 403, set()),
        ("congchuc", 403, set()),
        ("chamdiem", 403, set()),
        ("xem", 403, set()),
    ],
)
def test_each_person_sees_only_the_kinds_they_import(client_for, persona, status, kinds):
    response = client_for(persona).get(PAGE)
    assert response.status_code == status
    if status == 200:
        assert _kinds(response) == kinds
        for kind in ("people", "units", "lineage"):
            for fmt in ("xlsx", "csv"):
                export = client_for(persona).get(reverse("reports:general_import_export", args=[kind, fmt]))
                assert export.status_code == (200 if kind in kinds else 403), (kind, fmt)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_coordinator_checks_then_imports_a_people_file(client_for, users, django_capture_on_commit_callbacks):
    client = client_for("dieuphoi")
    data = _people_file(("nguyen.thi.hoa", "Nguyễn Thị Hoa", "11413", "Cán bộ đầu mối"))
    response = client.post(PAGE, {"kind": "people", "file": upload(data, "nguoi-dung.csv")})
    run = ImportRun.objects.get(requested_by=users["dieuphoi"], kind="people")
    assert response.status_code == 302 and response["Location"] == reverse("reports:general_import_run", args=[run.pk])
    assert run.campaign is None and run.status == "checked", run.report
    assert not get_user_model().objects.filter(username="nguyen.thi.hoa").exists()  # the dry run wrote nothing
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "Tên đăng nhập" in html and "nguyen.thi.hoa" in html and "Nhập thật" in html
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reports:general_import_start", args=[run.pk]))
    assert started.status_code == 302
    run.refresh_from_db()
    assert run.status == "done" and run.rows_written == 1, run.message
    hoa = get_user_model().objects.get(username="nguyen.thi.hoa")
    assert Membership.objects.filter(user=hoa, unit__key="11413", role="focal_point").exists()
    assert client.get(PAGE).status_code == 200  # the list shows the run
    assert client_for("quantri").get(reverse("reports:general_import_run", args=[run.pk])).status_code == 200
    other = client_for("dieuphoi")
    other.force_login(users["quantri"])
    assert other.post(reverse("reports:general_import_start", args=[run.pk])).status_code == 302  # refused, message


def test_a_run_is_not_seen_by_another_coordinator_or_through_a_campaign(client_for, users, django_user_model):
    client = client_for("dieuphoi")
    data = _people_file(("le.van.nam", "Lê Văn Nam", "11413", "Cán bộ đầu mối"))
    client.post(PAGE, {"kind": "people", "file": upload(data, "nguoi-dung.csv")})
    run = ImportRun.objects.get(requested_by=users["dieuphoi"], kind="people")
    second = django_user_model.objects.create_user("dieuphoi2")
    Membership.objects.create(user=second, unit=users["dieuphoi"].memberships.first().unit, role="coordinator")
    stranger_client = client_for(None)
    stranger_client.force_login(second)
    assert stranger_client.get(reverse("reports:general_import_run", args=[run.pk])).status_code == 404


def test_a_bad_file_is_reported_and_the_form_kept(client_for):
    client = client_for("dieuphoi")
    response = client.post(PAGE, {"kind": "units", "file": upload(b"x", "don-vi.csv")})
    assert response.status_code == 200 and "kind" in response.context["form"].errors  # not a kind they import
    response = client.post(PAGE, {"kind": "people"})
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert response.context["form"]["kind"].value() == "people"
    pdf = client.post(PAGE, {"kind": "people", "file": upload(b"%PDF-1.7 ...", "nguoi-dung.xlsx")})
    run = ImportRun.objects.get(kind="people")
    assert pdf.status_code == 302 and run.status == "refused" and "PDF" in run.message
    assert client.get(pdf["Location"]).status_code == 200


def test_the_people_page_and_the_units_page_link_to_the_imports(client_for):
    assert "?kind=people" in client_for("dieuphoi").get(reverse("orgunits:people")).content.decode()
    assert "?kind=units" in client_for("quantri").get(reverse("orgunits:index")).content.decode()
    assert "?kind=units" not in client_for("dieuphoi").get(reverse("orgunits:index")).content.decode()
    chosen = client_for("quantri").get(PAGE + "?kind=lineage")
    assert chosen.context["form"]["kind"].value() == "lineage"
