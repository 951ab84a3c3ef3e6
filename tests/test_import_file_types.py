"""A file that cannot be read as the expected table (a PDF or a Word document renamed .xlsx, an empty file, a file
without the unit column, one above the size limit) ends the dry run with a clear message, stores no file and
writes no result."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.assessment_fixtures import module_campaign
from tests.import_fixtures import VALUES_HEADER, csv_bytes, stored, upload, xlsx
from tincay.reports.imports.service import import_check

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-tep"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (PDF, "results", "is a PDF document, not a spreadsheet"),
        (b"", "results", "is empty"),
        (xlsx(["Tên đơn vị", "Giá trị đo"], [["Phường Hải An", 1]]), "values", "has no column “Mã đơn vị”"),
        (csv_bytes(["Mã đơn vị", "Mã tiêu chí"], [["11413", "1.1.1"]]), "results", "has no column to import"),
        (csv_bytes(["Mã đơn vị", "Mã tiêu chí"], [["11413", "1.1.1"]]), "values", "has no column “Giá trị đo”"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_clear_message(campaign, users, data, kind, message):
    before = stored(campaign)
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind=kind, upload=upload(data, "ket-qua.xlsx"))
    assert run.status == "refused"
    assert message in run.message and run.report["errors"] == [run.message]
    assert not run.file
    assert stored(campaign) == before


@pytest.mark.django_db
@override_settings(TINCAY_MAX_UPLOAD_BYTES=1024)
def test_a_file_above_the_limit_is_refused_before_it_is_read(campaign, users):
    data = csv_bytes(VALUES_HEADER, [["11413", "1.1.1", str(n)] for n in range(200)])
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=upload(data, "lon.csv"))
    assert run.status == "refused" and "larger than" in run.message and run.size == len(data)
