"""Lockout after repeated failed log-ins (django-axes), its answer, and unlocking by an administrator.

Failures are counted per account and per address, separately, in the database (so every web process sees the
same counts): ``TINCAY_LOGIN_FAILURE_LIMIT`` failures for one account, or ``TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT``
from one address (higher: a commune office often reaches us through one address), lock that account or that
address for ``TINCAY_LOGIN_LOCKOUT_MINUTES`` after the last failure. The login page, the API's token endpoint
and anything else that calls ``authenticate(request, ...)`` go through it. A success resets the account's count.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tincay.accounts.roles import is_admin, is_system
from tincay.audit import services as audit
from tincay.common.errors import InvalidInput, Refused


def client_address(request: HttpRequest) -> str | None:
    """The caller's address: ``REMOTE_ADDR``, or with ``TINCAY_PROXY_COUNT`` proxies in front, the address the
    first of them saw (counted from the right of ``X-Forwarded-For``, the part a client cannot forge).

    DRF's throttles read the same through ``NUM_PROXIES``, so the API, the login page and password reset agree."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TINCAY_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit per lockout parameter: the account's and the address's.

    Axes compares one number with one limit (``AXES_FAILURE_LIMIT``, the account's). The address's count is
    scaled to that limit, so the address locks exactly when its own count reaches the address limit."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        account_limit = settings.AXES_FAILURE_LIMIT
        address_limit = max(settings.TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT, 1)
        username = get_client_username(request, credentials)
        parameters = get_client_parameters(
            username, request.axes_ip_address, request.axes_user_agent, request, credentials
        )
        worst = 0
        for params, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if set(params) == {"ip_address"}:
                count = count * account_limit // address_limit
            worst = max(worst, count)
        return worst

    def reset_user_attempts(self, request: Any, credentials: dict | None = None) -> int:
        """A successful log-in clears the account's failures, not the address's: otherwise one working account
        would let its holder go on guessing other people's passwords from the same address."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _by_model = AccessAttempt.objects.filter(username=username).delete()
        return count


def _unlock_at(request: Any, credentials: dict | None) -> datetime:
    handler = AxesProxyHandler.get_implementation()
    latest = [
        attempts.aggregate(last=Max("attempt_time"))["last"]
        for attempts in handler.get_user_attempts(request, credentials)
    ]
    latest = [t for t in latest if t is not None]
    return (max(latest) if latest else timezone.now()) + settings.AXES_COOLOFF_TIME


def lockout_message(unlock_at: datetime) -> str:
    minutes = max(1, math.ceil((unlock_at - timezone.now()).total_seconds() / 60))
    wait = ngettext(
        "Try again in %(minutes)d minute (after %(time)s).",
        "Try again in %(minutes)d minutes (after %(time)s).",
        minutes,
    ) % {"minutes": minutes, "time": time_format(timezone.localtime(unlock_at), "H:i")}
    return " ".join(
        [
            _("Logging in is paused for this account or from this address after too many failed attempts."),
            wait,
            _("An administrator can unlock it sooner; if you forgot your password, reset it."),
        ]
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: a page in the reader's language, or JSON for the API, both with Retry-After."""
    unlock_at = _unlock_at(request, credentials)
    message = lockout_message(unlock_at)
    retry_after = str(max(1, math.ceil((unlock_at - timezone.now()).total_seconds())))
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": message, "errors": {"__all__": [message]}, "unlock_at": unlock_at.isoformat()}, status=429
        )
    else:
        response = render(request, "accounts/locked_out.html", {"message": message, "unlock_at": unlock_at}, status=429)
    response["Retry-After"] = retry_after
    return response


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "address"
    value: str
    failures: int
    unlock_at: datetime


def lockouts_current() -> list[Lockout]:
    """Accounts and addresses locked now, the longest-locked last (for the administrators' page)."""
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    since = timezone.now() - cooloff
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found: list[Lockout] = []
    for kind, field, limit in (
        ("username", "username", settings.AXES_FAILURE_LIMIT),
        ("address", "ip_address", settings.TINCAY_LOGIN_ADDRESS_FAILURE_LIMIT),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(total=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(total__gte=limit)
            .order_by(field)
        )
        found += [Lockout(kind, row[field], row["total"], row["last"] + cooloff) for row in rows]
    return sorted(found, key=lambda lock: (lock.unlock_at, lock.kind, lock.value))


@transaction.atomic
def lockout_reset(*, actor: Any, username: str = "", address: str = "") -> int:
    """An administrator unlocks an account or an address now; returns how many failure records were cleared."""
    if not (is_system(actor) or is_admin(actor)):
        raise Refused(_("Only an administrator can unlock an account or an address."))
    username = username.strip() if isinstance(username, str) else ""
    address = address.strip() if isinstance(address, str) else ""
    if bool(username) == bool(address):
        raise InvalidInput(_("Name either one account or one address to unlock."))
    if len(username) > 150:
        raise InvalidInput({"username": _("An account name has at most 150 characters.")})
    if address:
        try:
            address = str(ipaddress.ip_address(address))
        except ValueError:
            raise InvalidInput({"address": _("Enter an IP address such as 203.0.113.7.")}) from None
    cleared = axes_reset(username=username) if username else axes_reset(ip=address)
    audit.record(
        actor=actor,
        action="accounts.lockout_reset",
        object_type="accounts.lockout",
        object_repr=username or address,
        after={"username": username, "address": address, "attempts_cleared": cleared},
    )
    return cleared
