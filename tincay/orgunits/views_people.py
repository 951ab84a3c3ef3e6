"""Users and their roles, for administrators (everyone) and coordinators (people in their subtree).

The services decide who may change what; these pages translate the forms, call them and show their errors on
the form with what was typed kept. The page offers an account's details form only when the service would
accept it (``tincay.accounts.access.can_change_identity``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.accounts import access as account_access
from tincay.accounts import services as account_services
from tincay.accounts.forms import NewUserForm, UserForm
from tincay.common.errors import InvalidInput
from tincay.common.text import fold
from tincay.orgunits import access, selectors, services
from tincay.orgunits.forms import MembershipForm
from tincay.orgunits.models import Membership

User = get_user_model()


def _require_manager(request: HttpRequest) -> None:
    if not access.can_manage_people(request.user):
        raise Http404


def _manageable_person(request: HttpRequest, pk: int) -> Any:
    target = access.users_manageable_by(request.user, User).filter(pk=pk).first()
    if target is None:
        raise Http404
    return target


def _show_errors(error: InvalidInput, *forms: Any) -> int:
    """Put a service's errors on the form that has the field (else at the top of the first); return the status."""
    for name, errors in error.errors.items():
        form = next((f for f in forms if name in f.fields), forms[0])
        for message in errors:
            form.add_error(name if name in form.fields else None, str(message))
    return 403 if error.status == 403 else 200


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
    # a unit chosen on the search-then-pick page (without JavaScript) comes back in the query string
    initial = {"unit_key": request.GET["unit_key"][:40]} if "unit_key" in request.GET else None
    return MembershipForm(data, roles=access.grantable_roles(request.user), units=today, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = NewUserForm(request.POST or None)
    membership_form = _membership_form(request, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and membership_form.is_valid():
        data = dict(form.cleaned_data)
        password = data.pop("password")
        first_role = membership_form.cleaned_data
        try:
            user, _membership = services.person_create(
                actor=request.user,
                password=password or None,
                role=first_role["role"],
                unit=first_role["unit_key"],
                subtree=first_role["subtree"],
                department=first_role["department"],
                **data,
            )
        except InvalidInput as exc:
            status = _show_errors(exc, form, membership_form)
        else:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("orgunits:person", pk=user.pk)
    return render(
        request, "orgunits/person_new.html", {"form": form, "membership_form": membership_form}, status=status
    )


def _person_page(
    request: HttpRequest,
    target: Any,
    *,
    form: UserForm | None = None,
    membership_form: MembershipForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_edit = account_access.can_change_identity(request.user, target)
    if form is None and can_edit:
        form = UserForm(instance=target, prefix="user")
    memberships = target.memberships.select_related("unit", "department").order_by("role")
    return render(
        request,
        "orgunits/person.html",
        {
            "target": target,
            "can_edit": can_edit,
            "form": form,
            "membership_form": membership_form or _membership_form(request),
            "memberships": memberships,
            "manageable": {m.pk for m in memberships if access.can_revoke(request.user, m)},
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = _manageable_person(request, pk)
    if request.method != "POST":
        return _person_page(request, target)
    # a separate copy: a bound ModelForm writes what was typed onto its instance, the page shows the stored one
    form = UserForm(request.POST, instance=User.objects.get(pk=target.pk), prefix="user")
    status = 200
    if form.is_valid():
        try:
            account_services.user_update(actor=request.user, user=form.instance, **form.cleaned_data)
        except InvalidInput as exc:
            status = _show_errors(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("orgunits:person", pk=target.pk)
    return _person_page(request, target, form=form, status=status)


@login_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    target = _manageable_person(request, pk)
    membership_form = _membership_form(request, request.POST)
    status = 200
    if membership_form.is_valid():
        try:
            services.membership_grant(
                actor=request.user,
                user=target,
                role=membership_form.cleaned_data["role"],
                unit=membership_form.cleaned_data["unit_key"],
                subtree=membership_form.cleaned_data["subtree"],
                department=membership_form.cleaned_data["department"],
            )
        except InvalidInput as exc:
            status = _show_errors(exc, membership_form)
        else:
            messages.success(request, _("Role granted."))
            return redirect("orgunits:person", pk=target.pk)
    return _person_page(request, target, membership_form=membership_form, status=status)


@login_required
@require_POST
def membership_remove(request: HttpRequest, pk: int, membership_id: int) -> HttpResponse:
    _require_manager(request)
    membership = access.memberships_manageable_by(request.user).filter(pk=membership_id, user_id=pk).first()
    if membership is None:
        raise Http404
    try:
        services.membership_revoke(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Role removed."))
    return redirect("orgunits:person", pk=pk)
