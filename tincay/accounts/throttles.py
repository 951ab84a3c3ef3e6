"""Rate limits: the API's throttles (answering 429 in the reader's language) and password reset requests.

Counts live in Django's cache, checked and counted in one step (``common.ratelimit``). With the default
local-memory cache each web process counts on its own; set ``REDIS_URL`` so that every process shares them
(docs/operations.md). Log-in failures are not counted here but in the database by django-axes
(``tincay.accounts.lockout``).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import ngettext
from rest_framework import exceptions, throttling

from tincay.accounts.lockout import client_address
from tincay.common.ratelimit import hit


class TooManyRequests(exceptions.Throttled):
    """429 with a translated message (DRF's own has no Vietnamese) and ``Retry-After``."""

    def __init__(self, wait: float | None):
        seconds = max(1, math.ceil(wait or 1))
        super().__init__(
            detail=ngettext(
                "Too many requests. Wait %(seconds)d second, then try again.",
                "Too many requests. Wait %(seconds)d seconds, then try again.",
                seconds,
            )
            % {"seconds": seconds}
        )
        self.wait = seconds  # DRF's exception handler turns it into the Retry-After header


class _Atomic(throttling.SimpleRateThrottle):
    """DRF's rate check counted atomically (``common.ratelimit``) instead of DRF's read-then-write of a history
    list. Listed after DRF's own throttle class, so that the scoped throttle still picks its rate first."""

    def allow_request(self, request: Any, view: Any) -> bool:
        self.waiting = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.waiting = hit([key], limit=self.num_requests, window=self.duration, now=self.timer())
        return self.waiting is None

    def wait(self) -> float | None:
        return self.waiting


class _Translated:
    """Refuse with :class:`TooManyRequests` instead of DRF's untranslated message."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if super().allow_request(request, view):  # type: ignore[misc]
            return True
        raise TooManyRequests(self.wait())  # type: ignore[attr-defined]


class AnonThrottle(_Translated, throttling.AnonRateThrottle, _Atomic):
    """Requests without a log-in, per address (``TINCAY_API_ANON_RATE``)."""


class UserThrottle(_Translated, throttling.UserRateThrottle, _Atomic):
    """Requests of a signed-in person or token, per person (``TINCAY_API_USER_RATE``)."""


class TokenEndpointThrottle(_Translated, throttling.ScopedRateThrottle, _Atomic):
    """The token endpoint, per address (``TINCAY_API_TOKEN_RATE``), besides the lockout after failed log-ins."""


def _reset_keys(request: HttpRequest, email: str) -> list[str]:
    mail = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [f"tincay:password-reset:address:{client_address(request)}", f"tincay:password-reset:email:{mail}"]


def password_reset_wait(request: HttpRequest, email: str) -> int | None:
    """Seconds to wait before another reset request from this address or for this e-mail, else ``None`` (and
    this request is counted). Every request counts, whether or not an account has the e-mail, so the answer
    never tells which addresses are known."""
    limit = settings.TINCAY_PASSWORD_RESET_LIMIT
    window = settings.TINCAY_PASSWORD_RESET_WINDOW_MINUTES * 60
    return hit(_reset_keys(request, email), limit=limit, window=window, now=time.time())
