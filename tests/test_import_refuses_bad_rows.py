"""Importing results checks every row with the rules of a save on the page: one bad row writes nothing, and the
error names the row (criterion code) and the field. Only an administrator or a coordinator imports."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import CriterionResult
from tincay.assessments.services.errors import NotYours
from tincay.assessments.services.imports import assessment_import_results
from tincay.common.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-sai"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        assessment = campaign.assessments.select_related("campaign__version", "unit").get()
        management = assessment.results.filter(criterion__type="management").order_by("criterion__order")
        codes = list(management.values_list("criterion__code", flat=True)[:3])
        performance = assessment.results.filter(criterion__type="performance").values_list(
            "criterion__code", flat=True
        )[0]
        yield assessment, codes, performance


def _good(codes):
    return {code: {"self_level": "green", "narrative": "Nhập từ hồ sơ giấy."} for code in codes}


BAD_ROWS = [
    ({"self_level": "purple"}, "self_level"),
    ({"scorer_level": 3}, "scorer_level"),
    ({"self_value": "12"}, "self_value"),  # a management criterion takes no measured value
    ({"self_points": "2"}, "self_points"),
    ({"na": True, "na_reason": ""}, "na_reason"),
    ({"narrative": "x" * 20_001}, "narrative"),
    ({"colour": "green"}, "colour"),
    ({"scorer_level": "green", "final_level": "red"}, "final_comment"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("bad", "field"), BAD_ROWS)
def test_one_bad_row_writes_nothing_and_is_named(world, users, bad, field):
    assessment, codes, _performance = world
    rows = _good(codes)
    rows[codes[1]] = bad
    with pytest.raises(InvalidInput) as caught:
        assessment_import_results(user=users["dieuphoi"], assessment=assessment, rows=rows)
    assert f"{codes[1]}.{field}" in caught.value.errors
    assert codes[1] in caught.value.message  # the message names the row too
    assert not CriterionResult.objects.filter(assessment=assessment, revision__gt=0).exists()


@pytest.mark.django_db
def test_every_bad_row_is_reported_at_once(world, users):
    assessment, codes, performance = world
    rows = {codes[0]: {"self_level": "purple"}, performance: {"self_value": "1e12"}, "9.9.9": {"self_level": "red"}}
    with pytest.raises(InvalidInput) as caught:
        assessment_import_results(user=users["quantri"], assessment=assessment, rows=rows)
    assert {f"{codes[0]}.self_level", f"{performance}.self_value", "rows"} <= set(caught.value.errors)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"final_state": "done"}, "final_state"), ({"reason": ["x"]}, "reason"), ({"rows": []}, "rows")],
)
def test_bad_arguments_are_refused_before_anything(world, users, kwargs, field):
    assessment, codes, _performance = world
    arguments = {"rows": _good(codes), **kwargs}
    with pytest.raises(InvalidInput) as caught:
        assessment_import_results(user=users["dieuphoi"], assessment=assessment, **arguments)
    assert field in caught.value.errors
    assert not CriterionResult.objects.filter(assessment=assessment, revision__gt=0).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["daumoi", "lanhdao", "chamdiem", "xem"])
def test_only_admins_and_coordinators_import(world, users, persona):
    assessment, codes, _performance = world
    with pytest.raises(NotYours):
        assessment_import_results(user=users[persona], assessment=assessment, rows=_good(codes))
    assert not CriterionResult.objects.filter(assessment=assessment, revision__gt=0).exists()


@pytest.mark.django_db
def test_good_rows_are_written_typed_with_na_clearing_the_level(world, users):
    assessment, codes, performance = world
    rows = {
        **_good(codes),
        codes[2]: {"self_level": "red", "na": "true", "na_reason": "Không áp dụng."},
        performance: {"self_value": "42.5"},
    }
    assert assessment_import_results(user="import_results", assessment=assessment, rows=rows) == 4
    na = CriterionResult.objects.get(assessment=assessment, criterion__code=codes[2])
    assert na.na and na.self_level == "" and na.revision == 1
    assert str(CriterionResult.objects.get(assessment=assessment, criterion__code=performance).self_value) == "42.5000"
