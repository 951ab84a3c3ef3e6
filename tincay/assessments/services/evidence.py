"""The evidence register: documents with file (checked, hashed) or link, linked to criterion results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils.translation import gettext as _

from tincay.assessments.models import CriterionResult, Document, EvidenceLink
from tincay.assessments.services.errors import AssessmentError
from tincay.audit import services as audit
from tincay.common.files import inspect_upload, storage_name

DOCUMENT_FIELDS = ("title", "number", "issued_on", "issuer", "kind", "url", "valid_until", "visibility")


def _document_snapshot(document: Document) -> dict[str, Any]:
    values = {name: getattr(document, name) for name in DOCUMENT_FIELDS}
    return {**values, "sha256": document.sha256, "original_name": document.original_name}


@transaction.atomic
def document_create(*, user: Any, unit: Any, data: dict[str, Any], upload: Any = None) -> Document:
    """Register a document; an upload is checked by content and size (UploadRejected says why)."""
    if upload is None and not data.get("url"):
        raise AssessmentError(_("Attach a file or give a link."))
    document = Document(unit=unit, created_by=user)
    for name in DOCUMENT_FIELDS:
        if data.get(name) not in (None, ""):
            setattr(document, name, data[name])
    if upload is not None:
        checked = inspect_upload(
            upload, name=getattr(upload, "name", "tai-lieu"), max_bytes=settings.TINCAY_MAX_UPLOAD_BYTES
        )
        document.sha256, document.size = checked.sha256, checked.size
        document.content_type, document.original_name = checked.content_type, checked.original_name
        existing = Document.objects.filter(unit=unit, sha256=checked.sha256).exclude(file="").first()
        if existing is not None:
            document.file.name = existing.file.name  # same content already stored: share the file
        else:
            document.file.save(storage_name(checked), File(upload), save=False)
    document.save()
    audit.record(actor=user, action="assessments.document_created", obj=document, after=_document_snapshot(document))
    return document


@transaction.atomic
def evidence_link(*, user: Any, result: CriterionResult, document: Document) -> EvidenceLink:
    if document.unit_id != result.assessment.unit_id:
        raise AssessmentError(_("This document belongs to another unit's register."))
    link, created = EvidenceLink.objects.get_or_create(result=result, document=document, defaults={"added_by": user})
    if created:
        audit.record(actor=user, action="assessments.evidence_linked", obj=result, after={"document": document.pk})
    return link


@transaction.atomic
def evidence_unlink(*, user: Any, result: CriterionResult, document: Document) -> None:
    deleted, _details = EvidenceLink.objects.filter(result=result, document=document).delete()
    if deleted:
        audit.record(actor=user, action="assessments.evidence_unlinked", obj=result, before={"document": document.pk})
