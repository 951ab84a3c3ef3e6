"""Publication as a record: the confirmation before publishing (what becomes public, the snapshot that is
frozen), and corrections of published results (the form with its reason, the lists).

Confirmation needs no script: the confirmation page is a GET, and only its form POSTs the publication."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tincay.assessments import access, selectors
from tincay.assessments.choices import State
from tincay.assessments.forms import CorrectionForm
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services import campaigns as campaign_services
from tincay.assessments.services import corrections
from tincay.assessments.services.errors import ConflictError
from tincay.assessments.services.scores import scores_refresh
from tincay.assessments.views.workspace import assessment_or_404
from tincay.common.errors import InvalidInput, add_to_form


def _campaign_or_404(request: HttpRequest, code: str) -> Campaign:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("This campaign does not exist or is not visible to you."))
    return campaign


def _confirmation(request: HttpRequest, campaign: Campaign, items: list[Assessment], post_to: str) -> HttpResponse:
    ids = [a.pk for a in items]
    scores_refresh(Assessment.objects.filter(pk__in=ids))
    scores = selectors.final_scores(Assessment.objects.filter(pk__in=ids))
    already = campaign.assessments.filter(state=State.PUBLISHED).count()
    return render(
        request,
        "assessments/publish_confirm.html",
        {
            "campaign": campaign,
            "rows": [(a, scores.get(a.pk)) for a in items],
            "class_labels": selectors.class_labels(campaign.version.scoring),
            "already": already,
            "after": already + len(items),
            "post_to": post_to,
            "single": items[0] if post_to == "transition" and items else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_publish(request: HttpRequest, code: str) -> HttpResponse:
    """GET: what will become public and the snapshot that will be frozen. POST (from that page): publish every
    approved assessment the user may publish, and freeze one snapshot."""
    campaign = _campaign_or_404(request, code)
    if request.method == "GET":
        items = access.assessments_publishable_by(request.user, campaign)
        if not items:
            messages.info(request, _("No approved assessment is waiting for you to publish it."))
            return redirect("assessments:board", code=code)
        return _confirmation(request, campaign, items, "campaign")
    try:
        published = campaign_services.campaign_publish(user=request.user, campaign=campaign)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        if published:
            messages.success(
                request,
                _("%(n)s approved assessments published; the open-data snapshot is frozen.") % {"n": published},
            )
        else:
            messages.info(request, _("No approved assessment is waiting for you to publish it."))
    return redirect("assessments:board", code=code)


@login_required
def assessment_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirmation before publishing one assessment; its form posts the "publish" transition."""
    assessment, _actor = assessment_or_404(request, pk)
    if assessment not in access.assessments_publishable_by(request.user, assessment.campaign):
        messages.error(request, _("This assessment is not approved, or you may not publish it."))
        return redirect("assessments:detail", pk=pk)
    return _confirmation(request, assessment.campaign, [assessment], "transition")


@login_required
def assessment_corrections(request: HttpRequest, pk: int) -> HttpResponse:
    """The recorded corrections of one assessment, and (for those who may correct) a choice of criterion."""
    assessment, _actor = assessment_or_404(request, pk)
    can_correct = assessment.state == State.PUBLISHED and access.can_correct_result(request.user, assessment)
    codes = (
        list(assessment.results.order_by("criterion__order").values_list("criterion__code", flat=True))
        if can_correct
        else []
    )
    if (chosen := request.GET.get("code", "")) and chosen in codes:
        return redirect("assessments:correct", pk=pk, code=chosen)
    return render(
        request,
        "assessments/corrections.html",
        {
            "assessment": assessment,
            "campaign": assessment.campaign,
            "corrections": _with_changes(selectors.corrections_of(Assessment.objects.filter(pk=assessment.pk))),
            "can_correct": can_correct,
            "criteria": codes,
        },
    )


@login_required
def campaign_corrections(request: HttpRequest, code: str) -> HttpResponse:
    """Every recorded correction of the campaign's published results that the user may see."""
    campaign = _campaign_or_404(request, code)
    visible = access.assessments_visible_to(request.user).filter(campaign=campaign)
    return render(
        request,
        "assessments/corrections.html",
        {"campaign": campaign, "corrections": _with_changes(selectors.corrections_of(visible)), "assessment": None},
    )


def _with_changes(corrections_qs: Any) -> list[Any]:
    rows = list(corrections_qs)
    for row in rows:
        row.changes = selectors.correction_changes(row)
    return rows


def _correction_form(result: Any, data: Any = None) -> CorrectionForm:
    initial = {name: getattr(result, name) for name in corrections.FIELDS}
    initial["revision"] = result.revision
    form = CorrectionForm(data, initial=initial)
    if result.criterion.type != "performance":
        form.fields.pop("final_value", None)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def result_correct(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """The correction of one criterion's published final result. The form translates what was typed (numbers
    written the local way); the service decides. A refused correction keeps what was typed, with the messages."""
    assessment, _actor = assessment_or_404(request, pk)
    result = assessment.results.select_related("criterion__indicator").filter(criterion__code=code).first()
    if result is None:
        raise Http404
    form = _correction_form(result, request.POST if request.method == "POST" else None)
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("revision", "reason")}
            data = {k: ("" if k.endswith("_level") and not v else v) for k, v in data.items()}
            try:
                corrections.result_correct(
                    user=request.user,
                    result=result,
                    data=data,
                    reason=form.cleaned_data["reason"],
                    revision=form.cleaned_data["revision"],
                )
            except ConflictError as exc:
                add_to_form(form, exc)
                conflict, status = exc.current, 409
            except InvalidInput as exc:
                add_to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Correction recorded; it is shown on the public page with its reason."))
                return redirect(reverse("assessments:corrections", args=[pk]))
        else:
            status = 400
    return render(
        request,
        "assessments/correct.html",
        {
            "assessment": assessment,
            "result": result,
            "form": form,
            "conflict": conflict,
            "can_correct": assessment.state == State.PUBLISHED and access.can_correct_result(request.user, assessment),
        },
        status=status,
    )
