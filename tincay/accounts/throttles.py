"""Rate limits: the API's throttles (answering 429 in the reader's language) and password reset requests.

Counts live in Django's cache. With the default local-memory cache each web process counts on its own; set
``REDIS_URL`` so that every process shares them (docs/operations.md). Log-in failures are not counted here but
in the database by django-axes (``tincay.accounts.lockout``).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import ngettext
from rest_framework import exceptions, throttling

from tincay.accounts.lockout import client_address


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


class _Translated:
    """Refuse with :class:`TooManyRequests` instead of DRF's untranslated message."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if super().allow_request(request, view):  # type: ignore[misc]
            return True
        raise TooManyRequests(self.wait())  # type: ignore[attr-defined]


class AnonThrottle(_Translated, throttling.AnonRateThrottle):
    """Requests without a log-in, per address (``TINCAY_API_ANON_RATE``)."""


class UserThrottle(_Translated, throttling.UserRateThrottle):
    """Requests of a signed-in person or token, per person (``TINCAY_API_USER_RATE``)."""


class TokenEndpointThrottle(_Translated, throttling.ScopedRateThrottle):
    """The token endpoint, per address (``TINCAY_API_TOKEN_RATE``), besides the lockout after failed log-ins."""


def _reset_keys(request: HttpRequest, email: str) -> list[str]:
    mail = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [f"tincay:password-reset:address:{client_address(request)}", f"tincay:password-reset:email:{mail}"]


def password_reset_wait(request: HttpRequest, email: str) -> int | None:
    """Seconds to wait before another reset request from this address or for this e-mail, else ``None`` (and
    this request is counted). Every request counts, whether or not an account has the e-mail, so the answer
    never tells which addresses are known."""
    limit = max(settings.TINCAY_PASSWORD_RESET_LIMIT, 1)
    window = settings.TINCAY_PASSWORD_RESET_WINDOW_MINUTES * 60
    now = time.time()
    histories = {key: [t for t in cache.get(key, []) if t > now - window] for key in _reset_keys(request, email)}
    waits = [history[-limit] + window - now for history in histories.values() if len(history) >= limit]
    if waits:
        return max(1, math.ceil(max(waits)))
    for key, history in histories.items():
        cache.set(key, [*history, now], window)
    return None
