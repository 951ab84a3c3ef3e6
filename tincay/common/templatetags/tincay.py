from __future__ import annotations

from typing import Any

from django import template

from tincay.common.i18n import localized

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    """``{{ indicator|tr:"title" }}``: the bilingual field in the active language."""
    return localized(obj, field)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ forms|get_item:result.pk }}``"""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def control(field: Any) -> str:
    """Render a form field's widget with Bootstrap classes and ARIA links to its help and errors."""
    widget = field.field.widget
    css = "form-select" if getattr(widget, "input_type", "") == "select" else "form-control"
    attrs = {"class": css + (" is-invalid" if field.errors else "")}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
