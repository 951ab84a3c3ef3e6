"""Compact rendering of heat map cells: one short ``<td>`` per indicator, built once per language.

A 150-unit heat map has about 6,000 cells; an ``{% include %}`` per cell made the page slow and heavy (about
150 bytes per cell). Each cell is a filled colour with a letter (X/V/Đ in Vietnamese, G/Y/R in English), which
reads without colour and to a screen reader.

A stored value that breaks today's rules (data older than the rules) is counted as not answered and flagged with
one marker everywhere (``stored_flag``; heat map cells get a "!" after the letter), never an error.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from tincay.assessments.selectors import field_label

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


@cache
def _flagged_cells(language: str) -> dict[str | None, str]:
    title = flag_title()
    cells: dict[str | None, str] = {
        colour: format_html('<td class="hm hm-{} hm-flag" title="{}">{}!</td>', colour, title, letter)
        for colour, letter in _letters().items()
    }
    cells[None] = format_html('<td class="hm hm-none hm-flag" title="{}">!</td>', title)
    return cells


@register.filter
def heat_cells(colours: list[str | None]) -> SafeString:
    cells = _cells(get_language() or "vi")
    # safe: every cell was built by format_html from fixed strings (bandit B308/B703 reviewed)
    return mark_safe("".join(cells.get(c, cells[None]) for c in colours))  # noqa: S308  # nosec B308 B703


@register.filter
def heat_row(row: Any) -> SafeString:
    """The cells of a heat map row (``reports.selectors.HeatRow``), flagged where a stored value breaks the rules."""
    if not row.flagged:
        return heat_cells(row.colours)
    language = get_language() or "vi"
    plain, flagged = _cells(language), _flagged_cells(language)
    cells = [
        (flagged if flag else plain).get(c, (flagged if flag else plain)[None])
        for c, flag in zip(row.colours, row.flags, strict=True)
    ]
    # safe: every cell was built by format_html from fixed strings (bandit B308/B703 reviewed)
    return mark_safe("".join(cells))  # noqa: S308  # nosec B308 B703


def flag_title() -> str:
    return gettext("A stored value breaks today's rules: it is counted as not answered until it is corrected.")


@cache
def _flag(language: str) -> str:
    title = flag_title()
    return format_html(
        '<span class="badge text-bg-danger stored-problem" title="{}">!<span class="visually-hidden"> {}</span></span>',
        title,
        title,
    )


@register.simple_tag
def stored_flag() -> SafeString:
    """The marker of a stored value that breaks today's rules (counted as not answered)."""
    # safe: the marker was built by format_html from fixed strings (bandit B308/B703 reviewed)
    return mark_safe(_flag(get_language() or "vi"))  # noqa: S308  # nosec B308 B703


@register.filter
def result_field_label(name: str) -> str:
    """The label of a CriterionResult field (``self_value`` → "measured value"), in the page's language."""
    return field_label(name)


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
