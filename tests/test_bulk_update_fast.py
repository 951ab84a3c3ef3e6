"""``common.bulk.fast_bulk_update`` writes the same values as ``save`` would, for every kind of field the imports
write (text with quotes and diacritics, booleans, decimals, nulls, a foreign key, an aware date-time), in batches,
touching only the fields named and only the rows given."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import CriterionResult
from tincay.common.bulk import fast_bulk_update


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, "ghi-nhanh", {"own": "11413"}) as campaign:
        yield campaign


def test_values_of_every_kind_are_written_as_save_writes_them(results, users):
    rows = list(CriterionResult.objects.filter(assessment__campaign=results).order_by("pk")[:5])
    performance = CriterionResult.objects.filter(assessment__campaign=results, criterion__type="performance").first()
    untouched = (
        CriterionResult.objects.filter(assessment__campaign=results).exclude(pk__in=[r.pk for r in rows]).order_by("pk")
    )
    before_untouched = list(untouched.values_list("pk", "narrative", "revision"))
    when = timezone.make_aware(dt.datetime(2026, 1, 5, 8, 30))
    texts = ["Tài liệu “lưu” bản giấy; O'Brien", "", "=1+1", "dòng 1\ndòng 2", "x" * 3000]
    for row, text in zip(rows, texts, strict=True):
        row.na = row.pk % 2 == 0
        row.narrative, row.self_level = text, "" if row.na else "green"
        row.revision, row.updated_by, row.updated_at = 7, users["dieuphoi"], when
    performance.self_value = Decimal("87.5")
    rows_and_value = [*rows, performance] if performance not in rows else rows
    written = fast_bulk_update(
        rows_and_value,
        ["narrative", "na", "self_level", "self_value", "revision", "updated_by", "updated_at"],
        batch_size=2,
    )
    assert written == len(rows_and_value)
    for row in rows_and_value:
        stored = CriterionResult.objects.get(pk=row.pk)
        for name in ("narrative", "na", "self_level", "self_value", "revision", "updated_by_id", "updated_at"):
            assert getattr(stored, name) == getattr(row, name), name
    assert list(untouched.values_list("pk", "narrative", "revision")) == before_untouched


def test_nulls_and_an_empty_list(results):
    row = CriterionResult.objects.filter(assessment__campaign=results).first()
    row.self_value, row.updated_by, row.updated_at = None, None, None
    assert fast_bulk_update([row], ["self_value", "updated_by", "updated_at"]) == 1
    stored = CriterionResult.objects.get(pk=row.pk)
    assert (stored.self_value, stored.updated_by_id, stored.updated_at) == (None, None, None)
    assert fast_bulk_update([], ["narrative"]) == 0


def test_a_key_or_relation_cannot_be_written(results):
    row = CriterionResult.objects.filter(assessment__campaign=results).first()
    with pytest.raises(ValueError, match="concrete"):
        fast_bulk_update([row], ["id"])
