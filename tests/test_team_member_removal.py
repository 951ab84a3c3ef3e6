"""A coordinator takes a scorer or a council member off a campaign's team: confirmed, recorded, shown in history.

The service is the guard: only the campaign's coordinators (or a command) remove; the member must be on this
campaign's team; bad input is refused with a clear message and nothing changes. Maker ≠ checker at appointment
is unchanged by a removal.
"""

import html

import pytest
from django.contrib.messages import get_messages

from tests.assessment_fixtures import UNITS, make_campaign
from tincay.assessments.access import actor_for
from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import Assessment, CampaignMember
from tincay.assessments.services import campaigns
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.audit.models import AuditEvent
from tincay.orgunits.models import AdminUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def campaign(users):
    return make_campaign(users, code="doi-cham")


def _scorer(campaign):
    return campaign.members.get(role=CampaignRole.SCORER)


def _english(client):
    """Pages in English, so the checks below hold once the Vietnamese catalogue has these messages."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _team(campaign):
    return sorted(campaign.members.values_list("user__username", "role"))


def test_the_coordinator_removes_a_scorer_and_it_is_recorded(campaign, users):
    member = _scorer(campaign)
    own = Assessment.objects.get(campaign=campaign, unit__key=UNITS["own"])
    assert "scorer" in actor_for(users["chamdiem"], own).roles
    campaigns.campaign_member_remove(
        actor=users["dieuphoi"], campaign=campaign, member_id=member.pk, reason="Chuyển công tác"
    )
    assert not campaign.members.filter(user=users["chamdiem"]).exists()
    users["chamdiem"].refresh_from_db()
    chamdiem = type(users["chamdiem"]).objects.get(pk=users["chamdiem"].pk)
    assert "scorer" not in actor_for(chamdiem, own).roles
    event = AuditEvent.objects.filter(action="assessments.campaign_member_removed").latest("id")
    assert event.object_id == str(campaign.pk) and event.reason == "Chuyển công tác"
    assert event.before == {"user": "chamdiem", "name": "Vũ Thị Chấm", "role": "scorer", "units": [UNITS["own"]]}


def test_through_the_page_with_confirmation_and_history(campaign, client_for):
    member = _scorer(campaign)
    client = _english(client_for("dieuphoi"))
    board = client.get(f"/campaigns/{campaign.code}/")
    url = f"/campaigns/{campaign.code}/team/{member.pk}/remove/"
    assert url in board.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Vũ Thị Chấm" in confirm.content.decode()
    assert campaign.members.filter(pk=member.pk).exists()  # asking is not removing
    response = client.post(url, {"reason": "Nghỉ phép dài ngày"})
    assert response.status_code == 302
    assert not campaign.members.filter(pk=member.pk).exists()
    board = client.get(f"/campaigns/{campaign.code}/")
    history = board.context["team_history"]
    assert [(h.change, h.person, h.reason) for h in history[:1]] == [("removed", "Vũ Thị Chấm", "Nghỉ phép dài ngày")]
    assert "taken off the team" in board.content.decode()
    assert {h.change for h in history} == {"removed", "appointed"}


@pytest.mark.parametrize("member_id", ["abc", None, True, -1, 1.5, [1], "999999", ""])
def test_a_member_id_that_is_not_a_member_is_refused(campaign, users, member_id):
    before = _team(campaign)
    with pytest.raises(AssessmentError) as refused:
        campaigns.campaign_member_remove(actor=users["dieuphoi"], campaign=campaign, member_id=member_id)
    assert refused.value.messages_for("member")
    assert _team(campaign) == before


def test_a_member_of_another_campaign_is_refused(campaign, users):
    other = make_campaign(users, code="doi-khac", units={"own": UNITS["own"]})
    stranger_member = _scorer(other)
    with pytest.raises(AssessmentError) as refused:
        campaigns.campaign_member_remove(actor=users["dieuphoi"], campaign=campaign, member_id=stranger_member.pk)
    assert "not (or no longer) on this campaign's team" in refused.value.message
    assert other.members.filter(pk=stranger_member.pk).exists()


@pytest.mark.parametrize("reason", [["x"], 5, "x" * 2001])
def test_a_bad_reason_is_refused_and_nothing_changes(campaign, users, reason):
    member = _scorer(campaign)
    with pytest.raises(AssessmentError) as refused:
        campaigns.campaign_member_remove(actor=users["dieuphoi"], campaign=campaign, member_id=member.pk, reason=reason)
    assert refused.value.messages_for("reason")
    assert campaign.members.filter(pk=member.pk).exists()


@pytest.mark.parametrize("persona", ["daumoi", "lanhdao", "chamdiem", "thamdinh", "xem"])
def test_not_yours_is_refused_in_the_service_and_the_page(campaign, users, client_for, persona):
    member = _scorer(campaign)
    before = _team(campaign)
    with pytest.raises(NotYours):
        campaigns.campaign_member_remove(actor=users[persona], campaign=campaign, member_id=member.pk)
    client = _english(client_for(persona))
    url = f"/campaigns/{campaign.code}/team/{member.pk}/remove/"
    response = client.post(url, {"reason": ""})
    assert response.status_code in (302, 404)
    assert _team(campaign) == before
    assert client.get(url).status_code in (302, 404)  # no confirmation page either
    if response.status_code == 302:
        assert any("coordinators" in str(m) for m in get_messages(response.wsgi_request))
        assert f"/team/{member.pk}/remove/" not in client.get(f"/campaigns/{campaign.code}/").content.decode()


def test_the_page_says_when_the_member_is_already_gone(campaign, client_for):
    member = _scorer(campaign)
    client = _english(client_for("dieuphoi"))
    url = f"/campaigns/{campaign.code}/team/{member.pk}/remove/"
    client.post(url, {"reason": ""})
    again = client.post(url, {"reason": ""}, follow=True)
    assert again.status_code == 200
    assert "no longer) on this campaign's team" in html.unescape(again.content.decode())


def test_a_too_long_reason_keeps_the_confirmation_page_with_what_was_typed(campaign, client_for):
    member = _scorer(campaign)
    response = _english(client_for("dieuphoi")).post(
        f"/campaigns/{campaign.code}/team/{member.pk}/remove/", {"reason": "x" * 2001}
    )
    assert response.status_code == 400
    assert "x" * 2001 in response.content.decode() and "at most 2,000 characters" in response.content.decode()
    assert campaign.members.filter(pk=member.pk).exists()


def test_maker_checker_at_appointment_is_unchanged_after_a_removal(campaign, users):
    member = _scorer(campaign)
    campaigns.campaign_member_remove(actor=users["dieuphoi"], campaign=campaign, member_id=member.pk)
    own = AdminUnit.objects.get(key=UNITS["own"])
    with pytest.raises(AssessmentError):  # the focal point of Hải An still may not score it
        campaigns.campaign_set_member(
            actor=users["dieuphoi"], campaign=campaign, user=users["daumoi"], role="scorer", units=[own]
        )
    campaigns.campaign_set_member(
        actor=users["dieuphoi"], campaign=campaign, user=users["chamdiem"], role="scorer", units=[own]
    )
    assert CampaignMember.objects.filter(campaign=campaign, user=users["chamdiem"]).exists()
