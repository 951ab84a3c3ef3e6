"""Approval freezes a version; later changes mark the programme changed while the public keeps the approved version;
the next approval makes version n+1, and the differences between versions (and with the draft) are visible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.improvement_programme_fixtures import (
    document,
    fields,
    final_campaign,
    make_programme,
    own_assessment,
    user,
)
from tincay.common.errors import InvalidInput
from tincay.improvement import versions
from tincay.improvement.choices import ProgrammeStatus
from tincay.improvement.selectors import programmes as selectors
from tincay.improvement.services import actions, programmes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "ctht-versions") as c:
        yield c


def _content(title="CT", actions_=()):
    return {"programme": {"title": title, "summary": ""}, "actions": list(actions_)}


def test_diff_names_added_removed_and_changed_actions_with_fields():
    a1 = {"id": 1, "number": 1, "title": "Một", "deadline": "2026-12-31", "criteria": ["1.1.1"]}
    a2 = {"id": 2, "number": 2, "title": "Hai", "deadline": "2026-06-30", "criteria": []}
    a3 = {"id": 3, "number": 3, "title": "Ba", "deadline": "2026-06-30", "criteria": []}
    old = _content("Cũ", [a1, a2])
    new = _content("Mới", [{**a1, "deadline": "2027-01-31", "criteria": ["1.1.1", "1.1.2"]}, a3])
    found = versions.diff(old, new)
    assert [(d.kind, d.number) for d in found] == [("programme", None), ("changed", 1), ("removed", 2), ("added", 3)]
    assert found[0].changes == (versions.FieldChange("title", "Cũ", "Mới"),)
    changed = {c.field: (c.before, c.after) for c in found[1].changes}
    assert changed == {"deadline": ("2026-12-31", "2027-01-31"), "criteria": (["1.1.1"], ["1.1.1", "1.1.2"])}
    assert versions.diff(new, new) == []
    assert [d.kind for d in versions.diff(None, new)] == ["programme", "added", "added"]


def test_approval_freezes_every_field_and_later_changes_keep_the_public_version(campaign):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment, n_actions=2)
    doc = document(assessment)
    first = programme.actions.get(number=1)
    actions.action_update(
        actor=user("daumoi"), action=first, revision=programme.revision, documents=[doc], target_value=None
    )
    programme.refresh_from_db()
    lanhdao = user("lanhdao")
    v1 = programmes.programme_approve(actor=lanhdao, programme=programme, revision=programme.revision, note="Đồng ý.")
    programme.refresh_from_db()
    assert v1.number == 1 and programme.approved_version == v1 and programme.status == ProgrammeStatus.APPROVED
    frozen = v1.content["actions"][0]
    assert frozen["id"] == first.pk and frozen["number"] == 1
    assert frozen["department"] == "Phòng Kinh tế, Hạ tầng và Đô thị"
    assert frozen["budget_vnd"] == 1_500_000 and frozen["deadline"] == "2026-12-31"
    assert frozen["documents"] == [doc.pk]
    assert frozen["criteria"] and frozen["indicators"]
    for name in (
        "title",
        "description",
        "starts_on",
        "budget_source",
        "expected_result",
        "status",
        "progress",
        "weight",
        "responsible",
        "target_value",
        "cancel_reason",
        "finished_on",
    ):
        assert name in frozen
    assert v1.content["programme"]["title"] == programme.title

    # approving again with nothing changed is refused
    with pytest.raises(InvalidInput):
        programmes.programme_approve(actor=lanhdao, programme=programme, revision=programme.revision)

    # a progress update is execution, not a change of the plan
    actions.progress_post(
        actor=user("congchuc"),
        action=first,
        on=timezone.localdate(),
        title="Đã họp",
        note="",
        progress=60,
        status="in_progress",
        document_ids=[],
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED

    # a change of an action after approval: changed; the approved version stays the same
    actions.action_update(
        actor=user("daumoi"), action=first, revision=programme.revision, deadline=dt.date(2027, 3, 31)
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CHANGED
    assert programme.approved_version_id == v1.pk
    v1.refresh_from_db()
    assert v1.content["actions"][0]["deadline"] == "2026-12-31"
    draft = selectors.draft_step(programme)
    changed = [d for d in draft.differences if d.kind == "changed" and d.number == 1]
    assert changed and ("deadline", "2026-12-31", "2027-03-31") in [
        (c.field, c.before, c.after) for c in changed[0].changes
    ]

    # a new action and a programme edit, then the next approval: version 2 with its differences
    actions.action_create(
        actor=user("daumoi"), programme=programme, revision=programme.revision, **fields(assessment, title="Mới")
    )
    programme.refresh_from_db()
    programmes.programme_update(
        actor=user("daumoi"), programme=programme, revision=programme.revision, title="CTHĐ sửa", summary="Tóm tắt"
    )
    programme.refresh_from_db()
    v2 = programmes.programme_approve(actor=lanhdao, programme=programme, revision=programme.revision)
    programme.refresh_from_db()
    assert v2.number == 2 and programme.approved_version_id == v2.pk and programme.status == ProgrammeStatus.APPROVED
    step = selectors.version_step(programme, 2)
    kinds = {(d.kind, d.number) for d in step.differences}
    assert {("programme", None), ("changed", 1), ("added", 3)} <= kinds
    assert [s.new.number for s in selectors.version_steps(programme)] == [2, 1]


def test_approval_needs_an_action_that_is_not_cancelled(campaign):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment, n_actions=1)
    only = programme.actions.get()
    actions.action_cancel(actor=user("daumoi"), action=only, revision=programme.revision, reason="Trùng lặp.")
    programme.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        programmes.programme_approve(actor=user("lanhdao"), programme=programme, revision=programme.revision)
    assert "__all__" in caught.value.errors
    assert not programme.versions.exists()


def test_version_pages_show_the_differences(campaign, client_for):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment, n_actions=1, approve=True)
    first = programme.actions.get()
    actions.action_update(actor=user("daumoi"), action=first, revision=programme.revision, title="Tên mới")
    client = client_for("lanhdao")
    listing = client.get(f"/improvement/programmes/{programme.pk}/versions/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Tên mới" in text and "Hành động 1" in text
    assert client.get(f"/improvement/programmes/{programme.pk}/versions/1/").status_code == 200
    assert client.get(f"/improvement/programmes/{programme.pk}/versions/9/").status_code == 404
    assert client.get(f"/improvement/programmes/{programme.pk}/versions/draft/").status_code == 200
    page = client.get(f"/improvement/programmes/{programme.pk}/")
    assert page.status_code == 200
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.CHANGED
    confirm = client.get(f"/improvement/programmes/{programme.pk}/approve/")
    assert confirm.status_code == 200 and "Tên mới" in confirm.content.decode()
    programme.refresh_from_db()
    done = client.post(f"/improvement/programmes/{programme.pk}/approve/", {"revision": programme.revision, "note": ""})
    assert done.status_code == 302
    programme.refresh_from_db()
    assert programme.approved_version.number == 2
