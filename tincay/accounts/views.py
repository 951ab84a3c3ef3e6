from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from tincay.audit import services as audit


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's roles and their API token (create or replace)."""
    token = Token.objects.filter(user=request.user).first()
    if request.method == "POST":
        if token:
            token.delete()
        token = Token.objects.create(user=request.user)
        audit.record(actor=request.user, action="accounts.api_token_issued", obj=request.user)
        messages.success(request, _("A new API token was issued. The previous one no longer works."))
        return redirect("accounts:profile")
    memberships = request.user.memberships.select_related("unit", "department").order_by("role")
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships, "token": token},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first; POST marks them all read."""
    items = request.user.notifications.all()
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"items": items[:200]})
