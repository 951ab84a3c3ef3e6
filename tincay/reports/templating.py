"""Word templates an administrator puts in place of a built-in document (per kind and language), filled with
docxtpl in a sandbox: the template sees only the document's parts and a few facts, cannot reach Python objects'
internals, import, read files or loop without end (Jinja's ``ImmutableSandboxedEnvironment``), and a template
that tries gets a clear refusal instead of a document.

The parts a template uses (``PLACEHOLDERS``) are those of the built-in layout: the issuing body's lines, the number
and date lines, the kind and title, the body and the appendix (as sub-documents laid out by ``docx_layout``), the
authority, the signer and the recipients. ``docx_layout.starter_docx`` is a template with all of them in place.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from tincay.reports import decree30, docx_layout
from tincay.reports.docx_layout import AdminDocument, Signature, Top

MAX_BYTES = 5 * 1024 * 1024
PLACEHOLDERS = {
    "issuer_parent_lines": gettext_lazy("the parent body's lines (list)"),
    "issuer_name_lines": gettext_lazy("the issuing body's lines, in capitals (list)"),
    "number_line": gettext_lazy("“Số: 05/QĐ-UBND”"),
    "date_line": gettext_lazy("“Hải Phòng, ngày 05 tháng 01 năm 2026”"),
    "kind": gettext_lazy("the kind of document in capitals"),
    "title": gettext_lazy("the title"),
    "body": gettext_lazy("the body (use {{p body }} in a paragraph of its own)"),
    "authority": gettext_lazy("TM., KT., …"),
    "signer_title": gettext_lazy("the signer's title"),
    "signer_name": gettext_lazy("the signer's name"),
    "recipients": gettext_lazy("the lines under “Nơi nhận:” (list)"),
    "appendix": gettext_lazy("the appendix, when the document has one ({{p appendix }})"),
    "appendix_title": gettext_lazy("the appendix's title"),
    "appendix_reference": gettext_lazy("“(Kèm theo Quyết định số … ngày … của …)”"),
    "national_name": gettext_lazy("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    "motto": gettext_lazy("Độc lập - Tự do - Hạnh phúc"),
    "unit_name": gettext_lazy("the unit's name (documents of one unit)"),
    "campaign_title": gettext_lazy("the campaign's title"),
    "year": gettext_lazy("the campaign's year"),
}


class TemplateRefused(Exception):
    """A template that is not a Word file, has a mistake, or tries what a template may not do."""


def _subdoc(template: DocxTemplate, blocks) -> Any:
    sub = template.new_subdoc()
    docx_layout.blocks_into(sub.subdocx, blocks)
    return sub


def _context(template: DocxTemplate, document: AdminDocument, facts: dict[str, Any]) -> dict[str, Any]:
    top, signature = Top.of(document), Signature.of(document)
    return {
        **{name: facts.get(name, "") for name in ("unit_name", "campaign_title", "year")},
        "issuer_parent_lines": list(top.parent_lines),
        "issuer_name_lines": list(top.name_lines),
        "number_line": top.number_line,
        "date_line": top.date_line,
        "kind": document.kind.upper(),
        "title": document.title,
        "body": _subdoc(template, document.body),
        "authority": signature.authority,
        "signer_title": signature.signer_title,
        "signer_name": signature.signer_name,
        "recipients": list(signature.recipients),
        "appendix": _subdoc(template, document.appendix) if document.appendix else "",
        "appendix_title": document.appendix_title,
        "appendix_reference": docx_layout.appendix_reference(document) if document.appendix else "",
        "national_name": decree30.NATIONAL_NAME,
        "motto": decree30.MOTTO,
    }


def _opened(content: bytes) -> DocxTemplate:
    if len(content) > MAX_BYTES:
        raise TemplateRefused(_("A template may be at most %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            if "word/document.xml" not in package.namelist():
                raise TemplateRefused(_("This is not a Word document (.docx). Save the template as .docx."))
        template = DocxTemplate(io.BytesIO(content))
        template.init_docx()
    except TemplateRefused:
        raise
    except Exception as exc:  # a damaged package: zipfile, lxml and python-docx each raise their own
        raise TemplateRefused(_("This is not a Word document (.docx). Save the template as .docx.")) from exc
    return template


def render(content: bytes, document: AdminDocument, facts: dict[str, Any] | None = None) -> bytes:
    """``document`` written into the template ``content``; ``TemplateRefused`` says what is wrong with it."""
    template = _opened(content)
    environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    try:
        template.render(_context(template, document, facts or {}), jinja_env=environment, autoescape=True)
    except SecurityError as exc:
        raise TemplateRefused(
            _("The template tries something a template may not do (%(detail)s).") % {"detail": str(exc)[:200]}
        ) from exc
    except TemplateSyntaxError as exc:
        raise TemplateRefused(
            _("The template has a mistake in a placeholder: %(detail)s.") % {"detail": str(exc)[:200]}
        ) from exc
    except UndefinedError as exc:
        raise TemplateRefused(
            _("The template uses a placeholder that does not exist: %(detail)s.") % {"detail": str(exc)[:200]}
        ) from exc
    except (TemplateError, TypeError, ValueError, OverflowError, AttributeError, KeyError) as exc:
        raise TemplateRefused(
            _("The template could not be filled in: %(detail)s.") % {"detail": str(exc)[:200]}
        ) from exc
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()
