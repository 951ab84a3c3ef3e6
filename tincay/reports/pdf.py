"""PDF from the DOCX itself (one source, no second layout to drift), by LibreOffice headless.

Each conversion runs in a folder of its own with a LibreOffice profile of its own (two conversions at once would
otherwise fight over one profile and one of them fail), under a time limit, and the folder is removed afterwards.
A missing program, a time-out or a failed conversion raises ``ConversionFailed`` with a message for people.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess  # nosec B404 - runs LibreOffice, a fixed program, with arguments we build
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_S = 120
PROGRAMS = ("soffice", "libreoffice")


class ConversionFailed(Exception):
    """The PDF could not be made; ``str(error)`` says why, in the reader's language."""


def office_program() -> str | None:
    """The path of LibreOffice's command, or None where it is not installed."""
    return next((path for name in PROGRAMS if (path := shutil.which(name))), None)


def docx_to_pdf(docx: bytes, *, timeout_s: float = TIMEOUT_S) -> bytes:
    """The PDF of ``docx``."""
    program = office_program()
    if program is None:
        raise ConversionFailed(_("PDF cannot be made on this server: LibreOffice is not installed."))
    with tempfile.TemporaryDirectory(prefix="tincay-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(docx)
        command = [
            program,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 # nosec B603 - fixed program, no shell, our own file names
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work, start_new_session=True
        )
        try:
            process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired as exc:
            os.killpg(process.pid, signal.SIGKILL)  # LibreOffice's launcher starts the converter as a child
            process.communicate()
            raise ConversionFailed(
                _("Making the PDF took longer than %(seconds)s seconds and was stopped.") % {"seconds": timeout_s}
            ) from exc
        result = work / "document.pdf"
        if not result.exists() or result.stat().st_size == 0:
            raise ConversionFailed(_("LibreOffice could not turn the document into a PDF."))
        return result.read_bytes()
