"""When a unit submits its preliminary survey, the rollout's coordinators (those over its coordinating unit) get a
notice naming the unit and linking to its answers, kept as a message and parameters so each reads it in their own
language; a draft tells nobody, nor does the coordinator hear of their own submission."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import translation

from tests.rollout_preparation_fixtures import HAI_AN, entry_of, full_answers, make_rollout
from tincay.accounts.choices import Role
from tincay.accounts.models import Notification
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit, Membership
from tincay.rollout import access
from tincay.rollout.services import preparation as services

pytestmark = pytest.mark.django_db
SUBMITTED = "%(unit)s submitted its answers to the preliminary survey of %(rollout)s."


@pytest.fixture
def rollout(users):
    rollout = make_rollout()
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    return rollout


@pytest.fixture
def other_province_coordinator():
    """A coordinator of Hà Nội: not a coordinator of the Hải Phòng rollout."""
    person = get_user_model().objects.create_user("dieuphoi-hn", password="Dieu-phoi-Ha-Noi-2026")
    Membership.objects.create(user=person, unit=AdminUnit.objects.get(key="01"), role=Role.COORDINATOR, subtree=True)
    return person


def _submitted_notices():
    """Notices of this test's rollout (the demo's rollouts have told their coordinators of their own units)."""
    return Notification.objects.filter(message=SUBMITTED, url__startswith="/rollout/hp-thu-nghiem/")


def test_submitting_tells_the_rollouts_coordinators(users, rollout, other_province_coordinator, client_for):
    services.survey_answers_save(actor=users["daumoi"], entry=entry_of(rollout), answers=full_answers(), submit=True)
    notified = set(_submitted_notices().values_list("user__username", flat=True))
    assert notified == {"dieuphoi"}  # not the unit's people, the viewer, the admin nor another province's coordinator
    notice = _submitted_notices().get()
    unit = AdminUnit.objects.get(key=HAI_AN)
    assert notice.params["unit"] == unit.name
    assert notice.url == f"/rollout/{rollout.code}/units/{HAI_AN}/survey/"
    with translation.override("en"):
        english = notice.shown
    assert english == f"{unit.name} submitted its answers to the preliminary survey of {rollout.title_en}."
    with translation.override("vi"):
        assert unit.name in notice.shown and rollout.title_vi in notice.shown
    page = client_for("dieuphoi").get(notice.url)
    assert page.status_code == 200 and unit.name in page.content.decode()


def test_the_coordinators_are_those_over_the_coordinating_unit(users, rollout, other_province_coordinator):
    assert [u.username for u in access.rollout_coordinators(rollout)] == ["dieuphoi"]
    Membership.objects.filter(user=users["dieuphoi"]).update(subtree=False)  # still on Hải Phòng itself
    assert [u.username for u in access.rollout_coordinators(rollout)] == ["dieuphoi"]
    users["dieuphoi"].is_active = False
    users["dieuphoi"].save(update_fields=["is_active"])
    assert list(access.rollout_coordinators(rollout)) == []


def test_a_draft_tells_nobody(users, rollout):
    services.survey_answers_save(actor=users["daumoi"], entry=entry_of(rollout), answers=full_answers())
    assert not _submitted_notices().exists()


def test_a_refused_submission_tells_nobody(users, rollout):
    with pytest.raises(InvalidInput):
        services.survey_answers_save(
            actor=users["daumoi"], entry=entry_of(rollout), answers={"difficulties": "Thiếu người."}, submit=True
        )
    assert not _submitted_notices().exists()


def test_the_coordinator_is_not_told_of_their_own_submission(users, rollout):
    services.survey_answers_save(actor=users["dieuphoi"], entry=entry_of(rollout), answers=full_answers(), submit=True)
    assert not _submitted_notices().exists()


def test_the_email_names_the_unit(users, rollout, django_capture_on_commit_callbacks):
    users["dieuphoi"].email = "dieuphoi@haiphong.gov.vn"
    users["dieuphoi"].save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_answers_save(
            actor=users["lanhdao"], entry=entry_of(rollout), answers=full_answers(), submit=True
        )
    (message,) = [m for m in mail.outbox if "dieuphoi@haiphong.gov.vn" in m.to]
    unit = AdminUnit.objects.get(key=HAI_AN)
    assert unit.name in message.subject
    assert f"/rollout/{rollout.code}/units/{HAI_AN}/survey/" in message.body
