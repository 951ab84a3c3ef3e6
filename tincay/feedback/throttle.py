"""How often one address may send answers to one survey: enough for a one-stop counter where every citizen answers
on the same tablet (one address for the whole office), not enough for a script. Counted in Django's cache, per
survey and address, in a sliding window (``TINCAY_SURVEY_ANSWER_LIMIT`` answers per
``TINCAY_SURVEY_ANSWER_WINDOW_MINUTES``), checked and counted in one step (``common.ratelimit``: with Redis every web
process shares the counts, and a burst of simultaneous answers is counted in full)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.http import HttpRequest

from tincay.accounts.lockout import client_address
from tincay.common.ratelimit import hit

LIMIT, WINDOW_MINUTES = 20, 10  # one answer every 30 s from one counter, sustained


def answer_wait(request: HttpRequest, public_code: str) -> int | None:
    """Seconds to wait before this address may send another answer to this survey, else ``None`` (and this one is
    counted). The address is kept only as a hash, for the window's length."""
    limit = max(int(getattr(settings, "TINCAY_SURVEY_ANSWER_LIMIT", LIMIT)), 1)
    window = int(getattr(settings, "TINCAY_SURVEY_ANSWER_WINDOW_MINUTES", WINDOW_MINUTES)) * 60
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"tincay:survey-answer:{public_code}:{address}"
    return hit([key], limit=limit, window=window, now=time.time())
