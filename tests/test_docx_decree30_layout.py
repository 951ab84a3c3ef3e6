"""A document laid out by ``reports.docx_layout`` opens with python-docx and keeps the layout of Decree 30/2020/NĐ-CP
(Appendix I): A4 portrait and its margins, Times New Roman, the issuing body and the national motto at the top with
their rules, the number and the date line (zero-padded), the kind and title in bold, the body justified with a
first-line indent, "Nơi nhận:" bold italic 12 pt with its list in 11 pt ending with the office's copy, the
authority and signer on the right, page numbers from page 2 at the top centre, and every Vietnamese diacritic."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from tincay.reports import decree30
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table, build_docx

BODY = "Ủy ban nhân dân phường Đằng Lâm tự đánh giá theo TCVN ISO 18091:2020 với đầy đủ minh chứng."


@pytest.fixture(scope="module")
def opened():
    document = AdminDocument(
        issuer=decree30.Issuer(name="Sở Khoa học và Công nghệ", parent="Ủy ban nhân dân thành phố Hải Phòng"),
        kind="Quyết định",
        kind_symbol="QĐ",
        issuer_symbol="SKHCN",
        place=decree30.place_name("Thành phố Hải Phòng"),
        day=dt.date(2026, 1, 5),
        number=7,
        title="Về việc ban hành Bộ chỉ số đánh giá chất lượng chính quyền địa phương",
        body=[
            Heading("I. KẾT QUẢ TỰ ĐÁNH GIÁ"),
            Paragraph(BODY),
            Table(
                header=["Mã", "Chỉ số", "Kết quả"], rows=[["1.1", "Thể chế, pháp luật", "Xanh"]], widths_cm=[2, 10, 4]
            ),
        ],
        authority="KT. Giám đốc",
        signer_title="Phó Giám đốc",
        signer_name="Nguyễn Thị Hằng",
        recipients=decree30.recipients(["UBND thành phố (để b/c)", "Bộ KH&CN"], ["TĐC"]),
        appendix_title="BỘ CHỈ SỐ VÀ HƯỚNG DẪN CHẤM ĐIỂM",
        appendix=[Table(header=["Mã", "Tiêu chí"], rows=[["1.1.1", "Văn bản được ban hành đúng thẩm quyền"]])],
    )
    return Document(io.BytesIO(build_docx(document)))


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def mm(length) -> float:
    """A length as Word stores it (twentieths of a point), in millimetres to a tenth."""
    return round(length.mm, 1)


def test_page_is_a4_portrait_with_the_decree_margins(opened):
    section = opened.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)  # Decree 30: 20–25 mm
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)  # 30–35 mm, 15–20 mm


def test_times_new_roman_everywhere(opened):
    normal = opened.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{k}") for k in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"
    }
    runs = [run for p in opened.paragraphs for run in p.runs]
    assert all(run.font.name in (None, "Times New Roman") for run in runs)


def test_issuing_body_and_motto_blocks(opened):
    top = opened.tables[0]
    body, nation = top.cell(0, 0), top.cell(0, 1)
    parent, name = body.paragraphs[0], body.paragraphs[1]
    assert parent.text == "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG" and not parent.runs[0].bold
    assert name.text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and name.runs[0].bold
    national, motto = nation.paragraphs[0], nation.paragraphs[1]
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert national.runs[0].bold and Pt(12) <= national.runs[0].font.size <= Pt(13)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold
    assert Pt(13) <= motto.runs[0].font.size <= Pt(14)
    for cell in (body, nation):  # the rule under each block: a paragraph with a bottom border
        assert any(
            p._p.pPr is not None and p._p.pPr.find(f"{{{p._p.nsmap['w']}}}pBdr") is not None for p in cell.paragraphs
        )


def test_number_and_date_lines(opened):
    top = opened.tables[0]
    assert texts(top.cell(1, 0)) == ["Số: 07/QĐ-SKHCN"]
    date = top.cell(1, 1).paragraphs[0]
    assert date.text == "Hải Phòng, ngày 05 tháng 01 năm 2026"
    assert date.runs[0].italic


def test_kind_title_and_body(opened):
    paragraphs = [p for p in opened.paragraphs if p.text]
    kind, title = paragraphs[0], paragraphs[1]
    assert kind.text == "QUYẾT ĐỊNH" and kind.runs[0].bold and kind.runs[0].font.size == Pt(14)
    assert title.text.startswith("Về việc ban hành") and title.runs[0].bold
    assert kind.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = next(p for p in paragraphs if p.text == BODY)
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert mm(body.paragraph_format.first_line_indent) == 10
    assert Pt(13) <= body.runs[0].font.size <= Pt(14)


def test_recipients_and_signature(opened):
    signature = opened.tables[2]  # after the top blocks and the body's table
    left, right = signature.rows[0].cells
    title = left.paragraphs[0]
    assert title.text == "Nơi nhận:" and title.runs[0].bold and title.runs[0].italic
    assert title.runs[0].font.size == Pt(12)
    listed = [p for p in left.paragraphs[1:] if p.text]
    assert [p.text for p in listed] == ["- UBND thành phố (để b/c);", "- Bộ KH&CN;", "- Lưu: VT, TĐC."]
    assert all(p.runs[0].font.size == Pt(11) for p in listed)
    assert texts(right) == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Hằng"]


def test_page_numbers_from_page_two_at_the_top_centre(opened):
    section = opened.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in number._p.xml


def test_the_appendix_refers_to_its_decision(opened):
    lines = [p.text for p in opened.paragraphs if p.text]
    assert "PHỤ LỤC" in lines
    assert "(Kèm theo Quyết định số 07/QĐ-SKHCN ngày 05/01/2026 của Sở Khoa học và Công nghệ)" in lines
    header = opened.tables[-1].rows[0]
    assert header._tr.trPr is not None and "tblHeader" in header._tr.trPr.xml


def test_every_diacritic_survives(opened):
    everything = "\n".join(
        [p.text for p in opened.paragraphs] + [c.text for t in opened.tables for row in t.rows for c in row.cells]
    )
    for phrase in ("Ủy ban nhân dân phường Đằng Lâm", "Độc lập - Tự do - Hạnh phúc", "Nguyễn Thị Hằng", "Thể chế"):
        assert phrase in everything
