"""A coordinator adapts a survey's questions until its first real answer: reword, make required, bind to an
indicator or a measured criterion, add a question of the unit's own, remove one. The services refuse bad input
whole (nothing stored), refuse those who do not run the survey, and refuse bindings the framework does not
allow; the pages keep what was typed and the survey's pages still answer 200."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.models import SurveyQuestion
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import (
    survey_question_add,
    survey_question_remove,
    survey_question_update,
    survey_status_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(users):
    return sipas_survey(users["dieuphoi"])


def _q(survey, key: str) -> SurveyQuestion:
    return survey.questions.get(key=key)


def _snapshot(survey) -> list[tuple]:
    return list(survey.questions.order_by("order").values_list("key", "text_vi", "required", "measures", "options"))


def test_the_template_binds_overall_satisfaction_to_criterion_3_1_5(survey):
    assert _q(survey, "overall").measures == "3.1.5"


def test_a_question_is_reworded_made_optional_and_bound(users, survey):
    saved = survey_question_update(
        actor=users["dieuphoi"],
        question=_q(survey, "access-seats"),
        text_vi="  Phòng chờ có đủ ghế ngồi  ",
        required=False,
        measures="3.1",
    )
    assert (saved.text_vi, saved.required, saved.measures) == ("Phòng chờ có đủ ghế ngồi", False, "3.1")
    event = AuditEvent.objects.get(action="feedback.question_updated")
    assert event.before["measures"] == "" and event.after["measures"] == "3.1"


def test_a_question_of_the_units_own_is_added_and_answered(users, survey):
    added = survey_question_add(
        actor=users["dieuphoi"],
        survey=survey,
        kind="single",
        text_vi="Ông/Bà biết đến dịch vụ qua đâu?",
        options=["Loa phát thanh", "Cổng thông tin", "Người quen"],
        factor_key="access",
        aspect="other",
    )
    assert added.key == "q-24" and added.order == 24 and added.factor_vi == "Tiếp cận dịch vụ"
    assert [o["key"] for o in added.options] == ["opt-1", "opt-2", "opt-3"]
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    response_submit(survey=survey, channel=Channel.LINK, answers={**good_answers(survey), "q-24": "opt-2"})
    assert added.answers.get().choices == ["opt-2"]


def test_a_question_is_removed_before_the_first_answer(users, survey):
    survey_question_remove(actor=users["dieuphoi"], question=_q(survey, "comment"))
    assert not survey.questions.filter(key="comment").exists()
    assert AuditEvent.objects.filter(action="feedback.question_removed").exists()


BAD_UPDATES = [
    ("text_vi", {"text_vi": ""}),
    ("text_vi", {"text_vi": 12}),
    ("text_vi", {"text_vi": "x" * 501}),
    ("required", {"text_vi": "Câu hỏi", "required": "có"}),
    ("measures", {"text_vi": "Câu hỏi", "measures": "ba"}),
    ("measures", {"text_vi": "Câu hỏi", "measures": "99.1"}),
    ("measures", {"text_vi": "Câu hỏi", "measures": "3.1.99"}),
    ("measures", {"text_vi": "Câu hỏi", "measures": "1.1.1"}),  # judged on evidence, not measured
    ("measures", {"text_vi": "Câu hỏi", "measures": ["3.1.5"]}),
]


@pytest.mark.parametrize(("field", "change"), BAD_UPDATES)
def test_bad_updates_are_refused_whole(users, survey, field, change):
    before = _snapshot(survey)
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        survey_question_update(actor=users["dieuphoi"], question=_q(survey, "access-seats"), **change)
    assert field in refused.value.errors and _snapshot(survey) == before


def test_a_text_question_cannot_feed_a_measured_criterion(users, survey):
    with translation.override("vi"), pytest.raises(InvalidInput) as refused:
        survey_question_update(
            actor=users["dieuphoi"], question=_q(survey, "comment"), text_vi="Góp ý", measures="3.1.5"
        )
    assert "Chỉ câu hỏi thang đo hoặc câu hỏi nhập số" in str(refused.value.errors["measures"][0])


BAD_ADDS = [
    ("kind", {"kind": "essay", "text_vi": "Câu hỏi"}),
    ("text_vi", {"kind": "text", "text_vi": "   "}),
    ("options", {"kind": "single", "text_vi": "Chọn", "options": ["Một"]}),
    ("options", {"kind": "multiple", "text_vi": "Chọn", "options": "Một, Hai"}),
    ("options", {"kind": "single", "text_vi": "Chọn", "options": ["Một", "một"]}),
    ("options", {"kind": "single", "text_vi": "Chọn", "options": ["Một", 2]}),
    ("options", {"kind": "text", "text_vi": "Viết", "options": ["Một", "Hai"]}),
    ("options", {"kind": "single", "text_vi": "Chọn", "options": [f"Ý {n}" for n in range(13)]}),
    ("factor_key", {"kind": "text", "text_vi": "Viết", "factor_key": "khong-co"}),
    ("aspect", {"kind": "text", "text_vi": "Viết", "aspect": "mood"}),
    ("required", {"kind": "text", "text_vi": "Viết", "required": 1}),
    ("measures", {"kind": "single", "text_vi": "Chọn", "options": ["Một", "Hai"], "measures": "3.1.5"}),
]


@pytest.mark.parametrize(("field", "data"), BAD_ADDS)
def test_bad_additions_are_refused_whole(users, survey, field, data):
    before = _snapshot(survey)
    with pytest.raises(InvalidInput) as refused:
        survey_question_add(actor=users["dieuphoi"], survey=survey, **data)
    assert field in refused.value.errors and _snapshot(survey) == before


@pytest.mark.parametrize("persona", ["xem", "daumoi", "lanhdao", "congchuc", "chamdiem", "thamdinh"])
def test_only_those_who_run_the_survey_adapt_it(users, survey, persona):
    before = _snapshot(survey)
    actor = users[persona]
    with pytest.raises(Refused):
        survey_question_update(actor=actor, question=_q(survey, "access-seats"), text_vi="Khác")
    with pytest.raises(Refused):
        survey_question_add(actor=actor, survey=survey, kind="text", text_vi="Khác")
    with pytest.raises(Refused):
        survey_question_remove(actor=actor, question=_q(survey, "comment"))
    assert _snapshot(survey) == before


def test_a_stranger_coordinator_is_refused(survey, stranger):
    with pytest.raises(Refused):
        survey_question_add(actor=stranger, survey=survey, kind="text", text_vi="Khác")


def test_questions_lock_at_the_first_real_answer(users, survey):
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    response_submit(survey=survey, channel=Channel.QR, answers=good_answers(survey))
    before = _snapshot(survey)
    for write in (
        lambda: survey_question_update(actor=users["dieuphoi"], question=_q(survey, "access-seats"), text_vi="Khác"),
        lambda: survey_question_add(actor=users["dieuphoi"], survey=survey, kind="text", text_vi="Khác"),
        lambda: survey_question_remove(actor=users["dieuphoi"], question=_q(survey, "comment")),
    ):
        with pytest.raises(InvalidInput) as refused:
            write()
        assert "__all__" in refused.value.errors
    assert _snapshot(survey) == before


def test_the_questions_page_keeps_what_was_typed_after_a_refusal(users, survey, client_for):
    client = client_for("dieuphoi")
    url = reverse("feedback:question_update", args=[survey.pk, "access-seats"])
    refused = client.post(
        url,
        {"access-seats-text_vi": "Phòng chờ rộng rãi", "access-seats-measures": "1.1.1", "access-seats-required": "on"},
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "Phòng chờ rộng rãi" in html and "được đánh giá theo minh chứng" in html
    assert _q(survey, "access-seats").text_vi != "Phòng chờ rộng rãi"
    added = client.post(
        reverse("feedback:question_add", args=[survey.pk]),
        {
            "new-kind": "single",
            "new-text_vi": "Ông/Bà đến bằng phương tiện gì?",
            "new-options": "Xe máy\n",
            "new-aspect": "other",
        },
    )
    assert added.status_code == 400 and "Ông/Bà đến bằng phương tiện gì?" in added.content.decode()
    assert "Ghi từ 2 đến 12 phương án" in added.content.decode()
    for page in ("feedback:questions", "feedback:survey"):
        assert client.get(reverse(page, args=[survey.pk])).status_code == 200


def test_the_questions_page_saves_adds_and_removes(users, survey, client_for):
    client = client_for("dieuphoi")
    saved = client.post(
        reverse("feedback:question_update", args=[survey.pk, "access-seats"]),
        {"access-seats-text_vi": "Phòng chờ rộng rãi", "access-seats-measures": "3.1"},
    )
    assert saved.status_code == 302 and _q(survey, "access-seats").measures == "3.1"
    added = client.post(
        reverse("feedback:question_add", args=[survey.pk]),
        {"new-kind": "number", "new-text_vi": "Ông/Bà chờ bao nhiêu phút?", "new-aspect": "perception"},
    )
    assert added.status_code == 302 and survey.questions.filter(kind="number").count() == 1
    removed = client.post(reverse("feedback:question_remove", args=[survey.pk, "comment"]))
    assert removed.status_code == 302 and not survey.questions.filter(key="comment").exists()


def test_a_viewer_reads_the_questions_without_forms(users, survey, client_for):
    page = client_for("xem").get(reverse("feedback:questions", args=[survey.pk]))
    assert page.status_code == 200 and page.context["can_adapt"] is False and page.context["new"] is None
    refused = client_for("xem").post(
        reverse("feedback:question_add", args=[survey.pk]),
        {"new-kind": "text", "new-text_vi": "Khác", "new-aspect": "other"},
    )
    assert refused.status_code == 403 and survey.questions.count() == 23
