"""The five documents, asked for through the service and built as the worker builds them, open with python-docx in
the layout of Decree 30 (A4, margins, Times New Roman, the header blocks, "Số: 05/…", the zero-padded date line,
"Nơi nhận:" bold italic 12 pt ending "- Lưu: VT.", the signer) and carry their data: the appendix of criteria, the
missing-evidence explanations, the reasons of the appraisal, the actions with their budgets, the per-unit table and
the charts. As PDF (the same DOCX through LibreOffice) their pages turn into PNG and their text keeps every
diacritic; they are stored with who asked, their size and SHA-256."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from docx import Document

from tests.document_fixtures import document_campaign, made
from tests.office_tools import office_or_skip
from tincay.reports.models import JobStatus

OPTIONS = {"number": "5", "day": "05/01/2026", "signer_name": "Trần Thị Bình"}
DATE_LINE = "ngày 05 tháng 01 năm 2026"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "documents"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "van-ban-5-loai") as found:
        yield found


def request_for(kind, world):
    campaign, own, _other = world
    if kind == "campaign_report":
        return {"kind": kind, "campaign_code": campaign.code}
    return {"kind": kind, "assessment_id": own.pk}


def opened(generated):
    assert generated.status == JobStatus.DONE, generated.message
    with generated.file.open("rb") as stream:
        return Document(io.BytesIO(stream.read()))


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


KINDS = ["decision", "self_report", "appraisal_report", "programme", "campaign_report"]
CONTENT = {
    "decision": ["PHỤ LỤC", "QUYẾT ĐỊNH", "Điều 1.", "Xanh:"],
    "self_report": ["BÁO CÁO", "Tài liệu lưu bản giấy.", "Ủy ban nhân dân phường Hải An", "IV. KHÓ KHĂN, VƯỚNG MẮC"],
    "appraisal_report": ["HỘI ĐỒNG THẨM ĐỊNH", "Đã xem xét."],
    "programme": ["KẾ HOẠCH", "=Lập kế hoạch “một cửa” điện tử", "15.000.000"],
    "campaign_report": ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Phường Hải An", "Bộ Khoa học và Công nghệ"],
}


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_keeps_the_decree_layout_and_its_data(kind, world, users):
    generated = made(users["dieuphoi"], data=OPTIONS, **request_for(kind, world))
    document = opened(generated)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [
        round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    fonts = {r.font.name for p in document.paragraphs for r in p.runs} - {None}
    assert fonts <= {"Times New Roman"}
    header = document.tables[0]
    nation = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in nation] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.bold for p in nation for r in p.runs)
    assert header.cell(1, 0).text.startswith("Số: 05/")
    date = header.cell(1, 1).paragraphs[0]
    assert date.text.endswith(DATE_LINE) and date.runs[0].italic
    signature = document.tables[-1] if kind not in ("decision",) else _signature_table(document)
    left = signature.cell(0, 0).paragraphs
    assert left[0].text == "Nơi nhận:" and left[0].runs[0].bold and left[0].runs[0].italic
    assert left[0].runs[0].font.size.pt == 12
    assert left[-1].text.startswith("- Lưu: VT") and left[-1].runs[0].font.size.pt == 11
    assert "Trần Thị Bình" in signature.cell(0, 1).text
    text = all_text(document)
    for phrase in CONTENT[kind]:
        assert phrase in text, phrase
    assert generated.requested_by == users["dieuphoi"] and generated.filename.endswith(".docx")
    with generated.file.open("rb") as stream:
        content = stream.read()
    assert generated.size == len(content) and generated.sha256 == hashlib.sha256(content).hexdigest()


def _signature_table(document):
    """The decision's appendix follows its signature: the table holding "Nơi nhận:"."""
    return next(t for t in document.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")


def test_the_campaign_report_carries_its_charts_and_ranks_every_unit(world, users):
    generated = made(users["quantri"], data=OPTIONS, **request_for("campaign_report", world))
    document = opened(generated)
    assert len(document.inline_shapes) == 2  # the pillar averages and the levels per indicator
    text = all_text(document)
    assert "Phường Hải An" in text and world[2].unit.name in text  # the administrator sees both units


def test_the_coordinator_s_campaign_report_leaves_out_units_outside_their_scope(world, users):
    text = all_text(opened(made(users["dieuphoi"], **request_for("campaign_report", world))))
    assert "Phường Hải An" in text and world[2].unit.name not in text


@pytest.mark.parametrize("kind", KINDS)
def test_each_document_as_pdf_turns_into_png_pages_and_keeps_its_diacritics(kind, world, users, tmp_path: Path):
    office_or_skip()
    generated = made(users["dieuphoi"], fmt="pdf", data=OPTIONS, **request_for(kind, world))
    assert generated.status == JobStatus.DONE, generated.message
    source = tmp_path / "document.pdf"
    with generated.file.open("rb") as stream:
        source.write_bytes(stream.read())
    assert source.read_bytes().startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{kind}-*.png"):
        old.unlink()
    pages = ARTIFACTS / kind
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(source), str(pages)], check=True, timeout=60)  # noqa: S607
    assert list(ARTIFACTS.glob(f"{kind}-*.png"))  # looked at: test-artifacts/documents/
    command = ["pdftotext", "-layout", str(source), "-"]
    text = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        DATE_LINE,
        "Nơi nhận:",
        "Trần Thị Bình",
    ):
        assert phrase in text, phrase


def test_a_document_asked_for_in_english_is_written_in_english(world, users):
    _campaign, own, _other = world
    text = all_text(opened(made(users["dieuphoi"], language="en", kind="self_report", assessment_id=own.pk)))
    assert "I. OVERVIEW" in text and "IV. PROBLEMS AND DIFFICULTIES" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text  # the national name stays as the decree writes it
