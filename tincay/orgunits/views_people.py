"""Users and their roles, for administrators (everyone) and coordinators (people in their subtree)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.accounts import services as account_services
from tincay.accounts.forms import NewUserForm, UserForm
from tincay.accounts.roles import is_admin
from tincay.common.text import fold
from tincay.orgunits import access, selectors, services
from tincay.orgunits.forms import MembershipForm
from tincay.orgunits.models import Membership

User = get_user_model()


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_people(request.user):
        raise Http404


@login_required
def people(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    users = access.users_manageable_by(request.user, User).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
    )
    query = request.GET.get("q", "").strip()
    if query:
        users = [u for u in users if fold(query) in fold(f"{u.username} {u.full_name} {u.email}")]
    page = Paginator(users if isinstance(users, list) else users.order_by("username"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "orgunits/people.html", {"page": page, "query": query})


def _membership_form(request: HttpRequest, data=None) -> MembershipForm:
    today = selectors.units_on(access.units_visible_to(request.user), None)
    return MembershipForm(data, roles=access.grantable_roles(request.user), units=today)


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = NewUserForm(request.POST or None)
    membership_form = _membership_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid() and membership_form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        unit = membership_form.cleaned_data["unit_key"]
        if unit is None and not is_admin(request.user):
            membership_form.add_error("unit_key", _("Choose a unit: only administrators grant national roles."))
        else:
            user = account_services.user_create(actor=request.user, password=password or None, **data)
            try:
                services.membership_grant(
                    actor=request.user,
                    user=user,
                    role=membership_form.cleaned_data["role"],
                    unit=unit,
                    subtree=membership_form.cleaned_data["subtree"],
                    department=membership_form.cleaned_data["department"],
                )
            except services.MembershipError as exc:
                messages.warning(request, str(exc))
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("orgunits:person", pk=user.pk)
    return render(request, "orgunits/person_new.html", {"form": form, "membership_form": membership_form})


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = access.users_manageable_by(request.user, User).filter(pk=pk).first()
    if target is None:
        raise Http404
    form = UserForm(request.POST or None, instance=target, prefix="user")
    membership_form = _membership_form(request)
    if request.method == "POST" and form.is_valid():
        account_services.user_update(actor=request.user, user=target, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("orgunits:person", pk=target.pk)
    manageable = set(access.memberships_manageable_by(request.user).filter(user=target).values_list("pk", flat=True))
    memberships = target.memberships.select_related("unit", "department").order_by("role")
    return render(
        request,
        "orgunits/person.html",
        {
            "target": target,
            "form": form,
            "membership_form": membership_form,
            "memberships": memberships,
            "manageable": manageable,
        },
    )


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = access.users_manageable_by(request.user, User).filter(pk=pk).first()
    if target is None:
        raise Http404
    membership_form = _membership_form(request, request.POST)
    if membership_form.is_valid():
        unit = membership_form.cleaned_data["unit_key"]
        if unit is None and not is_admin(request.user):
            messages.error(request, _("Choose a unit: only administrators grant national roles."))
        else:
            try:
                services.membership_grant(
                    actor=request.user,
                    user=target,
                    role=membership_form.cleaned_data["role"],
                    unit=unit,
                    subtree=membership_form.cleaned_data["subtree"],
                    department=membership_form.cleaned_data["department"],
                )
            except services.MembershipError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("Role granted."))
                return redirect("orgunits:person", pk=target.pk)
    else:
        for errors in membership_form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("orgunits:person", pk=target.pk)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    _require_manager(request)
    membership = access.memberships_manageable_by(request.user).filter(pk=membership_id, user_id=pk).first()
    if membership is None:
        raise Http404
    services.membership_revoke(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
    messages.success(request, _("Role removed."))
    return redirect("orgunits:person", pk=pk)
