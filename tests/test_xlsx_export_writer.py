"""The one XLSX writer of the exports: a formula-looking text is stored as text and reads back unchanged (never a
formula), traffic-light cells carry the level's fill with their words, the header row is bold, frozen and filtered,
Vietnamese text and numbers keep their values and types, and a sheet title Excel would refuse is made acceptable."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from tincay.reports.xlsx import FILLS, Level, Sheet, sheet_title, workbook_bytes

TRICKY = ['=HYPERLINK("http://x","y")', "+84 912 345 678", "-5", "@SUM(A1)", "\tcách", "\rđầu"]


def opened(*sheets: Sheet):
    return load_workbook(io.BytesIO(workbook_bytes(list(sheets))))


def test_formula_looking_text_is_stored_as_text_and_reads_back_unchanged():
    book = opened(Sheet("Dữ liệu", ["Ghi chú"], [[text] for text in TRICKY]))
    ws = book["Dữ liệu"]
    cells = [ws.cell(row=n, column=1) for n in range(2, len(TRICKY) + 2)]
    assert [c.value for c in cells] == TRICKY
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)


def test_levels_carry_their_fill_and_their_words():
    rows = [
        ["31", "Phường Hải An", Level("green", "Xanh"), Level("yellow", "Vàng"), Level("red", "Đỏ"), Level("", "—")]
    ]
    ws = opened(Sheet("Kết quả", ["Mã", "Đơn vị", "1.1", "1.2", "1.3", "1.4"], rows))["Kết quả"]
    green, yellow, red, none = (ws.cell(row=2, column=c) for c in (3, 4, 5, 6))
    assert (green.value, yellow.value, red.value, none.value) == ("Xanh", "Vàng", "Đỏ", "—")
    for cell, level in ((green, "green"), (yellow, "yellow"), (red, "red")):
        fill, font = FILLS[level]
        assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb.endswith(fill)
        assert cell.font.color.rgb.endswith(font)
    assert none.fill.fill_type is None


def test_header_is_bold_frozen_and_filtered_and_values_keep_their_types():
    day = dt.date(2026, 1, 5)
    ws = opened(
        Sheet(
            "Chương trình", ["Nhiệm vụ", "Ngân sách (VND)", "Hạn", "Tiến độ"], [["Số hóa hồ sơ", 12_500_000, day, None]]
        )
    )["Chương trình"]
    assert all(ws.cell(row=1, column=c).font.bold for c in range(1, 5))
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:D2"
    assert ws.cell(row=2, column=1).value == "Số hóa hồ sơ"
    assert ws.cell(row=2, column=2).value == 12_500_000
    assert ws.cell(row=2, column=3).value.date() == day
    assert ws.cell(row=2, column=4).value is None


def test_sheet_titles_excel_would_refuse_are_made_acceptable():
    assert sheet_title("Kết quả: 2026/01 [tạm]?") == "Kết quả 2026 01 tạm"
    assert len(sheet_title("Chỉ số " * 10)) == 31
    assert sheet_title("::") == "Sheet"
    assert opened(Sheet("a/b", ["x"], []))["a b"].max_row == 1
