"""How the API answers every refusal: one body shape for the services' errors and DRF's own.

Body shape, in the request's language (Vietnamese unless the client asks for English)::

    {"detail": "<every message in one line>", "errors": {"<field>": ["<message>", ...]}}

``errors`` names the field each message is about (``__all__`` when it is about the whole request). A conflict
(409) also carries ``current``, the version saved by someone else. The services' InvalidInput / Refused /
ConflictError, Django's ValidationError, workflow refusals (PermissionError) and DRF's exceptions (validation,
parse errors, 404, 403, 405, 415, throttling) all answer with this shape, so a client reads one format.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from tincay.common.errors import NON_FIELD, InvalidInput


def error_body(error: InvalidInput) -> dict[str, Any]:
    body: dict[str, Any] = {
        "detail": error.message,
        "errors": {name: [str(m) for m in messages] for name, messages in error.errors.items()},
    }
    current = getattr(error, "current", None)
    if current is not None:
        body["current"] = current
    return body


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail (dicts of lists, lists of dicts) as ``{"field": [...], "items.0.name": [...]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            name = NON_FIELD if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            for field, messages in _flatten(value, f"{prefix}.{name}" if prefix else name).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, list | tuple):
        for index, value in enumerate(detail):
            if isinstance(value, Mapping | list | tuple):
                for field, messages in _flatten(value, f"{prefix}.{index}" if prefix else str(index)).items():
                    out.setdefault(field, []).extend(messages)
            else:
                out.setdefault(prefix or NON_FIELD, []).append(str(value))
    else:
        out.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return out


def _own_words(exc: APIException) -> str | None:
    """Our message for DRF's exceptions whose own has no Vietnamese (or shows a parser's English)."""
    if isinstance(exc, exceptions.ParseError):
        return _("The body could not be read: send valid JSON (or a form where the documentation allows it).")
    if isinstance(exc, exceptions.UnsupportedMediaType):
        return _("This operation does not accept this kind of body: send JSON, as /api/docs/ shows.")
    if isinstance(exc, exceptions.NotAcceptable):
        return _("This operation answers in JSON only: accept application/json.")
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("Sign in first: send your session cookie or an API token (Authorization: Token <key>).")
    return None


def _api_error_body(exc: APIException) -> dict[str, Any]:
    message = _own_words(exc)
    errors = {NON_FIELD: [message]} if message else _flatten(exc.detail)
    return error_body(InvalidInput(errors or {NON_FIELD: [_("The request was refused.")]}))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status, headers such as Allow and Retry-After), with every body in the one shape."""
    if isinstance(exc, InvalidInput):
        return Response(error_body(exc), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD: exc.messages}
        return Response(error_body(InvalidInput(errors)), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent | RequestDataTooBig):
        message = _("The body is too large or has too many fields: send JSON, as /api/docs/ shows.")
        return Response(error_body(InvalidInput({NON_FIELD: [message]})), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionError) and not isinstance(exc, PermissionDenied):
        reasons = [str(r) for r in getattr(exc, "reasons", [exc])]
        return Response(error_body(InvalidInput({NON_FIELD: reasons})), status=status.HTTP_403_FORBIDDEN)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, APIException):
        response.data = _api_error_body(exc)
    elif response is not None:  # Http404 / PermissionDenied, turned into DRF's NotFound / PermissionDenied
        response.data = _api_error_body(APIException(response.data.get("detail", "")))
    return response


@extend_schema(exclude=True)
class NotFoundView(APIView):
    """Any other address under /api/v1/ (a malformed id, a path that does not exist): 404 in the API's shape,
    instead of the site's HTML page."""

    permission_classes: list[Any] = []
    authentication_classes: list[Any] = []

    def handle(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        raise NotFound(_("There is no such address in the API: check the path against /api/docs/."))

    get = post = put = patch = delete = handle


# ---- OpenAPI: the error body, documented on every operation -------------------------------------------------

ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(help_text="every message in one line, in the request's language"),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="messages by field; __all__ for the request as a whole",
        ),
    },
)
ConflictSerializer = inline_serializer(
    "Conflict",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        "current": serializers.DictField(help_text="the version someone else saved meanwhile (fields of the track)"),
    },
)
_DESCRIPTIONS = {
    400: "Bad input: messages by field (unknown fields, wrong types or shapes, values out of range, domain rules).",
    401: "Not signed in (token authentication).",
    403: "Not signed in, or not allowed to make this change (not your unit, not your indicator, not your role).",
    404: "Not found, or not visible to you.",
    405: "Method not allowed.",
    409: "Someone else saved meanwhile; ``current`` holds their version.",
    415: "Unsupported media type.",
    429: "Too many requests: wait as many seconds as Retry-After says.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The error responses of an operation, for ``extend_schema(responses={200: ..., **error_responses(...)})``."""
    return {
        code: OpenApiResponse(ConflictSerializer if code == 409 else ErrorSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }


# The error responses most operations share: reads, paged lists, writes.
READ_ERRORS = error_responses(403, 404, 429)
LIST_ERRORS = error_responses(400, 403, 429)
WRITE_ERRORS = error_responses(400, 403, 404, 415, 429)
