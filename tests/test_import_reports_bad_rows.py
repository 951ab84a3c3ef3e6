"""A file with bad rows yields a report naming every one at once (its row number as Excel shows it, its column,
the reason) and nothing is stored: unknown unit, unknown criterion, a level that is not one, a value that is
not a number or out of range, a unit not the coordinator's, a row given twice, a value on a management criterion."""

from __future__ import annotations

import pytest

from tests.assessment_fixtures import module_campaign, percent_result
from tests.import_fixtures import HEADER, VALUES_HEADER, by_row, codes, results_row, stored, upload, xlsx
from tincay.common.errors import InvalidInput
from tincay.reports.imports.service import import_check, import_run

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-loi"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311", "other": "00004"}) as c:
        yield c


@pytest.mark.django_db
def test_every_bad_row_is_named_with_its_column_and_reason_at_once(campaign, users):
    own = campaign.assessments.get(unit__key="11413")
    sibling = campaign.assessments.get(unit__key="11311")
    first, second, third = codes(own, "management", 3)
    percent = percent_result(own).criterion.code
    rows = [
        results_row("11413", first, level="Xanh"),  # 2: good
        results_row("99999", first, level="Xanh"),  # 3
        results_row("11413", "9.9.9", level="Xanh"),  # 4
        results_row("11413", second, level="tím"),  # 5
        results_row("11413", percent, value="abc"),  # 6
        results_row("11311", percent_result(sibling).criterion.code, value="150"),  # 7
        results_row("00004", first, level="Đỏ"),  # 8
        results_row("11413", first, level="Vàng"),  # 9: row 2 again
        results_row("11413", third, value="12"),  # 10: a management criterion is not measured
    ]
    before = stored(campaign)
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(xlsx(HEADER, rows)))
    report = by_row(run.report)
    assert run.status == "refused"
    assert run.report["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "refused": 8, "total": 9}
    assert report[2]["outcome"] == "new"
    expected = {
        3: ("Mã đơn vị", "No unit with the code “99999”"),
        4: ("Mã tiêu chí", "No criterion with the code “9.9.9”"),
        5: ("Mức tự đánh giá", "“tím” is not a level"),
        6: ("Giá trị đo", "“abc” is not a number"),
        7: ("Giá trị đo", "between 0 and 100"),
        8: ("Mã đơn vị", "Not yours"),
        9: ("Mã tiêu chí", "Row 2 already gives this unit and criterion"),
        10: ("Giá trị đo", "not measured"),
    }
    for number, (column, reason) in expected.items():
        errors = report[number]["errors"]
        assert report[number]["outcome"] == "refused"
        assert any(e["column"] == column and reason in e["reason"] for e in errors), (number, errors)
    assert [row["row"] for row in run.report["rows"]][:8] == [3, 4, 5, 6, 7, 8, 9, 10]  # refused rows first
    assert stored(campaign) == before
    with pytest.raises(InvalidInput, match="errors"):
        import_run(user=users["dieuphoi"], run=run)
    assert stored(campaign) == before


@pytest.mark.django_db
def test_the_values_import_refuses_a_value_on_a_management_criterion(campaign, users):
    own = campaign.assessments.get(unit__key="11413")
    management = codes(own, "management", 1)[0]
    rows = [["11413", percent_result(own).criterion.code, 87.5], ["11413", management, "12"]]
    file = upload(xlsx(VALUES_HEADER, rows))
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=file)
    report = by_row(run.report)
    assert report[2]["outcome"] == "new"
    assert report[2]["changes"] == [{"column": "Giá trị đo", "before": "", "after": "87,5"}]
    assert report[3]["outcome"] == "refused" and report[3]["errors"][0]["column"] == "Giá trị đo"
    assert run.status == "refused"


@pytest.mark.django_db
def test_one_unit_with_a_bad_row_still_reports_its_good_rows(campaign, users):
    own = campaign.assessments.get(unit__key="11413")
    first, second = codes(own, "management", 2)
    rows = [results_row("11413", first, level="green"), results_row("11413", second, na="có")]  # no reason
    run = import_check(user=users["quantri"], campaign=campaign, kind="results", upload=upload(xlsx(HEADER, rows)))
    report = by_row(run.report)
    assert report[2]["outcome"] == "new"
    assert report[3]["outcome"] == "refused"
    assert report[3]["errors"][0]["column"] == "Lý do không áp dụng"
