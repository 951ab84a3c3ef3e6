"""Catalogue pages: versions → pillars → indicators → criteria; derive, edit, issue, import, export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.catalogue import access, library, selectors, services, xlsx
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.forms import CriterionForm, DeriveForm, ImportForm, IndicatorForm, VersionForm
from tincay.catalogue.models import FrameworkVersion
from tincay.common.errors import InvalidInput, add_to_form


def _version_or_404(request: HttpRequest, framework: str, version: str) -> FrameworkVersion:
    found = access.get_version_for_user(request.user, framework, version)
    if found is None:
        raise Http404(_("This indicator set does not exist or is not visible to you."))
    return found


def _editable_or_404(request: HttpRequest, framework: str, version: str) -> FrameworkVersion:
    found = _version_or_404(request, framework, version)
    if not access.can_edit_version(request.user, found):
        raise Http404(_("You cannot change this version."))
    return found


def _show(form: Any, error: InvalidInput) -> int:
    """A service's errors on the form (field errors on their field); the page answers 403 when refused."""
    add_to_form(form, error)
    return 403 if error.status == 403 else 200


def index(request: HttpRequest) -> HttpResponse:
    frameworks = selectors.frameworks_with_versions(access.versions_visible_to(request.user))
    return render(
        request,
        "catalogue/index.html",
        {
            "frameworks": frameworks,
            "can_derive": access.can_derive(request.user),
            "import_form": ImportForm() if access.can_derive(request.user) else None,
        },
    )


def version_detail(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    obj = _version_or_404(request, framework, version)
    return render(
        request,
        "catalogue/version.html",
        {
            "version": obj,
            "pillars": selectors.version_outline(obj),
            "changes": selectors.version_changes(obj),
            "can_edit": access.can_edit_version(request.user, obj),
            "can_derive": access.can_derive(request.user),
        },
    )


def indicator_detail(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    obj = _version_or_404(request, framework, version)
    indicator = obj.indicators.select_related("pillar").filter(code=code).first()
    if indicator is None:
        raise Http404
    siblings = list(obj.indicators.order_by("order").values_list("code", flat=True))
    position = siblings.index(indicator.code)
    return render(
        request,
        "catalogue/indicator.html",
        {
            "version": obj,
            "indicator": indicator,
            "criteria": indicator.criteria.order_by("order"),
            "change_notes": {c["code"]: c["note"] for c in obj.changes},
            "can_edit": access.can_edit_version(request.user, obj),
            "previous_code": siblings[position - 1] if position > 0 else None,
            "next_code": siblings[position + 1] if position + 1 < len(siblings) else None,
        },
    )


def _owners(request: HttpRequest) -> dict[str, object]:
    return {"" if unit is None else str(unit.pk): unit for unit in access.derive_owners(request.user)}


@login_required
@require_http_methods(["GET", "POST"])
def version_derive(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    source = _version_or_404(request, framework, version)
    if not access.can_derive(request.user):
        raise Http404
    owners = _owners(request)
    owner_choices = [(key, unit.name if unit else _("National (no owner unit)")) for key, unit in owners.items()]
    form = DeriveForm(
        request.POST or None,
        owner_choices=owner_choices,
        initial={
            "title_vi": f"{source.title_vi} (bản địa phương)",
            "title_en": f"{source.title_en} (local version)",
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        owner = owners.get(form.cleaned_data["owner_unit"] or "")
        try:
            derived = services.version_derive(
                source=source,
                actor=request.user,
                code=form.cleaned_data["code"],
                title_vi=form.cleaned_data["title_vi"],
                title_en=form.cleaned_data["title_en"],
                owner_unit=owner,
            )
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Draft version created. Edit it, then issue it."))
            return redirect("catalogue:version", framework=framework, version=derived.code)
    return render(request, "catalogue/derive.html", {"source": source, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    form = VersionForm(request.POST or None, initial=VersionForm.initial_from(obj))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.VERSION_EDITABLE}
        try:
            services.version_update(version=obj, actor=request.user, data=data)
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:version", framework=framework, version=version)
    return render(request, "catalogue/version_edit.html", {"version": obj, "form": form}, status=status)


@login_required
@require_POST
def version_issue(request: HttpRequest, framework: str, version: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    if request.POST.get("confirm") != obj.code:
        messages.error(request, _("Type the version code to confirm issuing it."))
        return redirect("catalogue:version", framework=framework, version=version)
    try:
        services.version_issue(version=obj, actor=request.user)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The version is issued. It can no longer change."))
    return redirect("catalogue:version", framework=framework, version=version)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    indicator = obj.indicators.filter(code=code).first()
    if indicator is None:
        raise Http404
    form = IndicatorForm(request.POST or None, initial=IndicatorForm.initial_from(indicator))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(indicator=indicator, actor=request.user, data=form.cleaned_data)
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:indicator", framework=framework, version=version, code=code)
    context = {"version": obj, "indicator": indicator, "form": form}
    return render(request, "catalogue/indicator_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    criterion = obj.criteria.select_related("indicator").filter(code=code).first()
    if criterion is None:
        raise Http404
    return _criterion_form(request, obj, criterion.indicator, criterion)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_new(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    indicator = obj.indicators.filter(code=code).first()
    if indicator is None:
        raise Http404
    return _criterion_form(request, obj, indicator, None)


def _criterion_form(request, version, indicator, criterion) -> HttpResponse:
    form = CriterionForm(request.POST or None, instance=criterion)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.criterion_save(
                version=version,
                actor=request.user,
                data=form.cleaned_data,
                criterion=criterion,
                indicator=indicator,
            )
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Criterion %(code)s saved.") % {"code": saved.code})
            return redirect(
                "catalogue:indicator",
                framework=version.framework.code,
                version=version.code,
                code=indicator.code,
            )
    return render(
        request,
        "catalogue/criterion_form.html",
        {
            "version": version,
            "indicator": indicator,
            "criterion": criterion,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def criterion_delete(request: HttpRequest, framework: str, version: str, code: str) -> HttpResponse:
    obj = _editable_or_404(request, framework, version)
    criterion = obj.criteria.select_related("indicator").filter(code=code).first()
    if criterion is None:
        raise Http404
    indicator_code = criterion.indicator.code
    try:
        services.criterion_delete(criterion=criterion, actor=request.user, reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Criterion %(code)s removed.") % {"code": code})
    return redirect("catalogue:indicator", framework=framework, version=version, code=indicator_code)


def version_export(request: HttpRequest, framework: str, version: str, fmt: str) -> HttpResponse:
    if fmt not in ("yaml", "xlsx"):
        raise Http404
    obj = _version_or_404(request, framework, version)
    doc = selectors.version_document(obj)
    filename = f"{obj.framework.code}-{obj.code}"
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx.workbook_bytes(doc),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(library.dump_yaml(doc), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.yaml"'
    return response


@login_required
@require_POST
def version_import(request: HttpRequest) -> HttpResponse:
    """Upload a workbook: creates a new draft, or updates a draft the user may edit. Issued ones are refused."""
    if not access.can_derive(request.user):
        raise Http404
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("workbook", []):
            messages.error(request, error)
        return redirect("catalogue:index")
    try:
        doc = xlsx.document_from_workbook(form.cleaned_data["workbook"].read())
    except library.LibraryError as exc:
        return render(request, "catalogue/import_errors.html", {"problems": exc.problems}, status=400)
    existing = selectors.version_by_ref(doc["framework"]["code"], doc["version"]["code"])
    # a workbook never issues: a new version is a draft, an existing one keeps its status
    doc["version"]["status"] = VersionStatus.DRAFT.value if existing is None else existing.status
    owners = access.derive_owners(request.user)
    owner = owners[0] if existing is None and owners else None
    try:
        imported, outcome = services.version_load_document(doc=doc, actor=request.user, owner_unit=owner)
    except services.DocumentError as exc:
        return render(request, "catalogue/import_errors.html", {"problems": exc.problems}, status=400)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("catalogue:index")
    outcomes = {"created": _("a new draft"), "updated": _("draft updated"), "unchanged": _("nothing changed")}
    messages.success(request, _("Workbook imported: %(outcome)s.") % {"outcome": outcomes[outcome]})
    return redirect("catalogue:version", framework=imported.framework.code, version=imported.code)
