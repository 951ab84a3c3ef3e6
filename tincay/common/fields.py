"""Model fields with one extra promise each (no domain rules here).

``StoredDecimalField``: a DecimalField whose stored values can always be read back. SQLite keeps a number that
does not fit the column (a value written before today's rules, e.g. 12345678901.12345 in a 14-digit column) and
Django's converter then raises ``InvalidOperation`` on every read of the row, so one bad value made every page
of an assessment answer 500. Reading keeps the number (rounded to the column's decimals) so that the rules can
flag it (``assessments.rules.stored_problems``, ``manage.py check_data``). Writing and validation are unchanged:
forms and services still refuse values that do not fit. PostgreSQL refuses such values on write, so nothing
changes there. The column and the migrations are those of a plain DecimalField.
"""

from __future__ import annotations

import decimal
from typing import Any

from django.db import models
from django.utils.functional import cached_property

# Enough digits to quantize any float SQLite can hand back (about 1e308) without InvalidOperation.
_READ_PRECISION = 400


class StoredDecimalField(models.DecimalField):
    @cached_property
    def context(self) -> decimal.Context:  # type: ignore[override]
        """The context Django's SQLite converter quantizes with on read: wide enough for any stored number."""
        return decimal.Context(prec=max(self.max_digits or 0, _READ_PRECISION))

    def to_python(self, value: Any) -> Any:
        """As DecimalField: a float keeps only the column's digits (the wide context is for reading only)."""
        if isinstance(value, float):
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def deconstruct(self) -> tuple[str, str, list[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
