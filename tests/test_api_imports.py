"""Imports through the API: a file is checked (201, every row reported, nothing written), its rows read a page at a
time, then imported for real (202, queued; the worker writes all or nothing). A changed file given again is refused,
a file with bad rows cannot be imported, a wrong file type is reported; people who may not import are refused, and
only the person who checked a file imports it."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import HEADER, codes, csv_bytes, results_row, stored, upload
from tincay.assessments.models import CriterionResult
from tincay.reports.models import ImportRun

CODE = "nhap-qua-api"
URL = f"/api/v1/campaigns/{CODE}/imports/"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "other": "00004"}) as campaign:
        yield campaign


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def good_file(campaign) -> bytes:
    own = campaign.assessments.get(unit__key="11413")
    return csv_bytes(HEADER, [results_row("11413", code, level="Xanh") for code in codes(own, "management", 3)])


def test_check_read_rows_then_import_for_real(campaign, users, django_capture_on_commit_callbacks):
    client = api(users["dieuphoi"])
    before = stored(campaign)
    response = client.post(URL, {"kind": "results", "file": upload(good_file(campaign), "ket-qua.csv")})
    assert response.status_code == 201, response.json()
    run = response.json()
    assert run["status"] == "checked" and run["counts"]["changed"] + run["counts"]["new"] == 3
    assert stored(campaign) == before  # the dry run wrote nothing
    rows = client.get(f"{URL}{run['id']}/rows/").json()
    assert rows["count"] == 3 and rows["pages"] == 1 and {r["outcome"] for r in rows["rows"]} <= {"new", "changed"}
    assert client.get(f"{URL}{run['id']}/rows/?page=0").status_code == 400
    changed = upload(good_file(campaign) + b"11413;;1.1.1;;Do\r\n", "ket-qua.csv")
    refused = client.post(f"{URL}{run['id']}/start/", {"file": changed})
    assert refused.status_code == 400 and "không phải tệp đã được kiểm tra" in str(refused.json())
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        started = client.post(f"{URL}{run['id']}/start/", {"file": upload(good_file(campaign), "ket-qua.csv")})
    assert started.status_code == 202, started.json()
    done = client.get(f"{URL}{run['id']}/").json()
    assert done["status"] == "done" and done["rows_written"] == 3
    assert CriterionResult.objects.filter(assessment__campaign=campaign, self_level="green").count() == 3
    assert [r["id"] for r in client.get(URL).json()] == [run["id"]]


def test_bad_rows_are_reported_and_cannot_be_imported(campaign, users):
    client = api(users["dieuphoi"])
    bad = csv_bytes(HEADER, [results_row("11413", "9.9.9", level="Tím"), results_row("00004", "1.1.1", level="Xanh")])
    run = client.post(URL, {"kind": "results", "file": upload(bad, "sai.csv")}).json()
    assert run["status"] == "refused" and run["counts"]["refused"] == 2
    reasons = [e["reason"] for r in client.get(f"{URL}{run['id']}/rows/").json()["rows"] for e in r["errors"]]
    assert any("9.9.9" in reason for reason in reasons) and any("phạm vi" in reason for reason in reasons)
    assert client.post(f"{URL}{run['id']}/start/", {}).status_code == 400
    assert not CriterionResult.objects.filter(assessment__campaign=campaign).exclude(self_level="").exists()


def test_a_wrong_file_and_wrong_shapes(campaign, users):
    client = api(users["dieuphoi"])
    pdf = client.post(URL, {"kind": "results", "file": upload(b"%PDF-1.7\n", "ket-qua.xlsx")}).json()
    assert pdf["status"] == "refused" and pdf["errors"] and "PDF" in pdf["errors"][0]
    assert client.post(URL, {"kind": "diem", "file": upload(good_file(campaign), "a.csv")}).status_code == 400
    assert client.post(URL, {"kind": "results"}).status_code == 400
    assert client.post(URL, {"kind": "results", "file": "x"}, format="json").status_code == 415


@pytest.mark.parametrize(("persona", "status"), [("xem", 403), ("lanhdao", 403), ("chamdiem", 403)])
def test_people_who_may_not_import_are_refused(persona, status, campaign, users):
    response = api(users[persona]).post(URL, {"kind": "results", "file": upload(good_file(campaign), "a.csv")})
    assert response.status_code == status
    assert not ImportRun.objects.exists()


def test_only_the_person_who_checked_imports_and_others_do_not_see_the_run(campaign, users, stranger):
    run = api(users["dieuphoi"]).post(URL, {"kind": "results", "file": upload(good_file(campaign), "a.csv")}).json()
    admin = api(users["quantri"])
    assert admin.get(f"{URL}{run['id']}/").status_code == 200  # administrators follow every import
    assert admin.post(f"{URL}{run['id']}/start/", {}).status_code == 403  # but import only what they checked
    assert api(stranger).get(f"{URL}{run['id']}/").status_code == 404
    assert api(users["dieuphoi"]).get("/api/v1/campaigns/khong-co/imports/").status_code == 404
