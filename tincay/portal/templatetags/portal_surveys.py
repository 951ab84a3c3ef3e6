"""Compact rendering of survey figures on the public portal: a share satisfied with its 95 % interval and its n, or
"too few answers" in place of a suppressed figure (whose dataclass carries no number to show by mistake).

A filter rather than an ``{% include %}`` per cell: a national campaign's table has thousands of cells
(``reports/templatetags/results.py`` explains what an include per cell costs)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def percent(value: float) -> str:
    """A share on 0–100 with one decimal, in the page's number format (70,0 in Vietnamese, 70.0 in English)."""
    return floatformat(value, 1)


@register.filter
def satisfied_cell(figure: Any) -> str:
    """``{{ figure|satisfied_cell }}``: a ``SatisfactionResult`` or ``PooledSatisfaction`` (or None: not asked)."""
    if figure is None:
        return format_html('<span class="text-body-secondary">—</span>')
    if figure.suppressed:
        return format_html('<span class="text-body-secondary">{}</span>', _("too few answers"))
    share = figure.satisfied
    return format_html(
        '<strong>{} %</strong> <span class="small text-body-secondary text-nowrap">({}–{} %; n = {})</span>',
        percent(share.percent),
        percent(share.low_percent),
        percent(share.high_percent),
        figure.n,
    )


@register.filter
def share_text(proportion: Any) -> str:
    """``{{ option.share|share_text }}``: "40,0 % (27,2–54,3 %)"."""
    return format_html(
        "{} % ({}–{} %)", percent(proportion.percent), percent(proportion.low_percent), percent(proportion.high_percent)
    )
