"""Documents on request: the form (from a unit's results or a campaign's), the list of the person's own documents
with their progress, and the download (through ``access.get_generated_file_for_user``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tincay.accounts.roles import is_admin
from tincay.assessments import access as assessment_access
from tincay.common.errors import InvalidInput, add_to_form
from tincay.reports import access, templating
from tincay.reports.documents import KINDS
from tincay.reports.docx_layout import starter_docx
from tincay.reports.forms import DocumentForm
from tincay.reports.generation import document_request
from tincay.reports.models import DocumentTemplate, JobStatus
from tincay.reports.template_services import LANGUAGES, document_template_remove, document_template_set

PENDING = (JobStatus.QUEUED, JobStatus.RUNNING)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LIST_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def document_new(request: HttpRequest) -> HttpResponse:
    """?assessment=<pk> for a unit's documents, ?campaign=<code>[&unit=…&group=…] for the consolidated report."""
    source = request.POST if request.method == "POST" else request.GET
    assessment_id, code = source.get("assessment", ""), source.get("campaign", "")
    assessment = campaign = None
    if assessment_id:
        assessment = (
            assessment_access.get_assessment_for_user(request.user, int(assessment_id))
            if assessment_id.isdigit()
            else None
        )
        if assessment is None:
            raise Http404(_("Assessment not found within your scope."))
    else:
        scope = access.results_scope(request.user, code, source.get("unit", ""), source.get("group", ""))
        if scope is None:
            raise Http404(_("Campaign not found within your scope."))
        campaign = scope.campaign
    subject = "assessment" if assessment else "campaign"
    initial = {"kind": request.GET.get("kind", ""), "signer_name": ""}
    form = DocumentForm(request.POST or None, subject=subject, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            generated = document_request(
                user=request.user,
                kind=form.cleaned_data["kind"],
                fmt=form.cleaned_data["fmt"],
                assessment_id=assessment.pk if assessment else None,
                campaign_code=campaign.code if campaign else None,
                unit=source.get("unit", ""),
                group=source.get("group", ""),
                data=form.cleaned_data,
            )
        except InvalidInput as exc:
            add_to_form(form, exc)
        else:
            messages.success(
                request,
                _("“%(kind)s” is being made; it appears below when ready.") % {"kind": KINDS[generated.kind].label},
            )
            return redirect("reports:documents")
    hidden = {k: source.get(k, "") for k in ("assessment", "campaign", "unit", "group") if source.get(k)}
    return render(
        request,
        "reports/document_form.html",
        {"form": form, "assessment": assessment, "campaign": campaign, "hidden": hidden, "query": urlencode(hidden)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def documents(request: HttpRequest) -> HttpResponse:
    """The person's own documents, newest first; while one is being made the list refreshes itself (htmx)."""
    files = list(access.generated_files_of(request.user)[:LIST_SIZE])
    context = {
        "files": files,
        "pending": any(f.status in PENDING for f in files),
        "kinds": KINDS,
        "can_manage_templates": is_admin(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "reports/_documents_list.html", context)
    return render(request, "reports/documents.html", context)


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    generated = access.get_generated_file_for_user(request.user, pk)
    if generated is None or generated.status != JobStatus.DONE or not generated.file:
        raise Http404(_("Document not found."))
    return FileResponse(generated.file.open("rb"), as_attachment=True, filename=generated.filename)


# --- the administrator's templates ------------------------------------------------------------------------------


def _admin_only(request: HttpRequest) -> None:
    if not is_admin(request.user):
        raise PermissionDenied(_("Only an administrator replaces the document templates."))


@login_required
@require_http_methods(["GET", "POST"])
def document_templates(request: HttpRequest) -> HttpResponse:
    """Per document and language: the built-in layout or the administrator's Word template; upload, download,
    go back to the built-in one."""
    _admin_only(request)
    errors: dict[tuple[str, str], str] = {}
    if request.method == "POST":
        kind, language = request.POST.get("kind", ""), request.POST.get("language", "")
        try:
            if request.POST.get("action") == "remove":
                document_template_remove(actor=request.user, kind=kind, language=language)
                messages.success(request, _("The built-in document is used again."))
            else:
                document_template_set(
                    actor=request.user, kind=kind, language=language, upload=request.FILES.get("file")
                )
                messages.success(request, _("The template was checked and is used from now on."))
            return redirect("reports:document_templates")
        except InvalidInput as exc:
            errors[(kind, language)] = exc.message
    current = {(t.kind, t.language): t for t in DocumentTemplate.objects.select_related("uploaded_by")}
    rows = [
        {
            "kind": kind,
            "language": language,
            "template": current.get((kind.key, language)),
            "error": errors.get((kind.key, language), ""),
        }
        for kind in KINDS.values()
        for language in LANGUAGES
    ]
    return render(
        request,
        "reports/document_templates.html",
        {"rows": rows, "placeholders": templating.PLACEHOLDERS},
        status=400 if errors else 200,
    )


@login_required
@require_GET
def document_template_file(request: HttpRequest, kind: str, language: str) -> FileResponse:
    _admin_only(request)
    template = DocumentTemplate.objects.filter(kind=kind, language=language).first()
    if template is None:
        raise Http404(_("Document not found."))
    return FileResponse(template.file.open("rb"), as_attachment=True, filename=template.filename)


@login_required
@require_GET
def document_template_starter(request: HttpRequest) -> HttpResponse:
    """A Word template with every placeholder in the built-in layout, to start a new one from."""
    _admin_only(request)
    response = HttpResponse(starter_docx(), content_type=DOCX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-van-ban-nd30.docx"'
    return response
