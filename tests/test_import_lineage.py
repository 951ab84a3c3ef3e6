"""Importing lineage events from a spreadsheet: a 2026 merge imported for real (its units, then its event) is
followed by the lineage selectors; the dry run keeps nothing but its run; the legal basis of a known event is
updated; every bad row is reported at once; only administrators import lineage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from tests.import_fixtures import WriteLedger, by_row, upload, xlsx
from tincay.audit.models import AuditEvent
from tincay.common.errors import Refused
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink
from tincay.orgunits.selectors import lineage_closure, unit_history
from tincay.orgunits.unit_services import unit_save
from tincay.reports.imports.service import import_check, import_run
from tincay.reports.imports.units import EVENT_HEADER, UNIT_HEADER, event_rows, unit_rows
from tincay.reports.models import ImportRun

pytestmark = pytest.mark.usefixtures("english")

KIND, DATE, BEFORE, AFTER, BASIS, CONFIRMED, NOTE_VI, NOTE_EN = EVENT_HEADER
MERGED = ("10507", "10525")  # Phường Thành Đông and Phường Hải Dương of Hải Phòng
NEW = "99001"


def _units_file() -> bytes:
    """The two wards end on 30/06/2026; Phường Hải Dương Mới starts on 01/07/2026."""
    rows = [row for row in unit_rows() if row[0] in MERGED]
    for row in rows:
        row[6] = "30/06/2026"
    rows.append([NEW, "", "Phường Hải Dương Mới", "Phường", "31", "01/07/2026", "", "", "Không", ""])
    return xlsx(UNIT_HEADER, rows)


def _merge_row(**cells) -> list[str]:
    row = {KIND: "Sáp nhập", DATE: "01/07/2026", BEFORE: "10507; 10525", AFTER: NEW} | cells
    return [row.get(column, "") for column in EVENT_HEADER]


def _check(users, rows, *, persona="quantri"):
    return import_check(user=users[persona], kind="lineage", upload=upload(xlsx(EVENT_HEADER, rows), "lich-su.xlsx"))


def _units_ended_and_new(admin) -> None:
    for key in MERGED:
        unit = AdminUnit.objects.get(key=key)
        unit_save(actor=admin, key=key, code=unit.code, name=unit.name, kind=unit.kind, parent_key="31",
                  valid_from=unit.valid_from, valid_to=dt.date(2026, 6, 30))  # fmt: skip
    unit_save(actor=admin, key=NEW, code=NEW, name="Phường Hải Dương Mới", kind="ward", parent_key="31",
              valid_from=dt.date(2026, 7, 1), valid_to=None)  # fmt: skip


@pytest.mark.django_db
def test_a_2026_merge_imported_for_real_is_followed_by_the_lineage_selectors(users):
    admin = users["quantri"]
    units = import_check(user=admin, kind="units", upload=upload(_units_file(), "don-vi.xlsx"))
    assert units.status == "checked" and units.report["counts"]["changed"] == 2, units.report
    assert import_run(user=admin, run=units).status == "done"
    basis = "Nghị quyết 9999/NQ-UBTVQH15 (thử)"
    lineage = _check(users, [_merge_row(**{BASIS: basis, CONFIRMED: "Có", NOTE_VI: "Nhập toàn bộ."})])
    assert lineage.status == "checked"
    (row,) = lineage.report["rows"]
    assert row["event"] == f"Merge 01/07/2026: 10507, 10525 → {NEW}" and row["outcome"] == "new"
    done = import_run(user=admin, run=lineage)
    assert (done.status, done.rows_written) == ("done", 1)
    new = AdminUnit.objects.get(key=NEW)
    assert (new.valid_from, new.path) == (dt.date(2026, 7, 1), f"31/{NEW}/")
    assert set(AdminUnit.objects.filter(key__in=MERGED).values_list("valid_to", flat=True)) == {dt.date(2026, 6, 30)}
    assert {unit.key for _depth, unit in lineage_closure(new, "predecessors")} == set(MERGED)
    (entry,) = unit_history(new)
    assert entry.role == "successor" and {u.key for u in entry.others} == set(MERGED)
    assert (entry.event.kind, entry.event.legal_basis, entry.event.legal_basis_confirmed) == ("merge", basis, True)
    assert AuditEvent.objects.filter(action="orgunits.lineage_event_created", object_id=str(entry.event.pk)).exists()


@pytest.mark.django_db
def test_a_dry_run_keeps_only_its_own_row(users, django_capture_on_commit_callbacks):
    _units_ended_and_new(users["quantri"])
    events, links, audit = LineageEvent.objects.count(), LineageLink.objects.count(), AuditEvent.objects.count()
    ledger = WriteLedger()
    with django_capture_on_commit_callbacks() as callbacks, connection.execute_wrapper(ledger):
        run = _check(users, [_merge_row()])
    assert run.status == "checked" and run.report["counts"]["new"] == 1
    assert {"orgunits_lineageevent", "orgunits_lineagelink", "audit_auditevent"} <= set(ledger.executed)
    assert set(ledger.kept) == {"reports_importrun"} and ledger.kept.count("reports_importrun") == 1
    assert (LineageEvent.objects.count(), LineageLink.objects.count(), AuditEvent.objects.count()) == (
        events,
        links,
        audit,
    )
    assert callbacks == []


@pytest.mark.django_db
def test_the_legal_basis_of_a_known_event_is_updated_and_the_rest_unchanged(users):
    rows = list(event_rows())
    rows[0][4] = rows[0][4] + " (đã đối chiếu)"
    run = _check(users, rows)
    assert run.status == "checked"
    counts = run.report["counts"]
    assert (counts["changed"], counts["unchanged"]) == (1, len(rows) - 1)
    changed = by_row(run.report)[2]
    assert changed["changes"] == [
        {"column": BASIS, "before": rows[0][4][: -len(" (đã đối chiếu)")], "after": rows[0][4]}
    ]


@pytest.mark.django_db
def test_every_bad_row_is_reported_with_its_column_and_reason_at_once(users):
    _units_ended_and_new(users["quantri"])
    rows = [
        _merge_row(**{DATE: "32/13/2026"}),
        _merge_row(**{KIND: "Hợp nhất"}),
        _merge_row(**{BEFORE: "10507, nowhere"}),
        _merge_row(**{KIND: "Chia tách"}),
        _merge_row(),
        _merge_row(**{BEFORE: "10525,10507"}),
        _merge_row(**{KIND: ""}),
        _merge_row(**{CONFIRMED: "chắc"}),
        _merge_row(**{KIND: "Thành lập", BEFORE: "", CONFIRMED: "Có"}),
    ]
    events = LineageEvent.objects.count()
    run = _check(users, rows)
    assert run.status == "refused"
    assert run.report["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "refused": 8, "total": 9}
    reasons = {row["row"]: [(e["column"], e["reason"]) for e in row.get("errors", [])] for row in run.report["rows"]}
    assert reasons[2] == [(DATE, "“32/13/2026” is not a date: write it as dd/mm/yyyy (for example 01/07/2025).")]
    assert reasons[3][0][0] == KIND and "“Hợp nhất” is not a kind of event" in reasons[3][0][1]
    assert reasons[4][0][0] == BEFORE and "No unit has the key “nowhere”" in reasons[4][0][1]
    assert reasons[5] == [
        (BEFORE, "Split: name exactly one unit before the change (2 given)."),
        (AFTER, "Split: name at least 2 units after the change (1 given)."),
    ]
    assert reasons[6] == []
    assert reasons[7] == [(KIND, "Row 6 already gives this event: keep one of the two rows.")]
    assert reasons[8][0][0] == KIND and "Write the kind of event" in reasons[8][0][1]
    assert reasons[9][0][0] == CONFIRMED and "“chắc” is not yes or no" in reasons[9][0][1]
    assert reasons[10] == [(BASIS, "Write the legal basis before marking it confirmed.")]
    assert LineageEvent.objects.count() == events


@pytest.mark.parametrize("persona", ["dieuphoi", "xem", "congchuc", "lanhdao"])
@pytest.mark.django_db
def test_only_administrators_import_lineage(users, persona):
    runs = ImportRun.objects.count()
    with pytest.raises(Refused, match="Only administrators import administrative units and lineage events"):
        _check(users, [_merge_row()], persona=persona)
    assert ImportRun.objects.count() == runs
