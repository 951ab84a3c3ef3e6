"""The public portal's pages of action programme progress (no login): provinces, a province's units, a unit's
approved programmes with their timeline, and the public evidence attached to them. Reads go through
``portal.progress``; nothing here decides what is public."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tincay.orgunits.models import AdminUnit
from tincay.portal import progress

LINKABLE_SCHEMES = frozenset({"http", "https"})


def _rule() -> str:
    return str(progress.ROLLUP_RULE)


@require_safe
def provinces(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/progress.html", {"provinces": progress.provinces_progress(), "rule": _rule()})


@require_safe
def province(request: HttpRequest, key: str) -> HttpResponse:
    found = AdminUnit.objects.filter(key=key, level="province").first()
    if found is None:
        raise Http404
    summary, units = progress.province_progress(found)
    return render(
        request,
        "portal/progress_province.html",
        {"province": found, "summary": summary, "units": units, "rule": _rule()},
    )


@require_safe
def unit(request: HttpRequest, key: str) -> HttpResponse:
    found = AdminUnit.objects.filter(key=key).first()
    if found is None:
        raise Http404
    programmes, unit_progress = progress.unit_programmes(found)
    province_key = found.path.split("/", 1)[0]
    province_of = AdminUnit.objects.filter(key=province_key).exclude(pk=found.pk).first()
    return render(
        request,
        "portal/progress_unit.html",
        {
            "unit": found,
            "programmes": programmes,
            "unit_progress": unit_progress,
            "province": province_of,
            "rule": _rule(),
        },
    )


@require_safe
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """A public document attached to an action shown on the portal: its file as an attachment, or, for a link,
    a page naming the external address and its host before the reader leaves the site."""
    document = progress.public_evidence(pk)
    if document is None:
        raise Http404
    if document.file:
        response = FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.original_name or f"tai-lieu-{pk}"
        )
        response["Content-Type"] = document.content_type or "application/octet-stream"
        response["X-Content-Type-Options"] = "nosniff"
        return response
    text = document.url.strip()
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").encode("idna").decode("ascii")
        linkable = parts.scheme.lower() in LINKABLE_SCHEMES and bool(host)
    except (ValueError, UnicodeError):
        host, linkable = "", False
    return render(
        request,
        "portal/progress_evidence_link.html",
        {"document": document, "address": text, "host": host, "linkable": linkable},
    )
