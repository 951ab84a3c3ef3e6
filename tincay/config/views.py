from __future__ import annotations

import sys
from datetime import UTC, timedelta

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, server_error

from tincay.api.errors import error_body
from tincay.assessments import access as assessment_access
from tincay.assessments.choices import State
from tincay.assessments.waiting import waiting_on
from tincay.catalogue import access as catalogue_access
from tincay.catalogue.choices import VersionStatus
from tincay.common.errors import NON_FIELD, InvalidInput
from tincay.common.middleware import DATABASE_AWAY, RETRY_SECONDS, database_away_response
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
    """For the load balancer: 200 while this process reaches the database (503 otherwise, so traffic goes
    elsewhere); the cache is reported but not required (pages are served while Redis is down)."""
    from django.core.cache import cache

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DATABASE_AWAY:
        answer = JsonResponse({"status": "unavailable", "database": "unavailable"}, status=503)
        answer["Retry-After"] = str(RETRY_SECONDS)  # like every other 503 of the application
        return answer
    cache.get("tincay:health")  # a Redis that does not answer marks the cache unavailable for a few seconds
    available = getattr(cache, "available", True)
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok" if available else "unavailable"})


def security_txt(request: HttpRequest) -> HttpResponse:
    """``/.well-known/security.txt`` (RFC 9116): whom to tell about a vulnerability, in which languages; valid for
    a year from the day it is read (the contacts come from ``TINCAY_SECURITY_CONTACT``, so it never goes stale
    without someone changing them). Not found while no contact is configured."""
    contacts = settings.TINCAY_SECURITY_CONTACT
    if not contacts:
        raise Http404("no security contact configured")
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [f"Contact: {contact}" for contact in contacts]
    lines += [
        f"Expires: {expires.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: vi, en",
        f"Canonical: {request.build_absolute_uri('/.well-known/security.txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def failed(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database that went away (outside a view too: a session, a middleware) answers 503 with a
    message to try again; any other error gets Django's plain 500 page."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_AWAY):
        return database_away_response(request, error)
    return server_error(request)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: an API address that matches no route answers JSON like every other API error (the
    schema promises JSON); pages get ``404.html`` in the reader's language."""
    if request.path.startswith("/api/"):
        message = _("Not found: no API endpoint has this address.")
        return JsonResponse(error_body(InvalidInput({NON_FIELD: [message]})), status=404)  # the API's one shape
    return page_not_found(request, exception)
