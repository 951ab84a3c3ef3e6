"""The public portal (no login): published results, trends, closed citizens' surveys, open-data snapshots.
Vietnamese first.

Each view refreshes the stale scores of what it shows (``scores_refresh``), then reads through the selectors."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from tincay.assessments.models import Campaign
from tincay.assessments.selectors import class_labels
from tincay.assessments.services.scores import scores_refresh
from tincay.orgunits.models import AdminUnit
from tincay.portal import selectors as portal
from tincay.portal import surveys
from tincay.portal.exports import campaign_csv, csv_filename, is_demo
from tincay.reports import publication as records
from tincay.reports import selectors as reports
from tincay.reports.models import Snapshot
from tincay.reports.services import snapshot_changes


def index(request: HttpRequest) -> HttpResponse:
    provinces = AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("sort_key")
    return render(request, "portal/index.html", {"campaigns": reports.public_campaigns(), "provinces": provinces})


def province(request: HttpRequest, key: str) -> HttpResponse:
    found = AdminUnit.objects.filter(key=key, level="province").first()
    if found is None:
        raise Http404
    assessments = reports.province_assessments(found)
    scores_refresh(assessments)
    return render(
        request, "portal/province.html", {"province": found, "campaigns": reports.province_published(assessments)}
    )


def _public_campaign(code: str) -> Campaign:
    found = reports.public_campaigns().filter(code=code).select_related("version", "owner_unit").first()
    if found is None:
        raise Http404
    return found


def campaign(request: HttpRequest, code: str) -> HttpResponse:
    found = _public_campaign(code)
    scores_refresh(reports.published_assessments().filter(campaign=found))
    indicators, rows = reports.heatmap(found, reports.published_assessments(), "final")
    return render(
        request,
        "portal/campaign.html",
        {
            "campaign": found,
            "indicators": indicators,
            "rows": rows,
            "ranking": reports.ranking(rows),
            "snapshots": found.snapshots.only(
                "id", "created_at", "rows", "csv_sha256", "json_sha256", "surveys", "surveys_csv_sha256", "campaign_id"
            ),
            "class_labels": class_labels(found.version.scoring),
            "publication": portal.publication(found),
            "corrections": records.public_corrections(reports.published_assessments().filter(campaign=found)),
            "half": len(indicators) // 2,
            "surveys": surveys.campaign_surveys(found),
        },
    )


def methodology(request: HttpRequest, code: str = "") -> HttpResponse:
    """How the published scores are made, read from the scheme and catalogue of each version in use (or of one
    campaign's version)."""
    found = _public_campaign(code) if code else None
    return render(request, "portal/methodology.html", {"campaign": found, "methods": portal.methodologies(found)})


def results_csv(request: HttpRequest, code: str) -> HttpResponse:
    found = _public_campaign(code)
    scores_refresh(reports.published_assessments().filter(campaign=found))
    response = HttpResponse(campaign_csv(found).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(found)}"'
    response["Content-Language"] = get_language() or "vi"
    response["X-Demo-Data"] = "1" if is_demo(found) else "0"
    return response


def search(request: HttpRequest) -> HttpResponse:
    """Units with a public page found by name without diacritics ("hoang van thu")."""
    found = portal.unit_search(request.GET.get("q", ""))
    return render(request, "portal/search.html", {"found": found, "query": found.query})


def unit(request: HttpRequest, key: str) -> HttpResponse:
    target = AdminUnit.objects.filter(key=key).first()
    if target is None:
        raise Http404
    scoped = reports.trend_assessments(target, reports.published_assessments())
    scores_refresh(scoped)
    points = reports.trend_points(target, scoped, "final")
    if not points:
        raise Http404
    own = next((p for p in reversed(points) if not p.predecessor), None)  # never show a predecessor as this unit
    years = reports.trend_years(target, points)
    latest = reports.unit_results(own.assessment) if own else None
    scale = portal.scale_of(own.assessment.campaign) if own else 100.0
    came_from, became = portal.unit_lineage(target)
    return render(
        request,
        "portal/unit.html",
        {
            "unit": target,
            "points": points,
            "years": years,
            "chart": reports.trend_chart(years),
            "latest": latest,
            "pillars": [(p, cells, portal.on_scale(ps["final"], scale)) for p, cells, ps in latest.pillars]
            if latest
            else [],
            "class_labels": class_labels(own.assessment.campaign.version.scoring) if own else {},
            "council": portal.publication(own.assessment.campaign) if own else None,
            "corrections": records.public_corrections(reports.published_assessments().filter(pk=own.assessment.pk))
            if own
            else [],
            "came_from": came_from,
            "became": became,
            "surveys": surveys.unit_surveys(target),
        },
    )


def survey(request: HttpRequest, code: str) -> HttpResponse:
    """One closed survey's results (``code``: its public code); 404 for any survey not closed."""
    page = surveys.survey_page(code)
    if page is None:
        raise Http404
    return render(request, "portal/survey.html", {"page": page, "survey": page.survey, "results": page.results})


def _snapshot(pk: int) -> Snapshot:
    found = Snapshot.objects.filter(pk=pk).select_related("campaign", "previous").first()
    if found is None:
        raise Http404
    return found


def snapshot_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    snapshot = _snapshot(pk)
    files = {
        "csv": (snapshot.csv_text, snapshot.csv_sha256, "text/csv; charset=utf-8"),
        "json": (snapshot.json_text, snapshot.json_sha256, "application/json"),
        # the closed surveys' aggregates, frozen with the results (snapshots older than them have none)
        "surveys.csv": (snapshot.surveys_csv_text, snapshot.surveys_csv_sha256, "text/csv; charset=utf-8"),
    }
    if fmt not in files or not files[fmt][1]:
        raise Http404
    body, sha256, content_type = files[fmt]
    response = HttpResponse(body.encode("utf-8"), content_type=content_type)
    name = f"{snapshot.campaign.code}-{snapshot.created_at:%Y%m%d}-{pk}"
    filename = f"{name}-surveys.csv" if fmt == "surveys.csv" else f"{name}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-SHA256"] = sha256
    return response


def snapshot_diff(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = _snapshot(pk)
    return render(request, "portal/changes.html", {"snapshot": snapshot, "changes": snapshot_changes(snapshot)})
