"""Faults of the services the application leans on get a clear answer, never a bare 500: a database that went away
answers 503 with a message to try again (pages and API), the health check tells the load balancer, and file
storage that is full or unreachable during an upload is reported on the file with nothing stored and the rest of
the form kept."""

from __future__ import annotations

import errno
import uuid

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils import translation
from rest_framework.test import APIClient

from tests.test_evidence_register import FORM as EVIDENCE_FORM
from tincay.assessments.models import Document
from tincay.config import views

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _new_pdf() -> bytes:
    """A PDF no other test stored: content already in storage is shared, never written again (so never fails)."""
    return PDF.replace(b"%%EOF", f"% {uuid.uuid4().hex}\n%%EOF".encode())


AWAY = OperationalError("terminating connection due to administrator command")


@pytest.fixture
def database_away(monkeypatch):
    def fail(*args, **kwargs):
        raise AWAY

    monkeypatch.setattr(views, "waiting_on", fail)  # the home page's first query of the person's work


def test_a_page_whose_database_went_away_answers_503_with_a_message_to_retry(client_for, database_away, users):
    response = client_for("lanhdao").get("/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.content.decode()
    assert "Hệ thống tạm thời không kết nối được cơ sở dữ liệu" in body and "thử lại" in body


def test_the_api_answers_503_in_its_own_shape(monkeypatch, users):
    from tincay.api import assessments

    def fail(*args, **kwargs):
        raise AWAY

    monkeypatch.setattr(assessments.access, "assessments_visible_to", fail)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(users["lanhdao"])
    response = client.get("/api/v1/assessments/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "cannot reach its database" in response.json()["errors"]["__all__"][0]


def test_outside_a_view_the_500_handler_answers_503_too():
    request = RequestFactory().post("/units/11413/documents/")
    with translation.override("vi"):
        try:
            raise AWAY
        except OperationalError:
            response = views.failed(request)
    assert response.status_code == 503
    body = response.content.decode()
    assert "không có dữ liệu nào bị ghi dở" in body and "Quay lại" in body  # a POST: the form is still there
    try:
        raise ValueError("a bug")
    except ValueError:
        assert views.failed(RequestFactory().get("/")).status_code == 500


def test_the_health_check_reports_the_database_and_the_cache(monkeypatch):
    client = Client()
    assert client.get("/health/").json() == {"status": "ok", "database": "ok", "cache": "ok"}

    class Broken:
        def __enter__(self):
            raise AWAY

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: Broken())
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"
    assert response["Retry-After"] == "5"


@pytest.fixture
def storage_full(monkeypatch):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)


def test_full_storage_during_an_upload_is_reported_on_the_file_and_the_form_kept(client_for, storage_full):
    form = {
        **EVIDENCE_FORM,
        "title": "Quy chế phối hợp một cửa",
        "number": "27/QĐ-UBND",
        "file": SimpleUploadedFile("quy-che-mot-cua.pdf", _new_pdf()),
    }
    client = client_for("daumoi")
    response = client.post("/units/11413/documents/", form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "kho lưu tệp đã đầy hoặc không kết nối được" in body
    assert 'value="Quy chế phối hợp một cửa"' in body and 'value="27/QĐ-UBND"' in body
    assert not Document.objects.filter(number="27/QĐ-UBND").exists()
    assert client.get("/units/11413/documents/").status_code == 200


def test_unreachable_object_storage_during_an_api_upload_is_a_400_on_the_file(monkeypatch, users):
    from botocore.exceptions import EndpointConnectionError

    def unreachable(self, name, content):
        raise EndpointConnectionError(endpoint_url="http://s3.internal/tincay-files")

    monkeypatch.setattr(FileSystemStorage, "_save", unreachable)
    client = APIClient()
    client.force_authenticate(users["daumoi"])
    response = client.post(
        "/api/v1/units/11413/documents/",
        {"title": "Kế hoạch", "issued_on": "2026-03-02", "file": SimpleUploadedFile("kh.pdf", _new_pdf())},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "file storage is full or cannot be reached" in response.json()["errors"]["file"][0]
    assert not Document.objects.filter(title="Kế hoạch", original_name="kh.pdf").exists()
