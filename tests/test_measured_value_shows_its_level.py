"""A measured value shows, next to its field, the level its criterion's thresholds give (the scoring engine's rule,
``selectors.measured_level``), after each save; "87,5" typed the Vietnamese way is stored as 87.5; a value out of
range is refused with its message next to the field, nothing stored."""

from decimal import Decimal

import pytest

from tests.assessment_fixtures import module_campaign, percent_result
from tincay.assessments import scoring, selectors
from tincay.assessments.models import CriterionResult

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, "muc-cua-so-do", {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        percent = percent_result(assessment)
        yield assessment, percent


def _post(client, assessment, result, value, *, language="vi"):
    return client.post(
        f"/assessments/{assessment.pk}/results/{result.pk}/self/",
        {f"r{result.pk}-revision": result.revision, f"r{result.pk}-self_value": value},
        headers={"HX-Request": "true"},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _piece(body, element_id):
    start = body.index(f'id="{element_id}"')
    return body[start : body.index("</div></div>", start)] if element_id.startswith("measure") else body[start:]


@pytest.mark.django_db
def test_87_comma_5_is_stored_as_87_5_and_shows_its_level(client_for, world):
    assessment, result = world
    response = _post(client_for("daumoi"), assessment, result, "87,5")
    assert response.status_code == 200
    assert CriterionResult.objects.get(pk=result.pk).self_value == Decimal("87.5")
    measure = _piece(response.content.decode(), f"measure-{result.pk}")
    assert "level-green" in measure and "Xanh" in measure  # the level's name, in the reader's language


@pytest.mark.django_db
def test_the_level_follows_the_engine(world):
    _assessment, result = world
    criterion = result.criterion
    spec = selectors.criterion_spec(criterion)
    for value in (Decimal(0), criterion.threshold_yellow, criterion.threshold_green, Decimal(100)):
        assert selectors.measured_level(criterion, value) == scoring.level_from_value(spec, float(value))
    assert selectors.measured_level(criterion, None) is None


@pytest.mark.django_db
def test_the_page_shows_the_stored_value_s_level_and_the_range(client_for, world):
    assessment, result = world
    CriterionResult.objects.filter(pk=result.pk).update(self_value=Decimal("50"))
    page = client_for("daumoi").get(
        f"/assessments/{assessment.pk}/indicators/{result.criterion.indicator.code}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    measure = _piece(page.content.decode(), f"measure-{result.pk}")
    assert "A percentage from 0 to 100." in measure and "level-red" in measure


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["150", "-1", "1.234"])
def test_a_value_out_of_range_or_ambiguous_is_refused_next_to_the_field(client_for, world, value):
    assessment, result = world
    response = _post(client_for("daumoi"), assessment, result, value, language="en")
    assert response.status_code == 400
    error = _piece(response.content.decode(), f"id_r{result.pk}-self_value_error").split("</div>", 1)[0]
    assert "between 0 and 100" in error or "two ways" in error
    assert CriterionResult.objects.get(pk=result.pk).self_value is None
    page = client_for("daumoi").get(f"/assessments/{assessment.pk}/indicators/{result.criterion.indicator.code}/")
    assert page.status_code == 200
