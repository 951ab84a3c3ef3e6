"""The spreadsheet reader of imports (``common.tabular``): XLSX and CSV (UTF-8 with or without BOM, `,` or `;`),
headers matched without regard to case, spaces or diacritics, rows numbered as Excel shows them, escaped formulas
read back as text, and clear messages for a file that is not a spreadsheet, empty, too large, or lacks a column."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from tests.import_fixtures import csv_bytes, xlsx
from tincay.common.csv_export import csv_text
from tincay.common.tabular import Column, TableError, read_table

pytestmark = pytest.mark.usefixtures("english")

COLUMNS = [
    Column("unit", "Mã đơn vị", ("unit code",), required=True),
    Column("value", "Giá trị đo"),
    Column("text", "Thuyết minh"),
]


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (_zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}), "a Word document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "an old Excel 97-2003 workbook"),
        (_zip({"a.txt": b"x"}), "a compressed archive"),
        (b"\x7fELF\x02\x01\x01\0\0\0", "a file of an unrecognised type"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_says_what_it_is(data, what):
    with pytest.raises(TableError) as caught:
        read_table(data, name="ket-qua.xlsx", columns=COLUMNS)
    assert what in caught.value.message
    assert "“ket-qua.xlsx”" in caught.value.message
    assert "Excel workbook (.xlsx) or a CSV file" in caught.value.message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\n\n  \n", "no header row"),
        ("Mã đơn vị;Giá trị đo\r\n".encode(), "no data below it"),
        ("Giá trị đo;Thuyết minh\r\n1;a\r\n".encode(), "has no column “Mã đơn vị”"),
        ("Mã đơn vị;MÃ ĐƠN VỊ\r\n1;2\r\n".encode(), "twice"),
        (b"M\xe3 \xf0\xf5n v\xec\r\n31\r\n", "not in UTF-8"),  # "Mã đơn vị" in Windows-1258
    ],
)
def test_unusable_files_get_a_clear_message(data, message):
    with pytest.raises(TableError, match=message):
        read_table(data, name="a.csv", columns=COLUMNS)


def test_size_and_row_limits_are_explained():
    data = csv_bytes(["Mã đơn vị"], [[str(n)] for n in range(20)])
    with pytest.raises(TableError, match="more than 10 rows"):
        read_table(data, name="a.csv", columns=COLUMNS, max_rows=10)
    with pytest.raises(TableError, match="larger than 1 MB"):
        read_table(b"x" * (1024 * 1024 + 1), name="a.csv", columns=COLUMNS, max_bytes=1024 * 1024)


@pytest.mark.parametrize(("sep", "bom"), [(";", True), (";", False), (",", True), ("\t", False)])
def test_csv_with_or_without_bom_and_any_usual_separator(sep, bom):
    data = csv_bytes(["Mã đơn vị", "Giá trị đo", "Thuyết minh"], [["00004", "87,5", "Đằng Lâm"]], sep=sep, bom=bom)
    if sep == ",":
        data = data.replace(b"87,5", b'"87,5"')
    table = read_table(data, name="a.csv", columns=COLUMNS)
    assert table.fmt == "csv"
    assert [(r.number, r.values) for r in table.rows] == [(2, {"unit": "00004", "value": "87,5", "text": "Đằng Lâm"})]


@pytest.mark.parametrize("header", ["MA DON VI", "mã_đơn_vị", "  Mã  Đơn vị ", "Unit Code", "ma don vi*"])
def test_headers_are_matched_whatever_their_case_spaces_or_diacritics(header):
    table = read_table(xlsx([header, "Cột lạ"], [["31", "x"]]), name="a.xlsx", columns=COLUMNS)
    assert table.rows[0].values == {"unit": "31"}
    assert table.ignored == ["Cột lạ"]


def test_a_title_above_the_table_is_passed_over():
    data = xlsx(["Kết quả tự đánh giá năm 2026"], [[None], ["Mã đơn vị", "Giá trị đo"], ["31", 5]])
    table = read_table(data, name="a.xlsx", columns=COLUMNS)
    assert [(r.number, r.values) for r in table.rows] == [(4, {"unit": "31", "value": "5"})]


def test_rows_keep_the_number_excel_shows_and_blank_rows_are_skipped():
    data = xlsx(["Mã đơn vị", "Giá trị đo"], [["31", 87.5], [None, None], ["01", 1.234]])
    table = read_table(data, name="a.xlsx", columns=COLUMNS)
    assert [r.number for r in table.rows] == [2, 4]
    assert table.rows[1].numbers == {"value": Decimal("1.234")}  # a number of the workbook, not text to guess
    text = 'Mã đơn vị;Thuyết minh\r\n31;"hai\r\ndòng"\r\n\r\n01;x\r\n'.encode()
    assert [r.number for r in read_table(text, name="a.csv", columns=COLUMNS).rows] == [2, 4]


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x","y")', "+84 912", "-5 điểm", "@SUM(A1)"])
def test_a_formula_escaped_by_our_exports_reads_back_as_the_text(formula):
    header = ["Mã đơn vị", "Thuyết minh"]
    from_xlsx = read_table(xlsx(header, [["31", formula]]), name="a.xlsx", columns=COLUMNS)
    from_csv = read_table(csv_text(header, [["31", formula]]).encode(), name="a.csv", columns=COLUMNS)
    assert from_xlsx.rows[0].values["text"] == from_csv.rows[0].values["text"] == formula


def test_the_sha256_and_the_type_come_from_the_content():
    import hashlib

    data = xlsx(["Mã đơn vị"], [["31"]])
    table = read_table(data, name="nhan-ten-sai.csv", columns=COLUMNS)
    assert table.fmt == "xlsx" and table.sha256 == hashlib.sha256(data).hexdigest() and table.size == len(data)
