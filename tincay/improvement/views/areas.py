"""The areas-to-improve page of one assessment, and the forms it posts (derive the suggestions, accept several,
select or drop one, add one). Every form works without a script; the services decide, the views translate the
posted text and show the services' messages next to the fields, keeping what was typed.

404 for someone who cannot see the assessment; 403 (the page with the message) for someone who sees it but may
not decide its areas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tincay.assessments.access import get_assessment_for_user
from tincay.assessments.models import Assessment
from tincay.common.errors import InvalidInput
from tincay.improvement import access, rules
from tincay.improvement.choices import Stage
from tincay.improvement.models import ImprovementArea
from tincay.improvement.selectors import areas as selectors
from tincay.improvement.services import areas as services


def _assessment_or_404(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404(_("This assessment does not exist or is not visible to you."))
    return assessment


def _page(
    request: HttpRequest, assessment: Assessment, *, failed: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    final = assessment.state in access.FINAL_STATES
    can_edit = final and access.can_edit_areas(request.user, assessment)
    data = selectors.assessment_areas(assessment)
    return render(
        request,
        "improvement/areas.html",
        {
            "assessment": assessment,
            "data": data,
            "final": final,
            "can_edit": can_edit,
            "ranking_rule": rules.RANKING_RULE,
            "stages": Stage.choices,
            "addable": selectors.addable(assessment, data.rows) if can_edit else [],
            "failed": failed or {},
        },
        status=status,
    )


@login_required
def areas(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _assessment_or_404(request, pk))


# The fields each form shows its messages next to; the other messages go on top of the form ("general").
_FIELDS = {
    "suggest": set(),
    "accept": {"codes", "stage"},
    "decide": {"stage", "reason"},
    "add": {"item", "stage", "reason"},
}


def _refused(request: HttpRequest, assessment: Assessment, form: str, exc: InvalidInput, **extra: Any) -> HttpResponse:
    errors: dict[str, list[str]] = {"general": []}
    for name, msgs in exc.errors.items():
        errors.setdefault(name if name in _FIELDS[form] else "general", []).extend(str(m) for m in msgs)
    return _page(request, assessment, failed={"form": form, "errors": errors, **extra}, status=exc.status)


def _back(assessment: Assessment, anchor: str = "") -> HttpResponse:
    return redirect(reverse("improvement:areas", args=[assessment.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def areas_suggest(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    try:
        found = services.areas_suggest(actor=request.user, assessment=assessment)
    except InvalidInput as exc:
        return _refused(request, assessment, "suggest", exc)
    messages.success(
        request, _("Areas to improve brought up to date with the final results: %(n)s in the list.") % {"n": len(found)}
    )
    return _back(assessment)


@login_required
@require_POST
def areas_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    codes = request.POST.getlist("codes")
    stage = request.POST.get("stage", "")
    try:
        accepted = services.areas_accept_suggested(actor=request.user, assessment=assessment, codes=codes, stage=stage)
    except InvalidInput as exc:
        return _refused(request, assessment, "accept", exc, typed={"codes": codes, "stage": stage})
    messages.success(request, _("%(n)s areas accepted.") % {"n": len(accepted)})
    return _back(assessment, "stage-" + stage)


_DECISIONS = {"select": True, "drop": False}


@login_required
@require_POST
def area_decide(request: HttpRequest, pk: int, area_id: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    area = ImprovementArea.objects.filter(pk=area_id, assessment_id=assessment.pk).first()
    if area is None:
        raise Http404(_("This area to improve does not exist or belongs to another assessment."))
    decision = request.POST.get("decision", "")
    stage = request.POST.get("stage", "")
    reason = request.POST.get("reason", "")
    try:
        services.area_decide(
            actor=request.user,
            area=area,
            assessment=assessment,
            selected=_DECISIONS.get(decision),
            stage=stage,
            reason=reason,
        )
    except InvalidInput as exc:
        return _refused(request, assessment, "decide", exc, area_id=area.pk, typed={"stage": stage, "reason": reason})
    if _DECISIONS[decision]:
        messages.success(request, _("Area %(code)s selected.") % {"code": str(area)})
    else:
        messages.success(request, _("Area %(code)s dropped; the reason is kept.") % {"code": str(area)})
    return _back(assessment, f"area-{area.pk}")


@login_required
@require_POST
def area_add(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_or_404(request, pk)
    choice = request.POST.get("item", "")
    stage = request.POST.get("stage", "")
    reason = request.POST.get("reason", "")
    indicator_code, criterion_code = selectors.split_choice(choice)
    try:
        area = services.area_add(
            actor=request.user,
            assessment=assessment,
            indicator_code=indicator_code,
            criterion_code=criterion_code,
            stage=stage,
            reason=reason,
        )
    except InvalidInput as exc:
        if "criterion" in exc.errors or "indicator" in exc.errors:
            exc.errors.setdefault("item", [])
            exc.errors["item"] += exc.errors.pop("indicator", []) + exc.errors.pop("criterion", [])
        return _refused(request, assessment, "add", exc, typed={"item": choice, "stage": stage, "reason": reason})
    messages.success(request, _("Area %(code)s added.") % {"code": str(area)})
    return _back(assessment, f"area-{area.pk}")
