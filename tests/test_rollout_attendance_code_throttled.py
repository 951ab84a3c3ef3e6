"""Attendance codes cannot be found by trying: after 10 codes tried within 10 minutes a person's every code is
refused, the right one too, with a message saying how long to wait, until the window passes; nothing is stored
meanwhile, and other people are not held back. (A burst sent at once: ``test_attendance_code_burst_counted``.)"""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest

from tests.rollout_preparation_fixtures import HAI_AN, make_rollout, other_commune
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import Attendance
from tincay.rollout.services import preparation as services
from tincay.rollout.services.preparation import checks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CLOCK = "tincay.rollout.services.preparation.training.time.time"


@pytest.fixture
def session(users):
    session = services.training_session_create(
        actor=users["dieuphoi"],
        rollout=make_rollout(),
        units=[AdminUnit.objects.get(key=HAI_AN), other_commune()],
        held_on=dt.date(2026, 3, 15),
        trainer="Chi cục Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
        topic="Tổng quan TCVN ISO 18091:2020",
        level="basic",
    )
    session = services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=60)
    session.refresh_from_db()
    return session


def _wrong_codes(right: str, count: int) -> list[str]:
    codes = (f"{a}{b}{c}XYZ" for a in "ABC" for b in "DEF" for c in "GHJ")
    return [c for c in codes if c != right][:count]


def _sign_in(users, code: str, who: str = "congchuc") -> str | None:
    """The refusal's message on the code, or None when the attendance was recorded."""
    try:
        services.attendance_sign_in(actor=users[who], code=code)
    except InvalidInput as refused:
        return " ".join(refused.messages_for("code"))
    return None


def test_wrong_codes_are_refused_then_every_code_until_the_window_passes(users, session):
    limit, window = checks.CODE_GUESS_LIMIT, checks.CODE_GUESS_WINDOW_MINUTES * 60
    assert (limit, window) == (10, 600)
    start = time.time()
    with mock.patch(CLOCK, return_value=start):
        for code in _wrong_codes(session.attendance_code, limit):
            assert "not known" in _sign_in(users, code)
        refused = _sign_in(users, session.attendance_code)
        assert "Too many wrong codes" in refused and "Wait 10 minutes" in refused
        assert "Too many wrong codes" in _sign_in(users, "ABCDEF")
    with mock.patch(CLOCK, return_value=start + window - 90):
        assert "Wait 2 minutes" in _sign_in(users, session.attendance_code)
    assert not Attendance.objects.filter(session=session).exists()
    with mock.patch(CLOCK, return_value=start + window + 1):
        assert _sign_in(users, session.attendance_code) is None
    assert Attendance.objects.filter(session=session, user=users["congchuc"]).count() == 1


def test_the_limit_is_per_person_and_counts_only_codes_that_could_be_right(users, session):
    limit = checks.CODE_GUESS_LIMIT
    for code in ["ABC", "ABCD0I"] * limit:  # malformed: no code could match, nothing is counted
        assert "Type the 6 characters" in _sign_in(users, code)
    for code in _wrong_codes(session.attendance_code, limit - 1):
        assert "not known" in _sign_in(users, code)
    assert _sign_in(users, session.attendance_code) is None  # nine wrong codes: still allowed
    for code in _wrong_codes(session.attendance_code, limit):
        _sign_in(users, code, who="lanhdao")
    assert "Too many wrong codes" in _sign_in(users, session.attendance_code, who="lanhdao")
    assert "Too many wrong codes" not in _sign_in(users, "ABCDEF", who="daumoi")


def test_the_page_shows_the_refusal_on_the_code_field(users, session, client_for):
    client = client_for("congchuc")
    for code in _wrong_codes(session.attendance_code, checks.CODE_GUESS_LIMIT):
        client.post("/rollout/training/sign-in/", {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    page = client.post("/rollout/training/sign-in/", {"code": session.attendance_code}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Too many wrong codes" in html and "invalid-feedback" in html
    assert not Attendance.objects.filter(session=session).exists()
