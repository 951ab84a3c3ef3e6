"""Numbers as people type them: Vietnamese writes 87,5 and 1.234,5; English writes 87.5 and 1,234.5.

:func:`read_number` accepts both and refuses what could mean two different numbers ("1.234": one thousand two
hundred and thirty-four to a Vietnamese reader, one point two three four to an English one) instead of guessing.
:class:`NumberField` is the form field every page uses where a number is typed; it shows stored numbers in the
reader's language (87,5 in Vietnamese) without trailing zeros.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext as _

_SPACES = re.compile(r"[\s\u00a0\u202f]")
_SHAPE = re.compile(r"^[+-]?[\d.,]+$")


class NumberFormatError(ValueError):
    """The text is not a number, or could be read as two different numbers; the message says what to type."""


def _grouped(whole: str, separator: str) -> str | None:
    """``1.234.567`` with separator "." → "1234567" when every group after the first has three digits."""
    groups = whole.split(separator)
    if not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:]) or not all(g.isdigit() for g in groups):
        return None
    return "".join(groups)


def read_number(text: str) -> Decimal:
    """Read a typed number: "87,5", "87.5", "1.234,5", "1,234.5", "1.234.567", "1 234,5" (spaces as groups)."""
    raw = _SPACES.sub("", str(text))
    if not raw or not _SHAPE.match(raw):
        raise NumberFormatError(
            _("“%(text)s” is not a number: use digits, with a comma for decimals (87,5).") % {"text": text}
        )
    sign = "-" if raw.startswith("-") else ""
    body = raw.lstrip("+-")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:  # the last one is the decimal mark, the other groups thousands
        decimal_mark, group_mark = (",", ".") if body.rfind(",") > body.rfind(".") else (".", ",")
        whole, _mark, fraction = body.rpartition(decimal_mark)
        digits = _grouped(whole, group_mark) if decimal_mark not in whole else None
        if digits is None or not fraction.isdigit():
            raise NumberFormatError(
                _("“%(text)s” is not a number we can read: write 1234,5 or 1.234,5.") % {"text": text}
            )
        normal = f"{digits}.{fraction}"
    elif commas == 1:  # Vietnamese decimal comma
        normal = body.replace(",", ".")
    elif commas or dots > 1:  # 1,234,567 or 1.234.567: thousands groups
        digits = _grouped(body, "," if commas else ".")
        if digits is None:
            raise NumberFormatError(
                _("“%(text)s” is not a number we can read: write 1234567 or 1.234.567.") % {"text": text}
            )
        normal = digits
    elif dots == 1:
        whole, _mark, fraction = body.partition(".")
        if len(fraction) == 3 and whole.isdigit() and 1 <= len(whole) <= 3 and whole != "0":
            raise NumberFormatError(
                _("“%(text)s” can be read two ways: write %(thousands)s (a whole number) or %(decimal)s (a decimal).")
                % {"text": text, "thousands": whole + fraction, "decimal": f"{whole},{fraction}"}
            )
        normal = body
    else:
        normal = body
    try:
        value = Decimal(sign + normal)
    except InvalidOperation:
        raise NumberFormatError(
            _("“%(text)s” is not a number: use digits, with a comma for decimals (87,5).") % {"text": text}
        ) from None
    if not value.is_finite():
        raise NumberFormatError(
            _("“%(text)s” is not a number: use digits, with a comma for decimals (87,5).") % {"text": text}
        )
    return value


def show_number(value: Any) -> str:
    """A stored number for a form field in the reader's language, without trailing zeros: 87,5 (vi), 87.5 (en)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except InvalidOperation:
            return str(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", get_format("DECIMAL_SEPARATOR"))


class NumberField(forms.DecimalField):
    """A decimal typed as people write it (see :func:`read_number`); a text box with a decimal keypad on phones."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return Decimal(str(value))
        try:
            return read_number(str(value).strip())
        except NumberFormatError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        return show_number(value) if isinstance(value, Decimal | int | float) and not isinstance(value, bool) else value

    def widget_attrs(self, widget: Any) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)  # a text box: no number spinner, and "87,5" is accepted
        return attrs
