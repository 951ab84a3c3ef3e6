"""Every programme and action service refuses bad input as a whole: out of range, wrong type, wrong shape, not yours,
stale revision → a clear error on the field, nothing stored; the pages showing the data still answer 200."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.improvement_programme_fixtures import (
    CULTURE,
    department,
    document,
    fields,
    final_campaign,
    make_programme,
    own_assessment,
    sibling_assessment,
    user,
)
from tincay.assessments.choices import State
from tincay.common.errors import InvalidInput, Refused
from tincay.improvement.models import Action, ImprovementArea, Programme, ProgressUpdate
from tincay.improvement.services import actions, programmes
from tincay.improvement.services.programmes import ProgrammeConflict
from tincay.orgunits.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "ctht-bad-input") as c:
        yield c


@pytest.fixture
def setup(campaign):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment, n_actions=1)
    return assessment, programme, programme.actions.get()


def _snapshot(programme):
    programme.refresh_from_db()
    return (
        programme.revision,
        programme.title,
        programme.status,
        list(Action.objects.filter(programme=programme).values().order_by("pk")),
        ProgressUpdate.objects.filter(action__programme=programme).count(),
    )


def _refused(call, field=None, kind=InvalidInput):
    with pytest.raises(kind) as caught:
        call()
    if field is not None:
        assert field in caught.value.errors, caught.value.errors
        assert all(str(m) for m in caught.value.errors[field])
    return caught.value


def _pages_answer(client_for, programme, action):
    client = client_for("daumoi")
    assert client.get(f"/improvement/programmes/{programme.pk}/").status_code == 200
    assert client.get(f"/improvement/actions/{action.pk}/").status_code == 200
    assert client.get("/improvement/").status_code == 200


def test_programme_create_refuses(campaign, client_for):
    assessment = own_assessment(campaign)
    daumoi = user("daumoi")
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment=assessment, title="x" * 501), "title")
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment=assessment, title=12), "title")
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment={"pk": 1}, title="CT"), "assessment")
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment=assessment, title=""), "title")
    _refused(
        lambda: programmes.programme_create(actor=user("congchuc"), assessment=assessment, title="CT"), kind=Refused
    )
    _refused(
        lambda: programmes.programme_create(actor=daumoi, assessment=sibling_assessment(campaign), title="CT"),
        kind=Refused,
    )
    type(assessment).objects.filter(pk=assessment.pk).update(state=State.SCORING)
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment=assessment, title="CT"), "__all__")
    assert not Programme.objects.filter(assessment__campaign=campaign).exists()
    type(assessment).objects.filter(pk=assessment.pk).update(state=State.APPROVED)
    make_programme(assessment)
    _refused(lambda: programmes.programme_create(actor=daumoi, assessment=assessment, title="Lần hai"), "__all__")
    assert Programme.objects.filter(assessment=assessment).count() == 1
    page = client_for("daumoi").get(f"/improvement/assessments/{assessment.pk}/programme/")
    assert page.status_code == 302


def test_programme_update_and_approve_refuse(setup, client_for):
    _assessment, programme, action = setup
    before = _snapshot(programme)
    daumoi, lanhdao = user("daumoi"), user("lanhdao")
    rev = programme.revision
    update = programmes.programme_update
    _refused(lambda: update(actor=daumoi, programme=programme, revision=rev, title="", summary=""), "title")
    _refused(lambda: update(actor=daumoi, programme=programme, revision=rev, title="T", summary=["x"]), "summary")
    _refused(lambda: update(actor=daumoi, programme=programme, revision="abc", title="T", summary=""), "revision")
    _refused(lambda: update(actor=daumoi, programme=programme, revision=None, title="T", summary=""), "revision")
    _refused(lambda: update(actor=user("xem"), programme=programme, revision=rev, title="T", summary=""), kind=Refused)
    conflict = _refused(
        lambda: update(actor=daumoi, programme=programme, revision=rev - 1, title="T", summary=""),
        "__all__",
        ProgrammeConflict,
    )
    assert conflict.status == 409
    assert "reload" in conflict.message.lower() or "tải lại" in conflict.message.lower()
    _refused(lambda: update(actor=daumoi, programme="1", revision=rev, title="T", summary=""), "programme")
    approve = programmes.programme_approve
    _refused(lambda: approve(actor=daumoi, programme=programme, revision=rev), kind=Refused)
    _refused(lambda: approve(actor=user("congchuc"), programme=programme, revision=rev), kind=Refused)
    _refused(lambda: approve(actor=lanhdao, programme=programme, revision=rev + 5), "__all__", ProgrammeConflict)
    _refused(lambda: approve(actor=lanhdao, programme=programme, revision=3.5), "revision")
    _refused(lambda: approve(actor=lanhdao, programme=programme, revision=rev, note=7), "note")
    assert _snapshot(programme) == before
    assert not programme.versions.exists()
    _pages_answer(client_for, programme, action)


BAD_ACTION_FIELDS = [
    ("progress", {"progress": 150}),
    ("progress", {"progress": "abc"}),
    ("progress", {"status": "done", "progress": 50}),
    ("progress", {"status": "not_started", "progress": 10}),
    ("budget_vnd", {"budget_vnd": -1}),
    ("budget_vnd", {"budget_vnd": Decimal("1.5")}),
    ("budget_vnd", {"budget_vnd": "1.500.000"}),
    ("budget_vnd", {"budget_vnd": 10**16}),
    ("budget_source", {"budget_source": "tien-tu-troi"}),
    ("weight", {"weight": 0}),
    ("weight", {"weight": 101}),
    ("weight", {"weight": True}),
    ("starts_on", {"starts_on": dt.date(2027, 1, 1), "deadline": dt.date(2026, 1, 1)}),
    ("deadline", {"deadline": None}),
    ("deadline", {"deadline": dt.datetime(2026, 1, 1, 8, 0)}),
    ("deadline", {"deadline": "31/12/2026"}),
    ("deadline", {"deadline": dt.date(1990, 1, 1), "starts_on": None}),
    ("title", {"title": ""}),
    ("title", {"title": "x" * 501}),
    ("title", {"title": ["a"]}),
    ("status", {"status": "bogus"}),
    ("status", {"status": "cancelled"}),
    ("status", {"status": 3}),
    ("indicators", {"indicators": "1,2"}),
    ("criteria", {"criteria": [{"id": 1}]}),
    ("criteria", {"criteria": [10**9]}),
    ("areas", {"areas": [10**9]}),
    ("__all__", {"indicators": [], "criteria": [], "areas": []}),
    ("__all__", {"colour": "red"}),
    ("target_value", {"target_value": "nhiều"}),
    ("target_value", {"target_value": Decimal("12.5")}),  # the linked criterion is not measured
    ("target_value", {"target_value": Decimal("1.00001")}),
]


@pytest.mark.parametrize(
    ("field", "bad"), BAD_ACTION_FIELDS, ids=[f"{f}-{i}" for i, (f, _b) in enumerate(BAD_ACTION_FIELDS)]
)
def test_action_create_refuses_bad_fields(setup, field, bad):
    assessment, programme, _action = setup
    before = _snapshot(programme)
    _refused(
        lambda: actions.action_create(
            actor=user("daumoi"), programme=programme, revision=programme.revision, **fields(assessment, **bad)
        ),
        field,
    )
    assert _snapshot(programme) == before


def test_action_links_that_are_not_this_units(setup, campaign, stranger):
    assessment, programme, _action = setup
    other = sibling_assessment(campaign)
    other_area = ImprovementArea.objects.create(
        assessment=other, indicator=assessment.campaign.version.indicators.first()
    )
    other_doc = document(other, "Tài liệu phường khác")
    other_department = Department.objects.create(unit=other.unit, name="Phòng khác")
    before = _snapshot(programme)
    for field, bad in [
        ("department", {"department": other_department}),
        ("department", {"department": user("xem")}),  # not a department at all
        ("responsible", {"responsible": user("xem")}),  # a person of the city, not of the ward
        ("responsible", {"responsible": stranger}),
        ("documents", {"documents": [other_doc]}),
        ("areas", {"areas": [other_area]}),
    ]:
        _refused(
            lambda bad=bad: actions.action_create(
                actor=user("daumoi"), programme=programme, revision=programme.revision, **fields(assessment, **bad)
            ),
            field,
        )
    _refused(
        lambda: actions.action_create(
            actor=user("congchuc"), programme=programme, revision=programme.revision, **fields(assessment)
        ),
        kind=Refused,
    )
    _refused(
        lambda: actions.action_create(
            actor=user("daumoi"), programme=programme, revision=programme.revision - 1, **fields(assessment)
        ),
        "__all__",
        ProgrammeConflict,
    )
    assert _snapshot(programme) == before


def test_action_update_and_cancel_refuse(setup, client_for):
    assessment, programme, action = setup
    before = _snapshot(programme)
    daumoi = user("daumoi")
    rev = programme.revision
    update = actions.action_update
    _refused(lambda: update(actor=daumoi, action=action, revision=rev, progress=100), "progress")
    _refused(lambda: update(actor=daumoi, action=action, revision=rev, weight=-3), "weight")
    _refused(
        lambda: update(
            actor=daumoi, action=action, revision=rev, department=department(assessment, CULTURE).pk + 10**6
        ),
        "department",
    )
    _refused(lambda: update(actor=daumoi, action=action, revision=rev), "__all__")  # nothing changed
    _refused(lambda: update(actor=daumoi, action=action, revision=rev - 1, title="Khác"), "__all__", ProgrammeConflict)
    _refused(lambda: update(actor=user("congchuc"), action=action, revision=rev, title="Khác"), kind=Refused)
    _refused(lambda: update(actor=daumoi, action=programme, revision=rev, title="Khác"), "action")
    cancel = actions.action_cancel
    _refused(lambda: cancel(actor=daumoi, action=action, revision=rev, reason=""), "reason")
    _refused(lambda: cancel(actor=daumoi, action=action, revision=rev, reason=42), "reason")
    _refused(
        lambda: cancel(actor=user("lanhdao"), action=action, revision=rev + 1, reason="Lý do"),
        "__all__",
        ProgrammeConflict,
    )
    _refused(lambda: cancel(actor=user("xem"), action=action, revision=rev, reason="Lý do"), kind=Refused)
    assert _snapshot(programme) == before
    _pages_answer(client_for, programme, action)


def test_progress_post_refuses(setup, campaign, client_for):
    _assessment, programme, action = setup
    before = _snapshot(programme)
    today = timezone.localdate()
    post = actions.progress_post
    good = {"on": today, "title": "Đã làm", "note": "", "progress": 60, "status": "in_progress", "document_ids": []}
    congchuc = user("congchuc")
    for field, bad in [
        ("on", {"on": today + dt.timedelta(days=1)}),
        ("on", {"on": dt.date(2020, 1, 1)}),
        ("on", {"on": "hôm nay"}),
        ("on", {"on": None}),
        ("title", {"title": ""}),
        ("title", {"title": "x" * 301}),
        ("note", {"note": {"a": 1}}),
        ("progress", {"progress": 101}),
        ("progress", {"progress": -1}),
        ("progress", {"progress": "năm mươi"}),
        ("progress", {"status": "done", "progress": 90}),
        ("status", {"status": "cancelled"}),
        ("status", {"status": ""}),
        ("status", {"status": ["done"]}),
        ("documents", {"document_ids": [document(sibling_assessment(campaign), "Khác").pk]}),
        ("documents", {"document_ids": "1,2"}),
        ("documents", {"document_ids": [10**9]}),
    ]:
        _refused(lambda bad=bad: post(actor=congchuc, action=action, **{**good, **bad}), field)
    _refused(lambda: post(actor=user("xem"), action=action, **good), kind=Refused)
    _refused(lambda: post(actor=user("dieuphoi"), action=action, **good), kind=Refused)
    assert _snapshot(programme) == before
    # the form keeps what was typed and shows the error next to the field
    response = client_for("congchuc").post(
        f"/improvement/actions/{action.pk}/progress/",
        {"on": today.strftime("%d/%m/%Y"), "title": "Giữ lại điều đã gõ", "status": "done", "progress": "90"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Giữ lại điều đã gõ" in text and "invalid-feedback" in text
    assert _snapshot(programme) == before
    _pages_answer(client_for, programme, action)


def test_action_form_keeps_what_was_typed(setup, client_for):
    _assessment, programme, _action = setup
    before = _snapshot(programme)
    response = client_for("daumoi").post(
        f"/improvement/programmes/{programme.pk}/actions/new/",
        {
            "revision": programme.revision,
            "title": "Tiêu đề đã gõ",
            "deadline": "31/12/2026",
            "budget_vnd": "1.500.000",
            "status": "in_progress",
            "progress": "150",
            "weight": "1",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tiêu đề đã gõ" in text and "1.500.000" in text and "invalid-feedback" in text
    assert _snapshot(programme) == before
