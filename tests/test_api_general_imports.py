"""Imports of people, units and lineage events through the API (``/api/v1/imports/``): a file is checked (201, every
row reported under its keys, nothing written), read a page at a time, then imported for real (202); a coordinator
imports people but not units; people who import nothing are refused; a campaign's kinds are not taken here."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from tests.import_fixtures import csv_bytes, upload
from tincay.reports.models import ImportRun

URL = "/api/v1/imports/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PEOPLE = ("Tên đăng nhập", "Họ và tên", "Mã đơn vị", "Vai trò")

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _file() -> bytes:
    return csv_bytes(PEOPLE, [("tran.van.binh", "Trần Văn Bình", "11413", "Cán bộ đầu mối")])


def test_check_read_rows_then_import_people(users, django_capture_on_commit_callbacks):
    client = api(users["dieuphoi"])
    response = client.post(URL, {"kind": "people", "file": upload(_file(), "nguoi-dung.csv")})
    assert response.status_code == 201, response.json()
    run = response.json()
    assert run["campaign"] is None and run["status"] == "checked" and run["counts"]["new"] == 1
    assert not get_user_model().objects.filter(username="tran.van.binh").exists()
    rows = client.get(f"{URL}{run['id']}/rows/").json()
    assert rows["count"] == 1 and rows["rows"][0]["keys"][0] == "tran.van.binh"
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}{run['id']}/start/", {"file": upload(_file(), "nguoi-dung.csv")})
    assert started.status_code == 202, started.json()
    done = client.get(f"{URL}{run['id']}/").json()
    assert done["status"] == "done" and done["rows_written"] == 1
    assert get_user_model().objects.filter(username="tran.van.binh", memberships__unit__key="11413").exists()
    assert [r["id"] for r in client.get(URL).json()] == [run["id"]]


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [
        ("dieuphoi", "units", 403),
        ("dieuphoi", "lineage", 403),
        ("dieuphoi", "results", 400),  # a campaign's kind: not offered here
        ("quantri", "values", 400),
        ("quantri", "nothing", 400),
        ("xem", "people", 403),
        ("congchuc", "people", 403),
        ("chamdiem", "people", 403),
    ],
)
def test_refused_kinds_and_people_store_nothing(users, persona, kind, status):
    response = api(users[persona]).post(URL, {"kind": kind, "file": upload(_file(), "nguoi-dung.csv")})
    assert response.status_code == status, response.json()
    assert "errors" in response.json()
    assert not ImportRun.objects.exists()


def test_wrong_shapes_are_refused(users):
    client = api(users["quantri"])
    assert client.post(URL, {"kind": "people"}).status_code == 400  # no file
    json = client.post(URL, {"kind": "people"}, format="json")
    assert json.status_code == 415
    assert client.get(f"{URL}999999/").status_code == 404
    assert client.get(f"{URL}99999999999999999999/").status_code == 404
    assert not ImportRun.objects.exists()


def test_a_run_is_read_only_by_whoever_checked_it(users):
    run = api(users["dieuphoi"]).post(URL, {"kind": "people", "file": upload(_file(), "nguoi-dung.csv")}).json()
    assert api(users["quantri"]).get(f"{URL}{run['id']}/").status_code == 200  # administrators see every run
    other = get_user_model().objects.create_user("dieuphoi-khac")
    other.memberships.create(unit=users["dieuphoi"].memberships.first().unit, role="coordinator")
    assert api(other).get(f"{URL}{run['id']}/").status_code == 404
    assert api(other).post(f"{URL}{run['id']}/start/").status_code == 404
    assert api(users["xem"]).get(f"{URL}{run['id']}/").status_code == 403
