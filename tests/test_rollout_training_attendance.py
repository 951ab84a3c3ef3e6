"""Training sessions and attendance: by name (organiser), by a short code shown in the room (the official), an
expired or unknown code, a unit the session does not train, and nobody recorded twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.rollout_preparation_fixtures import HAI_AN, make_rollout, other_commune
from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import Attendance, TrainingSession
from tincay.rollout.services import preparation as services
from tincay.rollout.services.preparation import checks

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def rollout():
    return make_rollout()


def new_session(users, rollout, units=None, **extra):
    units = units if units is not None else [AdminUnit.objects.get(key=HAI_AN), other_commune()]
    return services.training_session_create(
        actor=users["dieuphoi"],
        rollout=rollout,
        units=units,
        held_on=dt.date(2026, 3, 15),
        trainer="Chi cục Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
        topic="Tổng quan TCVN ISO 18091:2020",
        level="basic",
        **extra,
    )


@pytest.fixture
def session(users, rollout):
    return new_session(users, rollout)


def test_code_is_six_characters_without_look_alikes():
    codes = {services.training.new_code() for _i in range(300)}
    assert all(len(c) == 6 for c in codes)
    assert not set("".join(codes)) & set("0O1I")
    assert set("".join(codes)) <= set(checks.CODE_ALPHABET)
    assert len(codes) > 290


def test_attendance_by_name(users, session):
    ward = AdminUnit.objects.get(key=HAI_AN)
    person = services.attendance_add(
        actor=users["dieuphoi"], session=session, name="  Nguyễn Thị Mai ", unit=ward, position="Công chức tư pháp"
    )
    assert (person.name, person.unit, person.via, person.recorded_by) == (
        "Nguyễn Thị Mai",
        ward,
        "name",
        users["dieuphoi"],
    )
    with pytest.raises(InvalidInput, match="already on the attendance list"):
        services.attendance_add(actor=users["dieuphoi"], session=session, name="nguyen thi mai", unit=ward)
    # the same name in another unit is another person
    services.attendance_add(actor=users["dieuphoi"], session=session, name="Nguyễn Thị Mai", unit=other_commune())
    linked = services.attendance_add(
        actor=users["dieuphoi"], session=session, name="", unit=ward, user=users["lanhdao"]
    )
    assert linked.name == users["lanhdao"].display_name
    with pytest.raises(InvalidInput, match="already on the attendance list"):
        services.attendance_add(actor=users["dieuphoi"], session=session, name="Lãnh", unit=ward, user=users["lanhdao"])
    assert session.attendance.count() == 3


def test_attendance_by_code(users, session):
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=15)
    session.refresh_from_db()
    assert len(session.attendance_code) == 6
    typed = f" {session.attendance_code[:3].lower()}-{session.attendance_code[3:]} "
    person = services.attendance_sign_in(actor=users["congchuc"], code=typed)
    assert (person.user, person.unit.key, person.via, person.name) == (
        users["congchuc"],
        HAI_AN,
        "code",
        users["congchuc"].display_name,
    )
    assert person.position == users["congchuc"].position


def test_expired_code_is_refused(users, session, monkeypatch):
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)
    session.refresh_from_db()
    later = timezone.now() + dt.timedelta(minutes=11)
    monkeypatch.setattr(services.training.timezone, "now", lambda: later)
    with pytest.raises(InvalidInput, match="expired"):
        services.attendance_sign_in(actor=users["congchuc"], code=session.attendance_code)
    assert not Attendance.objects.filter(session__rollout__code="hp-thu-nghiem").exists()


def test_closed_code_is_refused(users, session):
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)
    services.attendance_code_close(actor=users["dieuphoi"], session=session)
    session.refresh_from_db()
    with pytest.raises(InvalidInput, match="expired"):
        services.attendance_sign_in(actor=users["congchuc"], code=session.attendance_code)


@pytest.mark.parametrize(
    ("code", "message"), [("ABCDE", "Type the 6 characters"), ("ABCD0I", "Type the 6"), (12, "Type")]
)
def test_malformed_code_is_refused(users, session, code, message):
    with pytest.raises(InvalidInput, match=message):
        services.attendance_sign_in(actor=users["congchuc"], code=code)


def test_unknown_code_is_refused(users, session):
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)
    session.refresh_from_db()
    unknown = next(c for c in ("ABCDEF", "GHJKLM") if c != session.attendance_code)
    with pytest.raises(InvalidInput, match="not known"):
        services.attendance_sign_in(actor=users["congchuc"], code=unknown)


def test_wrong_unit_is_refused(users, rollout, stranger):
    session = new_session(users, rollout, units=[other_commune()])
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)
    session.refresh_from_db()
    for person in (users["congchuc"], users["xem"], stranger):
        with pytest.raises(Refused, match="not among the units this session trains"):
            services.attendance_sign_in(actor=person, code=session.attendance_code)
    with pytest.raises(InvalidInput, match="Choose one of the units this session trains"):
        services.attendance_add(
            actor=users["dieuphoi"], session=session, name="Ai đó", unit=AdminUnit.objects.get(key=HAI_AN)
        )
    assert not Attendance.objects.filter(session__rollout__code="hp-thu-nghiem").exists()


def test_nobody_signs_in_twice(users, session):
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)
    session.refresh_from_db()
    services.attendance_sign_in(actor=users["lanhdao"], code=session.attendance_code)
    with pytest.raises(InvalidInput, match="already on the attendance list"):
        services.attendance_sign_in(actor=users["lanhdao"], code=session.attendance_code)
    services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=10)  # a new code, same session
    session.refresh_from_db()
    with pytest.raises(InvalidInput, match="already on the attendance list"):
        services.attendance_sign_in(actor=users["lanhdao"], code=session.attendance_code)
    with pytest.raises(InvalidInput, match="already on the attendance list"):
        services.attendance_add(
            actor=users["dieuphoi"], session=session, name="x", unit=other_commune(), user=users["lanhdao"]
        )
    assert session.attendance.count() == 1


def test_a_unit_with_attendees_stays_in_the_session(users, session):
    ward = AdminUnit.objects.get(key=HAI_AN)
    services.attendance_add(actor=users["dieuphoi"], session=session, name="Trần Văn B", unit=ward)
    args = dict(held_on=session.held_on, trainer=session.trainer, topic="Đổi chủ đề", level="in_depth")
    with pytest.raises(InvalidInput, match="on the attendance list"):
        services.training_session_update(actor=users["dieuphoi"], session=session, units=[other_commune()], **args)
    services.training_session_update(actor=users["dieuphoi"], session=session, units=[ward], **args)
    session.refresh_from_db()
    assert (session.topic, session.level, list(session.units.all())) == ("Đổi chủ đề", "in_depth", [ward])


def test_pages_by_name_by_code_and_the_big_code(client_for, users, session, rollout):
    organiser = client_for("dieuphoi")
    base = f"/rollout/{rollout.code}/training/{session.pk}/"
    added = organiser.post(base, {"name": "Phạm Thị Hoa", "unit": HAI_AN, "position": "Văn thư"})
    assert added.status_code == 302
    assert organiser.post(f"{base}code/", {"minutes": "20"}).status_code == 302
    session.refresh_from_db()
    page = organiser.get(f"{base}code/").content.decode()
    assert f"{session.attendance_code[:3]} {session.attendance_code[3:]}" in page
    assert "/rollout/training/sign-in/" in page
    signed = client_for("congchuc").post("/rollout/training/sign-in/", {"code": session.attendance_code})
    assert signed.status_code == 302
    again = client_for("congchuc").post("/rollout/training/sign-in/", {"code": session.attendance_code})
    assert again.status_code == 200 and "invalid-feedback" in again.content.decode()
    listing = organiser.get(base).content.decode()
    assert "Phạm Thị Hoa" in listing and users["congchuc"].display_name in listing
    overview = organiser.get(f"/rollout/{rollout.code}/training/").content.decode()
    assert "Tổng quan TCVN ISO 18091:2020" in overview
    assert TrainingSession.objects.get(pk=session.pk).attendance.count() == 2


def test_session_page_form_keeps_what_was_typed(client_for, session, rollout):
    page = client_for("dieuphoi").post(
        f"/rollout/{rollout.code}/training/{session.pk}/", {"name": "", "unit": HAI_AN, "position": "Phó chủ tịch"}
    )
    assert page.status_code == 200
    assert 'value="Phó chủ tịch"' in page.content.decode()
    assert not Attendance.objects.filter(session__rollout__code="hp-thu-nghiem").exists()
