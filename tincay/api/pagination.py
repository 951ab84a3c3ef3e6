"""Paging of API lists: ``limit`` and ``offset`` are checked, never trusted.

DRF's LimitOffsetPagination quietly ignores a non-numeric ``limit`` and passes any ``offset`` to the database
(a 30-digit offset overflows SQLite's integer and answered 500). Here a value that is not a whole number in range
is a 400 naming the parameter, and the schema states the bounds.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from tincay.api.queries import query_value
from tincay.common.text import grouped

_DIGITS = re.compile(r"[0-9]{1,12}")
MAX_OFFSET = 1_000_000_000


class CappedLimitOffset(LimitOffsetPagination):
    """``limit`` 1..``max_limit`` (default 100), ``offset`` 0..1,000,000,000."""

    default_limit = 100
    max_limit = 500

    def _whole(self, request: Any, name: str, default: int, low: int, high: int) -> int:
        raw = query_value(request, name)
        if raw is None:
            return default
        value = int(raw) if _DIGITS.fullmatch(raw) else None
        if value is None or not low <= value <= high:
            raise ValidationError(
                {name: [_("Give a whole number from %(low)s to %(high)s.") % {"low": low, "high": grouped(high)}]}
            )
        return value

    def get_limit(self, request: Any) -> int:
        return self._whole(request, self.limit_query_param, self.default_limit, 1, self.max_limit)

    def get_offset(self, request: Any) -> int:
        return self._whole(request, self.offset_query_param, 0, 0, MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        limit, offset = super().get_schema_operation_parameters(view)
        limit["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_limit, "default": self.default_limit}
        limit["description"] = f"Number of results per page (1 to {self.max_limit})."
        offset["schema"] = {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}
        return [limit, offset]


class UnitPagination(CappedLimitOffset):
    """Units are a reference list: the whole country (3,321 communes and 34 provinces) fits in one page."""

    max_limit = 5000
