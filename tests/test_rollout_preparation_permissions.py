"""Who opens which page of phases 1–2 (role × unit): 404 where the rollout or unit is not visible, 403 where it is
visible but the action is not theirs, a log-in redirect for the anonymous."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.rollout_preparation_fixtures import HAI_AN, make_rollout, other_commune
from tincay.orgunits.models import AdminUnit
from tincay.rollout.services import preparation as services

pytestmark = pytest.mark.django_db

# page → expected status per persona (stranger: a signed-in user without any membership; None: anonymous)
PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "xem", "chamdiem", "thamdinh", "stranger", None]
GET_MATRIX = {
    #                       quantri dieuphoi lanhdao daumoi congchuc xem chamdiem thamdinh stranger anon
    "survey_editor": [200, 200, 403, 403, 403, 403, 404, 404, 404, 302],
    "survey_compare": [200, 200, 200, 200, 200, 200, 404, 404, 404, 302],
    "answer_own": [200, 200, 200, 200, 200, 200, 404, 404, 404, 302],
    "answer_other": [200, 200, 404, 404, 404, 200, 404, 404, 404, 302],
    "reopen": [200, 200, 403, 403, 403, 403, 404, 404, 404, 302],
    "training_list": [200, 200, 200, 200, 200, 200, 404, 404, 404, 302],
    "session_with_ward": [200, 200, 200, 200, 200, 200, 404, 404, 404, 302],
    "session_without_ward": [200, 200, 404, 404, 404, 200, 404, 404, 404, 302],
    "session_edit": [200, 200, 403, 403, 403, 403, 404, 404, 404, 302],
    "session_code": [200, 200, 403, 403, 403, 403, 404, 404, 404, 302],
    "sign_in": [200, 200, 200, 200, 200, 200, 200, 200, 200, 302],
}


@pytest.fixture
def world(users):
    rollout = make_rollout()
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    ward, other = AdminUnit.objects.get(key=HAI_AN), other_commune()
    common = {"held_on": dt.date(2026, 3, 20), "trainer": "Chi cục", "topic": "ISO 18091", "level": "basic"}
    with_ward = services.training_session_create(actor=users["dieuphoi"], rollout=rollout, units=[ward], **common)
    without = services.training_session_create(actor=users["dieuphoi"], rollout=rollout, units=[other], **common)
    base = f"/rollout/{rollout.code}"
    return {
        "rollout": rollout,
        "urls": {
            "survey_editor": f"{base}/survey/",
            "survey_compare": f"{base}/survey/compare/",
            "answer_own": f"{base}/units/{HAI_AN}/survey/",
            "answer_other": f"{base}/units/{other.key}/survey/",
            "reopen": f"{base}/units/{HAI_AN}/survey/reopen/",
            "training_list": f"{base}/training/",
            "session_with_ward": f"{base}/training/{with_ward.pk}/",
            "session_without_ward": f"{base}/training/{without.pk}/",
            "session_edit": f"{base}/training/{with_ward.pk}/edit/",
            "session_code": f"{base}/training/{with_ward.pk}/code/",
            "sign_in": "/rollout/training/sign-in/",
        },
        "with_ward": with_ward,
    }


def client_as(client_for, stranger, who):
    if who == "stranger":
        from django.test import Client

        client = Client()
        client.force_login(stranger)
        return client
    return client_for(who)


@pytest.mark.parametrize("page", list(GET_MATRIX))
def test_page_permission_matrix(client_for, stranger, world, page):
    url = world["urls"][page]
    got = [client_as(client_for, stranger, who).get(url).status_code for who in PERSONAS]
    assert dict(zip(PERSONAS, got, strict=True)) == dict(zip(PERSONAS, GET_MATRIX[page], strict=True))


def test_unknown_rollout_is_not_found(client_for):
    assert client_for("dieuphoi").get("/rollout/khong-co/survey/compare/").status_code == 404


WRITES = {
    # page, form data → statuses for lanhdao, daumoi, congchuc, xem (the coordinator's 302 is checked last)
    "answer_own": ({"q_staff-total": "12", "action": "save"}, [302, 302, 403, 403]),
    "survey_editor": ({"text_vi": "Câu hỏi?", "key": "cau-hoi", "kind": "text"}, [403, 403, 403, 403]),
    "training_list": (
        {"topic": "Chủ đề", "held_on": "20/03/2026", "level": "basic", "trainer": "Chi cục", "every_unit": "on"},
        [403, 403, 403, 403],
    ),
    "session_with_ward": ({"name": "Nguyễn Văn D", "unit": HAI_AN}, [403, 403, 403, 403]),
    "session_code": ({"minutes": "10"}, [403, 403, 403, 403]),
}


@pytest.mark.parametrize("page", list(WRITES))
def test_write_permission_matrix(client_for, world, page):
    data, expected = WRITES[page]
    url = world["urls"][page]
    got = [client_for(who).post(url, data).status_code for who in ("lanhdao", "daumoi", "congchuc", "xem")]
    assert got == expected
    assert client_for("dieuphoi").post(url, data).status_code == 302
