"""Reading the API's query parameters: each is a single value, never a list, and never holds a NUL character.

A parameter given twice (``?limit=10&limit=5000``) is a 400 naming it rather than "the last one wins"; a NUL
character (which PostgreSQL cannot compare) is a 400 rather than a server error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError


def query_value(request: Any, name: str) -> str | None:
    """The one value of query parameter ``name`` (None when absent); ValidationError when given twice."""
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ValidationError({name: [_("Give this parameter only once.")]})
    if values and "\x00" in values[0]:
        raise ValidationError({name: [_("This text contains characters that cannot be stored: remove them.")]})
    return values[0] if values else None


def query_values(request: Any, names: Any) -> dict[str, str]:
    """The given parameters among ``names``, each checked by :func:`query_value`."""
    found = {name: query_value(request, name) for name in names}
    return {name: value for name, value in found.items() if value is not None}
