"""The evidence register: documents with file (checked, hashed) or link, linked to criterion results.

Each write checks the person first (the unit's register is managed by its own people; a link is part of the
self-assessment of one criterion, so it follows the same rule as saving it) and the whole input before a row
is touched.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tincay.accounts.roles import is_system
from tincay.assessments import access
from tincay.assessments.choices import DocumentKind, Visibility
from tincay.assessments.models import CriterionResult, Document, EvidenceLink
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.assessments.services.results import ensure_can_write
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector
from tincay.common.files import UploadRejected, inspect_upload, storage_errors, storage_name

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = ("title", "number", "issued_on", "issuer", "kind", "url", "valid_until", "visibility")
TEXT_LIMITS = {"title": 500, "number": 100, "issuer": 300}
URL_LIMIT = 1000
STORAGE_FAILED = gettext_lazy(
    "The file could not be stored: the file storage is full or cannot be reached. Nothing was saved and the rest "
    "of the form is kept; try again in a few minutes, and tell the administrator if it goes on."
)
_URL = URLValidator(schemes=["http", "https"])


def _document_snapshot(document: Document) -> dict[str, Any]:
    values = {name: getattr(document, name) for name in DOCUMENT_FIELDS}
    return {**values, "sha256": document.sha256, "original_name": document.original_name}


def _date(raw: Any) -> dt.date | None:
    """A date object, or text as yyyy-mm-dd or dd/mm/yyyy; ValueError otherwise."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        text = raw.strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date()
            except ValueError:
                continue
    raise ValueError(raw)


def clean_document(data: Any, *, has_upload: bool) -> dict[str, Any]:
    """Every field of a register entry checked together; InvalidInput lists each problem on its field."""
    if not isinstance(data, Mapping):
        raise AssessmentError(_("Send the document's fields as an object of field names and values."))
    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    for name in set(data) - {*DOCUMENT_FIELDS, "file"}:
        errors.add(str(name), _("Unknown field: remove it."))
    for name, limit in TEXT_LIMITS.items():
        raw = data.get(name)
        if raw is not None and not isinstance(raw, str):
            errors.add(name, _("Enter text."))
            continue
        text = (raw or "").strip()
        if len(text) > limit:
            errors.add(name, _("Shorten this to at most %(limit)s characters.") % {"limit": limit})
        cleaned[name] = text
    if not cleaned.get("title") and "title" not in errors.errors:
        errors.add("title", _("Give the document's title."))
    for name in ("issued_on", "valid_until"):
        try:
            cleaned[name] = _date(data.get(name))
        except ValueError:
            errors.add(name, _("Enter a real date as dd/mm/yyyy."))
    if cleaned.get("issued_on") and cleaned.get("valid_until") and cleaned["valid_until"] < cleaned["issued_on"]:
        errors.add("valid_until", _("The document cannot expire before it was issued: check both dates."))
    for name, choices, default in (
        ("kind", DocumentKind, DocumentKind.OTHER),
        ("visibility", Visibility, Visibility.INTERNAL),
    ):
        raw = data.get(name)
        if raw in (None, ""):
            cleaned[name] = default
        elif isinstance(raw, str) and raw in choices.values:
            cleaned[name] = raw
        else:
            errors.add(name, _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)})
    cleaned["url"] = _clean_url(data.get("url"), errors)
    if not has_upload and not cleaned["url"] and "url" not in errors.errors:
        errors.add("file", _("Attach a file or give a link."))
    if errors:
        raise AssessmentError(errors.errors)
    return cleaned


def _clean_url(raw: Any, errors: ErrorCollector) -> str:
    if raw in (None, ""):
        return ""
    if not isinstance(raw, str):
        errors.add("url", _("Enter a web address starting with http:// or https://."))
        return ""
    url = raw.strip()
    if len(url) > URL_LIMIT:
        errors.add("url", _("Shorten the link to at most %(limit)s characters.") % {"limit": URL_LIMIT})
        return ""
    try:
        _URL(url)
    except ValidationError:
        errors.add("url", _("Enter a web address starting with http:// or https://."))
        return ""
    return url


@transaction.atomic
def document_create(*, user: Any, unit: Any, data: Any, upload: Any = None) -> Document:
    """Register a document, after checking that the person manages this unit's register and every field; an
    upload is checked by content and size (its problem is reported on ``file``)."""
    if not is_system(user) and not access.can_manage_documents(user, unit):
        raise NotYours(_("Only the unit's own people can add documents to its register."))
    cleaned = clean_document(data, has_upload=upload is not None)
    document = Document(unit=unit, created_by=None if is_system(user) else user, **cleaned)
    if upload is not None:
        try:
            checked = inspect_upload(
                upload, name=getattr(upload, "name", "tai-lieu"), max_bytes=settings.TINCAY_MAX_UPLOAD_BYTES
            )
        except UploadRejected as rejected:
            raise AssessmentError({"file": [str(rejected)]}) from rejected
        document.sha256, document.size = checked.sha256, checked.size
        document.content_type, document.original_name = checked.content_type, checked.original_name
        existing = Document.objects.filter(unit=unit, sha256=checked.sha256).exclude(file="").first()
        name = storage_name(checked)
        stored = document.file.field.generate_filename(document, name)  # where save() would put it
        storage = document.file.storage
        try:
            if existing is not None:
                document.file.name = existing.file.name  # same content already stored: share the file
            elif storage.exists(stored) and storage.size(stored) == checked.size:
                document.file.name = stored  # content-addressed: a file left by an earlier database (a re-seed)
            else:
                document.file.save(name, File(upload), save=False)
        except storage_errors() as failure:
            logger.warning("evidence file not stored (%s): %s", type(failure).__name__, failure)
            raise AssessmentError({"file": [STORAGE_FAILED]}) from failure
    document.save()
    audit.record(actor=user, action="assessments.document_created", obj=document, after=_document_snapshot(document))
    return document


@transaction.atomic
def evidence_link(*, user: Any, result: CriterionResult, document: Document) -> EvidenceLink:
    """Attach a register entry to a criterion: the person must be allowed to write its self-assessment now."""
    ensure_can_write(user, result, "self")
    if document.unit_id != result.assessment.unit_id:
        raise AssessmentError(_("This document belongs to another unit's register."))
    added_by = None if is_system(user) else user
    link, created = EvidenceLink.objects.get_or_create(
        result=result, document=document, defaults={"added_by": added_by}
    )
    if created:
        audit.record(actor=user, action="assessments.evidence_linked", obj=result, after={"document": document.pk})
    return link


@transaction.atomic
def evidence_unlink(*, user: Any, result: CriterionResult, document: Document) -> None:
    """Detach a document from a criterion, under the same rule as attaching it."""
    ensure_can_write(user, result, "self")
    deleted, _details = EvidenceLink.objects.filter(result=result, document=document).delete()
    if deleted:
        audit.record(actor=user, action="assessments.evidence_unlinked", obj=result, before={"document": document.pk})


@transaction.atomic
def evidence_add(*, user: Any, result: CriterionResult, data: Any, upload: Any = None) -> EvidenceLink:
    """Register a new document and attach it to a criterion in one step: both or neither."""
    ensure_can_write(user, result, "self")
    document = document_create(user=user, unit=result.assessment.unit, data=data, upload=upload)
    return evidence_link(user=user, result=result, document=document)
