"""Administrative documents as editable DOCX in the layout of Decree 30/2020/NĐ-CP, Appendix I.

A document is data (``AdminDocument``: the issuing body, number, place and date, kind and title, body blocks, the
authority and signature, the recipients, an optional appendix); ``build_docx`` lays it out:

- A4 portrait; margins top and bottom 20 mm, left 30 mm, right 15 mm; Times New Roman throughout;
- top left the issuing body (the parent body above, not bold; the body in bold capitals; a short rule under it),
  top right the national name in bold capitals 12 pt and the motto in bold 13 pt with its rule;
- under them "Số: …/…" on the left and the place and date in italics on the right;
- the kind in bold capitals 14 pt, the title in bold 14 pt with a short rule;
- the body in 14 pt, justified, first line indented 1 cm;
- "Nơi nhận:" bold italic 12 pt with its list in 11 pt on the left, the authority (TM., KT., …), the signer's title
  and name on the right;
- page numbers from page 2, top centre.

What is written (numbers, dates, the place, capitals) comes from ``decree30``; this module only places it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tincay.reports import decree30

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
NATIONAL_PT = 12
RECIPIENTS_TITLE_PT = 12
RECIPIENTS_PT = 11
TABLE_PT = 12
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FIRST_LINE_CM = 1.0


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    italic: bool = False
    indent: bool = True  # the body's first-line indent
    center: bool = False  # "QUYẾT ĐỊNH:" between the grounds and the articles


@dataclass(frozen=True)
class Heading:
    """A numbered part of the body ("I. KẾT QUẢ TỰ ĐÁNH GIÁ"), bold, not indented."""

    text: str


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths_cm: Sequence[float] = ()
    caption: str = ""
    bold_rows: frozenset[int] = frozenset()  # rows (from 0, after the header) set in bold: a group's heading


@dataclass(frozen=True)
class Image:
    """A chart: PNG bytes placed centred at ``width_cm``, its caption under it in italics."""

    png: bytes
    width_cm: float = 15.0
    caption: str = ""


Block = Paragraph | Heading | Table | Image


@dataclass(frozen=True)
class AdminDocument:
    issuer: decree30.Issuer
    kind: str  # "Quyết định", "Báo cáo", …
    kind_symbol: str  # "QĐ", "BC", …
    issuer_symbol: str  # "UBND", "SKHCN", …
    place: str  # "Hải Phòng"
    day: dt.date
    title: str
    body: Sequence[Block]
    authority: str  # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", or "" when the head signs
    signer_title: str  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    signer_name: str
    recipients: Sequence[str]  # lines from ``decree30.recipients``
    number: int | None = None  # None: a draft, the office numbers it at issue
    appendix_title: str = ""
    appendix: Sequence[Block] = field(default_factory=tuple)


def build_docx(document: AdminDocument) -> bytes:
    """The document as DOCX bytes."""
    doc = new_document()
    _page(doc)
    _styles(doc)
    _header_blocks(doc, Top.of(document))
    _title(doc, document.kind.upper(), document.title)
    for block in document.body:
        _block(doc, block)
    _signature(doc, Signature.of(document))
    if document.appendix:
        _appendix_heading(doc, document.appendix_title, appendix_reference(document))
        for block in document.appendix:
            _block(doc, block)
    return _saved(doc)


def blocks_into(doc, blocks: Sequence[Block]) -> None:
    """Lay ``blocks`` out into ``doc`` (a document or a template's sub-document) as the body is laid out."""
    for block in blocks:
        _block(doc, block)


def _saved(doc) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- page, styles, page numbers -------------------------------------------------------------------------------


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    # page numbers from page 2, top centre: the first page has a header of its own, left empty
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(number, "PAGE", HEADER_PT)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0


def _field(paragraph, instruction: str, size: int) -> None:
    """A Word field (PAGE) in ``paragraph``: begin, instruction, separate, a placeholder result, end."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(size)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    run.font.size = Pt(size)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    shown = paragraph.add_run("2")
    shown.font.size = Pt(size)
    char("end")


# --- the blocks at the top ------------------------------------------------------------------------------------


def _line(cell_or_doc, text: str, *, size: int, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = cell_or_doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.font.size, run.bold, run.italic = Pt(size), bold, italic
    return paragraph


def _rule(cell_or_doc, width_cm: float, available_cm: float) -> None:
    """A short centred rule: an empty paragraph whose bottom border runs between indents ``width_cm`` apart."""
    paragraph = cell_or_doc.add_paragraph()
    side = max(0.0, (available_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    run = paragraph.add_run()
    run.font.size = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


LEFT_CM, RIGHT_CM = 6.0, 10.5  # the two columns of the top blocks (16.5 cm between the margins)


@dataclass(frozen=True)
class Top:
    """The lines of the top blocks as written: the issuing body's (parent, then name), the number line and the date
    line. A document fills them from its data; the starter template with placeholders."""

    parent_lines: Sequence[str]
    name_lines: Sequence[str]
    number_line: str
    date_line: str

    @classmethod
    def of(cls, document: AdminDocument) -> Top:
        return cls(
            document.issuer.parent_lines,
            document.issuer.name_lines,
            decree30.number_line(document.number, document.kind_symbol, document.issuer_symbol),
            decree30.date_line(document.place, document.day),
        )


def _header_blocks(doc, top: Top) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, (LEFT_CM, RIGHT_CM))
    body, nation = table.cell(0, 0), table.cell(0, 1)
    body.paragraphs[0]._p.getparent().remove(body.paragraphs[0]._p)
    nation.paragraphs[0]._p.getparent().remove(nation.paragraphs[0]._p)
    for text in top.parent_lines:
        _line(body, text, size=HEADER_PT)
    for text in top.name_lines:
        _line(body, text, size=HEADER_PT, bold=True)
    _rule(body, 2.0, LEFT_CM)
    _line(nation, decree30.NATIONAL_NAME, size=NATIONAL_PT, bold=True)
    _line(nation, decree30.MOTTO, size=HEADER_PT, bold=True)
    _rule(nation, 5.5, RIGHT_CM)
    number, date = table.cell(1, 0), table.cell(1, 1)
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = number.paragraphs[0].add_run(top.number_line)
    run.font.size = Pt(HEADER_PT)
    date.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = date.paragraphs[0].add_run(top.date_line)
    run.font.size, run.italic = Pt(HEADER_PT), True


def _title(doc, kind: str, title: str) -> None:
    first = _line(doc, kind, size=BODY_PT, bold=True)
    first.paragraph_format.space_before = Pt(18)
    _line(doc, title, size=BODY_PT, bold=True)
    _rule(doc, 3.0, LEFT_CM + RIGHT_CM)
    doc.add_paragraph().paragraph_format.space_after = Pt(6)


# --- the body --------------------------------------------------------------------------------------------------


def _block(doc, block: Block) -> None:
    if isinstance(block, Heading):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.space_before = Pt(6)
        paragraph.paragraph_format.space_after = Pt(6)
        run = paragraph.add_run(block.text)
        run.bold, run.font.size = True, Pt(BODY_PT)
    elif isinstance(block, Paragraph):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.space_after = Pt(6)
        paragraph.paragraph_format.line_spacing = 1.15
        if block.center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.indent:
            paragraph.paragraph_format.first_line_indent = Cm(FIRST_LINE_CM)
        run = paragraph.add_run(block.text)
        run.bold, run.italic, run.font.size = block.bold, block.italic, Pt(BODY_PT)
    elif isinstance(block, Image):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.keep_with_next = bool(block.caption)  # the chart stays with its caption
        paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        if block.caption:
            _line(doc, block.caption, size=TABLE_PT, italic=True).paragraph_format.space_after = Pt(6)
    else:
        _table(doc, block)


def _table(doc, block: Table) -> None:
    if block.caption:
        _line(doc, block.caption, size=TABLE_PT, bold=True)
    table = doc.add_table(rows=1, cols=len(block.header))
    _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(table.rows[0])
    for n, values in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            _cell_text(cell, text, bold=n in block.bold_rows)
    if block.widths_cm:
        _widths(table, block.widths_cm)
    doc.add_paragraph().paragraph_format.space_after = Pt(6)


def _widths(table, widths_cm: Sequence[float]) -> None:
    """Column widths that Word and LibreOffice both keep: the grid's columns (LibreOffice reads these) and every
    cell (Word reads these), with automatic fitting off."""
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=False):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=False):
            cell.width = Cm(width)


def _cell_text(cell, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(TABLE_PT)


def _grid(table) -> None:
    """Single black lines around and between every cell, set on the table itself (a template's own styles may
    lack "Table Grid")."""
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            line.set(qn(key), value)
        borders.append(line)
    properties = table._tbl.tblPr
    later = next(
        (properties.find(qn(f"w:{n}")) for n in _AFTER_BORDERS if properties.find(qn(f"w:{n}")) is not None), None
    )
    if later is None:
        properties.append(borders)
    else:
        later.addprevious(borders)  # the schema's order: Word refuses a file with tblBorders after these


_AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _keep_together(row) -> None:
    """The row is never split across two pages (the signature stays with its title)."""
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(element)


def _repeat_header(row) -> None:
    """The table's first row repeats at the top of every page it runs onto."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


# --- the end: recipients, authority and signature ----------------------------------------------------------------


@dataclass(frozen=True)
class Signature:
    """The signature block as written: the recipients' lines, the authority, the signer's title and name."""

    recipients: Sequence[str]
    authority: str
    signer_title: str
    signer_name: str

    @classmethod
    def of(cls, document: AdminDocument) -> Signature:
        return cls(document.recipients, document.authority.upper(), document.signer_title.upper(), document.signer_name)


def _signature(doc, signature: Signature) -> None:
    doc.add_paragraph()  # a line between the body and the signature block
    table = doc.add_table(rows=1, cols=2)
    _widths(table, (8.0, 8.5))
    _keep_together(table.rows[0])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(RECIPIENTS_TITLE_PT)
    for text in signature.recipients:
        _line(left, text, size=RECIPIENTS_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    if signature.authority:
        _line(right, signature.authority, size=BODY_PT, bold=True)
    _line(right, signature.signer_title, size=BODY_PT, bold=True)
    for _blank in range(4):  # room for the signature and the seal
        right.add_paragraph()
    _line(right, signature.signer_name, size=BODY_PT, bold=True)


def appendix_reference(document: AdminDocument) -> str:
    """ "(Kèm theo Quyết định số 05/QĐ-UBND ngày 05/01/2026 của Ủy ban nhân dân phường Hải An)"."""
    number = decree30.number_line(document.number, document.kind_symbol, document.issuer_symbol)
    reference = f"(Kèm theo {document.kind} {number.replace('Số: ', 'số ')} {_short_date(document.day)}"
    return f"{reference} của {document.issuer.in_text})"


def _appendix_heading(doc, title: str, reference: str) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _line(doc, "PHỤ LỤC", size=BODY_PT, bold=True)
    _line(doc, title, size=BODY_PT, bold=True)
    _line(doc, reference, size=BODY_PT, italic=True)
    doc.add_paragraph()


def _short_date(day: dt.date) -> str:
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {decree30.padded(day.day)}/{month}/{day.year}"


# --- the starter template: the same layout with placeholders ------------------------------------------------------


def _each(name: str) -> list[str]:
    """Paragraphs repeating ``{{ line }}`` for each line of ``name`` (docxtpl's paragraph tags)."""
    return [f"{{%p for line in {name} %}}", "{{ line }}", "{%p endfor %}"]


def starter_docx() -> bytes:
    """A Word template laid out as the built-in documents, with a placeholder for each part (docxtpl): what an
    administrator starts from to change the wording, the issuing body or the signer without code."""
    doc = new_document()
    _page(doc)
    _styles(doc)
    _header_blocks(
        doc, Top(_each("issuer_parent_lines"), _each("issuer_name_lines"), "{{ number_line }}", "{{ date_line }}")
    )
    _title(doc, "{{ kind }}", "{{ title }}")
    _block(doc, Paragraph("{{p body }}", indent=False))
    _signature(doc, Signature(_each("recipients"), "{{ authority }}", "{{ signer_title }}", "{{ signer_name }}"))
    _block(doc, Paragraph("{%p if appendix %}", indent=False))
    _appendix_heading(doc, "{{ appendix_title }}", "{{ appendix_reference }}")
    _block(doc, Paragraph("{{p appendix }}", indent=False))
    _block(doc, Paragraph("{%p endif %}", indent=False))
    return _saved(doc)
