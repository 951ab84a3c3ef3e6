"""How the API answers refused writes: the services' errors become 400/403/409 with per-field messages.

Body shape, in the request's language (Vietnamese unless the client asks for English)::

    {"detail": "<every message in one line>", "errors": {"<field>": ["<message>", ...]}}

A conflict (409) also carries ``current``, the version saved by someone else.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from tincay.common.errors import InvalidInput


def error_body(error: InvalidInput) -> dict[str, Any]:
    body: dict[str, Any] = {
        "detail": error.message,
        "errors": {name: [str(m) for m in messages] for name, messages in error.errors.items()},
    }
    current = getattr(error, "current", None)
    if current is not None:
        body["current"] = current
    return body


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus the domain errors of the services (and Django's ValidationError from models)."""
    if isinstance(exc, InvalidInput):
        return Response(error_body(exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Response(error_body(InvalidInput(errors)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionError) and not isinstance(exc, PermissionDenied):
        reasons = [str(r) for r in getattr(exc, "reasons", [exc])]
        return Response({"detail": " ".join(reasons), "errors": {"__all__": reasons}}, status=status.HTTP_403_FORBIDDEN)
    return drf_exception_handler(exc, context)
