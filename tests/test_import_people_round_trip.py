"""The people an administrator or a coordinator manages, exported (XLSX or CSV), re-import as "unchanged" for every
row and change nothing: Vietnamese letters, texts that look like formulas, departments, subtrees, a role over the
whole country, a role held in a unit that has since ended. The unit's name is for people and is ignored."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.import_fixtures import by_row, upload
from tests.people_import_fixtures import stored_people
from tincay.accounts.choices import Role
from tincay.common.csv_export import csv_text
from tincay.orgunits import services as unit_services
from tincay.orgunits.access import memberships_manageable_by
from tincay.orgunits.models import AdminUnit, Department, Membership
from tincay.reports.imports.people import HEADER, PEOPLE
from tincay.reports.imports.service import import_check, import_run
from tincay.reports.xlsx import Sheet, workbook_bytes

SEED = "test-seed"


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """Varied people for the whole module, rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        ward, city, sibling, hanoi = (AdminUnit.objects.get(key=key) for key in ("11413", "31", "11311", "00004"))
        culture = Department.objects.get(unit=ward, name="Phòng Văn hóa - Xã hội")
        unit_services.person_create(
            actor=SEED,
            username="vi.du",
            role=Role.CONTRIBUTOR,
            unit=ward,
            department=culture,
            full_name="=Nguyễn Thị Công Thức",
            email="vidu@haiphong.gov.vn",
            position="-Trưởng nhóm; “ngoặc kép”, dấu phẩy",
            phone="+84 225 3 123 456",
        )
        person = get_user_model().objects.get(username="vi.du")
        unit_services.membership_grant(actor=SEED, user=person, role=Role.SCORER, unit=city, subtree=True)
        unit_services.membership_grant(actor=SEED, user=person, role=Role.COUNCIL, unit=sibling)
        unit_services.person_create(actor=SEED, username="xem.toanquoc", role=Role.VIEWER, unit=None)
        unit_services.person_create(actor=SEED, username="canbo.hanoi", role=Role.CONTRIBUTOR, unit=hanoi)
        ended = AdminUnit.objects.get(key="11413-2025")  # held before the 2025 reform: history, kept as it is
        Membership.objects.create(user=get_user_model().objects.get(username="daumoi"), unit=ended, role="focal_point")
        yield
        transaction.set_rollback(True)


def _exported(user, fmt: str) -> tuple[bytes, list[list]]:
    header, rows = PEOPLE.export(user)
    rows = list(rows)
    if fmt == "xlsx":
        return workbook_bytes([Sheet(str(PEOPLE.label), header, rows)]), rows
    return csv_text(header, rows).encode("utf-8"), rows


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("persona", ["quantri", "dieuphoi"])
def test_an_exported_file_reimports_unchanged_and_changes_nothing(people, users, persona, fmt):
    user = users[persona]
    data, rows = _exported(user, fmt)
    assert len(rows) == memberships_manageable_by(user).count()
    before = stored_people()
    run = import_check(user=user, kind="people", upload=upload(data, f"nguoi-dung.{fmt}"))
    counts = run.report["counts"]
    assert run.status == "checked", [row for row in run.report["rows"] if row["outcome"] != "unchanged"][:3]
    assert counts["unchanged"] == counts["total"] == len(rows)
    assert run.report["ignored"] == []  # the unit's name is recognised, not imported
    done = import_run(user=user, run=run)
    assert (done.status, done.rows_written) == ("done", 0)
    assert stored_people() == before


@pytest.mark.django_db
def test_the_export_writes_what_the_import_reads(people, users):
    rows = list(PEOPLE.export(users["quantri"])[1])
    assert HEADER[:2] == ("Tên đăng nhập", "Họ và tên") and len(rows[0]) == len(HEADER)
    by_person = {(row[0], row[5], row[7]): row for row in rows}
    assert by_person[("vi.du", "31", "Thành viên tổ chấm điểm")][6:] == [
        "Thành phố Hải Phòng",
        "Thành viên tổ chấm điểm",
        "Có",
        "",
    ]
    assert by_person[("vi.du", "11413", "Công chức phòng ban")][9] == "Phòng Văn hóa - Xã hội"
    assert by_person[("xem.toanquoc", "", "Người xem")][6] == "Toàn quốc"
    assert ("daumoi", "11413-2025", "Cán bộ đầu mối") in by_person
    usernames = [row[0] for row in rows]
    assert usernames == sorted(usernames)
    text = csv_text(HEADER, rows)
    assert "'=Nguyễn Thị Công Thức" in text and "'+84 225" in text  # inert in a spreadsheet, read back as text


@pytest.mark.django_db
def test_a_coordinator_exports_only_the_roles_inside_their_scope(people, users):
    rows = list(PEOPLE.export(users["dieuphoi"])[1])
    keys = {(row[0], row[5]) for row in rows}
    assert ("dieuphoi", "31") in keys and ("vi.du", "11311") in keys
    assert not any(username in ("canbo.hanoi", "xem.toanquoc", "quantri") for username, _unit in keys)
    assert all(row[5] for row in rows)  # no role over the whole country


@pytest.mark.django_db
def test_an_edited_export_reports_what_changed(people, users):
    """A new phone on every row of a person is changed once, by the first; a role's subtree on its own row."""
    coordinator = users["dieuphoi"]
    header, rows = PEOPLE.export(coordinator)
    rows = list(rows)
    mine = [i for i, row in enumerate(rows) if row[0] == "vi.du"]
    for i in mine:
        rows[i][4] = "0225 3 999 999"
    target = next(i for i in mine if rows[i][5] == "31")
    rows[target][8] = "Không"
    run = import_check(user=coordinator, kind="people", upload=upload(csv_text(header, rows).encode(), "sua.csv"))
    report = by_row(run.report)
    assert run.status == "checked"
    assert run.report["counts"]["changed"] == 2
    assert report[mine[0] + 2]["changes"] == [
        {"column": "Điện thoại", "before": "+84 225 3 123 456", "after": "0225 3 999 999"}
    ]
    assert report[target + 2]["changes"] == [{"column": "Cả đơn vị cấp dưới", "before": "Có", "after": "Không"}]
