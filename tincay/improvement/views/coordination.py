"""The coordinator's view of every action programme in their subtree, and its CSV export (read only).

Coordinators, viewers and administrators see it (``access.can_view_coordination``), each within their subtree;
unit people get a refusal (their own programme has its page); a campaign outside the user's subtree is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tincay.assessments.models import Campaign
from tincay.common.csv_export import csv_response
from tincay.common.text import grouped, printable
from tincay.improvement import access, rules
from tincay.improvement.choices import ProgrammeStatus
from tincay.improvement.selectors import coordination as selectors


def _allowed(request: HttpRequest) -> None:
    if not access.can_view_coordination(request.user):
        raise PermissionDenied(
            _(
                "The programmes of all units are for coordinators and viewers. "
                "Your unit's own action programme is on its assessment page."
            )
        )


def _param(request: HttpRequest, name: str) -> str:
    return printable(request.GET.get(name, "")).strip()[:100]


def _campaign(request: HttpRequest, campaigns: list[Campaign]) -> Campaign | None:
    """The campaign asked for (404 when it is not one of the user's), else the latest one."""
    code = _param(request, "campaign")
    if not code:
        return campaigns[0] if campaigns else None
    chosen = next((c for c in campaigns if c.code == code), None)
    if chosen is None:
        raise Http404(_("Campaign not found within your scope."))
    return chosen


def status_labels() -> dict[str, str]:
    return {selectors.NO_PROGRAMME: _("No programme"), **{s.value: str(s.label) for s in ProgrammeStatus}}


@dataclass
class ShownRow:
    """A row of the page with what the template would otherwise work out per row (links, labels, money)."""

    row: selectors.ProgrammeRow
    url: str  # the programme, or the assessment when there is none
    status: str
    budget: str  # "1.500.000" (vi), "1,500,000" (en)


def _url_pattern(name: str) -> str:
    """The address of ``name`` with ``{}`` for its primary key: one ``reverse`` for a page of rows."""
    return reverse(name, args=[987654321]).replace("987654321", "{}")


def shown_rows(rows: list[selectors.ProgrammeRow], labels: dict[str, str]) -> list[ShownRow]:
    programme_url, assessment_url = _url_pattern("improvement:programme"), _url_pattern("assessments:detail")
    return [
        ShownRow(
            row,
            programme_url.format(row.programme_id) if row.programme_id else assessment_url.format(row.assessment_id),
            labels.get(row.status, row.status),
            grouped(row.budget_vnd),
        )
        for row in rows
    ]


def _query(view: selectors.Coordination) -> str:
    """The query string that keeps the campaign and the filters (pager and export links)."""
    return urlencode(
        {
            "campaign": view.campaign.code,
            "province": view.province.key if view.province else "",
            "group": view.group.code if view.group else "",
        }
    )


@login_required
@require_GET
def coordination_page(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    campaigns = selectors.coordination_campaigns(request.user)
    campaign = _campaign(request, campaigns)
    context: dict[str, Any] = {"campaigns": campaigns, "campaign": campaign, "rule": rules.ROLLUP_RULE}
    if campaign is not None:
        view = selectors.coordination(request.user, campaign, _param(request, "province"), _param(request, "group"))
        page = Paginator(view.rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        selectors.idle_area_codes(list(page.object_list))
        labels = status_labels()
        context.update(
            view=view,
            page=page,
            shown=shown_rows(list(page.object_list), labels),
            total_budget=grouped(view.totals.budget_vnd),
            # flags in words beside the counts (never by colour only), translated once for the page
            words={"cancelled": _("cancelled"), "overdue": _("overdue"), "idle": _("nobody acts on")},
            query=_query(view),
            status_labels=labels,
            status_counts=[(s, labels[s], view.totals.by_status.get(s, 0)) for s in selectors.STATUS_ORDER],
        )
    return render(request, "improvement/coordination.html", context)


@login_required
@require_GET
def coordination_export(request: HttpRequest) -> HttpResponse:
    """Every unit of the view as narrowed, one row each, for Excel (UTF-8 with BOM, labels in the reader's
    language, text that a spreadsheet would run as a formula made inert)."""
    _allowed(request)
    campaign = _campaign(request, selectors.coordination_campaigns(request.user))
    if campaign is None:
        raise Http404(_("Campaign not found within your scope."))
    view = selectors.coordination(request.user, campaign, _param(request, "province"), _param(request, "group"))
    selectors.idle_area_codes(view.rows, campaign=campaign)
    labels = status_labels()
    header = [
        _("Unit code"),
        _("Unit"),
        _("Higher-level unit"),
        _("Programme status"),
        _("Progress (%)"),
        _("Number of actions"),
        _("Cancelled actions"),
        _("Overdue actions"),
        _("Budget (VND, actions not cancelled)"),
        _("Areas nobody acts on"),
        _("Codes of the areas nobody acts on"),
    ]
    rows = (
        [
            row.unit_key,
            row.unit_name,
            row.parent_name,
            labels.get(row.status, row.status),
            "" if row.progress is None else row.progress,
            row.actions,
            row.cancelled,
            row.overdue,
            row.budget_vnd,
            row.idle_areas,
            " ".join(row.idle_codes),
        ]
        for row in view.rows
    )
    return csv_response(f"{campaign.code}-programmes.csv", header, rows)
