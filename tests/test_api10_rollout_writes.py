"""The rollout API's writes that the pages offer (issue 10): opening a rollout and adding its units, the unit's
documents, the questionnaire edited (add, change, move, delete, the default questions), a submitted survey
reopened, a training session changed and its attendance code opened and closed. For each: the happy path, the
permission matrix as the pages answer it (coordinator 2xx, unit people and viewer 403 — or 2xx where the page lets
them —, a stranger 404), and bad input (wrong type, wrong shape, unknown field, out of range) refused with a 400 in
the API's error shape, nothing stored."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.rollout_board_fixtures import OWN, SIBLING, entry_of, make_rollout
from tests.rollout_preparation_fixtures import full_answers
from tincay.assessments.models import Document
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import PhaseRecord, Rollout, RolloutUnit, SurveyQuestion, TrainingSession
from tincay.rollout.services import preparation

pytestmark = pytest.mark.django_db

HUGE = 10**30
TODAY = timezone.localdate().isoformat()


@pytest.fixture
def api(users, stranger):
    def make(who: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(stranger if who == "stranger" else users[who])
        return client

    return make


@pytest.fixture
def rollout(users):
    rollout = make_rollout(users, code="api10-writes")
    preparation.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    return rollout


@pytest.fixture
def session(users, rollout):
    return preparation.training_session_create(
        actor=users["dieuphoi"],
        rollout=rollout,
        units=[AdminUnit.objects.get(key=OWN)],
        held_on=timezone.localdate(),
        trainer="Chuyên gia Sở KH&CN",
        topic="TCVN ISO 18091 cơ bản",
        level="basic",
    )


def refused(response, status: int, field: str | None = None) -> bool:
    body = response.json()
    shape = isinstance(body.get("detail"), str) and isinstance(body.get("errors"), dict)
    return response.status_code == status and shape and (field is None or field in body["errors"])


def check_matrix(api, method: str, url: str, body, expected: dict[str, int]) -> None:
    """Each persona's answer; the refusals in the error shape."""
    wrong = []
    for who, status in expected.items():
        response = getattr(api(who), method)(url, body, format="json")
        if response.status_code != status or (status >= 400 and not refused(response, status)):
            wrong.append((who, status, response.status_code, response.content[:300]))
    assert wrong == []


def check_bad(api, who: str, method: str, url: str, cases, snapshot) -> None:
    """Every body is a 400 naming the field (``None``: any), and ``snapshot()`` is unchanged afterwards."""
    before = snapshot()
    wrong = []
    for body, field in cases:
        response = getattr(api(who), method)(url, body, format="json")
        if not refused(response, 400, field):
            wrong.append((body, field, response.status_code, response.content[:300]))
    assert wrong == []
    assert snapshot() == before


# ---- opening a rollout, adding units ----------------------------------------------------------------------------

NEW = {"code": "hp-2027", "title_vi": "Triển khai 2027", "owner_unit": "31", "template": "five-phases"}


def test_coordinator_opens_a_rollout(api):
    response = api("dieuphoi").post(
        "/api/v1/rollouts/", {**NEW, "starts_on": TODAY, "stuck_after_days": 30}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "hp-2027" and response.json()["template"] == "five-phases"
    stored = Rollout.objects.get(code="hp-2027")
    assert stored.owner_unit.key == "31" and stored.stuck_after_days == 30 and stored.template.version == 1
    form = api("dieuphoi").post("/api/v1/rollouts/", {**NEW, "code": "hp-2028", "starts_on": TODAY})
    assert form.status_code == 201, form.content


def test_opening_a_rollout_by_role(api):
    body = {**NEW, "starts_on": TODAY}
    check_matrix(
        api,
        "post",
        "/api/v1/rollouts/",
        body,
        {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 403},
    )
    outside = api("dieuphoi").post("/api/v1/rollouts/", {**body, "owner_unit": "01"}, format="json")
    assert refused(outside, 403)  # Hà Nội: not the coordinator's
    assert not Rollout.objects.filter(code="hp-2027").exists()


def test_opening_a_rollout_refuses_bad_input(api, rollout):
    good = {**NEW, "starts_on": TODAY}
    check_bad(
        api,
        "dieuphoi",
        "post",
        "/api/v1/rollouts/",
        [
            ([good], "__all__"),
            ({**good, "title_vi": 5}, "title_vi"),
            ({**good, "starts_on": "01/03/2026"}, "starts_on"),
            ({**good, "stuck_after_days": "30"}, "stuck_after_days"),
            ({**good, "stuck_after_days": 0}, "stuck_after_days"),
            ({**good, "stuck_after_days": 3651}, "stuck_after_days"),
            ({**good, "template_version": HUGE}, "template_version"),
            ({**good, "owner": "31"}, "owner"),
            ({**good, "owner_unit": "99999"}, "owner_unit"),
            ({**good, "template": "nope"}, "template"),
            ({**good, "campaign": "nope"}, "campaign"),
            ({**good, "code": "hải-phòng"}, "code"),
            ({**good, "code": rollout.code}, "code"),
            ({**good, "ends_on": "2020-01-01"}, "ends_on"),
            ({**good, "code": "x" * 61}, "code"),
        ],
        lambda: sorted(Rollout.objects.values_list("code", flat=True)),
    )


def test_coordinator_adds_units(api, users):
    rollout = make_rollout(users, code="api10-add", keys=(OWN,))
    response = api("dieuphoi").post(
        f"/api/v1/rollouts/{rollout.code}/units/", {"units": [SIBLING], "on": TODAY}, format="json"
    )
    assert response.status_code == 201, response.content
    assert [(u["unit"], u["phase"]) for u in response.json()] == [(SIBLING, "preparation")]
    entry = entry_of(rollout, SIBLING)
    assert PhaseRecord.objects.filter(rollout_unit=entry, phase="preparation", left_on=None).count() == 1


def test_coordinator_adds_every_commune(api, users):
    rollout = make_rollout(users, code="api10-all", keys=(OWN,))
    communes = AdminUnit.objects.filter(parent__key="31", level="commune", valid_to__isnull=True)
    response = api("dieuphoi").post(
        f"/api/v1/rollouts/{rollout.code}/units/", {"all_communes": True, "on": TODAY}, format="json"
    )
    assert response.status_code == 201, response.content
    assert len(response.json()) == communes.count() - 1  # the unit already in stays as it was
    assert RolloutUnit.objects.filter(rollout=rollout).count() == communes.count()


def test_adding_units_by_role(api, users):
    rollout = make_rollout(users, code="api10-add", keys=(OWN,))
    check_matrix(
        api,
        "post",
        f"/api/v1/rollouts/{rollout.code}/units/",
        {"units": [SIBLING], "on": TODAY},
        {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 404},
    )
    assert not RolloutUnit.objects.filter(rollout=rollout, unit__key=SIBLING).exists()


def test_adding_units_refuses_bad_input(api, users):
    rollout = make_rollout(users, code="api10-add", keys=(OWN,))
    check_bad(
        api,
        "dieuphoi",
        "post",
        f"/api/v1/rollouts/{rollout.code}/units/",
        [
            ({"units": SIBLING, "on": TODAY}, "units"),
            ({"units": [], "on": TODAY}, "units"),
            ({"units": [11311], "on": TODAY}, "units.0"),
            ({"units": ["nope"], "on": TODAY}, "units"),
            ({"units": [SIBLING, SIBLING], "on": TODAY}, "units"),
            ({"units": [OWN], "on": TODAY}, "units"),  # already in
            ({"units": ["01"], "on": TODAY}, "units"),  # not under Hải Phòng
            ({"units": [SIBLING], "on": "2099-01-01"}, "on"),
            ({"units": [SIBLING], "on": "2026-01-01"}, "on"),  # before the rollout starts
            ({"units": [SIBLING], "on": TODAY, "phase": "training"}, "phase"),
            ({"on": TODAY}, "units"),
            ({"units": [], "all_communes": False, "on": TODAY}, "units"),
            ({"all_communes": "maybe", "on": TODAY}, "all_communes"),
            ("11311", "__all__"),
        ],
        lambda: RolloutUnit.objects.filter(rollout=rollout).count(),
    )


# ---- a unit's documents -----------------------------------------------------------------------------------------


def _document(key: str = OWN, title: str = "Quyết định thành lập Ban chỉ đạo") -> Document:
    return Document.objects.create(
        unit=AdminUnit.objects.get(key=key), title=title, url="https://example.org/quyet-dinh"
    )


def test_unit_records_its_documents(api, rollout):
    decision, report = _document(), _document(title="Báo cáo tổng kết")
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/documents/"
    response = api("daumoi").patch(
        url, {"steering_decision": decision.pk, "report_document": report.pk, "report_sent_on": TODAY}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["steering_decision"] == decision.pk and response.json()["report_document"] == report.pk
    entry = entry_of(rollout)
    assert entry.report_sent_on.isoformat() == TODAY and entry.support_team_document_id is None
    cleared = api("lanhdao").patch(url, {"steering_decision": None}, format="json")
    assert cleared.status_code == 200, cleared.content
    entry = entry_of(rollout)
    assert entry.steering_decision_id is None and entry.report_document_id == report.pk  # the rest stays
    form = api("dieuphoi").patch(url, {"report_document": ""})
    assert form.status_code == 200, form.content
    assert entry_of(rollout).report_document_id is None


def test_unit_documents_by_role(api, rollout):
    decision = _document()
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/documents/"
    for who, status in {"congchuc": 403, "xem": 403, "stranger": 404}.items():
        response = api(who).patch(url, {"steering_decision": decision.pk}, format="json")
        assert refused(response, status), (who, response.content)
    sibling = f"/api/v1/rollouts/{rollout.code}/units/{SIBLING}/documents/"
    assert refused(api("daumoi").patch(sibling, {"report_sent_on": TODAY}, format="json"), 404)
    assert entry_of(rollout).steering_decision_id is None
    for who in ("dieuphoi", "lanhdao", "daumoi"):
        response = api(who).patch(url, {"steering_decision": decision.pk if who != "lanhdao" else None}, format="json")
        assert response.status_code == 200, (who, response.content)


def test_unit_documents_refuse_bad_input(api, rollout):
    decision, elsewhere = _document(), _document(SIBLING)
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/documents/"
    check_bad(
        api,
        "daumoi",
        "patch",
        url,
        [
            ({"steering_decision": str(decision.pk)}, "steering_decision"),
            ({"steering_decision": True}, "steering_decision"),
            ({"steering_decision": HUGE}, "steering_decision"),
            ({"steering_decision": 0}, "steering_decision"),
            ({"steering_decision": 999_999_999}, "steering_decision"),
            ({"steering_decision": elsewhere.pk}, "steering_decision"),  # another unit's register
            ({"report_sent_on": "2099-01-01"}, "report_sent_on"),
            ({"report_sent_on": "2020-01-01"}, "report_sent_on"),  # before the rollout starts
            ({"report_sent_on": 20260301}, "report_sent_on"),
            ({"steering": decision.pk}, "steering"),
            ({}, "__all__"),
            ([decision.pk], "__all__"),
        ],
        lambda: list(
            RolloutUnit.objects.filter(rollout=rollout).values_list(
                "steering_decision_id", "support_team_document_id", "report_document_id", "report_sent_on"
            )
        ),
    )


# ---- the questionnaire ------------------------------------------------------------------------------------------

QUESTION = {
    "key": "one-stop-staff",
    "text_vi": "Bộ phận một cửa có bao nhiêu người?",
    "kind": "choice",
    "options": [{"key": "few", "vi": "Dưới 5"}, {"key": "many", "vi": "Từ 5 trở lên", "en": "5 or more"}],
}


def _questions(rollout) -> list[tuple]:
    return list(
        SurveyQuestion.objects.filter(rollout=rollout)
        .order_by("order")
        .values_list("key", "order", "text_vi", "kind", "options", "required", "profile_key")
    )


def test_coordinator_edits_the_questionnaire(api, rollout):
    base = f"/api/v1/rollouts/{rollout.code}/survey/"
    created = api("dieuphoi").post(base + "questions/", QUESTION, format="json")
    assert created.status_code == 201, created.content
    question = created.json()
    assert question["key"] == "one-stop-staff" and question["required"] is True and len(question["options"]) == 2
    url = f"{base}questions/{question['id']}/"
    changed = api("dieuphoi").patch(url, {"text_en": "How many people?", "required": False}, format="json")
    assert changed.status_code == 200, changed.content
    stored = SurveyQuestion.objects.get(pk=question["id"])
    assert stored.text_en == "How many people?" and stored.required is False and stored.kind == "choice"
    moved = api("dieuphoi").post(url + "move/", {"direction": "up"}, format="json")
    assert moved.status_code == 200, moved.content
    keys = [q["key"] for q in moved.json()["questions"]]
    assert keys[-2] == "one-stop-staff"
    assert api("dieuphoi").delete(url).status_code == 204
    assert not SurveyQuestion.objects.filter(pk=question["id"]).exists()
    SurveyQuestion.objects.filter(rollout=rollout, key__in=keys[:3]).delete()
    restored = api("dieuphoi").post(base + "default/")
    assert restored.status_code == 201, restored.content
    assert {q["key"] for q in restored.json()["questions"]} >= set(keys[:3])


def test_questionnaire_edits_by_role(api, rollout):
    base = f"/api/v1/rollouts/{rollout.code}/survey/"
    first = SurveyQuestion.objects.filter(rollout=rollout).order_by("order").first()
    url = f"{base}questions/{first.pk}/"
    before = _questions(rollout)
    others = {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 404}
    check_matrix(api, "post", base + "questions/", QUESTION, others)
    check_matrix(api, "patch", url, {"text_en": "Changed"}, others)
    check_matrix(api, "post", url + "move/", {"direction": "down"}, others)
    check_matrix(api, "delete", url, None, others)
    check_matrix(api, "post", base + "default/", None, others)
    assert _questions(rollout) == before
    assert refused(api("dieuphoi").patch(f"{base}questions/{HUGE}/", {"text_en": "x"}, format="json"), 404)
    other = make_rollout_with_question(rollout)
    assert refused(api("dieuphoi").delete(f"{base}questions/{other.pk}/"), 404)  # another rollout's question


def make_rollout_with_question(rollout) -> SurveyQuestion:
    other = Rollout.objects.create(
        code="api10-other",
        title_vi="Khác",
        owner_unit=rollout.owner_unit,
        template=rollout.template,
        starts_on=rollout.starts_on,
    )
    return SurveyQuestion.objects.create(rollout=other, key="x", order=1, text_vi="X", kind="text")


def test_questionnaire_edits_refuse_bad_input(api, rollout):
    base = f"/api/v1/rollouts/{rollout.code}/survey/"
    first = SurveyQuestion.objects.filter(rollout=rollout).order_by("order").first()
    url = f"{base}questions/{first.pk}/"
    cases = [
        ({**QUESTION, "kind": "essay"}, "kind"),
        ({**QUESTION, "text_vi": 5}, "text_vi"),
        ({**QUESTION, "required": "yes"}, "required"),
        ({**QUESTION, "options": "few, many"}, "options"),
        ({**QUESTION, "options": [{"key": "few", "vi": "Ít", "note": "x"}]}, "options.0.note"),
        ({**QUESTION, "options": [{"key": "few", "vi": "Ít"}] * 41}, "options"),
        ({**QUESTION, "options": [{"key": "few", "vi": "Ít"}, {"key": "few", "vi": "Nhiều"}]}, "options"),
        ({**QUESTION, "key": "x" * 61}, "key"),
        ({**QUESTION, "key": "Có dấu"}, "key"),
        ({**QUESTION, "key": first.key}, "key"),  # taken
        ({**QUESTION, "kind": "text"}, "options"),  # options only for choices
        ({**QUESTION, "order": 1}, "order"),
        ([QUESTION], "__all__"),
    ]
    check_bad(api, "dieuphoi", "post", base + "questions/", cases, lambda: _questions(rollout))
    second = SurveyQuestion.objects.filter(rollout=rollout).order_by("order")[1]
    changes = [
        ({**body, "key": second.key}, field) if field == "key" and body["key"] == first.key else (body, field)
        for body, field in cases[:-1]
    ]
    check_bad(api, "dieuphoi", "patch", url, [*changes, ({}, "__all__")], lambda: _questions(rollout))
    check_bad(
        api,
        "dieuphoi",
        "post",
        url + "move/",
        [({"direction": "left"}, "direction"), ({"direction": 1}, "direction"), ({"direction": "up"}, "direction")],
        lambda: _questions(rollout),
    )
    check_bad(api, "dieuphoi", "post", base + "default/", [(None, None)], lambda: _questions(rollout))  # has them all


def test_questionnaire_is_locked_once_a_unit_submits(api, users, rollout):
    preparation.survey_answers_save(
        actor=users["lanhdao"], entry=entry_of(rollout), answers=full_answers(), submit=True
    )
    base = f"/api/v1/rollouts/{rollout.code}/survey/"
    first = SurveyQuestion.objects.filter(rollout=rollout).order_by("order").first()
    before = _questions(rollout)
    assert refused(api("dieuphoi").post(base + "questions/", QUESTION, format="json"), 400)
    assert refused(api("dieuphoi").patch(f"{base}questions/{first.pk}/", {"text_en": "X"}, format="json"), 400)
    assert refused(api("dieuphoi").delete(f"{base}questions/{first.pk}/"), 400)
    assert _questions(rollout) == before


# ---- reopening a submitted survey -------------------------------------------------------------------------------


@pytest.fixture
def submitted(users, rollout):
    preparation.survey_answers_save(
        actor=users["lanhdao"], entry=entry_of(rollout), answers=full_answers(), submit=True
    )
    return entry_of(rollout)


def test_coordinator_reopens_a_submitted_survey(api, rollout, submitted):
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/survey/reopen/"
    response = api("dieuphoi").post(url, {"reason": "Số cán bộ chưa đúng."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["submitted_at"] is None and response.json()["can_answer"] is True
    assert entry_of(rollout).survey_submitted_at is None
    again = api("dieuphoi").post(url, {"reason": "Lần nữa."}, format="json")
    assert refused(again, 400, "__all__")  # no longer submitted


def test_reopening_by_role(api, rollout, submitted):
    url = f"/api/v1/rollouts/{rollout.code}/units/{OWN}/survey/reopen/"
    check_matrix(
        api,
        "post",
        url,
        {"reason": "Sửa lại."},
        {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 404},
    )
    assert entry_of(rollout).survey_submitted_at == submitted.survey_submitted_at


def test_reopening_refuses_bad_input(api, rollout, submitted):
    check_bad(
        api,
        "dieuphoi",
        "post",
        f"/api/v1/rollouts/{rollout.code}/units/{OWN}/survey/reopen/",
        [
            ({}, "reason"),
            ({"reason": ""}, "reason"),
            ({"reason": 5}, "reason"),
            ({"reason": "x" * 2001}, "reason"),
            ({"reason": "Sửa.", "notify": False}, "notify"),
            ("Sửa.", "__all__"),
        ],
        lambda: entry_of(rollout).survey_submitted_at,
    )


# ---- a training session, its attendance code --------------------------------------------------------------------


def _session_row(session) -> tuple:
    session = TrainingSession.objects.get(pk=session.pk)
    units = sorted(session.units.values_list("key", flat=True))
    return (session.topic, session.trainer, session.level, session.held_on, session.place, tuple(units))


def test_coordinator_changes_a_session(api, rollout, session):
    url = f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/"
    response = api("dieuphoi").patch(url, {"units": [OWN, SIBLING], "level": "in_depth"}, format="json")
    assert response.status_code == 200, response.content
    assert sorted(response.json()["units"]) == sorted([OWN, SIBLING]) and response.json()["level"] == "in_depth"
    assert _session_row(session)[0] == "TCVN ISO 18091 cơ bản"  # the topic stays
    form = api("dieuphoi").patch(url, {"place": "Hội trường UBND phường"})
    assert form.status_code == 200, form.content
    assert TrainingSession.objects.get(pk=session.pk).place == "Hội trường UBND phường"


def test_session_read_and_change_by_role(api, rollout, session):
    url = f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/"
    check_matrix(
        api,
        "get",
        url,
        None,
        {"dieuphoi": 200, "lanhdao": 200, "daumoi": 200, "congchuc": 200, "xem": 200, "stranger": 404},
    )
    before = _session_row(session)
    check_matrix(
        api,
        "patch",
        url,
        {"topic": "Khác"},
        {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 404},
    )
    assert _session_row(session) == before


def test_session_not_training_your_unit_is_not_found(api, users, rollout):
    other = preparation.training_session_create(
        actor=users["dieuphoi"],
        rollout=rollout,
        units=[AdminUnit.objects.get(key=SIBLING)],
        held_on=timezone.localdate(),
        trainer="Chuyên gia",
        topic="Tập huấn phường khác",
        level="basic",
    )
    url = f"/api/v1/rollouts/{rollout.code}/training/{other.pk}/"
    assert refused(api("daumoi").get(url), 404)
    assert api("xem").get(url).status_code == 200
    assert refused(api("dieuphoi").get(f"/api/v1/rollouts/{rollout.code}/training/{HUGE}/"), 404)


def test_changing_a_session_refuses_bad_input(api, rollout, session):
    check_bad(
        api,
        "dieuphoi",
        "patch",
        f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/",
        [
            ({"level": "expert"}, "level"),
            ({"units": OWN}, "units"),
            ({"units": []}, "units"),
            ({"units": ["01"]}, "units"),
            ({"held_on": 20260310}, "held_on"),
            ({"held_on": "1999-01-01"}, "held_on"),
            ({"trainer": "x" * 201}, "trainer"),
            ({"trainer": ""}, "trainer"),
            ({"materials": [HUGE]}, "materials.0"),
            ({"room": "A1"}, "room"),
            ({}, "__all__"),  # nothing changed
            ([OWN], "__all__"),
        ],
        lambda: _session_row(session),
    )


def test_session_read_costs_a_fixed_number_of_queries(api, rollout, session, django_assert_num_queries):
    client = api("daumoi")
    url = f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/"
    client.get(url), api("dieuphoi").get(url + "code/")  # warm up (caches filled by whatever ran before, or not)
    with django_assert_num_queries(QUERIES["session"]):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(QUERIES["code"]):
        assert api("dieuphoi").get(url + "code/").status_code == 200


QUERIES = {"session": 4, "code": 4}  # once warm (a first read fills the per-process caches)


def test_coordinator_opens_and_closes_the_attendance_code(api, users, rollout, session):
    url = f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/code/"
    opened = api("dieuphoi").post(url, {"minutes": 30}, format="json")
    assert opened.status_code == 200, opened.content
    code = opened.json()["code"]
    assert opened.json()["open"] is True and len(code) == 6
    assert api("dieuphoi").get(url).json()["code"] == code
    signed = api("congchuc").post("/api/v1/rollouts/training/sign-in/", {"code": code}, format="json")
    assert signed.status_code == 201, signed.content
    closed = api("dieuphoi").post(url + "close/")
    assert closed.status_code == 200, closed.content
    assert closed.json()["open"] is False and closed.json()["attendees"] == 1
    assert refused(api("dieuphoi").post(url + "close/"), 400, "__all__")  # not open
    late = api("daumoi").post("/api/v1/rollouts/training/sign-in/", {"code": code}, format="json")
    assert refused(late, 400, "code")


def test_attendance_code_by_role(api, users, rollout, session):
    url = f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/code/"
    others = {"lanhdao": 403, "daumoi": 403, "congchuc": 403, "xem": 403, "stranger": 404}
    check_matrix(api, "get", url, None, others)
    check_matrix(api, "post", url, {"minutes": 30}, others)
    assert TrainingSession.objects.get(pk=session.pk).code_open_until is None
    preparation.attendance_code_open(actor=users["dieuphoi"], session=session, minutes=30)
    check_matrix(api, "post", url + "close/", None, others)
    assert TrainingSession.objects.get(pk=session.pk).code_open_until > timezone.now()


def test_opening_the_code_refuses_bad_input(api, rollout, session):
    check_bad(
        api,
        "dieuphoi",
        "post",
        f"/api/v1/rollouts/{rollout.code}/training/{session.pk}/code/",
        [
            ({}, "minutes"),
            ({"minutes": 0}, "minutes"),
            ({"minutes": 241}, "minutes"),
            ({"minutes": "30"}, "minutes"),
            ({"minutes": True}, "minutes"),
            ({"minutes": 30, "code": "ABCDEF"}, "code"),
            ([30], "__all__"),
        ],
        lambda: TrainingSession.objects.filter(pk=session.pk).values_list("attendance_code", "code_open_until")[0],
    )
