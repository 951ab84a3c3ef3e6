"""A large file is not checked in the web request: the run waits as "being checked", the worker checks it once
(the same dry run: nothing written but the report), and the page following its progress reloads itself when the
check is done. A bad large file is refused by the worker with the file's problem."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import HEADER, codes, csv_bytes, results_row, stored, upload
from tincay.reports.imports.service import import_check, import_check_queued
from tincay.reports.models import ImportRun, ImportStatus

CODE = "nhap-tep-lon"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
pytestmark = pytest.mark.usefixtures("small_inline_limit")


@pytest.fixture
def small_inline_limit(settings):
    settings.TINCAY_IMPORT_INLINE_BYTES = 100  # every file of these tests counts as large


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign


def good_file(campaign) -> bytes:
    own = campaign.assessments.get(unit__key="11413")
    return csv_bytes(HEADER, [results_row("11413", code, level="Xanh") for code in codes(own, "management", 4)])


def test_the_request_only_queues_and_the_worker_checks_once(campaign, users, django_capture_on_commit_callbacks):
    before = stored(campaign)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = import_check(
            user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(good_file(campaign), "a.csv")
        )
    assert run.status == ImportStatus.CHECKING and run.report == {} and len(callbacks) == 1
    checked = import_check_queued(run.pk)
    assert checked.status == ImportStatus.CHECKED and checked.report["counts"]["total"] == 4
    assert checked.file.name.endswith(".csv") and stored(campaign) == before
    again = import_check_queued(run.pk)  # a second delivery of the job changes nothing
    assert again.report == checked.report and again.status == ImportStatus.CHECKED


def test_a_bad_large_file_is_refused_by_the_worker(campaign, users):
    run = import_check(
        user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(b"%PDF-1.7\n" + b"x" * 200, "a.csv")
    )
    refused = import_check_queued(run.pk)
    assert refused.status == ImportStatus.REFUSED and "PDF" in refused.message


def test_the_page_follows_the_check_and_reloads_when_done(campaign, client_for, django_capture_on_commit_callbacks):
    client = client_for("dieuphoi")
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            f"/results/campaigns/{CODE}/imports/", {"kind": "results", "file": upload(good_file(campaign), "a.csv")}
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and run.status == ImportStatus.CHECKING
    page = client.get(f"/results/campaigns/{CODE}/imports/{run.pk}/").content.decode()
    assert "was=checking" in page and 'hx-trigger="every 2s"' in page
    import_check_queued(run.pk)
    status = client.get(
        f"/results/campaigns/{CODE}/imports/{run.pk}/?part=status&was=checking", headers={"HX-Request": "true"}
    )
    assert status["HX-Refresh"] == "true"
    assert "import-rows" in client.get(f"/results/campaigns/{CODE}/imports/{run.pk}/").content.decode()
