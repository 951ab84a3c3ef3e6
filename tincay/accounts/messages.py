"""Messages kept as data and rendered in the reader's language: notices and their e-mails.

A message is an English msgid (marked with ``gettext_noop`` where it is written, so ``makemessages`` extracts it)
and parameters. A parameter is plain text (a unit's name), a pair ``{"vi": …, "en": …}`` (a bilingual title), or
``{"msgid": "…"}`` (a label of ours, translated when shown). Rendering never fails on a stored notice: a message
whose parameters no longer fit shows its text untranslated rather than breaking the page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

LANGUAGES = ("vi", "en")


def param(value: Any) -> Any:
    """A parameter as it is stored: lazy labels become ``{"msgid": …}`` (their English text is their msgid)."""
    if isinstance(value, (str, int, float, dict)) or value is None:
        return value
    with translation.override("en"):
        return {"msgid": str(value)}


def _shown(value: Any, language: str) -> Any:
    if isinstance(value, Mapping):
        if "msgid" in value:
            return gettext(str(value["msgid"]))
        return value.get(language) or value.get("vi") or ""
    return "" if value is None else value


def render(message: str, params: Mapping[str, Any] | None = None, language: str | None = None) -> str:
    """``message`` with ``params`` in ``language`` (default: the active one)."""
    with translation.override(language or translation.get_language() or "vi"):
        language = "en" if (translation.get_language() or "vi").startswith("en") else "vi"
        values = {key: _shown(value, language) for key, value in (params or {}).items()}
        text = gettext(message)
        try:
            return text % values if values else text
        except (KeyError, TypeError, ValueError):
            return message


def both(message: str, params: Mapping[str, Any] | None = None) -> list[str]:
    """The message in Vietnamese then English, once when both read the same."""
    return list(dict.fromkeys(render(message, params, language) for language in LANGUAGES))
