"""The preliminary survey: answers checked per kind, drafts and submission, the profile filled on submit, the
questionnaire locked after the first submission, reopening with a reason, the side-by-side comparison."""

from __future__ import annotations

import pytest

from tests.rollout_preparation_fixtures import HAI_AN, entry_of, full_answers, make_rollout, other_commune
from tincay.accounts.models import Notification
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.rollout.models import SurveyAnswer, SurveyQuestion, UnitProfile
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def rollout(users):
    rollout = make_rollout()
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    return rollout


def answer(users, rollout, answers, *, submit=False, who="daumoi", key=HAI_AN):
    return services.survey_answers_save(actor=users[who], entry=entry_of(rollout, key), answers=answers, submit=submit)


def stored(rollout, key=HAI_AN):
    return {
        a.question.key: a.value
        for a in SurveyAnswer.objects.filter(rollout_unit=entry_of(rollout, key)).select_related("question")
    }


def test_default_questionnaire_covers_iso_it_staff_plans_expectations(users, rollout):
    questions = {q.key: q for q in SurveyQuestion.objects.filter(rollout=rollout)}
    status = questions["iso9001-status"]
    assert [o["key"] for o in status.options] == ["none", "building", "certified", "electronic"]
    assert "ISO điện tử" in status.options[3]["vi"]
    assert questions["it-systems"].kind == "multi"
    assert {"one-stop-shop", "document-management", "e-office", "portal"} <= {
        o["key"] for o in questions["it-systems"].options
    }
    assert questions["staff-total"].kind == "number"
    assert "par-plan" in {o["key"] for o in questions["existing-plans"].options}
    assert questions["expectations"].kind == "text"
    assert [q.order for q in SurveyQuestion.objects.filter(rollout=rollout)] == list(range(1, len(questions) + 1))
    with pytest.raises(InvalidInput, match="already has every default question"):
        services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("staff-total", "abc", "is not a number"),
        ("staff-total", "-3", "from 0 to"),
        ("staff-total", "1.250", "can be read two ways"),
        ("staff-total", True, "Enter a number"),
        ("staff-total", ["3"], "Enter a number"),
        ("iso9001-status", "iso-14001", "Choose one of the options"),
        ("iso9001-status", ["none"], "Choose one of the options"),
        ("it-systems", ["portal", "fax"], "Choose among the options"),
        ("it-systems", {"portal": True}, "Choose among the options"),
        ("quality-training", "maybe", "Answer yes or no"),
        ("quality-training", 2, "Answer yes or no"),
        ("expectations", "x" * 4001, "Shorten this text"),
        ("expectations", 12, "Enter text"),
    ],
)
def test_each_answer_is_checked_against_its_kind(users, rollout, key, value, message):
    with pytest.raises(InvalidInput) as caught:
        answer(users, rollout, {"difficulties": "Thiếu người.", key: value})
    assert message in " ".join(caught.value.messages_for(key))
    assert stored(rollout) == {}  # the good answer beside the bad one is not stored either


def test_unknown_question_is_refused(users, rollout):
    with pytest.raises(InvalidInput) as caught:
        answer(users, rollout, {"no-such-question": "x"})
    assert caught.value.messages_for("no-such-question") == ["This question is not in the questionnaire."]


def test_numbers_typed_the_vietnamese_way_and_values_normalised(users, rollout):
    answer(
        users,
        rollout,
        {
            "par-index-score": "87,5",
            "staff-total": "1.250.000",
            "staff-quality": 3,
            "quality-training": "no",
            "it-systems": ["portal", "one-stop-shop", "portal"],
        },
    )
    assert stored(rollout) == {
        "par-index-score": 87.5,
        "staff-total": 1250000,
        "staff-quality": 3,
        "quality-training": False,
        "it-systems": ["one-stop-shop", "portal"],  # the options' order, once each
    }


def test_draft_keeps_other_answers_and_empty_clears_one(users, rollout):
    answer(users, rollout, {"expectations": "Phục vụ người dân tốt hơn.", "staff-total": "40"})
    answer(users, rollout, {"staff-total": ""})
    assert stored(rollout) == {"expectations": "Phục vụ người dân tốt hơn."}
    assert entry_of(rollout).survey_submitted_at is None


def test_submit_needs_every_required_answer(users, rollout):
    with pytest.raises(InvalidInput) as caught:
        answer(users, rollout, {"expectations": "Tốt hơn."}, submit=True)
    missing = {k for k, v in caught.value.errors.items() if "before submitting" in str(v[0])}
    assert missing == {q.key for q in SurveyQuestion.objects.filter(rollout=rollout, required=True)} - {"expectations"}
    assert entry_of(rollout).survey_submitted_at is None
    assert stored(rollout) == {}


def test_submit_fills_the_unit_profile(users, rollout):
    answer(users, rollout, full_answers(), submit=True)
    entry = entry_of(rollout)
    assert entry.survey_submitted_at is not None
    assert entry.survey_submitted_by == users["daumoi"]
    profile = UnitProfile.objects.get(unit__key=HAI_AN)
    assert profile.source == entry
    assert profile.data == {
        "iso9001_status": "electronic",
        "iso9001_year": 2021,
        "it_systems": ["one-stop-shop", "document-management", "portal"],
        "staff_total": 1250,
        "staff_quality": 3,
        "quality_trained": True,
        "existing_plans": ["par-plan", "iso-plan"],
        "par_index_score": 87.5,
        "difficulties": "Thiếu nhân lực chuyên trách.",
        "expectations": "Nâng cao chất lượng phục vụ người dân.",
    }
    assert AuditEvent.objects.filter(action="rollout.survey_submitted", object_id=str(entry.pk)).exists()


def test_submitted_survey_changes_only_after_the_coordinator_reopens_it(users, rollout):
    answer(users, rollout, full_answers(), submit=True)
    with pytest.raises(InvalidInput, match="ask the rollout's coordinator to reopen"):
        answer(users, rollout, {"staff-total": "60"})
    with pytest.raises(Refused):
        services.survey_reopen(actor=users["daumoi"], entry=entry_of(rollout), reason="Sai số liệu")
    with pytest.raises(InvalidInput) as caught:
        services.survey_reopen(actor=users["dieuphoi"], entry=entry_of(rollout), reason="  ")
    assert caught.value.messages_for("reason")
    services.survey_reopen(actor=users["dieuphoi"], entry=entry_of(rollout), reason="Số cán bộ chưa đúng.")
    assert entry_of(rollout).survey_submitted_at is None
    assert Notification.objects.filter(user=users["lanhdao"], text__contains="Số cán bộ chưa đúng.").exists()
    event = AuditEvent.objects.filter(action="rollout.survey_reopened", object_id=str(entry_of(rollout).pk)).get()
    assert event.reason == "Số cán bộ chưa đúng."
    answer(users, rollout, {"staff-total": "60"}, submit=True)
    assert UnitProfile.objects.get(unit__key=HAI_AN).data["staff_total"] == 60
    with pytest.raises(InvalidInput, match="not submitted"):
        services.survey_reopen(actor=users["dieuphoi"], entry=entry_of(rollout, other_commune().key), reason="x")


def test_questions_lock_once_a_unit_has_submitted(users, rollout):
    coordinator = users["dieuphoi"]
    question = SurveyQuestion.objects.get(rollout=rollout, key="difficulties")
    services.question_update(
        actor=coordinator, rollout=rollout, question=question, key="difficulties", text_vi="Khó khăn?", kind="text"
    )  # still open: a draft is no submission
    answer(users, rollout, {"difficulties": "Ít người."})
    services.question_move(actor=coordinator, rollout=rollout, question=question, direction="up")
    answer(users, rollout, full_answers(), submit=True)
    services.survey_reopen(actor=coordinator, entry=entry_of(rollout), reason="Bổ sung")  # still locked after
    calls = [
        lambda: services.question_create(actor=coordinator, rollout=rollout, key="moi", text_vi="Mới?", kind="text"),
        lambda: services.question_update(
            actor=coordinator, rollout=rollout, question=question, key="difficulties", text_vi="Đổi", kind="text"
        ),
        lambda: services.question_delete(actor=coordinator, rollout=rollout, question=question),
        lambda: services.question_move(actor=coordinator, rollout=rollout, question=question, direction="down"),
        lambda: services.questionnaire_use_default(actor=coordinator, rollout=rollout),
    ]
    for call in calls:
        with pytest.raises(InvalidInput, match="questionnaire is locked"):
            call()
    question.refresh_from_db()
    assert question.text_vi == "Khó khăn?"


def test_changing_a_kind_drops_the_drafts_that_no_longer_fit(users, rollout):
    answer(users, rollout, {"staff-quality": "2", "it-systems": ["portal", "e-office"]})
    coordinator = users["dieuphoi"]
    q = SurveyQuestion.objects.get(rollout=rollout, key="staff-quality")
    services.question_update(
        actor=coordinator, rollout=rollout, question=q, key="staff-quality", text_vi="Ai?", kind="text"
    )
    it = SurveyQuestion.objects.get(rollout=rollout, key="it-systems")
    services.question_update(
        actor=coordinator,
        rollout=rollout,
        question=it,
        key="it-systems",
        text_vi=it.text_vi,
        kind="multi",
        options=[o for o in it.options if o["key"] != "e-office"],
        profile_key="it_systems",
    )
    assert stored(rollout) == {"it-systems": ["portal"]}


def test_answers_side_by_side_with_counts_over_submitted_units(users, rollout):
    other = other_commune()
    answer(users, rollout, full_answers(), submit=True)
    draft = {"iso9001-status": "none", "it-systems": ["portal"]}
    answer(users, rollout, draft, who="dieuphoi", key=other.key)
    comparison = selectors.survey_comparison(rollout, entry_of(rollout).rollout.units.all())
    assert comparison.submitted == 1
    assert [row.entry.unit.key for row in comparison.rows] == sorted(
        [HAI_AN, other.key], key=lambda k: entry_of(rollout, k).unit.sort_key
    )
    by_unit = {row.entry.unit.key: row for row in comparison.rows}
    numbers = {s.question.key: i for i, s in enumerate(comparison.questions)}
    assert by_unit[HAI_AN].cells[numbers["iso9001-status"]] == "Electronic ISO in use"
    assert by_unit[HAI_AN].cells[numbers["staff-total"]] == "1250"
    assert by_unit[other.key].cells[numbers["iso9001-status"]] == "None"
    assert not by_unit[other.key].submitted
    status = comparison.questions[numbers["iso9001-status"]]
    assert [(c.label, c.count) for c in status.counts] == [
        ("None", 0),
        ("Being built", 0),
        ("Declared or certified", 0),
        ("Electronic ISO in use", 1),
    ]
    it = comparison.questions[numbers["it-systems"]]
    assert {c.label: c.count for c in it.counts}["The unit's web portal"] == 1  # the draft's portal is not counted
    assert comparison.questions[numbers["staff-total"]].total == "1250"


def test_comparison_page_shows_every_visible_unit(client_for, users, rollout):
    answer(users, rollout, full_answers(), submit=True)
    page = client_for("dieuphoi").get(f"/rollout/{rollout.code}/survey/compare/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Phường Hải An" in text and other_commune().name in text
    assert "Đã áp dụng ISO điện tử" in text  # pages answer in Vietnamese
    own = client_for("lanhdao").get(f"/rollout/{rollout.code}/survey/compare/").content.decode()
    assert "Phường Hải An" in own and other_commune().name not in own


def test_answer_page_keeps_what_was_typed_on_error(client_for, users, rollout):
    url = f"/rollout/{rollout.code}/units/{HAI_AN}/survey/"
    data = {"q_expectations": "Mong muốn rất cụ thể", "q_staff-total": "mười", "q_it-systems": ["portal"]}
    page = client_for("daumoi").post(url, {**data, "action": "submit"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Mong muốn rất cụ thể" in text and 'value="mười"' in text
    assert text.count("invalid-feedback d-block") >= 5  # the bad number and the required answers still missing
    assert stored(rollout) == {}
    saved = client_for("daumoi").post(url, {"q_expectations": "Bản nháp", "action": "save"})
    assert saved.status_code == 302
    assert stored(rollout) == {"expectations": "Bản nháp"}
    assert "Bản nháp" in client_for("daumoi").get(url).content.decode()
