"""REST API for results: one unit's results, heat map with ranking, trends, open-data snapshots."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import outputs as out
from tincay.api.errors import error_responses
from tincay.api.queries import query_value
from tincay.assessments import access
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh
from tincay.orgunits.access import get_unit_for_user
from tincay.reports import selectors
from tincay.reports.access import results_scope
from tincay.reports.models import Snapshot


def _track(request) -> str:
    track = query_value(request, "track")
    if track not in (None, "", *selectors.TRACKS):  # an unknown track is a 400, not silently the final one
        raise ValidationError({"track": [_("Choose a track: self, scorer or final.")]})
    return selectors.chosen_track(track)


class UnitResults(APIView):
    """Results of one assessment: totals, classes, pillar scores and the 39 indicators on three tracks."""

    @extend_schema(responses={200: out.UnitResultsOut, **error_responses(403, 404, 429)})
    def get(self, request, pk: int):
        assessment = access.get_assessment_for_user(request.user, pk)
        if assessment is None:
            raise Http404
        scores_refresh(Assessment.objects.filter(pk=assessment.pk))
        results = selectors.unit_results(assessment)
        return Response(
            {
                "assessment": assessment.pk,
                "unit": assessment.unit.key,
                "campaign": assessment.campaign.code,
                "state": assessment.state,
                "totals": results.totals,
                "classes": results.classes,
                "problems": results.problems,
                "pillars": [
                    {
                        "code": p.code,
                        "scores": scores,
                        "indicators": [
                            {
                                "code": c.indicator.code,
                                "scores": c.scores,
                                "colours": c.colours,
                                "gap": c.gap,
                                "flagged": c.flagged,
                            }
                            for c in cells
                        ],
                    }
                    for p, cells, scores in results.pillars
                ],
            }
        )


def _scope(request, code: str):
    scope = results_scope(request.user, code, query_value(request, "unit") or "", query_value(request, "group") or "")
    if scope is None:
        raise Http404
    if scope.unit_error:
        raise NotFound(scope.unit_error)
    return scope


class Heatmap(APIView):
    """Units × indicators of a campaign; ``unit`` (subtree), ``group`` (peer group), ``track``. Ranked."""

    @extend_schema(parameters=out.SCOPE_PARAMETERS, responses={200: out.HeatmapOut, **out.QUERY_ERRORS})
    def get(self, request, code: str):
        scope = _scope(request, code)
        scores_refresh(scope.assessments.filter(campaign=scope.campaign))
        indicators, rows = selectors.heatmap(scope.campaign, scope.assessments, _track(request))
        return Response(
            {
                "campaign": scope.campaign.code,
                "track": _track(request),
                "indicators": [i.code for i in indicators],
                "rows": [
                    {
                        "rank": rank,
                        "unit": row.assessment.unit.key,
                        "name": row.assessment.unit.name,
                        "total": row.total,
                        "appraised": row.appraised,
                        "colours": row.colours,
                        "flagged": [i.code for i, flag in zip(indicators, row.flags, strict=True) if flag],
                    }
                    for rank, row in selectors.ranking(rows)
                ],
            }
        )


class Ranking(APIView):
    """Totals of a campaign's units, best first (equal totals share a rank); ``unit``, ``group``, ``track``."""

    @extend_schema(parameters=out.SCOPE_PARAMETERS, responses={200: out.RankingOut, **out.QUERY_ERRORS})
    def get(self, request, code: str):
        scope = _scope(request, code)
        scores_refresh(scope.assessments.filter(campaign=scope.campaign))
        ranked = selectors.ranking_rows(scope.campaign, scope.assessments, _track(request))
        return Response(
            {
                "campaign": scope.campaign.code,
                "track": _track(request),
                "rows": [
                    {
                        "rank": rank,
                        "unit": row.unit_key,
                        "name": row.unit_name,
                        "parent": row.parent_name,
                        "total": row.total,
                        "classification": row.classification,
                        "appraised": row.appraised,
                        "flagged": row.flagged,
                    }
                    for rank, row in ranked
                ],
            }
        )


class Trend(APIView):
    """A unit's results across campaigns, with its predecessors' results marked, and per campaign the merge rule
    used (``population``: same-level predecessors weighted by population; ``side_by_side``; ``own``)."""

    @extend_schema(parameters=[out.TRACK_PARAMETER], responses={200: out.TrendOut, **out.QUERY_ERRORS})
    def get(self, request, key: str):
        unit = get_unit_for_user(request.user, key)
        if unit is None:
            raise Http404
        scoped = selectors.trend_assessments(unit, access.assessments_visible_to(request.user))
        scores_refresh(scoped)
        points = selectors.trend_points(unit, scoped, _track(request))
        return Response(
            {
                "unit": unit.key,
                "points": [
                    {
                        "year": p.assessment.campaign.year,
                        "campaign": p.assessment.campaign.code,
                        "unit": p.assessment.unit.key,
                        "name": p.assessment.unit.name,
                        "total": p.total,
                        "classification": p.classification,
                        "predecessor": p.predecessor,
                    }
                    for p in points
                ],
                "years": [
                    {
                        "year": y.campaign.year,
                        "campaign": y.campaign.code,
                        "own": y.own.total if y.own else None,
                        "predecessors_combined": y.combined,
                        "rule": y.rule,
                    }
                    for y in selectors.trend_years(unit, points)
                ],
            }
        )


class Snapshots(APIView):
    """Open-data snapshots of a published campaign (public)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: out.SnapshotOut(many=True), **error_responses(404, 429)})
    def get(self, request, code: str):
        campaign = selectors.public_campaigns().filter(code=code).first()
        if campaign is None:
            raise Http404
        return Response(
            [
                {
                    "id": s.pk,
                    "created_at": s.created_at,
                    "rows": s.rows,
                    "csv_sha256": s.csv_sha256,
                    "json_sha256": s.json_sha256,
                    "csv": f"/public/snapshots/{s.pk}.csv",
                    "json": f"/public/snapshots/{s.pk}.json",
                    "previous": s.previous_id,
                }
                for s in Snapshot.objects.filter(campaign=campaign)
            ]
        )
