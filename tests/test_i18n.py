"""Vietnamese by default, English on request; the message catalogues are complete and compiled."""

import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "tincay" / "locale"


def _compile():
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.compiled


def test_vietnamese_catalogue_is_complete():
    with (LOCALE / "vi" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle)
    missing = [
        m.id for m in catalog if m.id and (m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string))
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_compiled_catalogues_match_their_sources(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert po.with_suffix(".mo").read_bytes() == _compile()(po), "run: make messages"


@pytest.mark.django_db
def test_pages_are_vietnamese_by_default_and_english_on_request(client):
    assert "Bộ chỉ số" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/catalogue/tcvn-iso-18091/2020/").content.decode()
    assert "Indicator sets" in body and "Institutional development" in body


@pytest.mark.django_db
def test_dates_are_written_day_month_year(client_for):
    body = client_for("quantri").get("/units/31/").content.decode()
    assert "01/07/2025" in body
