"""Evidence uploads through the pages: checked by content and size, names made harmless, served only
through a permission check as attachments; a rejected upload says why and keeps the rest of the form."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tincay.assessments.models import Document

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FORM = {
    "title": "Quyết định ban hành quy chế",
    "number": "15/QĐ-UBND",
    "issued_on": "02/03/2026",
    "issuer": "UBND phường Hải An",
    "kind": "decision",
    "url": "",
    "valid_until": "",
    "visibility": "internal",
}


def _upload(client, name, content, **extra):
    return client.post("/units/11413/documents/", {**FORM, **extra, "file": SimpleUploadedFile(name, content)})


def test_a_pdf_is_stored_under_its_hash_and_named_as_uploaded(client_for):
    response = _upload(client_for("daumoi"), "Quyết định 15.pdf", PDF)
    assert response.status_code == 302
    document = Document.objects.get(number="15/QĐ-UBND")
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.file.name.startswith("evidence/") and document.sha256 in document.file.name
    assert document.original_name == "Quyết định 15.pdf" and document.content_type == "application/pdf"


def test_an_executable_renamed_pdf_is_refused_and_the_form_kept(client_for):
    response = _upload(client_for("daumoi"), "bao-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200)
    assert response.status_code == 400
    body = response.content.decode()
    assert "bao-cao.pdf" in body and 'value="Quyết định ban hành quy chế"' in body and 'value="15/QĐ-UBND"' in body
    assert not Document.objects.filter(number="15/QĐ-UBND").exists()


def test_an_oversized_file_is_refused_with_the_limit_and_the_form_kept(client_for, settings):
    settings.TINCAY_MAX_UPLOAD_BYTES = 1024
    response = _upload(client_for("daumoi"), "lon.pdf", PDF + b"0" * 4096)
    assert response.status_code == 400
    assert "MB" in response.content.decode() and 'value="UBND phường Hải An"' in response.content.decode()
    assert not Document.objects.filter(number="15/QĐ-UBND").exists()


def test_a_path_traversal_name_is_made_harmless(client_for):
    _upload(client_for("daumoi"), "../../../etc/passwd.pdf", PDF)
    document = Document.objects.get(number="15/QĐ-UBND")
    assert document.original_name == "passwd.pdf"
    assert ".." not in document.file.name and "passwd" not in document.file.name


def test_download_is_an_attachment_behind_a_permission_check(client_for):
    _upload(client_for("daumoi"), "Quyết định 15.pdf", PDF)
    document = Document.objects.get(number="15/QĐ-UBND")
    response = client_for("lanhdao").get(f"/documents/{document.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("xem").get(f"/documents/{document.pk}/download/").status_code == 404
    assert client_for(None).get(f"/documents/{document.pk}/download/").status_code == 302


def test_expired_and_soon_expiring_documents_are_flagged(client_for):
    client = client_for("daumoi")
    client.post(
        "/units/11413/documents/",
        {
            **FORM,
            "number": "1/GP",
            "url": "https://example.invalid/1",
            "issued_on": "01/01/2019",
            "valid_until": "01/01/2020",
        },
    )
    page = client.get("/units/11413/documents/").content.decode()
    assert "1/GP" in page and "text-bg-danger" in page


def test_neither_file_nor_link_is_explained(client_for):
    response = client_for("daumoi").post("/units/11413/documents/", FORM)
    assert response.status_code == 400 and response.context["form"].non_field_errors()


def test_attach_from_the_register_and_by_upload_on_the_indicator_page(client_for, users):
    from tests.assessment_fixtures import make_campaign
    from tincay.assessments.models import Assessment

    assessment = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    result = assessment.results.get(criterion__code="1.7.1")
    client = client_for("daumoi")
    document = Document.objects.create(unit=assessment.unit, title="Báo cáo công khai", url="https://example.invalid/x")
    url = f"/assessments/{assessment.pk}/results/{result.pk}/evidence/"
    assert client.post(url, {"document": document.pk}).status_code == 302
    client.post(
        url,
        {
            "title": "Ảnh bảng tin",
            "kind": "photo",
            "visibility": "internal",
            "file": SimpleUploadedFile("bang-tin.pdf", PDF),
        },
    )
    assert set(result.documents.values_list("title", flat=True)) == {"Báo cáo công khai", "Ảnh bảng tin"}
    page = client.get(f"/assessments/{assessment.pk}/indicators/1.7/").content.decode()
    # a link-type document opens the page that names the external address (documents/<pk>/link/)
    assert "Ảnh bảng tin" in page and f"/documents/{document.pk}/link/" in page
    client.post(f"{url}{document.pk}/remove/")
    assert set(result.documents.values_list("title", flat=True)) == {"Ảnh bảng tin"}


def test_content_already_in_storage_is_not_stored_twice(client_for):
    """A file is named by its content: a row that no longer points to it (a re-seeded database) does not make
    the same content land again under a suffixed name."""
    client = client_for("daumoi")
    _upload(client, "Quyết định 15.pdf", PDF)
    first = Document.objects.get(number="15/QĐ-UBND")
    storage, folder = first.file.storage, first.file.name.rsplit("/", 1)[0]
    files = sorted(storage.listdir(folder)[1])
    Document.objects.filter(pk=first.pk).update(file="", url="https://haian.gov.vn/qd-15", number="15-cu/QĐ-UBND")
    assert _upload(client, "Quyết định 15 (bản sao).pdf", PDF).status_code == 302
    again = Document.objects.get(number="15/QĐ-UBND")
    assert again.file.name.endswith(f"{again.sha256}.pdf") and storage.exists(again.file.name)
    assert sorted(storage.listdir(folder)[1]) == files
