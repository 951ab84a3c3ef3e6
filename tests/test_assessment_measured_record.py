"""``result_measured_record`` is the guard for measured values from a source: administrators and the coordinators
over the unit (or a command) record them, on a measured criterion of the assessment, with a value the criterion's
rules accept and an interval around it; anything else is refused whole, nothing stored, and the assessment's
pages still answer 200."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import Assessment, MeasuredValue
from tincay.assessments.services.measured import result_measured_record
from tincay.common.errors import InvalidInput, Refused

pytestmark = pytest.mark.django_db

GOOD = {
    "criterion_code": "3.1.5",
    "value": Decimal("86.5"),
    "low": Decimal("80"),
    "high": Decimal("91"),
    "n": 200,
    "source": "survey",
    "source_ref": "survey:1",
    "title_vi": "Khảo sát sự hài lòng – Phường Hải An",
    "url": "/surveys/1/",
    "measured_on": dt.date(2026, 11, 30),
}


@pytest.fixture
def assessment(users):
    return Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")


def test_a_coordinator_records_and_the_self_value_follows(users, assessment):
    measured = result_measured_record(actor=users["dieuphoi"], assessment=assessment, **GOOD)
    result = assessment.results.get(criterion__code="3.1.5")
    assert measured.applied and result.self_value == Decimal("86.5") and result.revision == 1


def test_a_command_records_too(assessment):
    assert result_measured_record(actor="load_survey_results", assessment=assessment, **GOOD).applied


BAD = [
    ("criterion", {"criterion_code": "9.9.9"}),
    ("criterion", {"criterion_code": "1.1.1"}),  # judged on evidence
    ("criterion", {"criterion_code": None}),
    ("value", {"value": Decimal("100.5")}),
    ("value", {"value": "nhiều"}),
    ("value", {"value": None}),
    ("low", {"low": Decimal("90")}),  # the interval leaves the value out
    ("low", {"low": None}),
    ("n", {"n": 0}),
    ("n", {"n": "200"}),
    ("n", {"n": True}),
    ("source", {"source": "rumour"}),
    ("title_vi", {"title_vi": ""}),
    ("url", {"url": "https://example.com/"}),
    ("measured_on", {"measured_on": "30/11/2026"}),
]


@pytest.mark.parametrize(("field", "change"), BAD)
def test_bad_input_is_refused_whole(users, assessment, client_for, field, change):
    with pytest.raises(InvalidInput) as refused:
        result_measured_record(actor=users["dieuphoi"], assessment=assessment, **{**GOOD, **change})
    assert field in refused.value.errors
    assert not MeasuredValue.objects.exists()
    assert assessment.results.get(criterion__code="3.1.5").self_value is None
    assert client_for("daumoi").get(reverse("assessments:indicator", args=[assessment.pk, "3.1"])).status_code == 200


@pytest.mark.parametrize("persona", ["daumoi", "lanhdao", "congchuc", "chamdiem", "thamdinh", "xem"])
def test_the_units_people_and_the_checkers_are_refused(users, assessment, persona):
    with pytest.raises(Refused):
        result_measured_record(actor=users[persona], assessment=assessment, **GOOD)
    assert not MeasuredValue.objects.exists()


def test_a_stranger_is_refused(assessment, stranger):
    with pytest.raises(Refused):
        result_measured_record(actor=stranger, assessment=assessment, **GOOD)


def test_a_later_source_replaces_the_earlier(users, assessment):
    result_measured_record(actor=users["dieuphoi"], assessment=assessment, **GOOD)
    result_measured_record(
        actor=users["quantri"], assessment=assessment, **{**GOOD, "value": Decimal("70"), "low": None, "high": None}
    )
    measured = MeasuredValue.objects.get()
    assert measured.value == Decimal("70") and measured.low is None
    assert assessment.results.get(criterion__code="3.1.5").self_value == Decimal("70")
