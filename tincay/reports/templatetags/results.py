"""Compact rendering of heat map cells: one short ``<td>`` per indicator, built once per language.

A 150-unit heat map has about 6,000 cells; an ``{% include %}`` per cell made the page slow and heavy (about
150 bytes per cell). Each cell is a filled colour with a letter (X/V/Đ in Vietnamese, G/Y/R in English), which
reads without colour and to a screen reader.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

register = template.Library()


def _letters() -> dict[str, str]:
    return {
        "green": pgettext("heat map letter", "G"),
        "yellow": pgettext("heat map letter", "Y"),
        "red": pgettext("heat map letter", "R"),
    }


@cache
def _cells(language: str) -> dict[str | None, str]:
    cells: dict[str | None, str] = {
        colour: format_html('<td class="hm hm-{}">{}</td>', colour, letter) for colour, letter in _letters().items()
    }
    cells[None] = '<td class="hm hm-none">·</td>'
    return cells


@register.filter
def heat_cells(colours: list[str | None]) -> SafeString:
    cells = _cells(get_language() or "vi")
    # safe: every cell was built by format_html from fixed strings (bandit B308/B703 reviewed)
    return mark_safe("".join(cells.get(c, cells[None]) for c in colours))  # noqa: S308  # nosec B308 B703


@register.simple_tag
def heat_letter(colour: str) -> str:
    return _letters()[colour]


@cache
def _marks(language: str) -> dict[str | None, str]:
    names = {"green": gettext("Green"), "yellow": gettext("Yellow"), "red": gettext("Red")}
    shapes = {"green": "●", "yellow": "▲", "red": "■"}
    marks: dict[str | None, str] = {
        colour: format_html(
            '<span class="cell cell-{}" title="{}">{}<span class="visually-hidden">{}</span></span>',
            colour,
            name,
            shapes[colour],
            name,
        )
        for colour, name in names.items()
    }
    marks[None] = '<span class="cell cell-none" title="—">·</span>'
    return marks


@register.filter
def colour_mark(colour: str | None) -> SafeString:
    """A colour as a coloured shape with its name for screen readers (the unit pages' 39 × 3 marks)."""
    marks = _marks(get_language() or "vi")
    # safe: every mark was built by format_html from fixed strings (bandit B308/B703 reviewed)
    return mark_safe(marks.get(colour, marks[None]))  # noqa: S308  # nosec B308 B703
