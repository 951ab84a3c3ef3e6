"""The one error type of refused writes: field → messages, raised by services, shown by every interface.

Services validate their whole input and check the caller's permission before touching a row; when something is
wrong they raise :class:`InvalidInput` (bad input: 400 in the API, a form error on a page) or :class:`Refused`
(not allowed for this person: 403). Messages are translatable strings: Vietnamese by default, English through
i18n. Views, htmx endpoints, serializers, imports and commands translate them; they never decide the rule.

    raise InvalidInput({"self_value": _("Enter a value between 0 and 100.")})
    raise InvalidInput(_("Choose at least one unit."))           # not tied to one field
    raise Refused(_("This indicator is not assigned to you."))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

NON_FIELD = "__all__"


class InvalidInput(ValueError):
    """A write refused because of its input. ``errors`` maps a field name (or ``__all__``) to messages."""

    status = 400

    def __init__(self, errors: Mapping[str, Any] | Any, *, field: str | None = None):
        if isinstance(errors, Mapping):
            self.errors = {str(name): _as_list(messages) for name, messages in errors.items()}
        else:
            self.errors = {field or NON_FIELD: _as_list(errors)}
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Every message in one line, for places that show a single message (flash, htmx status)."""
        return " ".join(str(m) for messages in self.errors.values() for m in messages)

    def __str__(self) -> str:
        return self.message

    def messages_for(self, name: str) -> list[str]:
        return [str(m) for m in self.errors.get(name, [])]


class Refused(InvalidInput):
    """A write this person may not make (not their unit, not their indicator, not their role)."""

    status = 403


def _as_list(messages: Any) -> list[Any]:
    if isinstance(messages, str) or not isinstance(messages, Iterable):
        return [messages]
    return list(messages)


class ErrorCollector:
    """Collects field errors while a service checks its whole input, then raises them together.

    errors = ErrorCollector()
    if bad: errors.add("self_level", _("…"))
    errors.raise_if_any()
    """

    def __init__(self) -> None:
        self.errors: dict[str, list[Any]] = {}

    def add(self, field: str, message: Any) -> None:
        self.errors.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors)


def add_to_form(form: Any, error: InvalidInput) -> None:
    """Show a service's errors on a bound Django form: on the field when the form has it, else at the top."""
    for name, messages in error.errors.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, str(message))


def text_input(errors: ErrorCollector, field: str, value: Any, *, limit: int, required: bool = False) -> str:
    """A stripped text within ``limit`` characters (None reads as empty), or an error on ``field``: not text,
    required and empty, or too long (saying by how much)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Enter text here."))
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, _("This field is required."))
    elif len(value) > limit:
        errors.add(
            field,
            _("Enter at most %(limit)d characters (this has %(count)d).") % {"limit": limit, "count": len(value)},
        )
    return value
