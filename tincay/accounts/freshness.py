"""Pages that answer ``304 Not Modified`` when nothing they show has changed since the browser's copy.

A browser asks again for a page it has (going back to the assessment after an indicator, reloading) with the page's
``ETag`` in ``If-None-Match``. The ETag here is worked out without drawing the page, from what the page depends on:

- the change marks (``tincay.audit.models.ChangeMark``) of the scopes the page shows, of the person, and ``ALL``:
  every audited write moves the marks of the scopes it touches (``tincay.audit.scopes``), in its own transaction;
- the person's unread notices (the menu's badge), their CSRF cookie (the forms' token), the language, today's date
  (deadlines, "overdue"), the request's path and whether htmx asked;
- the code that draws pages (Python, templates, translations, the static files' manifest) and the demo banner.

When it matches, the page is not drawn: one query instead of the page's dozens, and no body sent down a slow line.
A first page without the CSRF cookie yet, or with a message waiting (``django.contrib.messages``, shown once), is
drawn without an ETag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import get_language

import tincay
from tincay.accounts.models import Notification
from tincay.audit.models import ChangeMark
from tincay.audit.scopes import ALL, user_scope

_DRAWING = (".py", ".html", ".mo")


@cache
def code_fingerprint() -> str:
    """The code that draws pages, as deployed: another release (or a new collectstatic) gives other ETags."""
    root = Path(tincay.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in _DRAWING and p.is_file()):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    for name, hashed in sorted((getattr(staticfiles_storage, "hashed_files", None) or {}).items()):
        digest.update(f"{name}={hashed}".encode())
    return digest.hexdigest()[:20]


def _marks(user_id: int, scopes: list[str]) -> list[tuple[str, str]]:
    """The scopes' marks and the person's unread notices, in one query."""
    marks, notices = ChangeMark._meta.db_table, Notification._meta.db_table
    listed = ", ".join(["%s"] * len(scopes))
    # only the models' own table names and "%s" placeholders are put in; every value goes as a parameter
    sql = (
        f"SELECT scope, mark FROM {marks} WHERE scope IN ({listed}) "  # noqa: S608  # nosec B608
        f"UNION ALL SELECT 'unread', CAST(COUNT(*) AS VARCHAR(20)) FROM {notices} "
        "WHERE user_id = %s AND read_at IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*scopes, user_id])
        return sorted(cursor.fetchall())


def page_etag(request: HttpRequest, scopes: Iterable[str]) -> str | None:
    """The ETag of the signed-in person's page showing ``scopes``; None when the page must be drawn anyway."""
    user = request.user
    csrf = request.META.get("CSRF_COOKIE")  # the forms' secret; a first page makes it, and its copy is never asked
    if not getattr(user, "is_authenticated", False) or not csrf or len(get_messages(request)):
        return None
    names = sorted({ALL, user_scope(user.pk), *scopes})
    parts = [
        code_fingerprint(),
        str(settings.DEMO_MODE),
        get_language() or "",
        str(user.pk),
        csrf,
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        *(f"{scope}={mark}" for scope, mark in _marks(user.pk, names)),
    ]
    return '"' + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32] + '"'


def _headers(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)  # kept by the browser, asked again every time
    patch_vary_headers(response, ["Cookie", "HX-Request"])
    return response


def revalidated(request: HttpRequest, scopes: Iterable[str], draw: Callable[[], HttpResponse]) -> HttpResponse:
    """``draw()``'s page, or 304 when the browser already holds it (GET and HEAD only)."""
    if request.method not in ("GET", "HEAD"):
        return draw()
    etag = page_etag(request, scopes)
    if etag is None:
        return draw()
    # the weak comparison of RFC 9110: a proxy that compresses the page makes its ETag weak (W/"…")
    if etag in {held.removeprefix("W/") for held in parse_etags(request.headers.get("If-None-Match", ""))}:
        return _headers(HttpResponseNotModified(), etag)
    response = draw()
    return _headers(response, etag) if response.status_code == 200 else response
