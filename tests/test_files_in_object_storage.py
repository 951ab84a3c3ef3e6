"""Evidence, generated documents and audit checkpoints kept in S3-compatible object storage (django-storages against
moto's server mode on loopback), exactly as on the local disk: stored by content, read back byte for byte through
the permission-checked views, checkpoints listed and verified."""

from __future__ import annotations

import hashlib

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from tests.backing_services import s3_bucket, s3_storage_options, unique
from tincay.assessments.models import Document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def bucket(s3_endpoint, settings):
    name = unique("tincay-test")
    s3_bucket(s3_endpoint, name)
    with override_settings(STORAGES={**settings.STORAGES, "default": s3_storage_options(s3_endpoint, name)}):
        yield (
            boto3.client(
                "s3",
                endpoint_url=s3_endpoint,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                region_name="us-east-1",
            ),
            name,
        )


def _keys(bucket) -> list[str]:
    client, name = bucket
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", []))


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_evidence_goes_to_the_bucket_by_content_and_comes_back_byte_for_byte(bucket, users):
    assert type(storages["default"]).__name__ == "S3Storage"
    upload = {"title": "Kế hoạch CCHC 2026", "kind": "plan", "issued_on": "2026-01-05"}
    first = api(users["daumoi"]).post(
        "/api/v1/units/11413/documents/", {**upload, "file": SimpleUploadedFile("kh.pdf", PDF)}, format="multipart"
    )
    assert first.status_code == 201, first.content
    digest = hashlib.sha256(PDF).hexdigest()
    stored = Document.objects.get(pk=first.json()["id"]).file.name
    assert _keys(bucket) == [stored] and stored.endswith(f"/{digest[:2]}/{digest[2:4]}/{digest}.pdf")
    again = api(users["daumoi"]).post(
        "/api/v1/units/11413/documents/",
        {**upload, "title": "Bản sao", "file": SimpleUploadedFile("ban-sao.pdf", PDF)},
        format="multipart",
    )
    assert again.status_code == 201
    assert len(_keys(bucket)) == 1  # the same content is stored once
    download = api(users["daumoi"]).get(f"/api/v1/documents/{first.json()['id']}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert Document.objects.get(pk=first.json()["id"]).sha256 == digest


def test_audit_checkpoints_are_written_listed_and_verified_in_the_bucket(bucket):
    from tincay.audit.selectors import audit_trail_check
    from tincay.audit.services import audit_checkpoint_write

    check, written = audit_checkpoint_write()
    assert check.intact and written is not None
    assert [key for key in _keys(bucket) if key.startswith("audit/checkpoints/")] == [written.name]
    again = audit_trail_check()
    assert again.intact and again.checkpoint is not None and again.checkpoint.name == written.name


def test_a_generated_document_is_kept_in_the_bucket(bucket, users):
    from tests.assessment_fixtures import make_campaign
    from tincay.assessments.models import Assessment
    from tincay.reports.generation import generated_file_build

    assessment = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    asked = api(users["lanhdao"]).post(
        "/api/v1/documents/generated/", {"kind": "self_report", "assessment": assessment.pk}, format="json"
    )
    assert asked.status_code == 202, asked.content
    built = generated_file_build(asked.json()["id"])
    assert built.status == "done", built.message
    assert any(key.startswith("generated/") for key in _keys(bucket))
    download = api(users["lanhdao"]).get(f"/api/v1/documents/generated/{built.pk}/file/")
    content = b"".join(download.streaming_content)
    assert (
        download.status_code == 200
        and content.startswith(b"PK")
        and hashlib.sha256(content).hexdigest() == (built.sha256)
    )
