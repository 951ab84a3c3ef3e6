"""The focal point gives several indicators at once to one person and/or department: every code is checked
first, and either all are assigned or none is (an unknown indicator, someone who does not work in the unit, an
assessment that is not theirs, a wrong shape: a clear error, nothing stored). The page does it in one request,
through htmx (only the status line and the "assigned to" lines change) or a plain form post."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import IndicatorAssignment
from tincay.assessments.services.assignments import assignments_set_many
from tincay.assessments.services.errors import NotYours
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")

CODE = "giao-nhieu-chi-so"
THREE = ["1.1", "1.2", "2.8"]


@pytest.fixture(scope="module")
def assessment(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign.assessments.select_related("campaign__version", "unit").get()


def _stored(assessment) -> dict[str, int | None]:
    return dict(IndicatorAssignment.objects.filter(assessment=assessment).values_list("indicator__code", "assignee"))


@pytest.mark.django_db
def test_three_indicators_go_to_one_contributor_in_one_step(assessment, users):
    done = assignments_set_many(
        user=users["daumoi"], assessment=assessment, indicator_codes=THREE, assignee_id=str(users["congchuc"].pk)
    )
    assert [a.indicator.code for a in done] == THREE
    assert _stored(assessment) == dict.fromkeys(THREE, users["congchuc"].pk)
    event = AuditEvent.objects.get(action="assessments.indicators_assigned", object_id=str(assessment.pk))
    assert event.after["indicator"] == THREE


@pytest.mark.django_db
def test_assigning_again_moves_the_indicators(assessment, users):
    assignments_set_many(
        user=users["daumoi"], assessment=assessment, indicator_codes=THREE[:2], assignee_id=users["congchuc"].pk
    )
    assignments_set_many(
        user=users["daumoi"], assessment=assessment, indicator_codes=THREE, assignee_id=users["lanhdao"].pk
    )
    assert _stored(assessment) == dict.fromkeys(THREE, users["lanhdao"].pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"indicator_codes": ["1.1", "9.9", "2.8"]}, "indicators"),  # one unknown: none of the three is stored
        ({"indicator_codes": []}, "indicators"),
        ({"indicator_codes": "1.1"}, "indicators"),  # a string, not a list
        ({"indicator_codes": [1, 2]}, "indicators"),
        ({"indicator_codes": ["x" * 21]}, "indicators"),
        ({"indicator_codes": ["1.1"] * 201}, "indicators"),
        ({"assignee_id": "chamdiem"}, "assignee"),  # not a person of the ward
        ({"assignee_id": "abc"}, "assignee"),
        ({"department_id": -1}, "department"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(assessment, users, changes, field):
    if changes.get("assignee_id") == "chamdiem":
        changes = {"assignee_id": users["chamdiem"].pk}
    arguments = {"indicator_codes": THREE, "assignee_id": users["congchuc"].pk, **changes}
    with pytest.raises(InvalidInput) as caught:
        assignments_set_many(user=users["daumoi"], assessment=assessment, **arguments)
    assert field in caught.value.errors
    assert _stored(assessment) == {}


@pytest.mark.django_db
def test_the_unknown_codes_are_named(assessment, users):
    with pytest.raises(InvalidInput) as caught:
        assignments_set_many(user=users["daumoi"], assessment=assessment, indicator_codes=["1.1", "9.9"])
    assert "9.9" in caught.value.message and "Nothing was assigned" in caught.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lanhdao", "congchuc", "dieuphoi", "chamdiem", "xem"])
def test_only_the_focal_point_assigns(assessment, users, persona):
    with pytest.raises(NotYours):
        assignments_set_many(user=users[persona], assessment=assessment, indicator_codes=THREE)
    assert _stored(assessment) == {}


@pytest.mark.django_db
def test_htmx_assigns_and_answers_with_the_changed_lines_only(client_for, assessment, users):
    response = client_for("daumoi").post(
        f"/assessments/{assessment.pk}/assign-many/",
        {"indicators": THREE, "assignee": users["congchuc"].pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Đã giao 3 chỉ số: 1.1, 1.2, 2.8." in html
    assert html.count('hx-swap-oob="true"') == 3 and "Hoàng Văn Công" in html and "<main" not in html
    assert _stored(assessment) == dict.fromkeys(THREE, users["congchuc"].pk)


@pytest.mark.django_db
def test_htmx_refusal_is_shown_in_the_status_line(client_for, assessment, users):
    response = client_for("daumoi").post(
        f"/assessments/{assessment.pk}/assign-many/",
        {"indicators": ["1.1", "9.9"], "assignee": users["congchuc"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and "9.9" in response.content.decode()
    assert _stored(assessment) == {}


@pytest.mark.django_db
def test_without_javascript_a_ticked_pillar_assigns_its_indicators(client_for, assessment, users):
    page = client_for("daumoi").post(
        f"/assessments/{assessment.pk}/assign-many/",
        {"pillars": ["1"], "assignee": users["congchuc"].pk},
        follow=True,
    )
    assert page.status_code == 200
    pillar_one = assessment.campaign.version.indicators.filter(pillar__code="1").values_list("code", flat=True)
    assert set(_stored(assessment)) == set(pillar_one) and len(pillar_one) > 3


@pytest.mark.django_db
def test_without_javascript_a_refusal_comes_back_on_the_page(client_for, assessment):
    page = client_for("daumoi").post(f"/assessments/{assessment.pk}/assign-many/", {"indicators": ["9.9"]}, follow=True)
    assert page.status_code == 200 and "9.9" in page.content.decode()
    assert _stored(assessment) == {}


@pytest.mark.django_db
def test_the_page_offers_the_checkboxes_to_the_focal_point_only(client_for, assessment):
    url = f"/assessments/{assessment.pk}/"
    assert 'id="assign-form"' in client_for("daumoi").get(url).content.decode()
    assert 'id="assign-form"' not in client_for("lanhdao").get(url).content.decode()
    assert client_for("xem").post(f"{url}assign-many/", {"indicators": THREE}).status_code in (302, 403, 404)
    assert _stored(assessment) == {}
