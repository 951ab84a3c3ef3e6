"""Choosing a unit by name: the search behind the unit pickers (picker.js) and, without JavaScript, a
search-then-pick page that returns to the form with the chosen unit's code filled in.

Only units the user may choose are searched (``access``): ``scope=manage`` the units their administrator or
coordinator roles reach (campaign units, roles they grant), otherwise every unit they see. Today's units only:
services take units in force. The services still check every code they receive; the picker only fills it in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tincay.common.pick import pick_context, wants_json
from tincay.orgunits import access, selectors
from tincay.orgunits.models import AdminUnit

LIMIT = 20
MAX_QUERY = 100


def pickable_units(user, scope: str) -> QuerySet[AdminUnit]:
    """Today's units this user may choose for ``scope`` (``manage`` or anything else: what they see)."""
    units = access.units_reached_by(user, access.MANAGER_ROLES) if scope == "manage" else access.units_visible_to(user)
    return selectors.units_on(units, None)


def units_matching(user, scope: str, query: str) -> list[AdminUnit]:
    """Up to ``LIMIT`` units whose name or code contains every word typed, diacritics ignored ("hoang van thu"
    finds "Xã Hoàng Văn Thụ"), ranked by ``selectors.units_by_name`` (exact name first, then higher levels and
    Vietnamese alphabetical order)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return []
    return selectors.units_by_name(query, units=pickable_units(user, scope), limit=LIMIT)


@login_required
@require_GET
def units(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "")
    query = request.GET.get("q", "")
    found = units_matching(request.user, scope, query)
    rows = [
        {
            "value": u.key,
            "label": u.name,
            "detail": " · ".join(part for part in (u.parent.name if u.parent else "", u.key) if part),
        }
        for u in found
    ]
    if wants_json(request):
        return JsonResponse({"results": rows})
    context = pick_context(request, rows, title=_("Choose a unit"), search_label=_("Unit name or code"))
    context["scope"] = scope
    return render(request, "pick.html", context)
