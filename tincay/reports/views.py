"""Internal results pages: one unit's results, a campaign's heat map with ranking and roll-up, trends."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tincay.assessments import access
from tincay.assessments.selectors import class_labels
from tincay.common.i18n import localized
from tincay.orgunits.access import get_unit_for_user
from tincay.orgunits.models import PeerGroup
from tincay.reports import selectors

TRACKS = {"self", "scorer", "final"}


def _track(request: HttpRequest) -> str:
    track = request.GET.get("track", "final")
    return track if track in TRACKS else "final"


@login_required
def unit_results(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = access.get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    results = selectors.unit_results(assessment)
    radar = {
        "indicators": [localized(p, "title") for p, _cells, _scores in results.pillars],
        "series": {
            t: [round(100 * (s[t] or 0), 1) for _p, _c, s in results.pillars] for t in ("self", "scorer", "final")
        },
    }
    return render(
        request,
        "reports/unit_results.html",
        {
            "assessment": assessment,
            "results": results,
            "radar": radar,
            "class_labels": class_labels(assessment.campaign.version.scoring),
        },
    )


@login_required
def campaign_heatmap(request: HttpRequest, code: str) -> HttpResponse:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404
    assessments = access.assessments_visible_to(request.user)
    unit_key = request.GET.get("unit", "").strip()
    if unit_key:
        unit = get_unit_for_user(request.user, unit_key)
        if unit is None:
            raise Http404(_("Unit not found within your scope."))
        assessments = assessments.filter(unit__path__startswith=unit.path)
    group = PeerGroup.objects.filter(code=request.GET.get("group", "")).first()
    if group is not None:
        assessments = assessments.filter(unit__peer_groups=group)
    track = _track(request)
    count = assessments.filter(campaign=campaign).count()
    if count > selectors.HEATMAP_MAX_UNITS:
        indicators, rows = [], []
    else:
        indicators, rows = selectors.heatmap(campaign, assessments, track)
    return render(
        request,
        "reports/heatmap.html",
        {
            "campaign": campaign,
            "indicators": indicators,
            "rows": rows,
            "track": track,
            "count": count,
            "too_many": count > selectors.HEATMAP_MAX_UNITS,
            "limit": selectors.HEATMAP_MAX_UNITS,
            "ranking": selectors.ranking(rows),
            "rollup": selectors.rollup(indicators, rows),
            "groups": PeerGroup.objects.all(),
            "group": group,
            "unit_key": unit_key,
            "class_labels": class_labels(campaign.version.scoring),
        },
    )


@login_required
def campaign_ranking(request: HttpRequest, code: str) -> HttpResponse:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404
    assessments = access.assessments_visible_to(request.user)
    group = PeerGroup.objects.filter(code=request.GET.get("group", "")).first()
    if group is not None:
        assessments = assessments.filter(unit__peer_groups=group)
    return render(
        request,
        "reports/ranking.html",
        {
            "campaign": campaign,
            "ranking": selectors.ranking_rows(campaign, assessments, _track(request)),
            "groups": PeerGroup.objects.all(),
            "group": group,
            "class_labels": class_labels(campaign.version.scoring),
        },
    )


@login_required
def unit_trend(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404
    points = selectors.trend(unit, access.assessments_visible_to(request.user), _track(request))
    return render(request, "reports/trend.html", {"unit": unit, "points": points})


@login_required
def campaign_analysis(request: HttpRequest, code: str) -> HttpResponse:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404
    return render(
        request,
        "reports/analysis.html",
        {
            "campaign": campaign,
            "analysis": selectors.analysis(campaign, access.assessments_visible_to(request.user)),
        },
    )
