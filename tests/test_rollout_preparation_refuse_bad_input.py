"""Every write of phases 1–2 refuses bad input with a clear message on the right field and stores nothing: out of
range, wrong type, wrong shape, not yours; the pages showing the data still answer."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rollout_preparation_fixtures import HAI_AN, entry_of, make_rollout, other_commune
from tincay.assessments.models import Document
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import Attendance, SurveyAnswer, SurveyQuestion, TrainingSession
from tincay.rollout.services import preparation as services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GOOD_QUESTION = {"key": "muc-tieu", "text_vi": "Mục tiêu của đơn vị?", "kind": "text"}


@pytest.fixture
def rollout():
    return make_rollout()


def pages_still_answer(client_for, rollout, session=None):
    client = client_for("dieuphoi")
    urls = [
        f"/rollout/{rollout.code}/survey/",
        f"/rollout/{rollout.code}/survey/compare/",
        f"/rollout/{rollout.code}/units/{HAI_AN}/survey/",
        f"/rollout/{rollout.code}/training/",
    ]
    if session is not None:
        urls.append(f"/rollout/{rollout.code}/training/{session.pk}/")
    for url in urls:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"key": ""}, "key", "required"),
        ({"key": "Muc Tieu"}, "key", "lower-case letters"),
        ({"key": "x" * 61}, "key", "Shorten"),
        ({"text_vi": "   "}, "text_vi", "required"),
        ({"text_vi": 5}, "text_vi", "Enter text"),
        ({"text_en": "x" * 501}, "text_en", "Shorten"),
        ({"kind": "essay"}, "kind", "Choose the kind"),
        ({"kind": "choice"}, "options", "at least one option"),
        ({"kind": "choice", "options": "a, b"}, "options", "at least one option"),
        ({"kind": "multi", "options": [{"key": "a", "vi": "A"}, {"key": "a", "vi": "B"}]}, "options", "used twice"),
        ({"kind": "multi", "options": [{"key": "a", "vi": ""}]}, "options", "Option 1"),
        ({"kind": "choice", "options": ["A"]}, "options", "Option 1"),
        ({"kind": "choice", "options": [{"key": str(i), "vi": "x"} for i in range(41)]}, "options", "at most 40"),
        ({"options": [{"key": "a", "vi": "A"}]}, "options", "Only questions with"),
        ({"required": "yes"}, "required", "Say yes or no"),
        ({"profile_key": "Hồ sơ"}, "profile_key", "lower-case letters"),
    ],
)
def test_question_refuses_bad_input(users, client_for, rollout, change, field, message):
    with pytest.raises(InvalidInput) as caught:
        services.question_create(actor=users["dieuphoi"], rollout=rollout, **{**GOOD_QUESTION, **change})
    assert message in " ".join(caught.value.messages_for(field)), caught.value.errors
    assert not SurveyQuestion.objects.filter(rollout=rollout).exists()
    pages_still_answer(client_for, rollout)


def test_question_keys_and_profile_entries_are_unique(users, rollout):
    services.question_create(actor=users["dieuphoi"], rollout=rollout, profile_key="muc_tieu", **GOOD_QUESTION)
    with pytest.raises(InvalidInput) as caught:
        services.question_create(
            actor=users["dieuphoi"],
            rollout=rollout,
            key="muc-tieu",
            text_vi="Khác",
            kind="text",
            profile_key="muc_tieu",
        )
    assert caught.value.messages_for("key") and caught.value.messages_for("profile_key")
    assert SurveyQuestion.objects.filter(rollout=rollout).count() == 1


def test_question_editor_page_keeps_what_was_typed(client_for, rollout):
    page = client_for("dieuphoi").post(
        f"/rollout/{rollout.code}/survey/",
        {"text_vi": "Hệ thống nào đang dùng?", "key": "he-thong", "kind": "multi", "options": "a | Một\na | Hai"},
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="Hệ thống nào đang dùng?"' in text and "a | Hai" in text and "invalid-feedback" in text
    assert not SurveyQuestion.objects.filter(rollout=rollout).exists()


@pytest.mark.parametrize("direction", ["left", "", None, 1])
def test_move_refuses_unknown_direction(users, rollout, direction):
    question = services.question_create(actor=users["dieuphoi"], rollout=rollout, **GOOD_QUESTION)
    with pytest.raises(InvalidInput):
        services.question_move(actor=users["dieuphoi"], rollout=rollout, question=question, direction=direction)


def test_questions_of_another_rollout_are_refused(users, rollout):
    other = make_rollout("hp-khac")
    question = services.question_create(actor=users["dieuphoi"], rollout=other, **GOOD_QUESTION)
    for call in (
        lambda: services.question_delete(actor=users["dieuphoi"], rollout=rollout, question=question),
        lambda: services.question_update(actor=users["dieuphoi"], rollout=rollout, question=question, **GOOD_QUESTION),
    ):
        with pytest.raises(InvalidInput, match="Choose a question of this rollout"):
            call()
    assert SurveyQuestion.objects.filter(pk=question.pk, text_vi=GOOD_QUESTION["text_vi"]).exists()


@pytest.mark.parametrize("who", ["lanhdao", "daumoi", "congchuc", "xem", "chamdiem"])
def test_questionnaire_is_the_coordinators(users, rollout, who):
    with pytest.raises(Refused):
        services.question_create(actor=users[who], rollout=rollout, **GOOD_QUESTION)
    with pytest.raises(Refused):
        services.questionnaire_use_default(actor=users[who], rollout=rollout)
    assert not SurveyQuestion.objects.filter(rollout=rollout).exists()


@pytest.mark.parametrize(
    ("answers", "submit"),
    [(["staff-total", "3"], False), ("staff-total=3", False), (None, False), ({"staff-total": "3"}, "yes")],
)
def test_answers_of_the_wrong_shape_are_refused(users, rollout, answers, submit):
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    with pytest.raises(InvalidInput):
        services.survey_answers_save(actor=users["daumoi"], entry=entry_of(rollout), answers=answers, submit=submit)
    assert not SurveyAnswer.objects.filter(rollout_unit__rollout=rollout).exists()


@pytest.mark.parametrize("who", ["congchuc", "xem", "chamdiem"])
def test_only_the_units_leader_focal_point_or_coordinator_answer(users, rollout, who):
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    with pytest.raises(Refused):
        services.survey_answers_save(
            actor=users[who], entry=entry_of(rollout), answers={"staff-total": "3"}, submit=False
        )
    with pytest.raises(Refused):  # another unit's survey
        services.survey_answers_save(
            actor=users["daumoi"], entry=entry_of(rollout, other_commune().key), answers={"staff-total": "3"}
        )
    assert not SurveyAnswer.objects.filter(rollout_unit__rollout=rollout).exists()


def test_empty_questionnaire_cannot_be_answered(users, rollout):
    with pytest.raises(InvalidInput, match="no questions yet"):
        services.survey_answers_save(actor=users["daumoi"], entry=entry_of(rollout), answers={}, submit=True)
    assert entry_of(rollout).survey_submitted_at is None


SESSION = {
    "held_on": dt.date(2026, 3, 15),
    "trainer": "Chi cục TCĐLCL",
    "topic": "Đánh giá theo 39 chỉ số",
    "level": "basic",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"units": []}, "units"),
        ({"units": "11413"}, "units"),
        ({"units": ["11413"]}, "units"),
        ({"held_on": "15/03/2026"}, "held_on"),
        ({"held_on": "2026-02-30"}, "held_on"),
        ({"held_on": dt.date(1999, 12, 31)}, "held_on"),
        ({"held_on": dt.date.today() + dt.timedelta(days=800)}, "held_on"),
        ({"held_on": None}, "held_on"),
        ({"trainer": ""}, "trainer"),
        ({"trainer": "x" * 201}, "trainer"),
        ({"topic": ["Chủ đề"]}, "topic"),
        ({"level": "expert"}, "level"),
        ({"place": "x" * 301}, "place"),
        ({"materials": "tài liệu"}, "materials"),
        ({"materials": [1, 2]}, "materials"),
        ({"materials_note": "x" * 4001}, "materials_note"),
    ],
)
def test_session_refuses_bad_input(users, client_for, rollout, change, field):
    data = {"units": [AdminUnit.objects.get(key=HAI_AN)], **SESSION, **change}
    with pytest.raises(InvalidInput) as caught:
        services.training_session_create(actor=users["dieuphoi"], rollout=rollout, **data)
    assert caught.value.messages_for(field), caught.value.errors
    assert not TrainingSession.objects.filter(rollout=rollout).exists()
    pages_still_answer(client_for, rollout)


def test_session_units_and_materials_belong_to_the_rollout(users, rollout):
    outside = AdminUnit.objects.filter(valid_to__isnull=True, level="commune").exclude(parent__key="31").first()
    with pytest.raises(InvalidInput) as caught:
        services.training_session_create(actor=users["dieuphoi"], rollout=rollout, units=[outside], **SESSION)
    assert outside.name in caught.value.messages_for("units")[0]
    foreign = Document.objects.create(unit=outside, title="Tài liệu của tỉnh khác", url="https://example.org/a")
    with pytest.raises(InvalidInput) as caught:
        services.training_session_create(
            actor=users["dieuphoi"],
            rollout=rollout,
            units=[AdminUnit.objects.get(key=HAI_AN)],
            materials=[foreign],
            **SESSION,
        )
    assert caught.value.messages_for("materials")
    assert not TrainingSession.objects.filter(rollout=rollout).exists()


@pytest.mark.parametrize("who", ["lanhdao", "daumoi", "congchuc", "xem", "thamdinh"])
def test_sessions_and_attendance_are_the_organisers(users, rollout, who):
    ward = AdminUnit.objects.get(key=HAI_AN)
    with pytest.raises(Refused):
        services.training_session_create(actor=users[who], rollout=rollout, units=[ward], **SESSION)
    session = services.training_session_create(actor=users["dieuphoi"], rollout=rollout, units=[ward], **SESSION)
    with pytest.raises(Refused):
        services.attendance_add(actor=users[who], session=session, name="Ai đó", unit=ward)
    with pytest.raises(Refused):
        services.attendance_code_open(actor=users[who], session=session, minutes=10)
    assert not Attendance.objects.filter(session__rollout=rollout).exists()
    session.refresh_from_db()
    assert session.attendance_code == ""


@pytest.mark.parametrize("minutes", [0, 241, -5, "abc", "1.5", True, None, 2.5])
def test_code_minutes_out_of_range_are_refused(users, client_for, rollout, minutes):
    session = services.training_session_create(
        actor=users["dieuphoi"], rollout=rollout, units=[AdminUnit.objects.get(key=HAI_AN)], **SESSION
    )
    with pytest.raises(InvalidInput) as caught:
        services.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=minutes)
    assert caught.value.messages_for("minutes")
    session.refresh_from_db()
    assert session.attendance_code == "" and session.code_open_until is None
    pages_still_answer(client_for, rollout, session)
    page = client_for("dieuphoi").post(f"/rollout/{rollout.code}/training/{session.pk}/code/", {"minutes": "999"})
    assert page.status_code == 200 and 'value="999"' in page.content.decode()


@pytest.mark.parametrize(
    ("change", "field"),
    [({"name": ""}, "name"), ({"name": "x" * 201}, "name"), ({"position": 3}, "position"), ({"unit": None}, "unit")],
)
def test_attendance_by_name_refuses_bad_input(users, rollout, change, field):
    ward = AdminUnit.objects.get(key=HAI_AN)
    session = services.training_session_create(actor=users["dieuphoi"], rollout=rollout, units=[ward], **SESSION)
    data = {"name": "Lê Văn C", "unit": ward, "position": "", **change}
    with pytest.raises(InvalidInput) as caught:
        services.attendance_add(actor=users["dieuphoi"], session=session, **data)
    assert caught.value.messages_for(field)
    assert not Attendance.objects.filter(session__rollout=rollout).exists()


def test_reopen_reason_must_be_text(users, rollout):
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    with pytest.raises(InvalidInput):
        services.survey_reopen(actor=users["dieuphoi"], entry=entry_of(rollout), reason=["x"])
    assert not AuditEvent.objects.filter(action="rollout.survey_reopened", object_id=str(entry_of(rollout).pk)).exists()
