"""A coordinator opens a campaign: issued version, units from the tree, a peer group or codes, deadlines."""

import pytest

from tincay.assessments.models import Campaign

pytestmark = pytest.mark.django_db


def _form(client, **changes):
    page = client.get("/campaigns/new/")
    version = page.context["form"].fields["version"].choices[0][0]
    data = {
        "code": "thu-nghiem-2027",
        "title_vi": "Kỳ đánh giá thử nghiệm 2027",
        "title_en": "",
        "version": version,
        "year": "2027",
        "self_assessment_due": "15/06/2027",
        "scoring_due": "31/07/2027",
        "appraisal_due": "31/08/2027",
        "publication_due": "30/09/2027",
        "parent_unit": "",
        "kinds": [],
        "peer_group": "",
        "unit_codes": "",
        "baseline": "",
    }
    data.update(changes)
    return client.post("/campaigns/new/", data)


def test_units_below_a_province_of_chosen_kinds(client_for):
    response = _form(client_for("dieuphoi"), parent_unit="31", kinds=["special_zone"])
    assert response.status_code == 302
    campaign = Campaign.objects.get(code="thu-nghiem-2027")
    kinds = set(campaign.assessments.values_list("unit__kind", flat=True))
    assert kinds == {"special_zone"} and campaign.assessments.count() >= 2


def test_units_by_code_get_the_criteria_that_apply_to_their_kind(client_for):
    assert _form(client_for("dieuphoi"), unit_codes="11413, 11311").status_code == 302
    campaign = Campaign.objects.get(code="thu-nghiem-2027")
    assessment = campaign.assessments.get(unit__key="11413")
    # criteria limited to farming kinds do not apply to an urban ward
    assert not assessment.results.filter(criterion__code="2.7.1").exists()
    assert assessment.results.filter(criterion__code="1.7.1").exists()


def test_units_outside_the_coordinators_scope_are_refused_and_the_form_kept(client_for):
    response = _form(client_for("dieuphoi"), unit_codes="11413 00004")
    assert response.status_code == 200
    assert "00004" in str(response.context["form"].non_field_errors())
    assert 'value="Kỳ đánh giá thử nghiệm 2027"' in response.content.decode()
    assert not Campaign.objects.filter(code="thu-nghiem-2027").exists()


def test_deadlines_must_follow_each_other(client_for):
    response = _form(client_for("dieuphoi"), unit_codes="11413", scoring_due="01/06/2027")
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_peer_group_selection(client_for):
    assert _form(client_for("dieuphoi"), parent_unit="31", peer_group="dac-khu").status_code == 302
    kinds = set(Campaign.objects.get(code="thu-nghiem-2027").assessments.values_list("unit__kind", flat=True))
    assert kinds == {"special_zone"}


def test_unit_officials_cannot_open_campaigns(client_for):
    assert client_for("daumoi").get("/campaigns/new/").status_code == 404


def test_a_new_campaign_starts_from_the_previous_one(client_for):
    """Evidence links are carried over by criterion code; levels start empty again."""
    from tincay.assessments.models import Assessment

    previous = Assessment.objects.get(campaign__code="hai-phong-2026", unit__key="11413")
    linked = previous.results.filter(evidence_links__isnull=False).values_list("criterion__code", flat=True)
    assert linked
    assert _form(client_for("dieuphoi"), unit_codes="11413", baseline="hai-phong-2026").status_code == 302
    new = Assessment.objects.get(campaign__code="thu-nghiem-2027", unit__key="11413")
    assert new.baseline == previous
    carried = set(new.results.filter(evidence_links__isnull=False).values_list("criterion__code", flat=True))
    assert carried == set(linked)
    assert not new.results.exclude(self_level="").exists()
