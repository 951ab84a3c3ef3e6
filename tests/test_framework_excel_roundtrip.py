"""Export to an Excel workbook and import it back without loss; edits made in Excel come through."""

import io

import pytest
from openpyxl import load_workbook

from tincay.catalogue import library, xlsx
from tincay.catalogue.selectors import version_by_ref, version_document
from tincay.catalogue.services import version_load_document

pytestmark = pytest.mark.django_db


def test_workbook_round_trip_is_lossless():
    doc = version_document(version_by_ref("tcvn-iso-18091", "2020"))
    back = xlsx.document_from_workbook(xlsx.workbook_bytes(doc))
    assert back == doc
    assert library.content_hash(back) == library.content_hash(doc)


def test_workbook_has_the_documented_sheets_with_vietnamese_text():
    doc = version_document(version_by_ref("tcvn-iso-18091", "2020"))
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(doc)))
    assert wb.sheetnames == ["Phiên bản", "Xếp loại", "Trụ cột", "Chỉ số", "Tiêu chí"]
    assert wb["Chỉ số"].max_row == 40
    assert "Phát triển" in wb["Trụ cột"]["B2"].value


def test_an_edited_workbook_imports_as_a_new_draft(client_for):
    doc = version_document(version_by_ref("tcvn-iso-18091", "2020"))
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(doc)))
    settings = {row[0].value: row[1] for row in wb["Phiên bản"].iter_rows(min_row=2)}
    settings["version.code"].value = "thu-nghiem-excel"
    settings["version.status"].value = "draft"
    wb["Tiêu chí"]["C2"] = "Tiêu chí sửa trong Excel"
    buffer = io.BytesIO()
    wb.save(buffer)
    client = client_for("dieuphoi")
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "bo-chi-so.xlsx"
    response = client.post("/catalogue/import/", {"workbook": upload})
    assert response.status_code == 302
    version = version_by_ref("tcvn-iso-18091", "thu-nghiem-excel")
    assert version.status == "draft" and version.owner_unit.code == "31"
    assert version.criteria.order_by("order").first().title_vi == "Tiêu chí sửa trong Excel"


def test_a_broken_workbook_is_refused_with_the_places_to_fix(client_for):
    doc = version_document(version_by_ref("tcvn-iso-18091", "2020"))
    wb = load_workbook(io.BytesIO(xlsx.workbook_bytes(doc)))
    wb["Tiêu chí"]["C2"] = ""
    settings = {row[0].value: row[1] for row in wb["Phiên bản"].iter_rows(min_row=2)}
    settings["version.code"].value = "hong"
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "hong.xlsx"
    response = client_for("dieuphoi").post("/catalogue/import/", {"workbook": upload})
    assert response.status_code == 400
    assert b"criteria[0].title" in response.content
    assert version_by_ref("tcvn-iso-18091", "hong") is None


def test_a_file_that_is_not_a_workbook_gets_a_clear_message(client_for):
    upload = io.BytesIO(b"MZ\x90\x00 not a workbook")
    upload.name = "virus.xlsx"
    response = client_for("dieuphoi").post("/catalogue/import/", {"workbook": upload}, follow=True)
    assert "xlsx" in response.content.decode()


def test_reimporting_an_issued_version_unchanged_is_harmless_but_a_change_is_refused():
    doc = version_document(version_by_ref("tcvn-iso-18091", "2020"))
    assert (
        version_load_document(doc=xlsx.document_from_workbook(xlsx.workbook_bytes(doc)), actor="load_framework")[1]
        == "unchanged"
    )
