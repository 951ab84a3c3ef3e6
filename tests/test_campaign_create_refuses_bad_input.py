"""Opening a campaign checks its whole input in the service: code, titles, year, an issued version, real and
ordered deadlines, units that exist today and lie within the actor's scope. Every problem is reported on its
field at once, and nothing is created."""

import datetime as dt

import pytest

from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services import campaigns
from tincay.assessments.services.errors import NotYours
from tincay.catalogue.models import FrameworkVersion
from tincay.catalogue.selectors import version_by_ref
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DEADLINES = {
    "self_assessment_due": dt.date(2027, 6, 15),
    "scoring_due": dt.date(2027, 7, 31),
    "appraisal_due": dt.date(2027, 8, 31),
    "publication_due": dt.date(2027, 9, 30),
}


def _arguments(users, **changes):
    arguments = {
        "actor": users["dieuphoi"],
        "code": "mo-ky-2027",
        "title_vi": "Kỳ đánh giá 2027",
        "version": version_by_ref("tcvn-iso-18091", "2020"),
        "owner_unit": AdminUnit.objects.get(key="31"),
        "year": 2027,
        "deadlines": DEADLINES,
        "units": list(AdminUnit.objects.filter(key__in=["11413", "11311"])),
    }
    arguments.update(changes)
    return arguments


def _refused(users, **changes):
    with pytest.raises(InvalidInput) as caught:
        campaigns.campaign_create(**_arguments(users, **changes))
    assert not Campaign.objects.filter(code=_arguments(users, **changes)["code"]).exists()
    return caught.value.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "có dấu"}, "code"),
        ({"code": "x" * 61}, "code"),
        ({"code": ["mo-ky"]}, "code"),
        ({"code": "ma-tran-da-co"}, "code"),
        ({"title_vi": ""}, "title_vi"),
        ({"title_vi": "x" * 301}, "title_vi"),
        ({"title_en": "x" * 301}, "title_en"),
        ({"year": 2014}, "year"),
        ({"year": 2101}, "year"),
        ({"year": "hai nghìn"}, "year"),
        ({"year": True}, "year"),
        ({"version": None}, "version"),
        ({"deadlines": {**DEADLINES, "scoring_due": dt.date(2027, 1, 1)}}, "deadlines"),
        ({"deadlines": {**DEADLINES, "scoring_due": "31/02/2027"}}, "scoring_due"),
        ({"deadlines": {k: v for k, v in DEADLINES.items() if k != "appraisal_due"}}, "appraisal_due"),
        ({"deadlines": {**DEADLINES, "closing_due": dt.date(2027, 10, 1)}}, "closing_due"),
        ({"deadlines": "2027"}, "deadlines"),
        ({"units": []}, "units"),
        ({"units": ["11413"]}, "units"),
        ({"units_key": "00004"}, "units"),  # a Hà Nội ward: outside the coordinator's scope
        ({"units_key": "11413-2025"}, "units"),  # the pilot ward as it stood until 2025: not today's unit
        ({"owner_unit": "31"}, "owner_unit"),
        ({"owner_unit_key": "01"}, "owner_unit"),
        ({"is_demo": "yes"}, "is_demo"),
    ],
)
def test_bad_input_is_refused_on_its_field(users, changes, field):
    if "units_key" in changes:
        changes = {"units": list(AdminUnit.objects.filter(key__in=["11413", changes.pop("units_key")]))}
    if "owner_unit_key" in changes:
        changes = {"owner_unit": AdminUnit.objects.get(key=changes.pop("owner_unit_key"))}
    if changes.get("code") == "ma-tran-da-co":
        campaigns.campaign_create(**_arguments(users, code="ma-tran-da-co"))
        with pytest.raises(InvalidInput) as caught:
            campaigns.campaign_create(**_arguments(users, **changes))
        assert field in caught.value.errors
        return
    assert field in _refused(users, **changes)


def test_a_draft_version_is_refused(users):
    draft = FrameworkVersion.objects.filter(status="draft").first()
    assert draft is not None
    assert "version" in _refused(users, version=draft)


def test_every_problem_is_reported_at_once(users):
    errors = _refused(users, code="", title_vi="", year=1990, units=[])
    assert {"code", "title_vi", "year", "units"} <= set(errors)


@pytest.mark.parametrize("persona", ["daumoi", "chamdiem", "thamdinh", "xem"])
def test_only_admins_and_coordinators_open_campaigns(users, persona):
    with pytest.raises(NotYours):
        campaigns.campaign_create(**_arguments(users, actor=users[persona]))
    assert not Campaign.objects.filter(code="mo-ky-2027").exists()


def test_good_input_opens_the_campaign(users):
    campaign = campaigns.campaign_create(**_arguments(users, year="2027", deadlines={**DEADLINES}))
    assert campaign.year == 2027 and Assessment.objects.filter(campaign=campaign).count() == 2


def test_the_page_shows_the_services_errors_on_the_form(client_for):
    client = client_for("dieuphoi")
    page = client.get("/campaigns/new/")
    version = page.context["form"].fields["version"].choices[0][0]
    response = client.post(
        "/campaigns/new/",
        {
            "code": "trang-2027",
            "title_vi": "Kỳ thử",
            "version": version,
            "year": "2027",
            "self_assessment_due": "15/06/2027",
            "scoring_due": "31/07/2027",
            "appraisal_due": "31/08/2027",
            "publication_due": "30/09/2027",
            "unit_codes": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Choose at least one participating unit." in response.context["form"].errors["unit_codes"]
    assert 'value="Kỳ thử"' in response.content.decode()
    assert not Campaign.objects.filter(code="trang-2027").exists()
