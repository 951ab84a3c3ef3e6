from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from tincay.api.errors import error_body
from tincay.assessments import access as assessment_access
from tincay.assessments.choices import State
from tincay.assessments.waiting import waiting_on
from tincay.catalogue import access as catalogue_access
from tincay.catalogue.choices import VersionStatus
from tincay.common.errors import NON_FIELD, InvalidInput
from tincay.orgunits import access as unit_access


def home(request: HttpRequest) -> HttpResponse:
    """Landing page: what TinCậy is, and for a signed-in person, their roles and where to go next."""
    context = {
        "issued_versions": catalogue_access.versions_visible_to(request.user)
        .filter(status=VersionStatus.ISSUED)
        .order_by("-issued_at")[:5],
    }
    if request.user.is_authenticated:
        context["waiting"] = waiting_on(request.user)
        context["memberships"] = request.user.memberships.select_related("unit", "department").order_by("role")
        context["can_manage_people"] = unit_access.can_manage_people(request.user)
        context["open_assessments"] = (
            assessment_access.assessments_visible_to(request.user)
            .exclude(state=State.PUBLISHED)
            .order_by("-campaign__year", "unit__sort_key")[:10]
        )
    return render(request, "home.html", context)


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: an API address that matches no route answers JSON like every other API error (the
    schema promises JSON); pages get ``404.html`` in the reader's language."""
    if request.path.startswith("/api/"):
        message = _("Not found: no API endpoint has this address.")
        return JsonResponse(error_body(InvalidInput({NON_FIELD: [message]})), status=404)  # the API's one shape
    return page_not_found(request, exception)
