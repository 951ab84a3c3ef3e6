"""Internal results pages: one unit's results, a campaign's heat map with ranking and roll-up, trends.

Each view refreshes the stale scores of what it is about to show (``scores_refresh``, a write) and then reads
through the selectors, which never write."""

from __future__ import annotations

import csv
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tincay.assessments import access
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.assessments.scoring import TRACKS
from tincay.assessments.selectors import class_labels
from tincay.assessments.services.scores import scores_refresh
from tincay.common.errors import InvalidInput
from tincay.common.i18n import localized
from tincay.orgunits.access import get_unit_for_user
from tincay.orgunits.models import PeerGroup
from tincay.reports import publication, selectors
from tincay.reports.access import ResultsScope, can_cut_snapshot, results_scope
from tincay.reports.documents import KINDS
from tincay.reports.services import snapshot_create


def _track(request: HttpRequest) -> str:
    return selectors.chosen_track(request.GET.get("track"))


@login_required
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))
    results = selectors.unit_results(assessment)
    radar = {
        "indicators": [localized(p, "title") for p, _cells, _scores in results.pillars],
        "series": {t: [round(100 * (s[t] or 0), 1) for _p, _c, s in results.pillars] for t in TRACKS},
    }
    return render(
        request,
        "reports/unit_results.html",
        {
            "assessment": assessment,
            "results": results,
            "radar": radar,
            "class_labels": class_labels(assessment.campaign.version.scoring),
            "document_kinds": [(k, kind) for k, kind in KINDS.items() if kind.subject == "assessment"],
        },
    )


def _scope(request: HttpRequest, code: str) -> ResultsScope:
    scope = results_scope(request.user, code, request.GET.get("unit", ""), request.GET.get("group", ""))
    if scope is None:
        raise Http404(_("Campaign not found within your scope."))
    return scope


def _scope_context(scope: ResultsScope) -> dict[str, Any]:
    """What the scope form and the tabs need: the unit as typed (kept when it could not be used) and why."""
    return {
        "campaign": scope.campaign,
        "unit": scope.unit,
        "group": scope.group,
        "groups": PeerGroup.objects.all(),
        "unit_text": scope.unit.key if scope.unit else scope.unit_query,
        "scope_error": scope.unit_error,
        "scope_query": _scope_query(scope),
    }


def _scope_query(scope: ResultsScope, **extra: str) -> str:
    """The query string that keeps the unit and peer group when moving between the results pages."""
    return urlencode(
        {"unit": scope.unit.key if scope.unit else "", "group": scope.group.code if scope.group else "", **extra}
    )


@login_required
def campaign_heatmap(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request, code)
    campaign, track = scope.campaign, _track(request)
    count = scope.assessments.filter(campaign=campaign).count()
    if count > selectors.HEATMAP_MAX_UNITS:
        indicators, rows = [], []
    else:
        scores_refresh(scope.assessments.filter(campaign=campaign))
        indicators, rows = selectors.heatmap(campaign, scope.assessments, track)
    return render(
        request,
        "reports/heatmap.html",
        {
            **_scope_context(scope),
            "indicators": indicators,
            "rows": rows,
            "track": track,
            "count": count,
            "too_many": count > selectors.HEATMAP_MAX_UNITS,
            "flagged": sum(1 for row in rows if row.flagged),
            "limit": selectors.HEATMAP_MAX_UNITS,
            "ranking": selectors.ranking(rows),
            "rollup": selectors.rollup(indicators, rows),
            "class_labels": class_labels(campaign.version.scoring),
        },
    )


RANKING_PAGE_SIZE = 200


@login_required
def campaign_ranking(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request, code)
    track = _track(request)
    scores_refresh(scope.assessments.filter(campaign=scope.campaign))
    ranked = selectors.ranking_rows(scope.campaign, scope.assessments, track)
    labels = class_labels(scope.campaign.version.scoring)
    if request.GET.get("format") == "csv":
        return _ranking_csv(scope, track, ranked, labels)
    return render(
        request,
        "reports/ranking.html",
        {
            **_scope_context(scope),
            "page": Paginator(ranked, RANKING_PAGE_SIZE).get_page(request.GET.get("page")),
            "total": len(ranked),
            "query": _scope_query(scope, track=track),
            "track": track,
            "class_labels": labels,
        },
    )


def _ranking_csv(scope: ResultsScope, track: str, ranked: list, labels: dict[str, str]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{scope.campaign.code}-ranking-{track}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 with its BOM, diacritics intact
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Rank"),
            _("Unit code"),
            _("Unit"),
            _("Parent unit"),
            _("Total"),
            _("Class"),
            _("Appraised"),
            _("Stored values that break today's rules"),
        ]
    )
    for rank, row in ranked:
        writer.writerow(
            [
                rank or "",
                row.unit_key,
                row.unit_name,
                row.parent_name,
                "" if row.total is None else f"{row.total:.4f}",
                labels.get(row.classification, row.classification),
                _("yes") if row.appraised else _("no"),
                " ".join(sorted({p.get("criterion", "") for p in row.problems})),
            ]
        )
    return response


@login_required
def unit_trend(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404
    scoped = selectors.trend_assessments(unit, access.assessments_visible_to(request.user))
    scores_refresh(scoped)
    points = selectors.trend_points(unit, scoped, _track(request))
    years = selectors.trend_years(unit, points)
    return render(
        request,
        "reports/trend.html",
        {"unit": unit, "points": points, "years": years, "chart": selectors.trend_chart(years)},
    )


@login_required
def campaign_analysis(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request, code)
    scores_refresh(scope.assessments.filter(campaign=scope.campaign))
    return render(
        request,
        "reports/analysis.html",
        {
            **_scope_context(scope),
            "analysis": selectors.analysis(scope.campaign, scope.assessments),
        },
    )


@login_required
def campaign_timeliness(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request, code)
    report = selectors.timeliness(scope.campaign, scope.assessments)
    return render(
        request,
        "reports/timeliness.html",
        {
            **_scope_context(scope),
            "report": report,
            "page": Paginator(report.rows, RANKING_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": _scope_query(scope),
            "states": dict(State.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_snapshots(request: HttpRequest, code: str) -> HttpResponse:
    """The campaign's open-data snapshots; POST cuts a new one (the service decides who may)."""
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("Campaign not found within your scope."))
    if request.method == "POST":
        try:
            snapshot = snapshot_create(actor=request.user, campaign=campaign)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("New open-data snapshot frozen: %(n)s units, SHA-256 of the CSV %(sha)s.")
                % {"n": snapshot.rows, "sha": snapshot.csv_sha256[:12]},
            )
        return redirect("reports:snapshots", code=code)
    snapshots = list(campaign.snapshots.all())
    return render(
        request,
        "reports/snapshots.html",
        {
            "campaign": campaign,
            "snapshots": snapshots,
            "pending": publication.corrections_since(campaign, snapshots[0].created_at if snapshots else None),
            "pending_surveys": publication.surveys_since(campaign, snapshots[0] if snapshots else None),
            "can_cut": can_cut_snapshot(request.user, campaign),
        },
    )
