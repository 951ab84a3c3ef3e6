"""Pages of imports: upload a file (dry run), read its report, import it for real, follow the progress; and the
criteria-detail export the import reads back.

Only administrators and the coordinators of units of the campaign import: others get 404 when the campaign is
not theirs to see, 403 with a message when they see it but may not import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments import access
from tincay.assessments.models import Campaign
from tincay.common.errors import InvalidInput
from tincay.reports.imports import results
from tincay.reports.imports.access import (
    assessments_importable_by,
    can_import_into,
    get_import_run_for_user,
    import_runs_of,
)
from tincay.reports.imports.service import import_check, import_start
from tincay.reports.models import ImportRun, ImportStatus

ROWS_PER_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file holds"),
        choices=[(code, kind.label) for code, kind in results.KINDS.items()],
        initial="results",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=gettext_lazy("File (Excel .xlsx or CSV)"),
        help_text=gettext_lazy(
            "One row per unit and criterion, matched by “Mã đơn vị” and “Mã tiêu chí”. An empty cell empties the "
            "field; a column left out keeps what is stored. Nothing is written until you import for real."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def _campaign(request: HttpRequest, code: str) -> Campaign:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("Campaign not found within your scope."))
    if not can_import_into(request.user, campaign):
        raise PermissionDenied(_("Only an administrator or a coordinator of units of this campaign imports results."))
    return campaign


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, code: str) -> HttpResponse:
    """The upload form (POST runs the dry run and shows its report) and the user's earlier imports."""
    campaign = _campaign(request, code)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_check(
                user=request.user, campaign=campaign, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("reports:import_run", code=campaign.code, pk=run.pk)
    return render(
        request,
        "reports/imports/import.html",
        {"campaign": campaign, "form": form, "runs": import_runs_of(request.user, campaign)[:20]},
    )


def _run(request: HttpRequest, code: str, pk: int) -> tuple[Campaign, ImportRun]:
    campaign = _campaign(request, code)
    run = get_import_run_for_user(request.user, campaign, pk)
    if run is None:
        raise Http404(_("Import not found."))
    return campaign, run


@login_required
def import_run_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The dry run's report (counts and every row, refused rows first) and, while the real import runs, its
    progress; htmx asks for the progress box alone every two seconds."""
    campaign, run = _run(request, code, pk)
    context = _run_context(request, campaign, run)
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        response = render(request, "reports/imports/_status.html", context)
        if request.GET.get("was") == ImportStatus.CHECKING and run.status != ImportStatus.CHECKING:
            response["HX-Refresh"] = "true"  # the check is done: the whole page shows its rows
        return response
    return render(request, "reports/imports/run.html", context)


def _run_context(request: HttpRequest, campaign: Campaign, run: ImportRun) -> dict[str, Any]:
    report = run.report or {}
    page = Paginator(report.get("rows", []), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    kind = results.KINDS.get(run.kind)
    return {
        "campaign": campaign,
        "run": run,
        "kind_label": kind.label if kind else run.kind,
        "counts": report.get("counts", {}),
        "file_errors": report.get("errors", []),
        "ignored": report.get("ignored", []),
        "page": page,
        "can_import": run.status == ImportStatus.CHECKED and run.requested_by_id == request.user.pk,
        "working": run.status in (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING),
    }


@login_required
@require_POST
def import_run_start(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """ "Import for real": the worker imports the checked file (all or nothing)."""
    campaign, run = _run(request, code, pk)
    try:
        import_start(user=request.user, run=run)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The import has started; this page shows its progress."))
    return redirect("reports:import_run", code=campaign.code, pk=run.pk)


@login_required
def criteria_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The criteria detail of the units the user imports for, in the columns the import reads (an exported file
    re-imports unchanged), with the scorer's and the final results after them for reading."""
    campaign = _campaign(request, code)
    assessments = assessments_importable_by(request.user, campaign)
    if fmt == "xlsx":
        response = HttpResponse(results.detail_xlsx(campaign, assessments), content_type=XLSX)
    elif fmt == "csv":
        text = results.detail_csv(campaign, assessments)
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{campaign.code}-tieu-chi.{fmt}"'
    return response
