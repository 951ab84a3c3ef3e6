"""The focal point gives an indicator of a draft assessment to a department and/or a person of the unit, through
one audited service: another role, another state, an indicator of another version, a department of another unit
or a person from outside the unit are refused with a message on the field, and nothing is written."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import Assessment, IndicatorAssignment
from tincay.assessments.services.assignments import assignment_set
from tincay.assessments.services.errors import NotYours
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit, Department

pytestmark = pytest.mark.usefixtures("english")

CODE = "giao-chi-so"


@pytest.fixture(scope="module")
def assessment(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign.assessments.select_related("campaign__version", "unit").get()


def _department(users):
    return users["congchuc"].memberships.get(unit__key="11413").department


@pytest.mark.django_db
def test_the_focal_point_assigns_and_it_is_audited(assessment, users):
    department = _department(users)
    assignment = assignment_set(
        user=users["daumoi"],
        assessment=assessment,
        indicator_code="2.8",
        department_id=str(department.pk),
        assignee_id=users["congchuc"].pk,
    )
    assert (assignment.department, assignment.assignee) == (department, users["congchuc"])
    assert AuditEvent.objects.filter(action="assessments.indicator_assigned", object_id=str(assessment.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"indicator_code": "9.9"}, "indicator"),
        ({"indicator_code": ["2.8"]}, "indicator"),
        ({"department_id": "abc"}, "department"),
        ({"department_id": -3}, "department"),
        ({"department_id": "other-unit"}, "department"),
        ({"assignee_id": "chamdiem"}, "assignee"),  # a scorer of the city, not a person of the ward
        ({"assignee_id": True}, "assignee"),
    ],
)
def test_bad_input_is_refused_on_its_field(assessment, users, changes, field):
    if changes.get("department_id") == "other-unit":
        elsewhere = Department.objects.create(unit=AdminUnit.objects.get(key="11311"), name="Phòng Nội vụ")
        changes = {"department_id": elsewhere.pk}
    if changes.get("assignee_id") == "chamdiem":
        changes = {"assignee_id": users["chamdiem"].pk}
    arguments = {"indicator_code": "2.8", "department_id": None, "assignee_id": None, **changes}
    with pytest.raises(InvalidInput) as caught:
        assignment_set(user=users["daumoi"], assessment=assessment, **arguments)
    assert field in caught.value.errors
    assert not IndicatorAssignment.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["lanhdao", "congchuc", "dieuphoi", "chamdiem"])
def test_only_the_focal_point_assigns(assessment, users, persona):
    with pytest.raises(NotYours):
        assignment_set(user=users[persona], assessment=assessment, indicator_code="2.8")
    assert not IndicatorAssignment.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
def test_nothing_is_assigned_once_submitted(assessment, users):
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    fresh = Assessment.objects.select_related("campaign__version", "unit").get(pk=assessment.pk)
    with pytest.raises(InvalidInput):
        assignment_set(user=users["daumoi"], assessment=fresh, indicator_code="2.8")
    assert not IndicatorAssignment.objects.filter(assessment=assessment).exists()


@pytest.mark.django_db
def test_the_page_reports_a_refusal(client_for, assessment):
    page = client_for("daumoi").post(
        f"/assessments/{assessment.pk}/assign/", {"indicator": "9.9"}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == 200 and "Choose an indicator of this campaign" in page.content.decode()
    assert not IndicatorAssignment.objects.filter(assessment=assessment).exists()
