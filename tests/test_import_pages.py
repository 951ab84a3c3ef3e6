"""The import pages: a coordinator or an administrator uploads a file, reads the dry run's report (refused rows
first, 200 rows a page), imports for real and follows the progress; the criteria-detail export downloads in both
formats. Other people get 403 with a message when they see the campaign, 404 when they do not."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import HEADER, codes, results_row, stored, upload, xlsx
from tincay.reports.models import ImportRun

CODE = "nhap-trang"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311"}) as campaign:
        yield campaign


def _post(client, campaign, data: bytes, kind: str = "results"):
    url = reverse("reports:imports", args=[campaign.code])
    return client.post(url, {"kind": kind, "file": upload(data)})


def _good(campaign) -> bytes:
    own = campaign.assessments.get(unit__key="11413")
    return xlsx(HEADER, [results_row("11413", code, level="Vàng") for code in codes(own, "management", 3)])


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("dieuphoi", 200), ("quantri", 200), ("xem", 403), ("lanhdao", 403)])
def test_only_coordinators_and_administrators_reach_the_import_pages(campaign, client_for, persona, status):
    client = client_for(persona)
    for name in ("reports:imports", "reports:criteria_xlsx", "reports:criteria_csv"):
        response = client.get(reverse(name, args=[campaign.code]))
        assert response.status_code == status, name
    if status == 403:
        assert "coordinator" in response.text or "điều phối" in response.text  # the message says who imports


@pytest.mark.django_db
def test_a_campaign_not_seen_is_not_found(campaign, client_for, stranger):
    client = client_for(None)
    client.force_login(stranger)
    assert client.get(reverse("reports:imports", args=[campaign.code])).status_code == 404


@pytest.mark.django_db
def test_upload_report_import_for_real_and_follow_the_progress(
    campaign, client_for, users, django_capture_on_commit_callbacks
):
    client = client_for("dieuphoi")
    response = _post(client, campaign, _good(campaign))
    run = ImportRun.objects.get(campaign=campaign, requested_by=users["dieuphoi"])
    assert response.status_code == 302 and response.url == reverse("reports:import_run", args=[campaign.code, run.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'id="import-rows"' in page.text
    assert reverse("reports:import_start", args=[campaign.code, run.pk]) in page.text
    before = stored(campaign)
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        started = client.post(reverse("reports:import_start", args=[campaign.code, run.pk]))
    assert started.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.rows_written) == ("done", 3)
    assert stored(campaign) != before
    status = client.get(response.url + "?part=status", headers={"HX-Request": "true"})
    assert status.status_code == 200 and 'id="import-status"' in status.text and "<html" not in status.text
    assert client_for("lanhdao").get(response.url).status_code == 403


@pytest.mark.django_db
def test_a_queued_import_polls_its_progress(campaign, client_for, users):
    client = client_for("dieuphoi")
    _post(client, campaign, _good(campaign))
    run = ImportRun.objects.get(campaign=campaign, requested_by=users["dieuphoi"])
    ImportRun.objects.filter(pk=run.pk).update(status="running", progress=40)
    page = client.get(reverse("reports:import_run", args=[campaign.code, run.pk]))
    assert 'hx-trigger="every 2s"' in page.text and 'value="40"' in page.text


@pytest.mark.django_db
def test_a_report_with_refused_rows_has_no_import_button_and_is_paginated(campaign, client_for, users):
    client = client_for("dieuphoi")
    rows = [results_row("11413", f"9.9.{n}", level="Xanh") for n in range(250)]
    _post(client, campaign, xlsx(HEADER, rows))
    run = ImportRun.objects.get(campaign=campaign, requested_by=users["dieuphoi"])
    url = reverse("reports:import_run", args=[campaign.code, run.pk])
    page = client.get(url)
    assert run.status == "refused"
    assert reverse("reports:import_start", args=[campaign.code, run.pk]) not in page.text
    assert page.text.count("table-danger") == 200
    assert client.get(url + "?page=2").text.count("table-danger") == 50
    refused = client.post(reverse("reports:import_start", args=[campaign.code, run.pk]), follow=True)
    assert refused.status_code == 200 and 'role="alert"' in refused.text


@pytest.mark.django_db
def test_an_unreadable_file_shows_its_message(campaign, client_for, users):
    client = client_for("quantri")
    response = _post(client, campaign, b"%PDF-1.7\n", "values")
    page = client.get(response.url)
    run = ImportRun.objects.get(campaign=campaign, requested_by=users["quantri"])
    assert run.status == "refused"
    assert "alert-danger" in page.text and "PDF" in page.text
