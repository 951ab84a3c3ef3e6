"""Checks for uploaded evidence documents (tài liệu kiểm chứng): content type, size, name, storage name.

The type of an upload is decided by its CONTENT, never by the name the user's computer gave it:

* ``filetype`` recognises the magic numbers (PDF, PNG, JPEG, TIFF, executables, archives, media, …);
* zip containers are opened (central directory only) to tell Word / Excel / PowerPoint (OOXML) and
  OpenDocument files from plain archives, and to refuse Office files that carry macros;
* OLE2 containers (legacy .doc / .xls) are recognised by the names of the streams in their directory
  ("WordDocument", "Workbook"/"Book"), so an installer (.msi), an Outlook message or a PowerPoint 97 file
  renamed .doc is not taken for a Word document.

The claimed extension only matters to spot a dangerous disguise (a program named ``bao-cao.pdf`` is refused
with a message saying it is not a PDF; a PDF named ``bao-cao.exe`` is refused as a mismatch). A harmless
mismatch (a PNG named ``anh.jpg``, a Word 97 file named ``.docx``) is accepted under the detected type, and the
display name is corrected to end in the detected extension.

Nothing in the stored path comes from the user: see :func:`storage_name`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Literal

import filetype
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _

RejectionCode = Literal["too_large", "empty", "type_not_allowed", "type_mismatch", "name"]

ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "png": "image/png",
    "jpg": "image/jpeg",
    "tiff": "image/tiff",
}

# Extensions a user's file may carry for each accepted type (lower case, without the dot).
_ALIASES: dict[str, frozenset[str]] = {ext: frozenset({ext}) for ext in ALLOWED_TYPES} | {
    "jpg": frozenset({"jpg", "jpeg", "jpe", "jfif"}),
    "tiff": frozenset({"tiff", "tif"}),
}
_ALIAS_TO_TYPE = {alias: ext for ext, aliases in _ALIASES.items() for alias in aliases}

# Extensions that make a system run or render the file as active content. Content of an accepted type
# under one of these names is a disguise (a polyglot), so it is refused even though the content is fine.
_ACTIVE_EXTENSION_LIST = (
    "exe dll com scr pif cpl msi msp msc sys drv ocx bat cmd ps1 psm1 psd1 vbs vbe js jse mjs wsf wsh hta "
    "jar apk xap app dmg pkg deb rpm run bin elf so dylib sh bash zsh csh ksh py pyw pl rb php php3 php4 php5 "
    "phtml phar asp aspx ashx jsp jspx cgi html htm xhtml shtml mht mhtml svg svgz xml xsl xslt swf lnk url "
    "scf reg inf iso img vhd vhdx docm dotm xlsm xltm xlam pptm potm ppam sldm"
)
_ACTIVE_EXTENSIONS = frozenset(_ACTIVE_EXTENSION_LIST.split())

CHUNK_SIZE = 64 * 1024
HEAD_SIZE = 8192  # what filetype inspects
MAX_RAW_NAME_LENGTH = 1024  # no file system makes names this long: such a name is crafted input
FALLBACK_STEM = "tai-lieu"
_MB = 1024 * 1024

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,8}")
_RESERVED_CHARACTERS = re.compile(r'[<>:"|?*]')
_STORAGE_PREFIX = re.compile(r"[a-z0-9_-]+(/[a-z0-9_-]+)*")


class UploadRejected(ValueError):
    """An upload that must not be stored. ``str(exc)`` is the user-facing reason; ``code`` is for programs."""

    def __init__(self, message: str, code: RejectionCode):
        super().__init__(message)
        self.message = message
        self.code: RejectionCode = code


@dataclass(frozen=True)
class CheckedUpload:
    original_name: str  # sanitised display name, ending in an extension of the detected type
    extension: str  # canonical extension of the detected type (a key of ALLOWED_TYPES)
    content_type: str  # MIME type of the detected type
    size: int
    sha256: str  # hex digest of the whole content


# --------------------------------------------------------------------------------------------- names


def _split_extension(name: str) -> tuple[str, str]:
    """("Báo cáo.pdf") -> ("Báo cáo", "pdf"); a suffix is an extension only if it is 1-8 ASCII letters/digits
    with at least one letter, so "Quyết định 12.2025" or "Kế hoạch 05.KH-UBND" keep their whole text."""
    stem, dot, suffix = name.rpartition(".")
    if dot and _EXTENSION.fullmatch(suffix) and not suffix.isdigit():
        return stem, suffix.lower()
    return name, ""


def safe_filename(name: str, max_length: int = 150) -> str:
    """A display name that is safe to show and to offer for download.

    Keeps only the last path component (``/`` and ``\\`` both separate), drops control, format (e.g. the
    right-to-left override), surrogate, private-use and unassigned characters, replaces ``<>:"|?*`` and any
    whitespace by single spaces, collapses runs of dots, strips leading/trailing dots and spaces, NFC-normalises
    (Vietnamese letters stay), lower-cases the extension and cuts the stem so the whole fits ``max_length``.
    Never returns an empty string: a name with nothing usable becomes ``tai-lieu`` (keeping its extension).
    """
    if max_length < 20:
        raise ValueError("max_length must be at least 20")
    text = unicodedata.normalize("NFC", str(name))
    text = re.split(r"[/\\]", text)[-1]
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch).startswith("C"):  # Cc, Cf, Cs, Co, Cn
            continue
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = _RESERVED_CHARACTERS.sub(" ", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"\s+", " ", text).strip(" ")

    stem, extension = _split_extension(text)
    stem = stem.strip(" .") or FALLBACK_STEM
    room = max_length - (len(extension) + 1 if extension else 0)
    stem = stem[:room].rstrip(" .") or FALLBACK_STEM
    return f"{stem}.{extension}" if extension else stem


def _display_name(name: str, extension: str) -> str:
    """The safe name, made to end in an extension of the detected type: another accepted type's extension is
    replaced ("anh.jpg" holding a PNG -> "anh.png"), any other suffix is kept and the extension appended."""
    stem, claimed = _split_extension(name)
    if claimed in _ALIASES[extension]:
        return name
    return safe_filename(f"{stem if claimed in _ALIAS_TO_TYPE else name}.{extension}")


# ------------------------------------------------------------------------------------------ messages


def _megabytes(size: int) -> str:
    value = Decimal(size) / _MB
    places = 0 if value == value.to_integral_value() else (1 if value >= 1 else 2)
    return number_format(round(value, places) if value >= Decimal("0.01") else Decimal("0.01"), places or None)


def _type_label(extension: str) -> str:
    """How the user would call a file of an accepted type, e.g. "a PDF document"."""
    labels = {
        "pdf": _("a PDF document"),
        "docx": _("a Word document"),
        "doc": _("a Word document"),
        "xlsx": _("an Excel workbook"),
        "xls": _("an Excel workbook"),
        "pptx": _("a PowerPoint presentation"),
        "odt": _("an OpenDocument text"),
        "ods": _("an OpenDocument spreadsheet"),
        "png": _("a PNG image"),
        "jpg": _("a JPEG image"),
        "tiff": _("a TIFF image"),
    }
    return labels[extension]


@dataclass(frozen=True)
class _Refused:
    """Content of a type we do not accept: what it is, and what the user can do instead."""

    label: str
    advice: str = ""
    sentence: str = ""  # a whole first sentence (with %(name)s) when "X is not Y: it is Z" would mislead


def _advice_resave() -> str:
    return _("Open it in Word or Excel and save it as .docx or .xlsx, or export it as PDF, then upload it again.")


def _advice_image() -> str:
    return _("Save or export it as PDF, PNG or JPEG, then upload it again.")


def _advice_archive() -> str:
    return _("Extract the documents from the archive and upload them one by one.")


def _refused_by_filetype(kind_extension: str, mime: str) -> _Refused:
    programs = {"exe", "elf", "wasm", "crx", "deb", "rpm", "nes", "swf"}
    archives = {"zip", "rar", "7z", "gz", "bz2", "xz", "tar", "br", "lz", "lz4", "lzo", "zst", "Z", "ar", "cab"}
    if kind_extension in programs:
        return _Refused(_("a program (executable)"))
    if kind_extension in archives:
        return _Refused(_("a compressed archive (%(format)s)") % {"format": kind_extension.upper()}, _advice_archive())
    if kind_extension == "rtf":
        return _Refused(_("a Rich Text (RTF) document"), _advice_resave())
    if kind_extension in {"ppt", "odp"}:
        return _Refused(_("a presentation in an old or unsupported format"), _advice_image_pdf())
    if kind_extension == "epub":
        return _Refused(_("an e-book (EPUB)"), _advice_image_pdf())
    if mime.startswith("image/"):
        return _Refused(_("an image in %(format)s format") % {"format": kind_extension.upper()}, _advice_image())
    if mime.startswith(("audio/", "video/")):
        return _Refused(_("an audio or video recording"))
    return _Refused(_("a %(format)s file") % {"format": kind_extension.upper()})


def _advice_image_pdf() -> str:
    return _("Export it as PDF, then upload it again.")


def _refused_by_sniffing(head: bytes) -> _Refused:
    """Content filetype does not know: scripts, web pages, plain text, other binaries."""
    if head[:4] in {b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe"}:
        return _Refused(_("a program (executable)"))
    if head.startswith(b"#!"):
        return _Refused(_("a script (a program in text form)"))
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<script")) or b"<html" in text:
        return _Refused(_("a web page (HTML)"), _advice_resave())
    if b"<svg" in text:
        return _Refused(_("an SVG drawing"), _advice_image())
    if text.startswith(b"<?xml"):
        return _Refused(_("an XML file"), _advice_resave())
    if text.startswith((b"@echo", b"rem ", b"<?php", b"<%")):
        return _Refused(_("a script (a program in text form)"))
    if any(byte < 0x20 and byte not in b"\t\n\r\f\x1b" for byte in head):
        return _Refused(_("a file of an unrecognised type"))
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the head; a short tail error still means text.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return _Refused(_("a file of an unrecognised type"))
    return _Refused(_("plain text"), _("Save it as a Word document or PDF, then upload it again."))


def _macros() -> _Refused:
    return _Refused(
        _("an Office file containing macros"),
        _("Save it as a normal Word or Excel file (.docx, .xlsx) without macros, or as PDF, then upload it again."),
        _("The file “%(name)s” contains macros (small programs inside the document), which are not accepted."),
    )


def _password_protected() -> _Refused:
    return _Refused(
        _("a password-protected Office file"),
        _("Remove the password (or export the document as PDF), then upload it again."),
        _("The file “%(name)s” is protected by a password, so it cannot be checked or read by the reviewers."),
    )


# ----------------------------------------------------------------------------------------- detection


class _OleDirectoryScanner:
    """Finds stream names in the directory of an OLE2 compound file, reading it as a stream of 128-byte records.

    Directory entries sit at offsets that are multiples of 128 (sectors are 512 or 4096 bytes, after a header of
    one sector). An entry is: name in UTF-16LE (64 bytes, NUL-terminated), name length in bytes including the
    terminator (2 bytes), object type (1 byte; 2 = stream).
    """

    WANTED = ("WORDDOCUMENT", "WORKBOOK", "BOOK", "POWERPOINT DOCUMENT", "ENCRYPTEDPACKAGE")

    def __init__(self) -> None:
        self.found: set[str] = set()
        self._pending = b""
        self._lengths = {(len(name) + 1) * 2: None for name in self.WANTED}

    def feed(self, data: bytes) -> None:
        buffer = self._pending + data
        whole = len(buffer) - len(buffer) % 128
        for offset in range(0, whole, 128):
            if buffer[offset + 66] != 2:  # not a stream
                continue
            length = int.from_bytes(buffer[offset + 64 : offset + 66], "little")
            if length not in self._lengths:
                continue
            try:
                name = buffer[offset : offset + length - 2].decode("utf-16-le").upper()
            except UnicodeDecodeError:
                continue
            if name in self.WANTED:
                self.found.add(name)
        self._pending = buffer[whole:]


def _detect_ole2(scanner: _OleDirectoryScanner, claimed: str) -> str | _Refused:
    found = scanner.found
    candidates = []
    if "WORDDOCUMENT" in found:
        candidates.append("doc")
    if found & {"WORKBOOK", "BOOK"}:
        candidates.append("xls")
    if candidates:
        return claimed if claimed in candidates else candidates[0]
    if "ENCRYPTEDPACKAGE" in found:
        return _password_protected()
    if "POWERPOINT DOCUMENT" in found:
        return _Refused(_("a PowerPoint 97-2003 presentation"), _advice_image_pdf())
    return _Refused(_("an unrecognised Office or Windows container (not a Word or Excel document)"))


def _detect_zip(file: IO[bytes], claimed: str) -> str | _Refused:
    """OOXML (docx/xlsx/pptx), OpenDocument (odt/ods) or another zip. Reads only the central directory and,
    for OpenDocument, the first bytes of the ``mimetype`` entry."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            lowered = [name.lower() for name in names]
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100).decode("ascii", "replace").strip()
                for extension in ("odt", "ods"):
                    if mimetype == ALLOWED_TYPES[extension]:
                        return extension
                if mimetype == "application/epub+zip":
                    return _Refused(_("an e-book (EPUB)"), _advice_image_pdf())
                if mimetype.startswith("application/vnd.oasis.opendocument."):
                    return _Refused(_("an OpenDocument file other than text or spreadsheet"), _advice_image_pdf())
            if "[content_types].xml" in lowered:
                if any(name.endswith("vbaproject.bin") for name in lowered):
                    return _macros()
                candidates = [
                    extension
                    for extension, folder in (("docx", "word/"), ("xlsx", "xl/"), ("pptx", "ppt/"))
                    if any(name.startswith(folder) for name in lowered)
                ]
                if candidates:
                    return claimed if claimed in candidates else candidates[0]
            if any(name in {"androidmanifest.xml", "classes.dex", "meta-inf/manifest.mf"} for name in lowered):
                return _Refused(_("a program (executable)"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, EOFError):
        return _Refused(_("a damaged or encrypted compressed archive"), _advice_archive())
    return _Refused(_("a compressed archive (%(format)s)") % {"format": "ZIP"}, _advice_archive())


def _detect(file: IO[bytes], head: bytes, scanner: _OleDirectoryScanner | None, claimed: str) -> str | _Refused:
    """The canonical extension of an accepted type, or why the content is refused."""
    if head.startswith(_ZIP_MAGIC):
        return _detect_zip(file, claimed)
    if scanner is not None:
        return _detect_ole2(scanner, claimed)
    if head.startswith(b"%PDF-"):
        return "pdf"
    kind = filetype.guess(head)
    if kind is not None:
        extension = {"jpg": "jpg", "png": "png", "apng": "png", "tif": "tiff"}.get(kind.extension)
        return extension or _refused_by_filetype(kind.extension, kind.mime)
    return _refused_by_sniffing(head)


# ------------------------------------------------------------------------------------------- checking


def _chunks(file: IO[bytes] | File):
    file.seek(0)
    while True:
        chunk = file.read(CHUNK_SIZE)
        if not chunk:
            return
        if not isinstance(chunk, bytes | bytearray | memoryview):
            raise TypeError("inspect_upload needs a file opened in binary mode")
        yield bytes(chunk)


def inspect_upload(file: IO[bytes] | File, *, name: str, max_bytes: int) -> CheckedUpload:
    """Check an upload by content and size; return what to store, or raise :class:`UploadRejected`.

    ``file`` is a seekable binary file (a Django ``UploadedFile`` or any ``IO[bytes]``); it is read from the
    start in chunks of ``CHUNK_SIZE`` and rewound to 0 before this returns or raises. ``name`` is the name the
    user's computer gave the file; it only serves for the display name and to spot disguised files.
    """
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    if len(name) > MAX_RAW_NAME_LENGTH:
        raise UploadRejected(
            _("The file name is too long (%(length)d characters). Rename the file and upload it again.")
            % {"length": len(name)},
            "name",
        )
    display = safe_filename(name)
    claimed = _split_extension(display)[1]
    too_large = UploadRejected(
        _(
            "The file “%(name)s” is larger than %(limit)s MB, the largest file accepted. Make it smaller "
            "(for example, scan at 150–200 dpi in greyscale, or split it into several files) and upload it again."
        )
        % {"name": display, "limit": _megabytes(max_bytes)},
        "too_large",
    )
    declared_size = getattr(file, "size", None)
    if isinstance(declared_size, int) and declared_size > max_bytes:
        raise too_large

    try:
        digest = hashlib.sha256()
        size = 0
        head = b""
        scanner: _OleDirectoryScanner | None = None
        for chunk in _chunks(file):
            read_before = head
            size += len(chunk)
            if size > max_bytes:
                raise too_large
            digest.update(chunk)
            if len(head) < HEAD_SIZE:
                head += chunk[: HEAD_SIZE - len(head)]
            if scanner is not None:
                scanner.feed(chunk)
            elif len(read_before) < len(_OLE2_MAGIC) <= len(head) and head.startswith(_OLE2_MAGIC):
                scanner = _OleDirectoryScanner()
                scanner.feed(read_before + chunk)  # everything read so far
        if size == 0:
            raise UploadRejected(
                _("The file “%(name)s” is empty. Check that the document opens on your computer, then upload it again.")
                % {"name": display},
                "empty",
            )
        detected = _detect(file, head, scanner, claimed)
    finally:
        file.seek(0)

    if isinstance(detected, _Refused):
        raise _refusal(display, claimed, detected)
    if claimed in _ACTIVE_EXTENSIONS:
        raise UploadRejected(
            _(
                "The name “%(name)s” ends in .%(claimed)s, but the content is %(content)s. Files named like "
                "programs or web pages are not accepted: rename the file to end in .%(extension)s and upload it again."
            )
            % {"name": display, "claimed": claimed, "content": _type_label(detected), "extension": detected},
            "type_mismatch",
        )
    return CheckedUpload(
        original_name=_display_name(display, detected),
        extension=detected,
        content_type=ALLOWED_TYPES[detected],
        size=size,
        sha256=digest.hexdigest(),
    )


def _refusal(display: str, claimed: str, refused: _Refused) -> UploadRejected:
    accepted = _("Upload PDF, Word, Excel, OpenDocument or an image (PNG, JPEG, TIFF).")
    if refused.sentence:
        first = refused.sentence % {"name": display}
    elif claimed in _ALIAS_TO_TYPE:
        first = _(
            "The file “%(name)s” is not %(expected)s: its content is %(content)s, a type that is not accepted."
        ) % {
            "name": display,
            "expected": _type_label(_ALIAS_TO_TYPE[claimed]),
            "content": refused.label,
        }
    else:
        first = _("This file type is not accepted: “%(name)s” is %(content)s.") % {
            "name": display,
            "content": refused.label,
        }
    return UploadRejected(" ".join(part for part in (first, refused.advice, accepted) if part), "type_not_allowed")


# -------------------------------------------------------------------------------------------- storage


def storage_errors() -> tuple[type[BaseException], ...]:
    """What file storage raises when it is full or cannot be reached: ``OSError`` from a disk (no space, a network
    folder gone), botocore's errors from object storage (no connection, a refusal such as a quota)."""
    errors: list[type[BaseException]] = [OSError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # object storage not installed: only the disk can fail
        return tuple(errors)
    return (*errors, BotoCoreError, ClientError)


def storage_name(checked: CheckedUpload, prefix: str = "evidence") -> str:
    """``evidence/ab/cd/<sha256>.<ext>``: content-addressed, with no user input in the path."""
    if not _STORAGE_PREFIX.fullmatch(prefix):
        raise ValueError(f"storage prefix must be lower-case path segments, got {prefix!r}")
    if not re.fullmatch(r"[0-9a-f]{64}", checked.sha256):
        raise ValueError("sha256 must be 64 lower-case hex digits")
    if checked.extension not in ALLOWED_TYPES:
        raise ValueError(f"extension {checked.extension!r} is not an accepted type")
    digest = checked.sha256
    return f"{prefix}/{digest[:2]}/{digest[2:4]}/{digest}.{checked.extension}"
