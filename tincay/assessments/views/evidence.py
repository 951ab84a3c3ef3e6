"""The evidence register of a unit, downloads through a permission check, links to criteria."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments import access
from tincay.assessments.forms import DocumentForm
from tincay.assessments.services import evidence as evidence_services
from tincay.assessments.views.workspace import assessment_or_404, indicator_response
from tincay.common.errors import InvalidInput, Refused, add_to_form
from tincay.orgunits.access import get_unit_for_user

EXPIRY_WARNING_DAYS = 60


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404
    can_manage = access.can_manage_documents(request.user, unit)
    form = DocumentForm(request.POST or None, request.FILES or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise Http404
        if form.is_valid():
            try:
                evidence_services.document_create(
                    user=request.user, unit=unit, data=form.cleaned_data, upload=form.cleaned_data.get("file")
                )
            except InvalidInput as exc:
                add_to_form(form, exc)
            else:
                messages.success(request, _("Document added to the register."))
                return redirect("assessments:register", key=key)
    today = timezone.localdate()
    documents = access.documents_visible_to(request.user).filter(unit=unit).order_by("-issued_on", "title")
    return render(
        request,
        "assessments/register.html",
        {
            "unit": unit,
            "documents": documents,
            "form": form,
            "today": today,
            "soon": today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponse:
    document = access.documents_visible_to(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    if not document.file:  # a link: the page that names the external address before leaving the site
        return redirect("assessments:document_link", pk=document.pk)
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name or f"tai-lieu-{document.pk}"
    )
    response["Content-Type"] = document.content_type or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def link(request: HttpRequest, pk: int, result_id: int) -> HttpResponse:
    """Attach evidence to a criterion: an existing document of the register, or a new upload. The services
    decide who may (the same rule as saving the criterion). A refused upload re-renders the indicator page with
    what was typed still in the form and each error next to its field (400); other refusals come back as a
    message."""
    assessment, actor = assessment_or_404(request, pk)
    result = assessment.results.select_related("criterion__indicator", "assessment__unit").filter(pk=result_id).first()
    if result is None:
        raise Http404
    back = reverse("assessments:indicator", args=[pk, result.criterion.indicator.code]) + f"#c-{result.pk}"
    try:
        if request.POST.get("document"):
            document = assessment.unit.documents.filter(pk=request.POST["document"]).first()
            if document is None:
                raise Http404
            evidence_services.evidence_link(user=request.user, result=result, document=document)
        else:
            form = DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    evidence_services.evidence_add(
                        user=request.user, result=result, data=form.cleaned_data, upload=form.cleaned_data.get("file")
                    )
                except Refused:
                    raise  # not theirs: a message, as for the register
                except InvalidInput as exc:
                    add_to_form(form, exc)
            if form.errors:
                code = result.criterion.indicator.code
                return indicator_response(
                    request, assessment, actor, code, upload=form, upload_id=result.pk, status=400
                )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evidence attached."))
    return redirect(back)


@login_required
@require_POST
def unlink(request: HttpRequest, pk: int, result_id: int, document_id: int) -> HttpResponse:
    assessment, _actor = assessment_or_404(request, pk)
    result = assessment.results.select_related("criterion__indicator", "assessment__unit").filter(pk=result_id).first()
    document = assessment.unit.documents.filter(pk=document_id).first()
    if result is None or document is None:
        raise Http404
    try:
        evidence_services.evidence_unlink(user=request.user, result=result, document=document)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(reverse("assessments:indicator", args=[pk, result.criterion.indicator.code]) + f"#c-{result.pk}")
