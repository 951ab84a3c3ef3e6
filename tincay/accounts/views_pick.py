"""Choosing a person by name: the search behind the people pickers (picker.js) and, without JavaScript, a
search-then-pick page that returns to the form with the chosen user name filled in.

Only people the user may choose are searched (``access.people_pickable_by``). Names are matched without
diacritics ("nguyen" finds "Nguyễn"), on the full name, the user name and the e-mail address.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tincay.accounts import access
from tincay.common.pick import pick_context, wants_json
from tincay.common.text import fold, vi_sort_key

LIMIT = 20
MAX_QUERY = 100


def people_matching(user, query: str) -> list[dict[str, str]]:
    """Up to ``LIMIT`` people whose name, user name or e-mail contains every word typed, in Vietnamese order.

    Accounts keep no folded column, so the names of the pickable people are read once (three short columns)
    and folded here; a coordinator's scope holds a few hundred people at most."""
    words = fold(query.strip()[:MAX_QUERY]).split()
    if not words:
        return []
    rows = access.people_pickable_by(user, get_user_model()).values_list("username", "full_name", "email")
    found = []
    for username, full_name, email in rows:
        text = fold(f"{full_name} {username} {email}")
        if all(word in text for word in words):
            found.append((vi_sort_key(full_name or username), username, full_name))
    found.sort()
    return [
        {"value": username, "label": full_name or username, "detail": username}
        for _key, username, full_name in found[:LIMIT]
    ]


@login_required
@require_GET
def people(request: HttpRequest) -> HttpResponse:
    rows = people_matching(request.user, request.GET.get("q", ""))
    if wants_json(request):
        return JsonResponse({"results": rows})
    context = pick_context(request, rows, title=_("Choose a person"), search_label=_("Name, user name or e-mail"))
    return render(request, "pick.html", context)
