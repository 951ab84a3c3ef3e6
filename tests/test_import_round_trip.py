"""An exported criteria-detail file (XLSX or CSV) re-imports as "unchanged" for every row and changes nothing:
Vietnamese letters, line breaks, texts that look like formulas, measured values with decimals, N/A rows; the
read-only columns after the import's own are ignored."""

from __future__ import annotations

import pytest

from tests.assessment_fixtures import module_campaign, percent_result
from tests.import_fixtures import stored, upload
from tincay.assessments.services.imports import assessment_import_results
from tincay.common.csv_export import csv_text
from tincay.reports.imports import results
from tincay.reports.imports.access import assessments_importable_by
from tincay.reports.imports.service import import_check, import_run

CODE = "nhap-khu-hoi"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311"}) as campaign:
        yield campaign


def _fill(campaign) -> None:
    """Varied results through the service (rolled back after each test)."""
    own = campaign.assessments.get(unit__key="11413")
    management = list(
        own.results.filter(criterion__type="management")
        .order_by("criterion__order")[:3]
        .values_list("criterion__code", flat=True)
    )
    measured = (
        own.results.filter(criterion__type="performance").exclude(criterion__measure_unit_vi="%").first().criterion
    )
    rows = {
        management[0]: {
            "self_level": "green",
            "narrative": "=SUM(A1) là chữ, không phải công thức",
            "no_evidence_reason": "-5 điểm\nDòng thứ hai: Đằng Lâm",
        },
        management[1]: {"na": True, "na_reason": "@ Không áp dụng với phường"},
        management[2]: {"self_level": "red", "narrative": "+84 912 345 678"},
        percent_result(own).criterion.code: {"self_value": "87.5", "self_level": "green"},
        measured.code: {"self_value": "1234.5678", "self_level": "yellow"},
    }
    assessment_import_results(user="test-seed", assessment=own, rows=rows)
    own.results.filter(criterion__code=management[0]).update(scorer_level="yellow", scorer_comment="Thiếu biên bản.")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_exported_file_reimports_unchanged_and_changes_nothing(campaign, users, fmt):
    _fill(campaign)
    coordinator = users["dieuphoi"]
    assessments = assessments_importable_by(coordinator, campaign)
    if fmt == "xlsx":
        data = results.detail_xlsx(campaign, assessments)
    else:
        data = results.detail_csv(campaign, assessments).encode("utf-8")
    before = stored(campaign)
    for kind in ("results", "values"):
        run = import_check(user=coordinator, campaign=campaign, kind=kind, upload=upload(data, f"tieu-chi.{fmt}"))
        counts = run.report["counts"]
        assert run.status == "checked", run.report["rows"][:3]
        assert counts["unchanged"] == counts["total"] == len(before)
        assert stored(campaign) == before
    done = import_run(user=coordinator, run=run)
    assert (done.status, done.rows_written) == ("done", 0)
    assert stored(campaign) == before


@pytest.mark.django_db
def test_the_export_writes_the_import_columns_first_then_read_only_ones(campaign, users):
    _fill(campaign)
    rows = list(results.criteria_detail_rows(campaign, assessments_importable_by(users["dieuphoi"], campaign)))
    header = (*results.HEADER, *results.READ_ONLY)
    assert len(rows[0]) == len(header)
    assert header[:3] == ("Mã đơn vị", "Tên đơn vị", "Mã tiêu chí")
    assert all("(chỉ xem)" in text for text in results.READ_ONLY)
    text = results.detail_csv(campaign, assessments_importable_by(users["dieuphoi"], campaign))
    assert "87,5" in text and "1234,5678" in text  # a decimal comma, never read two ways
    assert "'=SUM(A1)" in text  # escaped for spreadsheets, read back as the text


@pytest.mark.django_db
def test_an_edited_export_reports_what_changed(campaign, users):
    _fill(campaign)
    coordinator = users["dieuphoi"]
    rows = [results.csv_cells(row) for row in results.criteria_detail_rows(campaign, campaign.assessments.all())]
    level = results.HEADER.index(results.SELF_LEVEL)
    target = next(i for i, row in enumerate(rows) if row[level] == "Đỏ")
    rows[target][level] = "vàng"
    data = csv_text(results.HEADER, [row[: len(results.HEADER)] for row in rows]).encode("utf-8")
    run = import_check(user=coordinator, campaign=campaign, kind="results", upload=upload(data, "sua.csv"))
    changed = [row for row in run.report["rows"] if row["outcome"] == "changed"]
    assert run.status == "checked"
    assert [(c["column"], c["before"], c["after"]) for c in changed[0]["changes"]] == [
        ("Mức tự đánh giá", "Đỏ", "Vàng")
    ]
    assert changed[0]["row"] == target + 2  # the header is row 1
    assert run.report["counts"]["changed"] == 1
