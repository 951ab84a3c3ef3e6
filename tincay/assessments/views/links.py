"""The page between TinCậy and a link-type evidence document's external address.

A document's ``url`` is typed by a unit's staff, so a click on it must never take a reader somewhere they did not
expect: this page names the full address and emphasises its host (a look-alike ``bank.gov.vn.example.com`` or a
``user@host`` trick shows its real host), warns that the reader leaves TinCậy, and only then offers the link.
Addresses that are not http(s) (``javascript:``, ``data:``, ``file:``…) are shown as text and never linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from tincay.assessments import access
from tincay.orgunits.access import get_unit_for_user

LINKABLE_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True)
class ExternalAddress:
    """An address as stored, and what a reader needs to judge it before following it."""

    text: str
    host: str  # as the browser will contact it (IDNA / punycode), empty when there is none
    host_unicode: str  # as a person reads it; differs from ``host`` for internationalised names
    linkable: bool


def external_address(url: str) -> ExternalAddress:
    """Parse a stored address; only http(s) with a host is linkable."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        hostname = parts.hostname or ""
        ascii_host = hostname.encode("idna").decode("ascii") if hostname else ""
    except (ValueError, UnicodeError):
        return ExternalAddress(text=text, host="", host_unicode="", linkable=False)
    linkable = parts.scheme.lower() in LINKABLE_SCHEMES and bool(ascii_host)
    return ExternalAddress(text=text, host=ascii_host, host_unicode=hostname, linkable=linkable)


def _back_url(request: HttpRequest, unit_key: str) -> str:
    """Where "back" goes: the page the reader came from (ours only), else the unit's register, else home."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    if get_unit_for_user(request.user, unit_key) is not None:
        return reverse("assessments:register", args=[unit_key])
    return reverse("home")


@login_required
@require_safe
def document_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the external address of a link-type document before the reader leaves the site."""
    document = access.documents_visible_to(request.user).filter(pk=pk).first()
    if document is None or not document.url:
        raise Http404
    return render(
        request,
        "assessments/document_link.html",
        {
            "document": document,
            "address": external_address(document.url),
            "back_url": _back_url(request, document.unit.key),
        },
    )
