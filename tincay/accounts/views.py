from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tincay.accounts import lockout, tokens
from tincay.accounts import services as account_services
from tincay.accounts.forms import ApiTokenForm, PasswordResetForm
from tincay.accounts.roles import is_admin
from tincay.accounts.throttles import password_reset_wait
from tincay.common.errors import InvalidInput, add_to_form


def _profile_page(request: HttpRequest, form: ApiTokenForm, *, new_key: str = "", status: int = 200) -> HttpResponse:
    memberships = request.user.memberships.select_related("unit", "department").order_by("role")
    response = render(
        request,
        "accounts/profile.html",
        {
            "memberships": memberships,
            "tokens": tokens.api_tokens_of(request.user),
            "token_form": form,
            "new_key": new_key,
            "token_days": settings.TINCAY_API_TOKEN_DAYS,
            "can_unlock": is_admin(request.user),
        },
        status=status,
    )
    if new_key:
        response["Cache-Control"] = "no-store"  # the key is shown this once; no copy in any cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's roles and API tokens; POST creates a token and shows its key this once."""
    if request.method != "POST":
        return _profile_page(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            issued = tokens.api_token_issue(actor=request.user, user=request.user, name=form.cleaned_data["name"])
        except InvalidInput as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                _("API token “%(name)s” created. Copy its key now: it is shown only once.")
                % {"name": issued.token.name},
            )
            return _profile_page(request, ApiTokenForm(), new_key=issued.key)
    return _profile_page(request, form, status=400)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = tokens.api_tokens_of(request.user).filter(pk=pk).select_related("user").first()
    if token is None:
        raise Http404
    try:
        tokens.api_token_revoke(actor=request.user, token=token)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("API token “%(name)s” revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
@require_http_methods(["GET", "POST"])
def lockouts(request: HttpRequest) -> HttpResponse:
    """Administrators: accounts and addresses locked after failed log-ins; POST unlocks one now."""
    if not is_admin(request.user):
        raise PermissionDenied(_("Only an administrator can see and unlock locked accounts."))
    if request.method == "POST":
        try:
            cleared = lockout.lockout_reset(
                actor=request.user,
                username=request.POST.get("username", ""),
                address=request.POST.get("address", ""),
            )
        except InvalidInput as error:
            messages.error(request, error.message)
        else:
            who = request.POST.get("username", "").strip() or request.POST.get("address", "").strip()
            if cleared:
                messages.success(request, _("%(who)s is unlocked and may log in again.") % {"who": who})
            else:
                messages.info(request, _("%(who)s was not locked; nothing changed.") % {"who": who})
        return redirect("accounts:lockouts")
    current = lockout.lockouts_current()
    return render(request, "accounts/lockouts.html", {"lockouts": current, "now": timezone.now()})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, limited per address and per e-mail (``TINCAY_PASSWORD_RESET_LIMIT``)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        wait = password_reset_wait(self.request, form.cleaned_data["email"])
        if wait is not None:
            minutes = max(1, -(-wait // 60))
            form.add_error(
                None,
                ngettext(
                    "Too many password reset requests from this address or for this e-mail. Wait %(minutes)d "
                    "minute, then try again. If an account has this e-mail, a link sent earlier still works.",
                    "Too many password reset requests from this address or for this e-mail. Wait %(minutes)d "
                    "minutes, then try again. If an account has this e-mail, a link sent earlier still works.",
                    minutes,
                )
                % {"minutes": minutes},
            )
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().form_valid(form)


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """The signed-in person's notices, newest first; POST marks them all read."""
    items = request.user.notifications.all()
    if request.method == "POST":
        account_services.notifications_mark_read(user=request.user)
        return redirect("accounts:notifications")
    return render(request, "accounts/notifications.html", {"items": items[:200]})
