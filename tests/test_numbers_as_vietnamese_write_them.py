"""Numbers typed the Vietnamese way (87,5 and 1.234,5) are read as meant; English (87.5, 1,234.5) too; what could
mean two numbers ("1.234") is refused with a message saying what to type, never silently changed."""

from decimal import Decimal

import pytest
from django.utils import translation

from tests.assessment_fixtures import module_campaign
from tincay.assessments.forms import SelfResultForm
from tincay.assessments.models import CriterionResult
from tincay.catalogue.forms import CriterionForm
from tincay.common.numbers import NumberField, NumberFormatError, read_number, show_number

CODE = "so-kieu-viet"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("87,5", "87.5"),
        ("87.5", "87.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234.567", "1234567"),
        ("1,234,567", "1234567"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("0.125", "0.125"),
        ("0,125", "0.125"),
        ("100", "100"),
        ("-3,5", "-3.5"),
    ],
)
def test_a_typed_number_is_read_as_meant(typed, meant):
    assert read_number(typed) == Decimal(meant)


@pytest.mark.parametrize("typed", ["1.234", "12.500", "abc", "1,2,3", "1.2.3", "1e5", "87,5%", "", "1.234,5.6"])
def test_a_number_that_is_not_clear_is_refused_not_guessed(typed):
    with translation.override("en"), pytest.raises(NumberFormatError) as refused:
        read_number(typed)
    assert "number" in str(refused.value) or "two ways" in str(refused.value)


def test_the_two_readings_of_one_point_two_three_four_are_both_offered():
    with translation.override("en"), pytest.raises(NumberFormatError, match=r"1234.*1,234"):
        read_number("1.234")


def test_a_stored_number_is_shown_in_the_readers_language_without_trailing_zeros():
    with translation.override("vi"):
        assert show_number(Decimal("87.5000")) == "87,5"
        assert show_number(Decimal("100.0000")) == "100"
    with translation.override("en"):
        assert show_number(Decimal("87.5000")) == "87.5"


def test_every_typed_number_on_the_pages_uses_the_same_field():
    assert isinstance(SelfResultForm().fields["self_value"], NumberField)
    form_fields = CriterionForm().fields
    assert all(isinstance(form_fields[name], NumberField) for name in ("weight", "threshold_yellow", "threshold_green"))
    assert form_fields["weight"].widget.input_type == "text"  # a text box, not a number spinner


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        percent = assessment.results.filter(criterion__type="performance", criterion__measure_unit_vi="%").first()
        yield assessment, percent


def _save(client, assessment, result, value, *, htmx):
    result.refresh_from_db(fields=["revision"])
    data = {f"r{result.pk}-revision": result.revision, f"r{result.pk}-self_value": value}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/assessments/{assessment.pk}/results/{result.pk}/self/", data, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["autosave", "save-button"])
def test_eighty_seven_comma_five_is_stored_as_eighty_seven_and_a_half(client_for, world, htmx):
    assessment, percent = world
    response = _save(client_for("daumoi"), assessment, percent, "87,5", htmx=htmx)
    assert response.status_code in (200, 302)
    assert CriterionResult.objects.get(pk=percent.pk).self_value == Decimal("87.5")
    page = client_for("daumoi").get(f"/assessments/{assessment.pk}/indicators/{percent.criterion.indicator.code}/")
    assert 'value="87,5"' in page.content.decode()  # shown back the way it was typed


@pytest.mark.django_db
def test_an_ambiguous_number_is_refused_and_nothing_is_stored(client_for, world):
    assessment, percent = world
    before = CriterionResult.objects.get(pk=percent.pk)
    response = _save(client_for("daumoi"), assessment, percent, "1.234", htmx=True)
    assert response.status_code == 400
    assert "1234" in response.content.decode()
    after = CriterionResult.objects.get(pk=percent.pk)
    assert (after.revision, after.self_value) == (before.revision, before.self_value)
