"""Maker ≠ checker is decided when the team is appointed, not only when they act: nobody is appointed scorer of a
unit they hold a membership on, nobody sits on the council of a campaign with a unit they belong to, and a unit
cannot join a campaign whose council member or assigned scorer belongs to it. The message names the unit."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import CampaignMember
from tincay.assessments.services import campaigns
from tincay.assessments.services.errors import NotYours
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.usefixtures("english")

CODE = "nguoi-cham"
HAI_AN, HONG_BANG, HAI_PHONG = "11413", "11311", "31"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    """Hồng Bàng and Hải An take part; the ward personas (lanhdao, daumoi, congchuc) belong to Hải An."""
    with module_campaign(django_db_blocker, CODE, {"sibling": HONG_BANG, "own": HAI_AN}) as campaign:
        yield campaign


def _unit(key):
    return AdminUnit.objects.get(key=key)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lanhdao", "daumoi", "congchuc"])
def test_a_member_of_the_unit_is_refused_as_its_scorer(campaign, users, persona):
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_set_member(
            actor=users["dieuphoi"], campaign=campaign, user=users[persona], role="scorer", units=[_unit(HAI_AN)]
        )
    assert "Phường Hải An" in caught.value.message and "units" in caught.value.errors
    assert not CampaignMember.objects.filter(campaign=campaign, user=users[persona]).exists()


@pytest.mark.django_db
def test_the_same_person_may_score_a_unit_they_do_not_belong_to(campaign, users):
    campaigns.campaign_set_member(
        actor=users["dieuphoi"], campaign=campaign, user=users["daumoi"], role="scorer", units=[_unit(HONG_BANG)]
    )
    member = CampaignMember.objects.get(campaign=campaign, user=users["daumoi"])
    assert [u.key for u in member.units.all()] == [HONG_BANG]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lanhdao", "daumoi"])
def test_a_member_of_any_campaign_unit_is_refused_on_the_council(campaign, users, persona):
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_set_member(actor=users["dieuphoi"], campaign=campaign, user=users[persona], role="council")
    assert "Phường Hải An" in caught.value.message
    assert not CampaignMember.objects.filter(campaign=campaign, user=users[persona]).exists()


@pytest.mark.django_db
def test_the_team_page_refuses_and_says_why(client_for, campaign, users):
    page = client_for("dieuphoi").post(
        f"/campaigns/{CODE}/team/",
        {"username": "daumoi", "role": "scorer", "units": HAI_AN},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200 and "Phường Hải An" in page.content.decode()
    assert not CampaignMember.objects.filter(campaign=campaign, user=users["daumoi"]).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"role": "chairman"}, "role"),
        ({"role": "council", "units": [HONG_BANG]}, "units"),
        ({"units": ["01"]}, "units"),  # Hà Nội does not take part
    ],
)
def test_bad_appointments_are_refused(campaign, users, change, field):
    units = [_unit(key) for key in change.get("units", [HONG_BANG])]
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_set_member(
            actor=users["dieuphoi"],
            campaign=campaign,
            user=users["xem"],
            role=change.get("role", "scorer"),
            units=units,
        )
    assert field in caught.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["daumoi", "chamdiem", "xem"])
def test_only_the_campaigns_coordinators_appoint(campaign, users, persona):
    with pytest.raises(NotYours):
        campaigns.campaign_set_member(actor=users[persona], campaign=campaign, user=users["xem"], role="council")


@pytest.mark.django_db
def test_a_unit_cannot_join_when_a_council_member_belongs_to_it(campaign, users):
    hai_phong = _unit(HAI_PHONG)
    # thamdinh sits on the council and holds a membership on Hải Phòng (the city itself)
    assert CampaignMember.objects.filter(campaign=campaign, user=users["thamdinh"], role="council").exists()
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_add_units(actor=users["dieuphoi"], campaign=campaign, units=[hai_phong])
    assert "Hải Phòng" in caught.value.message
    assert not campaign.assessments.filter(unit=hai_phong).exists()


@pytest.mark.django_db
def test_a_unit_cannot_join_when_its_assigned_scorer_belongs_to_it(campaign, users):
    hai_phong = _unit(HAI_PHONG)
    CampaignMember.objects.filter(campaign=campaign, role=CampaignRole.COUNCIL).delete()
    member = CampaignMember.objects.get(campaign=campaign, user=users["chamdiem"], role="scorer")
    member.units.add(hai_phong)  # recorded before today's rule
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_add_units(actor=users["dieuphoi"], campaign=campaign, units=[hai_phong])
    assert "Hải Phòng" in caught.value.message
    member.units.remove(hai_phong)
    assert campaigns.campaign_add_units(actor=users["dieuphoi"], campaign=campaign, units=[hai_phong]) == 1
