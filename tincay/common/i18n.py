"""Bilingual model fields: every user-facing text is stored as ``<name>_vi`` and ``<name>_en``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def current_language() -> str:
    return "en" if (get_language() or "vi").startswith("en") else "vi"


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """The value of ``field`` in the active language, falling back to Vietnamese when not translated."""
    lang = language or current_language()
    getter = obj.get if isinstance(obj, dict) else lambda name, default="": getattr(obj, name, default)
    value = getter(f"{field}_{lang}", "") or ""
    if not value and lang != "vi":
        value = getter(f"{field}_vi", "") or ""
    return value
