"""Pages of imports: upload a file (dry run), read its report, import it for real, follow the progress; and the
exports the imports read back.

Two places share these pages: a campaign's imports (results and measured values; administrators and the
coordinators of units of the campaign, others get 404 when the campaign is not theirs to see, 403 when they see it
but may not import) and the imports outside any campaign (people for coordinators and administrators; units and
lineage events for administrators; 403 for the others)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tincay.assessments import access
from tincay.assessments.models import Campaign
from tincay.common.csv_export import csv_text
from tincay.common.errors import InvalidInput
from tincay.reports.imports import results
from tincay.reports.imports.access import (
    assessments_importable_by,
    can_import_into,
    get_import_run_for_user,
    import_runs_of,
)
from tincay.reports.imports.base import ImportKind
from tincay.reports.imports.kinds import KINDS, campaign_kinds, general_kinds_for
from tincay.reports.imports.service import import_check, import_start
from tincay.reports.models import ImportRun, ImportStatus
from tincay.reports.xlsx import Sheet, workbook_bytes

ROWS_PER_PAGE = 200
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=gettext_lazy("File (Excel .xlsx or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, kinds: dict[str, ImportKind], help_text: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(code, kind.label) for code, kind in kinds.items()]
        self.fields["kind"].initial = next(iter(kinds), None)
        self.fields["file"].help_text = help_text


CAMPAIGN_HELP = gettext_lazy(
    "One row per unit and criterion, matched by “Mã đơn vị” and “Mã tiêu chí”. An empty cell empties the field; a "
    "column left out keeps what is stored. Nothing is written until you import for real."
)
GENERAL_HELP = gettext_lazy(
    "Rows are matched by their codes (username, unit code, event). Nothing is written until you import for real; "
    "an import never removes a person, a role or a unit."
)


@dataclass
class Place:
    """Where the import pages are: in one campaign, or outside any (``campaign`` None)."""

    campaign: Campaign | None
    kinds: tuple[str, ...] = ()  # the kinds the user imports here

    def url(self, name: str, pk: int | None = None) -> str:
        args: list[Any] = [self.campaign.code] if self.campaign is not None else []
        if pk is not None:
            args.append(pk)
        return reverse(f"reports:{name if self.campaign is not None else 'general_' + name}", args=args)

    @property
    def page_url(self) -> str:
        return self.url("imports")

    @property
    def title(self) -> Any:
        if self.campaign is not None:
            return _("Import results")
        if self.kinds == ("people",):  # coordinators
            return _("Import users and roles")
        return _("Import people, units and lineage")


def _campaign(request: HttpRequest, code: str) -> Campaign:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("Campaign not found within your scope."))
    if not can_import_into(request.user, campaign):
        raise PermissionDenied(_("Only an administrator or a coordinator of units of this campaign imports results."))
    return campaign


def _place(request: HttpRequest, code: str | None) -> tuple[Place, dict[str, ImportKind]]:
    """The place of the pages and the kinds the user may import there (403 when none)."""
    if code is not None:
        kinds = campaign_kinds()
        return Place(_campaign(request, code), tuple(kinds)), kinds
    kinds = general_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied(
            _("Only administrators import units and lineage, and administrators and coordinators import people.")
        )
    return Place(None, tuple(kinds)), kinds


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The upload form (POST runs the dry run and shows its report) and the user's earlier imports."""
    place, kinds = _place(request, code)
    help_text = CAMPAIGN_HELP if place.campaign is not None else GENERAL_HELP
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds, help_text=help_text)
    if request.method == "GET" and request.GET.get("kind") in kinds:
        form.fields["kind"].initial = request.GET["kind"]
    if request.method == "POST" and form.is_valid():
        try:
            run = import_check(
                user=request.user,
                campaign=place.campaign,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except InvalidInput as exc:
            form.add_error(None, exc.message)
        else:
            return redirect(place.url("import_run", run.pk))
    runs = [(run, place.url("import_run", run.pk)) for run in import_runs_of(request.user, place.campaign)[:20]]
    exports = [] if place.campaign is not None else _exports(kinds)
    context = {"place": place, "campaign": place.campaign, "form": form, "runs": runs, "exports": exports}
    return render(request, "reports/imports/import.html", context)


def _exports(kinds: dict[str, ImportKind]) -> list[tuple[Any, str, str]]:
    """(what, xlsx url, csv url) of each kind the user imports: today's data in the columns the import reads."""
    return [
        (
            kind.label,
            reverse("reports:general_import_export", args=[code, "xlsx"]),
            reverse("reports:general_import_export", args=[code, "csv"]),
        )
        for code, kind in kinds.items()
    ]


def _run(request: HttpRequest, code: str | None, pk: int) -> tuple[Place, ImportRun]:
    place, _kinds = _place(request, code)
    run = get_import_run_for_user(request.user, place.campaign, pk)
    if run is None:
        raise Http404(_("Import not found."))
    return place, run


@login_required
def import_run_page(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """The dry run's report (counts and every row, refused rows first) and, while the real import runs, its
    progress; htmx asks for the progress box alone every two seconds."""
    place, run = _run(request, code, pk)
    context = _run_context(request, place, run)
    if request.headers.get("HX-Request") and request.GET.get("part") == "status":
        response = render(request, "reports/imports/_status.html", context)
        if request.GET.get("was") == ImportStatus.CHECKING and run.status != ImportStatus.CHECKING:
            response["HX-Refresh"] = "true"  # the check is done: the whole page shows its rows
        return response
    return render(request, "reports/imports/run.html", context)


def _run_context(request: HttpRequest, place: Place, run: ImportRun) -> dict[str, Any]:
    report = run.report or {}
    page = Paginator(report.get("rows", []), ROWS_PER_PAGE).get_page(request.GET.get("page"))
    kind = KINDS.get(run.kind)
    key_names = kind.key_names if kind else ()
    for row in page.object_list:  # the report keeps keys by name; the page shows them in order
        row.setdefault("keys", [row.get(name, "") for name in key_names])
    return {
        "place": place,
        "campaign": place.campaign,
        "run": run,
        "run_url": place.url("import_run", run.pk),
        "start_url": place.url("import_start", run.pk),
        "kind_label": kind.label if kind else run.kind,
        "key_headers": kind.key_headers if kind else (),
        "counts": report.get("counts", {}),
        "file_errors": report.get("errors", []),
        "ignored": report.get("ignored", []),
        "page": page,
        "can_import": run.status == ImportStatus.CHECKED and run.requested_by_id == request.user.pk,
        "working": run.status in (ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING),
    }


@login_required
@require_POST
def import_run_start(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """ "Import for real": the worker imports the checked file (all or nothing)."""
    place, run = _run(request, code, pk)
    try:
        import_start(user=request.user, run=run)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.info(request, _("The import has started; this page shows its progress."))
    return redirect(place.url("import_run", run.pk))


@login_required
def general_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """Today's people, units or lineage events the user imports, in the columns the import reads (an exported file
    re-imports unchanged)."""
    found = general_kinds_for(request.user).get(kind)
    if found is None:
        raise PermissionDenied(_("You may not import this kind of file, so it is not exported for you."))
    header, rows = found.export(request.user)
    if fmt == "xlsx":
        cells = ([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row] for row in rows)
        data = workbook_bytes([Sheet(str(found.label), header, cells)])
        response = HttpResponse(data, content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(csv_text(header, rows).encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="tincay-{kind}.{fmt}"'
    return response


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
