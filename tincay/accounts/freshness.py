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

The ETag names the person and the scopes the page showed (``"unit:11413+user:7.<digest>"``; not a comma, which
separates ETags in ``If-None-Match``), and its digest is an HMAC under the site's secret. So a view decorated with
:func:`kept` answers a page the browser holds with one query (the marks, the unread notices and the session's stored
row), before the person is loaded or the page's object looked up: the server drew that page for this person (the
session's), in this session (its CSRF secret), at this path, after its access check; and everything that decides
who sees what (memberships, campaign members, the person's account, units: audited writes; a new password: the
``password_changed`` hook) moves ``ALL`` or the person's mark, so an unchanged digest means an unchanged answer. A
304 carries nothing: it only confirms the copy the browser already has. A forged or altered claim gives another
digest, and a session that was signed out holds no person: the view's own checks run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import cache, wraps
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.crypto import salted_hmac
from django.utils.http import parse_etags
from django.utils.translation import get_language

import tincay
from tincay.accounts.models import Notification
from tincay.audit.models import ChangeMark
from tincay.audit.scopes import ALL, user_scope

_DRAWING = (".py", ".html", ".mo")
_SALT = "tincay.accounts.freshness"
_CLAIM = re.compile(r"(?:unit|user):[0-9]{1,12}")  # a page scope, as tincay.audit.scopes writes it
_CLAIMED = 3  # the most scopes one ETag names, and the most ETags of one If-None-Match looked at
_STORED_SESSIONS = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


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


def _marks(user_id: int, scopes: list[str], session_key: str | None = None) -> tuple[list[tuple[str, str]], str | None]:
    """The scopes' marks and the person's unread notices, in one query; with ``session_key``, the same query also
    reads that session's stored data (``django_session``, the authoritative copy under ``cached_db`` too)."""
    marks, notices = ChangeMark._meta.db_table, Notification._meta.db_table
    listed = ", ".join(["%s"] * len(scopes))
    params: list[object] = [*scopes, user_id]
    # only the models' own table names and "%s" placeholders are put in; every value goes as a parameter
    sql = (
        f"SELECT scope, mark FROM {marks} WHERE scope IN ({listed}) "  # noqa: S608  # nosec B608
        f"UNION ALL SELECT 'unread', CAST(COUNT(*) AS VARCHAR(20)) FROM {notices} "
        "WHERE user_id = %s AND read_at IS NULL"
    )
    if session_key is not None:
        sessions = Session._meta.db_table
        sql += (
            f" UNION ALL SELECT '', session_data FROM {sessions} "  # noqa: S608  # nosec B608
            "WHERE session_key = %s AND expire_date > %s"
        )
        params += [session_key, timezone.now()]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return sorted(row for row in rows if row[0]), next((data for scope, data in rows if not scope), None)


def page_etag(request: HttpRequest, scopes: Iterable[str]) -> str | None:
    """The ETag of the signed-in person's page showing ``scopes``; None when the page must be drawn anyway."""
    user = request.user
    if not getattr(user, "is_authenticated", False) or not _may_keep(request):
        return None
    names = sorted({ALL, user_scope(user.pk), *scopes})
    return _etag(request, user.pk, scopes, _marks(user.pk, names)[0])


def _may_keep(request: HttpRequest) -> bool:
    """A page with a message waiting is shown once; a page without the CSRF cookie yet makes it (its copy is never
    asked for again)."""
    return bool(request.META.get("CSRF_COOKIE")) and not len(get_messages(request))


def _etag(request: HttpRequest, user_id: int, scopes: Iterable[str], marks: list[tuple[str, str]]) -> str:
    parts = [
        code_fingerprint(),
        str(settings.DEMO_MODE),
        get_language() or "",
        str(user_id),
        request.META["CSRF_COOKIE"],
        timezone.localdate().isoformat(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        *(f"{scope}={mark}" for scope, mark in marks),
    ]
    digest = salted_hmac(_SALT, "\n".join(parts), algorithm="sha256").hexdigest()[:32]
    return '"' + "+".join(sorted({user_scope(user_id), *scopes})) + "." + digest + '"'


def _claimed(etag: str) -> tuple[int, list[str]] | None:
    """The person and the page scopes an ETag of :func:`page_etag` names; None for any other string."""
    claim, dot, _digest = etag.removeprefix("W/").strip('"').rpartition(".")
    scopes = claim.split("+") if claim else []
    if not dot or len(scopes) > _CLAIMED or not all(_CLAIM.fullmatch(scope) for scope in scopes):
        return None
    people = [int(scope.removeprefix("user:")) for scope in scopes if scope.startswith("user:")]
    return (people[0], scopes) if len(people) == 1 else None


def _signed_in_as(request: HttpRequest, data: str | None) -> int | None:
    """The id of the person a session is signed in as, read as ``django.contrib.auth.get_user`` reads it, without
    loading them: their account's changes (deactivated, a new password, roles) move ``ALL`` or their mark, so a
    digest made before such a change no longer matches and the view's full checks run.
    ``data``: the session's stored data, when it was read with the marks; else the request's session."""
    session = request.session if data is None else request.session.decode(data)
    try:
        user_id, backend = session[SESSION_KEY], session[BACKEND_SESSION_KEY]
    except KeyError:
        return None
    if backend not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        return int(get_user_model()._meta.pk.to_python(user_id))
    except (TypeError, ValueError, ValidationError):
        return None


def _held(request: HttpRequest) -> HttpResponse | None:
    """304 when ``If-None-Match`` holds an ETag this server gave this page as it stands now; else None. One query:
    the marks, the unread notices and the session together (sessions kept in the database, with or without a cache
    in front); the session first, then the query, with another engine."""
    header = request.headers.get("If-None-Match") if request.method in ("GET", "HEAD") else None
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not header or not session_key or not _may_keep(request):
        return None
    stored = settings.SESSION_ENGINE in _STORED_SESSIONS
    for held in parse_etags(header)[:_CLAIMED]:
        claimed = _claimed(held)
        if claimed is None:
            continue
        user_id, scopes = claimed
        if not stored and _signed_in_as(request, None) != user_id:
            return None
        marks, data = _marks(user_id, sorted({ALL, *scopes}), session_key if stored else None)
        if stored and (data is None or _signed_in_as(request, data) != user_id):
            return None
        etag = _etag(request, user_id, scopes, marks)
        if etag == held.removeprefix("W/"):
            return _headers(HttpResponseNotModified(), etag)
    return None


def kept(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in page (put it above ``login_required``) that answers 304 to a browser holding the page as it stands,
    before the person is loaded or the view looks anything up (see the module's notes); otherwise the view, which
    checks and draws through :func:`revalidated`."""

    @wraps(view)
    def answer(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        return _held(request) or view(request, *args, **kwargs)

    return answer


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
