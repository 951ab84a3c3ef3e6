"""Template filters of the survey pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def factor_of(summary: Any, key: str) -> Any:
    """``{{ row.summary|factor_of:f.key }}``: a summary's (or pooled summary's) figure for one factor, or None."""
    return summary.factor(key) if summary is not None else None
