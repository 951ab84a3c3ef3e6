"""A form renderer for the indicator page's save forms: six forms of about five controls each, where Django's
widget templates (an include per attribute list and per option) cost more than the rest of the page.

The few widget templates these forms use are written out here, to the byte as Django's templates render them
(tests/test_indicator_page_controls.py compares both); any other template goes to Django's renderer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"


def _text(value: Any) -> str:
    """``{{ value }}`` in a template that escapes."""
    if not isinstance(value, str | Promise):
        value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    shown = f"{value}"
    return shown if isinstance(value, SafeData) else escape(shown)


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html"""
    return "".join(
        f" {_text(name)}" + ("" if value is True else f'="{_formatted(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict[str, Any]) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict[str, Any]) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _WIDGETS + "select_option.html":
                return None
            value, label = _formatted(option["value"]), _text(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_WRITERS: dict[str, Callable[[dict[str, Any]], str | None]] = {
    _WIDGETS + "checkbox.html": _input,
    _WIDGETS + "hidden.html": _input,
    _WIDGETS + "text.html": _input,
    _WIDGETS + "select.html": _select,
    _WIDGETS + "textarea.html": _textarea,
}


class ControlRenderer(DjangoTemplates):
    """Django's renderer (which strips what a template renders), with the templates above written out."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString:
        write = _WRITERS.get(template_name)
        html = write(context["widget"]) if write is not None else None
        if html is None:
            return super().render(template_name, context, request)
        # every value above is escaped as the template would escape it
        return mark_safe(html)  # noqa: S308  # nosec B308 B703


RENDERER = ControlRenderer()
