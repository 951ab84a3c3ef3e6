"""Shared by the name pickers of units and people: JSON for picker.js, and the search-then-pick page that
works without JavaScript (it links back to the form's page with the chosen value in the query string)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

_FIELD = re.compile(r"^[a-z_]{1,40}$")


def wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json" or "application/json" in request.headers.get("Accept", "")


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        return ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


def choose_url(target: str, field: str, value: str, current: str = "") -> str:
    """``target`` with ``field`` set to ``value`` (added after ``current`` for a list of several)."""
    parts = urlsplit(target)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != field]
    chosen = [c for c in re.split(r"[,\s]+", current) if c]
    if value not in chosen:
        chosen.append(value)
    query.append((field, ", ".join(chosen)))
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def pick_context(request: HttpRequest, rows: list[dict[str, Any]], *, title: str, search_label: str) -> dict:
    """The search-then-pick page: what was typed, the matches, and for each a link back to the form."""
    field = request.GET.get("field", "")
    target = _safe_next(request)
    multiple = request.GET.get("multiple") == "1"
    current = request.GET.get("current", "")[:500] if multiple else ""
    if target and _FIELD.match(field):
        for row in rows:
            row["choose"] = choose_url(target, field, row["value"], current)
    return {
        "rows": rows,
        "query": request.GET.get("q", "")[:100],
        "title": title,
        "search_label": search_label,
        "field": field if _FIELD.match(field) else "",
        "next": target,
        "multiple": multiple,
        "current": current,
    }


def picker_attrs(url: str, *, multiple: bool = False, what: str = "unit") -> dict[str, Any]:
    """The attributes that make a code or user-name input a name picker (static/tincay/picker.js)."""
    attrs: dict[str, Any] = {
        "data-picker": url,
        "data-picker-label": _("Find a person by name") if what == "person" else _("Find a unit by name"),
        "data-picker-empty": _("Nothing matches within your scope."),
        "data-picker-chosen": _("Chosen:"),
    }
    if multiple:
        attrs["data-picker-multiple"] = ""
    return attrs
