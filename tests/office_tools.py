"""Whether LibreOffice and poppler are here: tests that need them skip without them, except in CI
(TINCAY_REQUIRE_OFFICE=1), where their absence is a failure."""

from __future__ import annotations

import os
import shutil

import pytest

from tincay.reports import pdf


def office_or_skip() -> None:
    if pdf.office_program() and shutil.which("pdftoppm") and shutil.which("pdftotext"):
        return
    if os.environ.get("TINCAY_REQUIRE_OFFICE") == "1":
        pytest.fail("LibreOffice (soffice) and poppler (pdftoppm, pdftotext) are required here")
    pytest.skip("LibreOffice or poppler is not installed")
