"""A requested document is built once in the worker with its progress visible, kept with who asked, and downloaded
only by that person (or an administrator) while they still see what it is about; others get 404, anonymous users
the login page. A failed build says why on the list."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.document_fixtures import document_campaign, made
from tincay.reports import pdf
from tincay.reports.generation import generated_file_build
from tincay.reports.models import GeneratedFile, JobStatus

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "van-ban-tai") as found:
        yield found


@pytest.mark.parametrize(
    ("persona", "status"),
    [("dieuphoi", 200), ("quantri", 200), ("lanhdao", 404), ("xem", 404), ("chamdiem", 404), (None, 302)],
)
def test_only_the_requester_or_an_administrator_downloads(persona, status, world, users, client_for):
    _campaign, own, _other = world
    generated = made(users["dieuphoi"], kind="self_report", assessment_id=own.pk)
    response = client_for(persona).get(f"/reports/documents/{generated.pk}/download/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"] == f'attachment; filename="{generated.filename}"'
        assert b"".join(response.streaming_content).startswith(b"PK")  # a DOCX is a ZIP package
    if status == 302:
        assert "/accounts/login/" in response["Location"]


def test_a_document_of_a_subject_no_longer_visible_is_not_served(world, users, client_for):
    _campaign, _own, other = world
    generated = made(users["quantri"], kind="self_report", assessment_id=other.pk)
    GeneratedFile.objects.filter(pk=generated.pk).update(requested_by=users["dieuphoi"])  # not in their scope
    assert client_for("dieuphoi").get(f"/reports/documents/{generated.pk}/download/").status_code == 404


def test_the_form_queues_the_job_and_the_worker_builds_it_once(
    world, users, client_for, django_capture_on_commit_callbacks
):
    _campaign, own, _other = world
    client = client_for("lanhdao")
    with override_settings(TASKS=IMMEDIATE), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/reports/documents/new/", {"assessment": own.pk, "kind": "decision", "fmt": "docx", "number": "7"}
        )
    assert response.status_code == 302 and response["Location"] == "/reports/documents/"
    generated = GeneratedFile.objects.get(requested_by=users["lanhdao"])
    assert generated.status == JobStatus.DONE and generated.progress == 100 and generated.options["number"] == 7
    sha = generated.sha256
    assert generated_file_build(generated.pk).sha256 == sha  # a second run leaves the built file as it is
    page = client.get("/reports/documents/").content.decode()
    assert generated.filename in page and "Quyết định ban hành Bộ chỉ số" in page


def test_waiting_documents_show_their_progress_and_the_list_refreshes(world, users, client_for):
    _campaign, own, _other = world
    made(users["dieuphoi"], build=False, kind="self_report", assessment_id=own.pk)
    page = client_for("dieuphoi").get("/reports/documents/").content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    partial = client_for("dieuphoi").get("/reports/documents/", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.content.decode()


def test_a_failed_pdf_says_why(world, users, client_for, monkeypatch):
    _campaign, own, _other = world

    def broken(_docx, **_kwargs):
        raise pdf.ConversionFailed("Việc tạo PDF quá 120 giây và đã bị dừng.")

    monkeypatch.setattr(pdf, "docx_to_pdf", broken)
    generated = made(users["dieuphoi"], kind="self_report", fmt="pdf", assessment_id=own.pk)
    assert generated.status == JobStatus.FAILED and not generated.file
    page = client_for("dieuphoi").get("/reports/documents/").content.decode()
    assert "Việc tạo PDF quá 120 giây và đã bị dừng." in page
    assert client_for("dieuphoi").get(f"/reports/documents/{generated.pk}/download/").status_code == 404


def test_storage_full_fails_the_document_with_a_message_instead_of_leaving_it_running(
    world, users, client_for, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    _campaign, own, _other = world

    def full(self, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    generated = made(users["dieuphoi"], kind="decision", assessment_id=own.pk)
    assert generated.status == JobStatus.FAILED and not generated.file and generated.filename == ""
    assert "quản trị viên" in generated.message
    assert client_for("dieuphoi").get("/reports/documents/").status_code == 200
