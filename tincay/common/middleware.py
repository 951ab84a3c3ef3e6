"""Refusals as pages in the reader's language, also when DEBUG is on (the demo runs with it).

Django answers a view's ``Http404`` and ``PermissionDenied`` with ``404.html`` / ``403.html`` only when DEBUG is
off; with DEBUG on it shows its own English technical page, which is what a demo user met on a campaign outside
their scope. A refusal is a message to the user, not a debugging aid, so pages always get the templates. An
address that matches no URL still gets Django's debugging page under DEBUG (the resolver fails before any view
runs), and the API keeps its own JSON errors.

A database that goes away under a request (``DATABASE_AWAY``) is not a bug of the page: it answers 503 with a
message to try again (``database_away_response``), from a view here and from ``handler500`` for the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found, permission_denied

from tincay.common.errors import NON_FIELD, Refused

logger = logging.getLogger("tincay.availability")

# The database went away under a request (a restart, a failover, too many connections): a clear answer to retry.
DATABASE_AWAY = (OperationalError, InterfaceError)
RETRY_SECONDS = 5


def database_away_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with ``Retry-After``: JSON in the API's shape, else a page that needs nothing from the database. Every
    write runs in one transaction, so the request either completed before the failure or left nothing behind."""
    logger.warning("database unavailable during %s %s: %s", request.method, request.path, error)
    message = _(
        "The service cannot reach its database for a moment (it is restarting or overloaded). This request was not "
        "completed and nothing was half-written: please try again in a few seconds."
    )
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message, "errors": {NON_FIELD: [message]}}, status=503)
    else:
        page = render_to_string(
            "503.html", {"message": message, "retry": RETRY_SECONDS, "post": request.method == "POST"}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_SECONDS)
    return response


class RefusalPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_AWAY):
            return database_away_response(request, exception)
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | Refused):
            return permission_denied(request, exception)
        return None
