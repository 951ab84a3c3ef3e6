"""The coordinator's CSV opens in Excel as written: UTF-8 with a byte-order mark, header labels and statuses in the
language of the request, plain numbers, and text that a spreadsheet would run as a formula made inert."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from tests.assessment_fixtures import module_campaign
from tests.coordination_fixtures import PAST, A, add_programme
from tincay.assessments.models import Assessment
from tincay.common.csv_export import escape_cell
from tincay.improvement.choices import ProgrammeStatus
from tincay.improvement.models import Programme
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db
UNITS = {"own": "11413", "sibling": "11311"}
CSV = "/improvement/coordination/export.csv"
HEADER = [
    "Unit code",
    "Unit",
    "Higher-level unit",
    "Programme status",
    "Progress (%)",
    "Number of actions",
    "Cancelled actions",
    "Overdue actions",
    "Budget (VND, actions not cancelled)",
    "Areas nobody acts on",
    "Codes of the areas nobody acts on",
]


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "dieu-phoi-csv", UNITS) as campaign:
        try:
            with django_db_blocker.unblock():
                own = Assessment.objects.get(campaign=campaign, unit__key="11413")
                add_programme(own, [A("in_progress", 40, deadline=PAST, budget=1_500_000)], areas=2)
            yield campaign
        finally:
            with django_db_blocker.unblock():
                Programme.objects.filter(assessment__campaign=campaign).delete()


def fetch(client, campaign, language: str) -> tuple[bytes, list[list[str]]]:
    client.cookies["django_language"] = language
    response = client.get(CSV, {"campaign": campaign.code})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{campaign.code}-programmes.csv"'
    return response.content, list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_byte_order_mark_and_vietnamese_intact(client_for, campaign):
    body, rows = fetch(client_for("dieuphoi"), campaign, "vi")
    assert body.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in body
    names = {row[1] for row in rows[1:]}
    assert "Phường Hải An" in names
    assert len(rows) == 1 + 2  # the header, then one row per unit (no totals row: the file is data)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_labels_in_the_language_of_the_request(client_for, campaign, language):
    _body, rows = fetch(client_for("dieuphoi"), campaign, language)
    with translation.override(language):
        header = [translation.gettext(label) for label in HEADER]
        statuses = {str(ProgrammeStatus.DRAFT.label), translation.gettext("No programme")}
    assert rows[0] == header
    assert {row[3] for row in rows[1:]} == statuses
    if language == "vi":
        assert rows[0][0] == "Mã đơn vị" and "Dự thảo" in statuses


def test_figures_are_plain_numbers(client_for, campaign):
    _body, rows = fetch(client_for("dieuphoi"), campaign, "en")
    header = rows[0]
    own = next(row for row in rows[1:] if row[0] == "11413")
    figures = dict(zip(header, own, strict=True))
    assert figures["Progress (%)"] == "40"
    assert figures["Overdue actions"] == "1"
    assert figures["Budget (VND, actions not cancelled)"] == "1500000"  # no separator: Excel reads a number
    assert figures["Areas nobody acts on"] == "2"
    assert len(figures["Codes of the areas nobody acts on"].split()) == 2


def test_formula_like_text_is_made_inert(client_for, campaign):
    AdminUnit.objects.filter(key="11311").update(name='=HYPERLINK("http://x.invalid","bấm")')
    _body, rows = fetch(client_for("dieuphoi"), campaign, "en")
    cells = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x.invalid","bấm")' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_start_is_escaped(text):
    assert escape_cell(text) == "'" + text
    assert escape_cell(-1) == -1  # numbers stay numbers
