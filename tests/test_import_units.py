"""Importing administrative units from a spreadsheet: the dry run keeps nothing but its run; new and changed cells
are reported; every bad row is reported with its column and reason at once; only administrators import units;
English, unaccented headers and labels are read; a file may end a unit together with the units below it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.import_fixtures import WriteLedger, by_row, csv_bytes, upload, xlsx
from tincay.audit.models import AuditEvent
from tincay.common.errors import Refused
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.unit_services import unit_save
from tincay.reports.imports.service import import_check, import_run
from tincay.reports.imports.units import UNIT_HEADER, unit_rows
from tincay.reports.models import ImportRun

pytestmark = pytest.mark.usefixtures("english")

REFORM = dt.date(2025, 7, 1)
KEY, CODE, NAME, KIND, PARENT, FROM, TO, LISTED, PILOT, POPULATION = UNIT_HEADER


def _row(key: str, name: str = "", kind: str = "Phường", parent: str = "31", start: str = "01/07/2026", **cells):
    """A row of the units file: key, (code), name, kind, parent, valid from, and the optional others."""
    return [key, cells.get("code", ""), name, kind, parent, start, cells.get("end", ""), cells.get("listed", ""),
            cells.get("pilot", ""), cells.get("population", "")]  # fmt: skip


def _exported(key: str) -> list:
    return next(row for row in unit_rows() if row[0] == key)


def _check(users, rows, *, header=UNIT_HEADER, persona="quantri", name="don-vi.xlsx"):
    data = xlsx(header, rows) if name.endswith(".xlsx") else csv_bytes(header, rows)
    return import_check(user=users[persona], kind="units", upload=upload(data, name))


def _snapshot() -> list[tuple]:
    return list(AdminUnit.objects.order_by("key").values_list("key", "name", "valid_to", "parent_id", "path"))


@pytest.mark.django_db
def test_a_dry_run_keeps_only_its_own_row(users, django_capture_on_commit_callbacks):
    renamed = _exported("10507")
    renamed[2] = "Phường Thành Đông Mới"
    rows = [_row("99001", "Phường Thử Nghiệm", population="12500"), renamed]
    before, events = _snapshot(), AuditEvent.objects.count()
    ledger = WriteLedger()
    with django_capture_on_commit_callbacks() as callbacks, connection.execute_wrapper(ledger):
        run = _check(users, rows)
    assert run.status == "checked" and run.report["counts"]["new"] == 1 and run.report["counts"]["changed"] == 1
    assert "orgunits_adminunit" in ledger.executed and "audit_auditevent" in ledger.executed  # the real path ran
    assert set(ledger.kept) == {"reports_importrun"} and ledger.kept.count("reports_importrun") == 1
    assert _snapshot() == before
    assert AuditEvent.objects.count() == events
    assert callbacks == []


@pytest.mark.django_db
def test_the_report_shows_each_new_and_changed_cell(users):
    renamed = _exported("10507")
    renamed[2] = "Phường Thành Đông Mới"
    run = _check(users, [_row("99001", "Phường Thử Nghiệm", population="12.500", pilot="Có"), renamed])
    rows = by_row(run.report)
    assert rows[2]["outcome"] == "new" and rows[2]["unit"] == "99001"
    new = {change["column"]: (change["before"], change["after"]) for change in rows[2]["changes"]}
    assert new[NAME] == ("", "Phường Thử Nghiệm") and new[KIND] == ("", "Phường") and new[PARENT] == ("", "31")
    assert new[FROM] == ("", "01/07/2026") and new[POPULATION] == ("", "12500") and new[PILOT] == ("", "Có")
    assert new[CODE] == ("", "99001")  # an empty official code of a new unit is its key
    assert (rows[3]["unit"], rows[3]["outcome"]) == ("10507", "changed")
    assert rows[3]["changes"] == [{"column": NAME, "before": "Phường Thành Đông", "after": "Phường Thành Đông Mới"}]


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_column_and_reason_at_once(users):
    ended = _exported("31")
    ended[6] = "30/06/2026"
    below = AdminUnit.objects.filter(parent__key="31", valid_to__isnull=True).count()
    rows = [
        _row("99001", "Phường A", start="31/02/2026"),
        _row("99002", "Phường B", kind="Làng"),
        _row("99003", "Phường C", parent="99004"),
        _row("99004", "Quận D", kind="Quận"),
        _row("99005", "Phường E", pilot="có lẽ", population="nhiều"),
        _row("99001", "Phường A bis"),
        ended,
        _row("99006", "", parent="nowhere"),
        _row("99007", "Phường G", parent="99001"),
    ]
    run = _check(users, rows)
    assert run.status == "refused"
    assert run.report["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "refused": 8, "total": 9}
    reasons = {row["row"]: [(e["column"], e["reason"]) for e in row.get("errors", [])] for row in run.report["rows"]}
    assert reasons[2] == [(FROM, "“31/02/2026” is not a date: write it as dd/mm/yyyy (for example 01/07/2025).")]
    assert reasons[3][0][0] == KIND and "“Làng” is not a kind of unit" in reasons[3][0][1]
    assert "Phường" in reasons[3][0][1]  # the kinds it may be, as the file writes them
    assert reasons[4][0][0] == PARENT and "comes in row 5, further down: put the units above first" in reasons[4][0][1]
    assert reasons[5] == []  # the district is good
    assert [column for column, _reason in reasons[6]] == [PILOT, POPULATION]
    assert reasons[7] == [(KEY, "Row 2 already gives this unit: keep one of the two rows.")]
    still = f"{below + 1} units below it are still valid after 30/06/2026"  # with the district of row 5
    assert reasons[8][0][0] == TO and still in reasons[8][0][1]
    assert {column for column, _reason in reasons[9]} == {NAME, PARENT}
    assert reasons[10] == [(PARENT, "The unit above it (“99001”, row 2) is refused: correct that row first.")]
    assert not AdminUnit.objects.filter(key__startswith="9900").exists()


@pytest.mark.parametrize("persona", ["dieuphoi", "xem", "congchuc", "lanhdao"])
@pytest.mark.django_db
def test_only_administrators_import_units(users, persona):
    runs = ImportRun.objects.count()
    with pytest.raises(Refused, match="Only administrators import administrative units"):
        _check(users, [_row("99001", "Phường Thử Nghiệm")], persona=persona)
    assert ImportRun.objects.count() == runs
    assert not AdminUnit.objects.filter(key="99001").exists()


@pytest.mark.django_db
def test_english_headers_labels_and_iso_dates_are_read(users):
    header = ("unit key", "official code", "name", "kind", "parent", "valid from", "valid to", "population")
    rows = [["99001", "", "Phường Thử Nghiệm", "Ward", "31", "2026-07-01", "", "1 200"]]
    run = _check(users, rows, header=header, name="units.csv")
    assert run.status == "checked" and by_row(run.report)[2]["outcome"] == "new"


@pytest.mark.django_db
def test_headers_and_kinds_without_diacritics_and_short_dates_are_read(users):
    header = ("MA DON VI", "Ten don vi", "Loai don vi", "Ma don vi cap tren", "Hieu luc tu", "Thi diem ISO 18091")
    rows = [["99001", "Phường Thử Nghiệm", "phuong", "31", "1/7/2026", "khong"]]
    run = _check(users, rows, header=header)
    assert run.status == "checked" and run.report["columns"] == [KEY, NAME, KIND, PARENT, FROM, PILOT]


@pytest.mark.django_db
def test_a_column_left_out_keeps_what_is_stored(users):
    run = _check(users, [["10507", "Phường Thành Đông Mới"], ["01", "Thành phố Hà Nội"]], header=(KEY, NAME))
    rows = by_row(run.report)
    assert [c["column"] for c in rows[2]["changes"]] == [NAME]
    assert rows[3]["outcome"] == "unchanged"


@pytest.mark.django_db
def test_a_key_a_spreadsheet_turned_into_a_number_is_read_with_its_zeros(users):
    run = _check(users, [[1, "Thành phố Hà Nội"]], header=(KEY, NAME))
    row = by_row(run.report)[2]
    assert (row["unit"], row["outcome"]) == ("01", "unchanged")


@pytest.mark.django_db
def test_a_file_may_end_a_unit_and_the_units_below_it_together(users):
    admin = users["quantri"]
    unit_save(actor=admin, key="D99", code="D99", name="Quận Thử", kind="urban_district", parent_key="31",
              valid_from=REFORM, valid_to=None)  # fmt: skip
    for key in ("99011", "99012"):
        unit_save(actor=admin, key=key, code=key, name=f"Phường {key}", kind="ward", parent_key="D99",
                  valid_from=REFORM, valid_to=None)  # fmt: skip
    rows = [_exported(key) for key in ("D99", "99011", "99012")]  # parents first, as the export writes them
    for row in rows:
        row[6] = "30/06/2027"
    run = _check(users, rows)
    assert run.status == "checked", run.report
    assert [row["outcome"] for row in run.report["rows"]] == ["changed"] * 3
    done = import_run(user=admin, run=run)
    assert done.status == "done" and done.rows_written == 3
    assert set(AdminUnit.objects.filter(key__in=["D99", "99011", "99012"]).values_list("valid_to", flat=True)) == {
        dt.date(2027, 6, 30)
    }
