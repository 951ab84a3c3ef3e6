"""Putting a Word template in place of a built-in document, and going back to the built-in one. Only an
administrator does; a template is checked by filling it with a sample document in the sandbox before it is kept,
so a broken or hostile template is refused at upload, with what is wrong, and never reaches a report."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_admin
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.files import safe_filename
from tincay.reports import decree30, templating
from tincay.reports.documents import KINDS
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table
from tincay.reports.models import DocumentTemplate

LANGUAGES = ("vi", "en")
SAMPLE_FACTS = {"unit_name": "Phường Hải An", "campaign_title": "Đánh giá năm 2026", "year": 2026}


def sample_document() -> AdminDocument:
    """A small document with every part, to try a template on."""
    return AdminDocument(
        issuer=decree30.people_committee("Phường Hải An"),
        kind="Báo cáo",
        kind_symbol="BC",
        issuer_symbol="UBND",
        place="Hải An",
        day=dt.date(2026, 1, 5),
        number=5,
        title="Kết quả tự đánh giá áp dụng TCVN ISO 18091:2020",
        body=[
            Heading("I. KHÁI QUÁT"),
            Paragraph("Nội dung."),
            Table(header=["Mã", "Chỉ số"], rows=[["1.1", "Thể chế"]]),
        ],
        authority="TM. Ủy ban nhân dân",
        signer_title="Chủ tịch",
        signer_name="Nguyễn Văn An",
        recipients=decree30.recipients(["Sở Khoa học và Công nghệ"]),
        appendix_title="PHỤ LỤC MẪU",
        appendix=[Paragraph("Phụ lục.")],
    )


def _check(actor: Any, kind: Any, language: Any) -> None:
    if not is_admin(actor):
        raise Refused(_("Only an administrator replaces the document templates."))
    errors = ErrorCollector()
    if kind not in KINDS:
        errors.add("kind", _("Choose one of the documents: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    if language not in LANGUAGES:
        errors.add("language", _("Choose the language vi or en."))
    errors.raise_if_any()


@transaction.atomic
def document_template_set(*, actor: Any, kind: Any, language: Any, upload: Any) -> DocumentTemplate:
    """Keep ``upload`` as the template of ``kind`` in ``language`` (replacing the one before)."""
    _check(actor, kind, language)
    if upload is None or not hasattr(upload, "read"):
        raise InvalidInput(_("Choose the Word file (.docx) of the template."), field="file")
    if getattr(upload, "size", 0) > templating.MAX_BYTES:
        raise InvalidInput(
            _("A template may be at most %(mb)s MB.") % {"mb": templating.MAX_BYTES // (1024 * 1024)}, field="file"
        )
    content = upload.read(templating.MAX_BYTES + 1)
    try:
        templating.render(
            content, sample_document(), {"unit_name": "Phường Hải An", "campaign_title": "", "year": 2026}
        )
    except templating.TemplateRefused as exc:
        raise InvalidInput(str(exc), field="file") from exc
    name = safe_filename(getattr(upload, "name", "") or f"{kind}.docx")
    before = DocumentTemplate.objects.filter(kind=kind, language=language).first()
    if before is not None:
        _delete_file_after_commit(before)
        before.delete()
    template = DocumentTemplate(
        kind=kind, language=language, filename=name, sha256=hashlib.sha256(content).hexdigest(), uploaded_by=actor
    )
    template.file.save(f"{kind}-{language}.docx", ContentFile(content), save=False)
    template.save()
    audit.record(
        actor=actor,
        action="reports.template_set",
        obj=template,
        after={"kind": kind, "language": language, "sha256": template.sha256, "file": name},
    )
    return template


@transaction.atomic
def document_template_remove(*, actor: Any, kind: Any, language: Any) -> bool:
    """Go back to the built-in document; False when there was no template to remove."""
    _check(actor, kind, language)
    template = DocumentTemplate.objects.filter(kind=kind, language=language).first()
    if template is None:
        return False
    audit.record(
        actor=actor,
        action="reports.template_removed",
        obj=template,
        before={"kind": kind, "language": language, "sha256": template.sha256, "file": template.filename},
    )
    _delete_file_after_commit(template)
    template.delete()
    return True


def _delete_file_after_commit(template: DocumentTemplate) -> None:
    """The stored file goes once the row is gone for good (a rolled-back change keeps both)."""
    storage, name = template.file.storage, template.file.name
    transaction.on_commit(lambda: storage.delete(name))
