"""Every write of the issue 10 API refuses bad input with the API's error shape and stores nothing: a wrong shape
(a list, null or a text as the body), a wrong type ("3" as a revision, a number as a text, "yes" as a boolean in
JSON), a value out of range (a budget of 10^16 đồng, progress 101 %, an offset of 400 days, an id beyond the
database's integers), unknown choices and fields, NUL characters, and things that are not the person's (403) or
not visible to them (404). After each refusal the counts are as they were and the reads still answer 200."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests.improvement_programme_fixtures import final_campaign, make_programme, own_assessment, user
from tests.rollout_board_fixtures import OWN, make_rollout
from tincay.improvement.models import Action, ImprovementArea, Programme, ProgressUpdate, ReminderRule
from tincay.rollout.models import Attendance, GateRecord, PhaseRecord, SurveyAnswer, TrainingSession
from tincay.rollout.services import preparation

pytestmark = pytest.mark.django_db

HUGE = 10**30
TODAY = timezone.localdate().isoformat()


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "api10-bad-input") as campaign:
        yield campaign


@pytest.fixture
def world(campaign, users):
    programme = make_programme(own_assessment(campaign), n_actions=1)
    rollout = make_rollout(users, code="api10-bad")
    preparation.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    return {"programme": programme, "action": programme.actions.get(), "rollout": rollout, "users": users}


def api(username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(user(username))
    return client


def _counts() -> dict[str, int]:
    models = (
        Programme,
        Action,
        ProgressUpdate,
        ImprovementArea,
        ReminderRule,
        GateRecord,
        PhaseRecord,
        SurveyAnswer,
        TrainingSession,
        Attendance,
    )
    counts = {m.__name__: m.objects.count() for m in models}
    counts["revisions"] = sum(Programme.objects.values_list("revision", flat=True))
    counts["progress"] = sum(Action.objects.values_list("progress", flat=True))
    return counts


def _cases(world):
    p, a, r = world["programme"], world["action"], world["rollout"].code
    assessment = p.assessment_id
    rev = p.revision
    entry = f"/api/v1/rollouts/{r}/units/{OWN}"
    return [
        # programmes
        ("daumoi", "post", "/api/v1/programmes/", [], 400, "__all__"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": str(assessment), "title": "X"}, 400, "assessment"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": HUGE, "title": "X"}, 400, "assessment"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": assessment, "title": 5}, 400, "title"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": assessment, "title": "a\x00b"}, 400, "title"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": assessment, "title": "X", "x": 1}, 400, "x"),
        ("daumoi", "post", "/api/v1/programmes/", {"assessment": assessment, "title": "X"}, 400, "__all__"),  # has one
        ("daumoi", "patch", f"/api/v1/programmes/{p.pk}/", {"revision": "3", "title": "X"}, 400, "revision"),
        ("daumoi", "patch", f"/api/v1/programmes/{p.pk}/", {"revision": -1, "title": "X"}, 400, "revision"),
        ("daumoi", "patch", f"/api/v1/programmes/{p.pk}/", {"revision": rev, "title": "x" * 501}, 400, "title"),
        ("congchuc", "patch", f"/api/v1/programmes/{p.pk}/", {"revision": rev, "title": "X"}, 403, "__all__"),
        ("daumoi", "post", f"/api/v1/programmes/{p.pk}/approve/", {"revision": rev}, 403, "__all__"),
        ("lanhdao", "post", f"/api/v1/programmes/{p.pk}/approve/", {"revision": True}, 400, "revision"),
        # actions
        (
            "daumoi",
            "post",
            f"/api/v1/programmes/{p.pk}/actions/",
            {"revision": rev, "budget_vnd": 10**16},
            400,
            "budget_vnd",
        ),
        ("daumoi", "post", f"/api/v1/programmes/{p.pk}/actions/", {"revision": rev, "progress": 101}, 400, "progress"),
        ("daumoi", "post", f"/api/v1/programmes/{p.pk}/actions/", {"revision": rev, "status": "purple"}, 400, "status"),
        (
            "daumoi",
            "post",
            f"/api/v1/programmes/{p.pk}/actions/",
            {"revision": rev, "deadline": "31/12/2026"},
            400,
            "deadline",
        ),
        ("daumoi", "post", f"/api/v1/programmes/{p.pk}/actions/", {"revision": rev, "areas": "1"}, 400, "areas"),
        (
            "daumoi",
            "post",
            f"/api/v1/programmes/{p.pk}/actions/",
            {"revision": rev, "target_value": "abc"},
            400,
            "target_value",
        ),
        (
            "daumoi",
            "post",
            f"/api/v1/programmes/{p.pk}/actions/",
            {"revision": rev, "title": "X", "deadline": "2026-12-31"},
            400,
            "__all__",
        ),
        ("daumoi", "patch", f"/api/v1/actions/{a.pk}/", {"revision": rev, "status": "cancelled"}, 400, "status"),
        ("daumoi", "patch", f"/api/v1/actions/{a.pk}/", {"revision": rev, "documents": [HUGE]}, 400, "documents.0"),
        (
            "daumoi",
            "patch",
            f"/api/v1/actions/{a.pk}/",
            {"revision": rev, "department": 999_999_999},
            400,
            "department",
        ),
        ("congchuc", "patch", f"/api/v1/actions/{a.pk}/", {"revision": rev, "progress": 50}, 403, "__all__"),
        ("daumoi", "post", f"/api/v1/actions/{a.pk}/cancel/", {"revision": rev, "reason": ""}, 400, "reason"),
        (
            "congchuc",
            "post",
            f"/api/v1/actions/{a.pk}/progress/",
            {"on": "2099-01-01", "title": "X", "status": "done"},
            400,
            "on",
        ),
        (
            "congchuc",
            "post",
            f"/api/v1/actions/{a.pk}/progress/",
            {"on": TODAY, "title": "X", "status": "in_progress", "progress": 150},
            400,
            "progress",
        ),
        (
            "congchuc",
            "post",
            f"/api/v1/actions/{a.pk}/progress/",
            {"on": TODAY, "title": "X", "status": "done", "progress": 10},
            400,
            "progress",
        ),
        (
            "xem",
            "post",
            f"/api/v1/actions/{a.pk}/progress/",
            {"on": "2026-02-01", "title": "X", "status": "done"},
            403,
            "__all__",
        ),
        # areas
        (
            "daumoi",
            "post",
            f"/api/v1/assessments/{assessment}/areas/accept/",
            {"codes": "1.1", "stage": "short"},
            400,
            "codes",
        ),
        (
            "daumoi",
            "post",
            f"/api/v1/assessments/{assessment}/areas/accept/",
            {"codes": ["1.1"], "stage": "long"},
            400,
            "stage",
        ),
        (
            "daumoi",
            "post",
            f"/api/v1/assessments/{assessment}/areas/",
            {"indicator": "99.99", "stage": "short"},
            400,
            None,
        ),
        ("congchuc", "post", f"/api/v1/assessments/{assessment}/areas/suggest/", None, 403, "__all__"),
        # effectiveness
        (
            "dieuphoi",
            "post",
            f"/api/v1/programmes/{p.pk}/actions/{a.pk}/verdict/",
            {"verdict": "great"},
            400,
            "verdict",
        ),
        ("dieuphoi", "post", f"/api/v1/programmes/{p.pk}/actions/{a.pk}/verdict/", {"verdict": "effective"}, 400, None),
        # reminder rules
        (
            "quantri",
            "post",
            "/api/v1/reminder-rules/",
            {"name": "X", "offset_days": 400, "recipients": ["responsible"], "channels": ["in_app"]},
            400,
            "offset_days",
        ),
        (
            "quantri",
            "post",
            "/api/v1/reminder-rules/",
            {"name": "X", "offset_days": 1, "recipients": ["everyone"], "channels": ["in_app"]},
            400,
            "recipients.0",
        ),
        (
            "quantri",
            "post",
            "/api/v1/reminder-rules/",
            {"name": "X", "offset_days": 1, "recipients": [], "channels": []},
            400,
            None,
        ),
        (
            "dieuphoi",
            "post",
            "/api/v1/reminder-rules/",
            {"name": "X", "offset_days": 1, "recipients": ["responsible"], "channels": ["in_app"]},
            403,
            "__all__",
        ),
        # rollouts
        ("dieuphoi", "post", f"{entry}/phase/", {"phase": "nope", "on": "2026-02-01"}, 400, None),
        ("dieuphoi", "post", f"{entry}/phase/", {"phase": "training", "on": "2099-01-01", "reason": "x"}, 400, "on"),
        ("dieuphoi", "post", f"{entry}/phase/", {"phase": "training", "on": 20260201}, 400, "on"),
        ("daumoi", "post", f"{entry}/phase/", {"phase": "training", "on": "2026-02-01", "reason": "x"}, 403, "__all__"),
        (
            "dieuphoi",
            "post",
            f"{entry}/skip/",
            {"phase": "preparation", "on": "2026-02-01", "reason": ""},
            400,
            "reason",
        ),
        ("dieuphoi", "post", f"{entry}/gates/", {"gate": "steering_decision", "met": "yes", "reason": "x"}, 400, "met"),
        ("dieuphoi", "post", f"{entry}/gates/", {"gate": "nope", "met": True, "reason": "x"}, 400, "gate"),
        (
            "dieuphoi",
            "post",
            f"{entry}/gates/",
            {"gate": "support_team", "met": True, "reason": "x", "document": HUGE},
            400,
            "document",
        ),
        ("daumoi", "post", f"{entry}/survey/", {"answers": []}, 400, "answers"),
        ("daumoi", "post", f"{entry}/survey/", {"answers": {"staff-total": "a\x00"}}, 400, "answers.staff-total"),
        ("daumoi", "post", f"{entry}/survey/", {"answers": {"staff-total": -5}}, 400, None),
        ("daumoi", "post", f"{entry}/survey/", {"answers": {}, "submit": True}, 400, None),
        ("xem", "post", f"{entry}/survey/", {"answers": {"staff-total": 5}}, 403, "__all__"),
        (
            "dieuphoi",
            "post",
            f"/api/v1/rollouts/{r}/training/",
            {"units": [OWN], "held_on": "2026-03-10", "trainer": "X", "topic": "Y", "level": "expert"},
            400,
            "level",
        ),
        (
            "dieuphoi",
            "post",
            f"/api/v1/rollouts/{r}/training/",
            {"units": [], "held_on": "2026-03-10", "trainer": "X", "topic": "Y", "level": "basic"},
            400,
            "units",
        ),
        (
            "dieuphoi",
            "post",
            f"/api/v1/rollouts/{r}/training/",
            {"units": ["01"], "held_on": "2026-03-10", "trainer": "X", "topic": "Y", "level": "basic"},
            400,
            "units",
        ),
        (
            "daumoi",
            "post",
            f"/api/v1/rollouts/{r}/training/",
            {"units": [OWN], "held_on": "2026-03-10", "trainer": "X", "topic": "Y", "level": "basic"},
            403,
            "__all__",
        ),
        ("congchuc", "post", "/api/v1/rollouts/training/sign-in/", {"code": "ZZZZZZ"}, 400, None),
        ("congchuc", "post", "/api/v1/rollouts/training/sign-in/", {"code": ["x"]}, 400, "code"),
        # not visible
        ("daumoi", "get", f"/api/v1/programmes/{HUGE}/", None, 404, "__all__"),
        ("daumoi", "post", f"/api/v1/actions/{HUGE}/progress/", {"title": "X"}, 404, "__all__"),
        ("daumoi", "post", f"/api/v1/rollouts/{r}/units/11311/survey/", {"answers": {}}, 404, "__all__"),
        ("chamdiem", "get", f"/api/v1/rollouts/{r}/", None, 404, "__all__"),
    ]


def test_bad_writes_are_refused_in_the_api_shape_and_store_nothing(world):
    before = _counts()
    wrong = []
    for who, method, url, body, expected, field in _cases(world):
        client = api(who)
        call = getattr(client, method)
        response = call(url, body, format="json") if body is not None else call(url)
        data = response.json()
        shape = isinstance(data, dict) and isinstance(data.get("detail"), str) and isinstance(data.get("errors"), dict)
        if response.status_code != expected or not shape or (field is not None and field not in data["errors"]):
            wrong.append((who, method, url, body, expected, response.status_code, data))
    assert wrong == []
    assert _counts() == before
    p, code = world["programme"], world["rollout"].code
    for url in (
        f"/api/v1/programmes/{p.pk}/",
        f"/api/v1/actions/{world['action'].pk}/progress/",
        f"/api/v1/rollouts/{code}/",
        f"/api/v1/rollouts/{code}/units/{OWN}/",
        f"/api/v1/rollouts/{code}/survey/compare/",
    ):
        assert api("quantri").get(url).status_code == 200, url


def test_bad_query_parameters_are_400(world):
    code = world["rollout"].code
    for url, params, name in (
        ("/api/v1/coordination/", {"campaign": "a\x00"}, "campaign"),
        ("/api/v1/coordination/", {"limit": "0"}, "limit"),
        ("/api/v1/rollouts/{code}/", {"page": "abc"}, "page"),
        ("/api/v1/rollouts/{code}/", {"phase": "nope"}, "phase"),
        ("/api/v1/rollouts/{code}/", {"q": "x\x00"}, "q"),
        ("/api/v1/reminders/", {"rule": "abc"}, "rule"),
        ("/api/v1/reminders/", {"state": "lost"}, "state"),
        ("/api/v1/reminders/", {"due_from": "31/12/2026"}, "due_from"),
        ("/api/v1/programmes/", {"offset": str(HUGE)}, "offset"),
    ):
        response = api("quantri").get(url.format(code=code), params)
        assert response.status_code == 400 and name in response.json()["errors"], (url, params, response.content)
