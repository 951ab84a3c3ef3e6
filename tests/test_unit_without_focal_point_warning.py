"""Warnings about people, never refusals: a campaign unit without a focal point or a leader (on the campaign page and
when units are added), and a team member who belongs to an assessed unit (at appointment and on the team list).

Hải An has a focal point and a leader (daumoi, lanhdao); Hồng Bàng has both (daumoi.hongbang, lanhdao.hongbang);
Phường 11329 has nobody.
"""

import pytest
from django.contrib.messages import get_messages

from tests.assessment_fixtures import make_campaign
from tincay.assessments import staffing
from tincay.assessments.models import Campaign
from tincay.assessments.services import campaigns
from tincay.assessments.services.errors import AssessmentError
from tincay.orgunits.models import AdminUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
EMPTY = "11329"


@pytest.fixture
def campaign(users):
    return make_campaign(users, code="thieu-nguoi", units={"own": "11413", "sibling": "11311", "empty": EMPTY})


def _english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_board_warns_the_coordinator_about_units_without_focal_point_or_leader(campaign, client_for):
    page = _english(client_for("dieuphoi")).get(f"/campaigns/{campaign.code}/")
    gaps = page.context["staffing_gaps"]
    assert [(g.unit.key, g.missing_text) for g in gaps] == [(EMPTY, "Focal point, Unit leader")]
    html = page.content.decode()
    assert 'id="staffing-gaps"' in html and AdminUnit.objects.get(key=EMPTY).name in html


def test_an_inactive_focal_point_counts_as_missing(campaign, users):
    users["daumoi"].is_active = False
    users["daumoi"].save(update_fields=["is_active"])
    gaps = {g.unit.key: g.missing for g in staffing.staffing_gaps(a.unit for a in campaign.assessments.all())}
    assert [str(label) for label in gaps["11413"]] == ["Focal point"]


def test_viewers_and_unit_people_see_no_staffing_warning(campaign, client_for):
    for persona in ("xem", "daumoi"):
        page = client_for(persona).get(f"/campaigns/{campaign.code}/")
        assert page.status_code == 200 and page.context["staffing_gaps"] == []
        assert 'id="staffing-gaps"' not in page.content.decode()


def test_opening_a_campaign_warns_about_units_without_people(client_for):
    client = _english(client_for("dieuphoi"))
    version = client.get("/campaigns/new/").context["form"].fields["version"].choices[0][0]
    data = {
        "code": "mo-ky-thieu-nguoi",
        "title_vi": "Kỳ đánh giá 2027",
        "version": version,
        "year": "2027",
        "self_assessment_due": "15/06/2027",
        "scoring_due": "31/07/2027",
        "appraisal_due": "31/08/2027",
        "publication_due": "30/09/2027",
        "unit_codes": f"11413, {EMPTY}",
    }
    response = client.post("/campaigns/new/", data)
    assert response.status_code == 302 and Campaign.objects.filter(code="mo-ky-thieu-nguoi").exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert AdminUnit.objects.get(key=EMPTY).name in warnings[0] and "Phường Hải An" not in warnings[0]


def test_appointing_someone_from_an_assessed_unit_warns_but_appoints(campaign, users, client_for):
    client = _english(client_for("dieuphoi"))
    response = client.post(
        f"/campaigns/{campaign.code}/team/", {"username": "daumoi.hongbang", "role": "scorer", "units": "11413"}
    )
    assert campaign.members.filter(user__username="daumoi.hongbang", role="scorer").exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Phường Hồng Bàng" in warnings[0]
    board = client.get(f"/campaigns/{campaign.code}/")
    member = next(m for m in board.context["members"] if m.user.username == "daumoi.hongbang")
    assert member.ties == "Phường Hồng Bàng"
    assert "assessed in this campaign: cannot act on it" in board.content.decode()


def test_an_appointment_without_ties_has_no_warning(campaign, client_for):
    response = _english(client_for("dieuphoi")).post(
        f"/campaigns/{campaign.code}/team/", {"username": "chamdiem", "role": "scorer", "units": EMPTY}
    )
    assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"] == []


def test_the_refusal_to_score_ones_own_unit_stands(campaign, users):
    with pytest.raises(AssessmentError):
        campaigns.campaign_set_member(
            actor=users["dieuphoi"],
            campaign=campaign,
            user=users["daumoi"],
            role="scorer",
            units=[AdminUnit.objects.get(key="11413")],
        )
