"""Notices read in the reader's language, e-mails say what happened and where, Django's own messages in Vietnamese."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_noop

from tests.assessment_fixtures import complete, make_campaign
from tincay.accounts import services as account_services
from tincay.accounts.models import Notification
from tincay.assessments.forms import CampaignForm
from tincay.assessments.services.transitions import assessment_transition
from tincay.orgunits.models import PeerGroup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_inboxes():
    """Every inbox starts empty (the demo's rollout has told units of their phases), rolled back afterwards."""
    from tincay.accounts.models import Notification

    Notification.objects.all().delete()


@pytest.fixture
def submitted(users, django_capture_on_commit_callbacks):
    campaign = make_campaign(users, code="thong-bao")
    assessment = campaign.assessments.get(unit__key="11413")
    complete(assessment)
    users["lanhdao"].email = "lanhdao@haian.gov.vn"
    users["lanhdao"].save(update_fields=["email"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assessment_transition(user=users["daumoi"], assessment=assessment, action="submit")
    return assessment


def test_a_workflow_notice_reads_in_each_readers_language(submitted, users):
    notice = Notification.objects.get(user=users["lanhdao"])
    with translation.override("vi"):
        vietnamese = notice.shown
    with translation.override("en"):
        english = notice.shown
    assert "Trình lãnh đạo" in vietnamese and submitted.unit.name in vietnamese
    assert "Submit to the leader" in english and " by " in english
    assert "Kỳ kiểm thử" in english  # no English title: the Vietnamese one, never an empty gap
    assert notice.text == vietnamese


def test_the_notice_email_says_what_happened_and_for_which_unit(submitted):
    (message,) = [m for m in mail.outbox if "lanhdao@haian.gov.vn" in m.to]
    assert message.subject != "TinCậy"
    assert submitted.unit.name in message.subject and "Trình lãnh đạo" in message.subject
    assert "Submit to the leader" in message.subject  # Vietnamese / English
    assert "Trình lãnh đạo" in message.body and "Submit to the leader" in message.body


def test_a_stored_notice_whose_parameters_no_longer_fit_still_shows(users):
    account_services.notify(users=[users["xem"]], message=gettext_noop("%(unit)s: %(step)s"), params={"unit": "A"})
    notice = Notification.objects.get(user=users["xem"])
    assert notice.shown == "%(unit)s: %(step)s"
    assert users["xem"].notifications.count() == 1


def test_notices_page_shows_the_readers_language(submitted, client_for):
    client = client_for("lanhdao")
    assert "Trình lãnh đạo" in client.get("/accounts/notifications/").content.decode()
    client.cookies["django_language"] = "en"
    page = client.get("/accounts/notifications/").content.decode()
    assert "Submit to the leader" in page and "Trình lãnh đạo" not in page


def test_djangos_own_password_messages_read_in_vietnamese(users):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password("Ab1", user=users["xem"])
    text = " ".join(refused.value.messages)
    assert "Mật khẩu này quá ngắn" in text and "10" in text
    assert "too short" not in text


def test_peer_groups_and_versions_read_in_english_in_the_campaign_form(db):
    group = PeerGroup.objects.create(code="nhom-thu", name_vi="Phường đô thị", name_en="Urban wards")
    with translation.override("en"):
        form = CampaignForm(versions=[], peer_groups=[group], baselines=[])
        assert ("nhom-thu", "Urban wards") in form.fields["peer_group"].choices
    with translation.override("vi"):
        form = CampaignForm(versions=[], peer_groups=[group], baselines=[])
        assert ("nhom-thu", "Phường đô thị") in form.fields["peer_group"].choices
