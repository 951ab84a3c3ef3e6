"""A Decree 30 document turns into a PDF through LibreOffice headless: its pages turn into PNG without error and its
text keeps every Vietnamese diacritic; two conversions at once each use a profile of their own; a conversion past
its time limit is stopped with a clear message and leaves no LibreOffice process behind; a server without
LibreOffice says so. Skipped where LibreOffice or poppler is missing, except in CI (TINCAY_REQUIRE_OFFICE=1)."""

from __future__ import annotations

import datetime as dt
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.utils import translation

from tests.office_tools import office_or_skip
from tincay.reports import decree30, pdf
from tincay.reports.docx_layout import AdminDocument, Heading, Paragraph, Table, build_docx

PHRASES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN",
    "PHƯỜNG ĐẰNG LÂM",
    "Đằng Lâm, ngày 05 tháng 02 năm 2026",
    "Kết quả tự đánh giá chất lượng chính quyền địa phương",
    "Thủ tục hành chính được giải quyết đúng hạn",
    "Nơi nhận:",
    "Phạm Văn Đức",
)


def sample() -> bytes:
    rows = [[f"{p}.{i}", "Thủ tục hành chính được giải quyết đúng hạn", "Xanh"] for p in range(1, 5) for i in (1, 2)]
    return build_docx(
        AdminDocument(
            issuer=decree30.people_committee("Phường Đằng Lâm"),
            kind="Báo cáo",
            kind_symbol="BC",
            issuer_symbol="UBND",
            place=decree30.place_name("Phường Đằng Lâm"),
            day=dt.date(2026, 2, 5),
            number=3,
            title="Kết quả tự đánh giá chất lượng chính quyền địa phương theo TCVN ISO 18091:2020",
            body=[
                Heading("I. KẾT QUẢ TỰ ĐÁNH GIÁ"),
                Paragraph("Ủy ban nhân dân phường Đằng Lâm báo cáo kết quả tự đánh giá như sau."),
                Table(["Mã", "Chỉ số", "Kết quả"], rows, widths_cm=[2, 11, 3]),
            ],
            authority="TM. Ủy ban nhân dân",
            signer_title="Chủ tịch",
            signer_name="Phạm Văn Đức",
            recipients=decree30.recipients(["UBND thành phố Hải Phòng"]),
        )
    )


def test_the_pdf_pages_turn_into_png_and_keep_every_diacritic(tmp_path: Path):
    office_or_skip()
    (tmp_path / "document.pdf").write_bytes(pdf.docx_to_pdf(sample()))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "document.pdf", "page"], cwd=tmp_path, check=True)  # noqa: S607
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages and all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    text = subprocess.run(
        ["pdftotext", "-layout", "document.pdf", "-"],  # noqa: S607
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())
    for phrase in PHRASES:
        assert phrase in flat, phrase


def test_two_conversions_at_once_do_not_collide():
    office_or_skip()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _n: pdf.docx_to_pdf(sample()), range(2)))
    assert all(r.startswith(b"%PDF") for r in results)


def _converters() -> list[str]:
    found = subprocess.run(["pgrep", "-f", "tincay-pdf-"], capture_output=True, text=True, check=False)  # noqa: S607
    return found.stdout.split()


def test_a_conversion_past_its_time_limit_is_stopped_cleanly():
    office_or_skip()
    with translation.override("vi"), pytest.raises(pdf.ConversionFailed, match="kéo dài quá"):
        pdf.docx_to_pdf(sample(), timeout_s=0.01)
    deadline = time.monotonic() + 5
    while _converters() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _converters()


def test_a_server_without_libreoffice_says_so(monkeypatch):
    monkeypatch.setattr(pdf, "office_program", lambda: None)
    with translation.override("vi"), pytest.raises(pdf.ConversionFailed, match="LibreOffice"):
        pdf.docx_to_pdf(b"PK")
