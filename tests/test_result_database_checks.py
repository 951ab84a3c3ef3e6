"""The database itself refuses what it can check on criterion results and documents (a second line behind
the services): unknown levels, negative values or points, a level or value on a not-applicable criterion,
a document without a title."""

import pytest
from django.db import IntegrityError, transaction

from tincay.assessments.models import CriterionResult, Document
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def result():
    return CriterionResult.objects.filter(na=False, self_level="").first()


@pytest.mark.parametrize(
    "values",
    [
        {"self_level": "purple"},
        {"scorer_level": "blue"},
        {"final_level": "GREEN"},
        {"self_value": -1},
        {"scorer_value": -0.5},
        {"final_value": -10},
        {"self_points": -1},
        {"na": True, "self_level": "red"},
        {"na": True, "self_value": 3},
    ],
)
def test_the_database_refuses_a_bad_result(result, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionResult.objects.filter(pk=result.pk).update(**values)


def test_the_database_refuses_a_document_without_title():
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(unit=AdminUnit.objects.get(key="11413"), title="", url="https://example.vn/x")


def test_good_rows_pass(result):
    CriterionResult.objects.filter(pk=result.pk).update(na=True, na_reason="x", self_points=0)
    CriterionResult.objects.filter(pk=result.pk).update(na=False, self_level="green", self_value=0)
