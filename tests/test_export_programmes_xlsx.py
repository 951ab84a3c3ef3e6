"""The actions of a campaign's programmes download as XLSX and CSV with the same rows: one row per action the reader
sees, labels in Vietnamese, budgets and progress as numbers, dates as dates, a formula-looking title kept as text;
narrowed as the coordination page (province, peer group); the number of queries does not grow with units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.coordination_fixtures import PAST, A, add_programme
from tests.export_helpers import csv_values, same_rows, sheet, xlsx_values
from tincay.assessments.models import Assessment
from tincay.improvement.models import Action

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
XLSX = f"/results/campaigns/{PILOT}/actions.xlsx"
CSV = f"/results/campaigns/{PILOT}/actions.csv"
HEADER = [
    "Unit code",
    "Unit",
    "Programme",
    "Programme status",
    "Number",
    "Action",
    "Owner department",
    "Person responsible",
    "Start",
    "Deadline",
    "Budget (VND)",
    "Budget source",
    "Progress (%)",
    "Action status",
    "Overdue",
    "Finished on",
]
OWN_LINEAGE = {"306-2025", "11413-2025"}  # Phường Hải An came from these: its people see their programmes


def test_headers_in_vietnamese_and_one_row_per_action(client_for):
    response = client_for("dieuphoi").get(XLSX)
    assert response["Content-Disposition"] == f'attachment; filename="{PILOT}-chuong-trinh-hanh-dong.xlsx"'
    rows = xlsx_values(response)
    with translation.override("vi"):
        assert rows[0] == [translation.gettext(h) for h in HEADER]
    assert rows[0][:3] == ["Mã đơn vị", "Đơn vị", "Chương trình"]
    assert len(rows) - 1 == Action.objects.filter(programme__assessment__campaign__code=PILOT).count()


def test_numbers_stay_numbers_and_dates_dates(client_for):
    ws = sheet(client_for("dieuphoi").get(XLSX))
    action = (
        Action.objects.filter(programme__assessment__campaign__code=PILOT, budget_vnd__gt=0)
        .select_related("programme__assessment__unit")
        .order_by("pk")
        .first()
    )
    row = next(
        [c.value for c in r]
        for r in ws.iter_rows(min_row=2)
        if r[0].value == action.programme.assessment.unit.key and r[4].value == action.number
    )
    assert row[4] == action.number and row[5] == action.title
    assert row[10] == action.budget_vnd and isinstance(row[10], int)
    assert row[12] == action.progress and isinstance(row[12], int)
    assert isinstance(row[9], dt.datetime) and row[9].date() == action.deadline
    assert row[8] is None or row[8].date() == action.starts_on
    assert row[14] in ("có", "không")


def test_the_csv_has_the_same_rows_and_a_formula_title_stays_text(client_for):
    Action.objects.filter(programme__assessment__campaign__code=PILOT, number=1).update(title="=SUM(A1:A9)")
    client = client_for("dieuphoi")
    xlsx, csv = xlsx_values(client.get(XLSX)), csv_values(client.get(CSV))
    assert same_rows(xlsx, csv)
    assert xlsx[1][5] == "=SUM(A1:A9)" and csv[1][5] == "'=SUM(A1:A9)"
    ws = sheet(client.get(XLSX))
    assert ws.cell(row=2, column=6).data_type == "s"


# persona → the units whose actions they get (a role × scope matrix over the pilot's 12 units)
SEEN = {
    "quantri": 12,
    "dieuphoi": 12,
    "xem": 12,
    "lanhdao": OWN_LINEAGE,
    "daumoi": OWN_LINEAGE,
    "congchuc": OWN_LINEAGE,
}


@pytest.mark.parametrize("persona", sorted(SEEN))
def test_each_reader_gets_only_the_programmes_they_see(client_for, persona):
    units = {row[0] for row in xlsx_values(client_for(persona).get(XLSX))[1:]}
    expected = SEEN[persona]
    if isinstance(expected, set):
        assert units == expected
    else:
        assert len(units) == expected


def test_outside_the_scope_is_not_found_and_anonymous_must_log_in(client_for, stranger):
    assert client_for(None).get(XLSX).status_code == 302
    client = client_for(None)
    client.force_login(stranger)
    assert client.get(XLSX).status_code == 404 and client.get(CSV).status_code == 404
    assert client_for("quantri").get("/results/campaigns/khong-co/actions.csv").status_code == 404


def test_narrowed_to_a_province_or_district_as_on_the_coordination_page(client_for):
    client = client_for("dieuphoi")
    everything = xlsx_values(client.get(XLSX, {"province": "31-2025"}))
    assert len({row[0] for row in everything[1:]}) == 12
    district = {row[0] for row in xlsx_values(client.get(XLSX, {"province": "304-2025"}))[1:]}
    assert district == {"304-2025", "11338-2025"}
    assert xlsx_values(client.get(XLSX, {"province": "01"}))[1:] == []  # Hà Nội: nothing of Hải Phòng's pilot


def test_a_programme_without_actions_still_has_its_row(client_for, users):
    from tests.assessment_fixtures import make_campaign

    campaign = make_campaign(users, code="xuat-ct", units={"a": "11413", "b": "11311"})
    add_programme(Assessment.objects.get(campaign=campaign, unit__key="11413"), [])
    rows = xlsx_values(client_for("dieuphoi").get(f"/results/campaigns/{campaign.code}/actions.xlsx"))
    assert len(rows) == 2 and rows[1][0] == "11413" and rows[1][4:] == [None] * 12


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("suffix", ["actions.xlsx", "actions.csv"])
def test_queries_do_not_grow_with_units(client_for, users, suffix):
    from tests.assessment_fixtures import make_campaign

    small = make_campaign(users, code="xuat-ct-nho", units={"a": "11413", "b": "11311"})
    add_programme(Assessment.objects.get(campaign=small, unit__key="11413"), [A(deadline=PAST, budget=1_000)])
    client = client_for("dieuphoi")
    few = _queries(client, f"/results/campaigns/{small.code}/{suffix}")
    many = _queries(client, f"/results/campaigns/{PILOT}/{suffix}")
    assert many == few <= 14, (few, many)


def test_the_coordination_page_links_both_files_of_what_it_shows(client_for):
    html = client_for("dieuphoi").get("/improvement/coordination/", {"campaign": PILOT}).content.decode()
    assert f"/results/campaigns/{PILOT}/actions.xlsx?campaign={PILOT}&amp;province=&amp;group=" in html
    assert f"/results/campaigns/{PILOT}/actions.csv?campaign={PILOT}" in html
