"""A spreadsheet import asked for while the job queue is down (Redis away) does not fail the request: the run says
what happened and what to do, nothing is imported, and asking again once the queue is back works."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import translation

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import HEADER, codes, results_row, stored, upload, xlsx
from tincay.reports.imports import service
from tincay.reports.models import ImportRun

CODE = "nhap-hang-doi"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign


def _data(campaign) -> bytes:
    own = campaign.assessments.get()
    return xlsx(HEADER, [results_row("11413", code, level="Xanh") for code in codes(own, "management", 2)])


@pytest.mark.django_db
def test_starting_an_import_while_the_queue_is_down_keeps_the_check(
    campaign, users, tasks_redis_down, django_capture_on_commit_callbacks
):
    run = service.import_check(
        user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(_data(campaign))
    )
    assert run.status == "checked"
    before = stored(campaign)
    with (
        override_settings(TASKS=tasks_redis_down),
        translation.override("vi"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        service.import_start(user=users["dieuphoi"], run=run)  # no exception reaches the request
    run.refresh_from_db()
    assert run.status == "checked" and "hàng đợi" in run.message
    assert stored(campaign) == before  # nothing imported
    with django_capture_on_commit_callbacks(execute=True):
        service.import_start(user=users["dieuphoi"], run=run)  # the queue is back: it starts
    assert ImportRun.objects.get(pk=run.pk).status != "checked"


@pytest.mark.django_db
def test_a_large_file_sent_while_the_queue_is_down_says_to_check_again(
    campaign, users, tasks_redis_down, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(service, "_inline_bytes", lambda: 0)  # every file is checked in the worker
    with (
        override_settings(TASKS=tasks_redis_down),
        translation.override("vi"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = service.import_check(
            user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(_data(campaign))
        )
    run.refresh_from_db()
    assert run.status == "failed" and "Hãy kiểm tra lại tệp" in run.message
