"""Measured values are read as people write them: "87,5" with a Vietnamese decimal comma (CSV separated by `;`
with a byte-order mark, as Excel in Vietnamese saves it, or text in a workbook), 87.5 as a workbook number; a
number that can be read two ways ("1.234") is refused with what to write instead."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.assessment_fixtures import module_campaign, percent_result
from tests.import_fixtures import VALUES_HEADER, by_row, csv_bytes, upload, xlsx
from tincay.assessments.models import CriterionResult
from tincay.reports.imports.service import import_check, import_run

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-so"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name"),
    [
        (lambda code: csv_bytes(VALUES_HEADER, [["11413", code, "87,5"]], sep=";", bom=True), "gia-tri.csv"),
        (lambda code: csv_bytes(VALUES_HEADER, [["11413", code, "87.5"]], sep=";", bom=False), "gia-tri.csv"),
        (lambda code: xlsx(VALUES_HEADER, [["11413", code, "87,5"]]), "gia-tri.xlsx"),
        (lambda code: xlsx(VALUES_HEADER, [["11413", code, 87.5]]), "gia-tri.xlsx"),
    ],
)
def test_87_comma_5_is_87_point_5(campaign, users, data, name):
    result = percent_result(campaign.assessments.get())
    file = upload(data(result.criterion.code), name)
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=file)
    assert run.status == "checked", run.report
    assert by_row(run.report)[2]["changes"] == [{"column": "Giá trị đo", "before": "", "after": "87,5"}]
    import_run(user=users["dieuphoi"], run=run)
    assert CriterionResult.objects.get(pk=result.pk).self_value == Decimal("87.5")


@pytest.mark.django_db
def test_a_number_that_reads_two_ways_is_refused_with_what_to_write(campaign, users):
    own = campaign.assessments.get()
    measured = own.results.filter(criterion__type="performance").exclude(criterion__measure_unit_vi="%").first()
    data = csv_bytes(VALUES_HEADER, [["11413", measured.criterion.code, "1.234"]])
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=upload(data, "a.csv"))
    errors = by_row(run.report)[2]["errors"]
    assert run.status == "refused"
    assert errors[0]["column"] == "Giá trị đo" and "1234" in errors[0]["reason"] and "1,234" in errors[0]["reason"]


@pytest.mark.django_db
def test_unit_codes_a_spreadsheet_turned_into_numbers_still_match(campaign, users):
    result = percent_result(campaign.assessments.get())
    data = xlsx(VALUES_HEADER, [[11413, result.criterion.code, 50]])
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=upload(data))
    assert run.status == "checked" and by_row(run.report)[2]["unit"] == "11413"
