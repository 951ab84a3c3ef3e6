"""Giving several indicators at once to a department and/or a person of the unit (the focal point, while the
self-assessment is a draft). With JavaScript the page posts through htmx and only the status and the "assigned
to" lines change (no reload, no jump to the top); without it, the form posts and the page comes back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tincay.assessments.services import assignments
from tincay.assessments.views.workspace import assessment_or_404
from tincay.common.errors import InvalidInput


@login_required
@require_POST
def assign_many(request: HttpRequest, pk: int) -> HttpResponse:
    """Ticked indicators (``indicators``) and ticked pillars (``pillars``: every indicator of the pillar) go to
    the department and the person chosen; the service checks everything and assigns all or nothing."""
    assessment, _actor = assessment_or_404(request, pk)
    codes = request.POST.getlist("indicators")
    if pillars := request.POST.getlist("pillars"):
        in_pillars = assessment.campaign.version.indicators.filter(pillar__code__in=pillars[:20])
        codes += [code for code in in_pillars.values_list("code", flat=True) if code not in codes]
    context: dict = {"assessment": assessment}
    status = 200
    try:
        done = assignments.assignments_set_many(
            user=request.user,
            assessment=assessment,
            indicator_codes=codes,
            department_id=request.POST.get("department", ""),
            assignee_id=request.POST.get("assignee", ""),
        )
    except InvalidInput as exc:
        context["error"] = exc.message
        status = exc.status
    else:
        context["assigned"] = done
        context["message"] = ngettext(
            "%(n)s indicator assigned: %(codes)s.", "%(n)s indicators assigned: %(codes)s.", len(done)
        ) % {"n": len(done), "codes": ", ".join(a.indicator.code for a in done)}
    if request.htmx:
        return render(request, "assessments/_assigned.html", context, status=status)
    if "error" in context:
        messages.error(request, context["error"])
    else:
        messages.success(request, context["message"])
    return redirect(reverse("assessments:detail", args=[assessment.pk]) + "#assign-form")
