"""Refusals as pages in the reader's language, also when DEBUG is on (the demo runs with it).

Django answers a view's ``Http404`` and ``PermissionDenied`` with ``404.html`` / ``403.html`` only when DEBUG is
off; with DEBUG on it shows its own English technical page, which is what a demo user met on a campaign outside
their scope. A refusal is a message to the user, not a debugging aid, so pages always get the templates. An
address that matches no URL still gets Django's debugging page under DEBUG (the resolver fails before any view
runs), and the API keeps its own JSON errors.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found, permission_denied

from tincay.common.errors import Refused


class RefusalPages:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, PermissionDenied | Refused):
            return permission_denied(request, exception)
        return None
