"""Unit browser: tree, diacritic-insensitive search, unit page with history and departments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.common.errors import InvalidInput
from tincay.orgunits import access, selectors, services
from tincay.orgunits.forms import DepartmentForm, UnitSearchForm

PAGE_SIZE = 50


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = UnitSearchForm(request.GET or None)
    visible = access.units_visible_to(request.user)
    query, date = "", None
    if form.is_valid():
        query, date = form.cleaned_data["q"] or "", form.cleaned_data["date"]
    units = selectors.units_on(visible, date)
    if query:
        # Without a date, a search spans every period, so "dang lam" still finds the 2023 pilot ward.
        results = (units if date else visible).select_related("parent")
        results = selectors.units_search(results, query)
        page = Paginator(results.order_by(F("valid_to").desc(nulls_first=True), "sort_key", "key"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context = {"form": form, "query": query, "page": page, "date": date}
    else:
        roots = selectors.with_child_counts(selectors.unit_roots(units), date).order_by("sort_key", "key")
        page = Paginator(roots, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {"form": form, "query": "", "page": page, "date": date, "tree": True}
    context["list_dates"] = selectors.list_dates_before(visible, date)
    context["can_import"] = access.can_manage_units(request.user)
    template = "orgunits/_unit_list.html" if request.htmx else "orgunits/index.html"
    return render(request, template, context)


@login_required
def children(request: HttpRequest, key: str) -> HttpResponse:
    """HTMX fragment: the children of one unit, for expanding the tree."""
    unit = access.get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404
    form = UnitSearchForm(request.GET)
    date = form.cleaned_data["date"] if form.is_valid() else None
    kids = selectors.unit_children(access.units_visible_to(request.user), unit, date)
    return render(request, "orgunits/_children.html", {"units": kids, "parent": unit, "date": date})


@login_required
@require_http_methods(["GET"])
def detail(request: HttpRequest, key: str) -> HttpResponse:
    unit = access.get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404(_("Unit not found, or outside what your roles allow you to see."))
    visible = access.units_visible_to(request.user)
    kids = visible.filter(parent=unit).order_by("sort_key")
    can_manage = access.can_manage_unit(request.user, unit)
    history = selectors.unit_history(unit)
    predecessors = selectors.lineage_closure(unit, "predecessors")
    successors = selectors.lineage_closure(unit, "successors")
    related = {u.pk for _depth, u in predecessors + successors} | {u.pk for e in history for u in e.others}
    context = {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(unit),
        "children": kids[:500],
        "children_total": kids.count(),
        "history": history,
        "predecessors": predecessors,
        "successors": successors,
        "departments": unit.departments.filter(is_active=True),
        "peer_groups": unit.peer_groups.all(),
        "memberships": unit.memberships.select_related("user", "department") if can_manage else None,
        "can_manage": can_manage,
        "department_form": DepartmentForm() if can_manage else None,
        "visible_keys": set(visible.filter(pk__in=related).values_list("key", flat=True)),
    }
    return render(request, "orgunits/detail.html", context)


@login_required
@require_POST
def department_add(request: HttpRequest, key: str) -> HttpResponse:
    """The service decides who may add a department; the page shows its message either way."""
    unit = access.get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404
    form = DepartmentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("orgunits:detail", key=unit.key)
    try:
        services.department_create(actor=request.user, unit=unit, **form.cleaned_data)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Department added."))
    return redirect("orgunits:detail", key=unit.key)
