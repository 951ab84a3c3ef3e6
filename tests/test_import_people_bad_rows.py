"""A people file with bad rows yields a report naming every one at once (row number as Excel shows it, column,
reason) and nothing is stored. Cells the import cannot read are refused by the import; what the account and unit
services refuse (an ended unit, a role over the whole country or a subtree the role cannot have, a bad e-mail or
username, a coordinator granting the coordinator role, a unit or a person outside their scope) is refused with
the service's message."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from tests.import_fixtures import by_row, upload, xlsx
from tests.people_import_fixtures import HEADER, person_row, stored_people
from tincay.accounts.choices import Role
from tincay.common.errors import InvalidInput
from tincay.orgunits import services as unit_services
from tincay.orgunits.models import AdminUnit
from tincay.reports.imports.service import import_check, import_run

pytestmark = pytest.mark.usefixtures("english")

SEED = "test-seed"


@pytest.fixture(scope="module")
def outsider(django_db_setup, django_db_blocker):
    """A contributor of Phường Hải An who also views a ward of Hà Nội: inside the coordinator's scope by one role
    only, so they grant her roles but may not change her e-mail."""
    with django_db_blocker.unblock(), transaction.atomic():
        ward, hanoi = AdminUnit.objects.get(key="11413"), AdminUnit.objects.get(key="00004")
        person, _first = unit_services.person_create(
            actor=SEED, username="hai.noi", role=Role.CONTRIBUTOR, unit=ward, email="hai.noi@demo.local"
        )
        unit_services.membership_grant(actor=SEED, user=person, role=Role.VIEWER, unit=hanoi)
        yield person
        transaction.set_rollback(True)


EXPECTED = {
    3: [("Vai trò", "“Trưởng thôn” is not a role: write one of Quản trị hệ thống, Cán bộ điều phối")],
    4: [("Mã đơn vị", "No unit with the code “99999”")],
    5: [("Mã đơn vị", "no longer exists; choose one of today's units")],
    6: [("Mã đơn vị", "Only administrators, coordinators and viewers can hold a role for the whole country")],
    7: [("Cả đơn vị cấp dưới", "This role applies to one unit only")],
    8: [("Phòng ban", "has no department named “Phòng Không Có”: add the department on the unit's page first")],
    9: [("Email", "Enter a valid e-mail address")],
    10: [("Tên đăng nhập", "Enter a valid username")],
    11: [("Vai trò", "Row 2 already gives this person this role in this unit")],
    12: [("Họ và tên", "Row 2 gives this person another value (“Tốt Mới”)")],
    13: [("Vai trò", "Only administrators grant the administrator and coordinator roles")],
    14: [("Mã đơn vị", "lies outside your scope; choose a unit you coordinate")],
    15: [("Email", "You may change the details and password only of people whose roles all lie inside your scope")],
    16: [
        ("Vai trò", "“???” is not a role"),
        ("Mã đơn vị", "No unit with the code “88888”"),
        ("Cả đơn vị cấp dưới", "“có lẽ” is not yes or no"),
    ],
    17: [("Tên đăng nhập", "Write the username.")],
    18: [("Mã đơn vị", "Not yours: this role lies outside your scope")],
}


def _rows() -> list[list]:
    return [
        person_row("tot.moi", "11413", "Công chức phòng ban", full_name="Tốt Mới"),  # 2: good
        person_row("congchuc", "11413", "Trưởng thôn"),  # 3
        person_row("congchuc", "99999", "Người xem"),  # 4
        person_row("congchuc", "11413-2025", "Cán bộ đầu mối"),  # 5: the ward as it stood until 2025
        person_row("congchuc", "", "Công chức phòng ban"),  # 6
        person_row("congchuc", "11311", "Công chức phòng ban", subtree="Có"),  # 7
        person_row("phong.moi", "11413", "Công chức phòng ban", department="Phòng Không Có"),  # 8
        person_row("email.sai", "11413", "Người xem", email="khong-phai-email"),  # 9
        person_row("nguyen van sai", "11413", "Người xem"),  # 10
        person_row("tot.moi", "11413", "contributor"),  # 11: row 2 again
        person_row("tot.moi", "31", "Người xem", full_name="Tốt Khác"),  # 12
        person_row("congchuc", "11413", "Cán bộ điều phối"),  # 13
        person_row("congchuc", "00004", "Người xem"),  # 14: a ward of Hà Nội
        person_row("hai.noi", "11413", "Công chức phòng ban", email="moi@haian.gov.vn"),  # 15
        person_row("nhieu.loi", "88888", "???", subtree="có lẽ"),  # 16
        person_row("", "11413", "Người xem", full_name="Không Tên"),  # 17
        person_row("hai.noi", "00004", "Người xem"),  # 18: stored, but not the coordinator's
    ]


@pytest.mark.django_db
def test_every_bad_row_is_named_with_its_column_and_reason_at_once(outsider, users):
    before = stored_people()
    run = import_check(user=users["dieuphoi"], kind="people", upload=upload(xlsx(HEADER, _rows())))
    report = by_row(run.report)
    assert run.status == "refused"
    assert report[2]["outcome"] == "new"
    assert run.report["counts"] == {"new": 1, "changed": 0, "unchanged": 0, "refused": 16, "total": 17}
    for number, expected in EXPECTED.items():
        errors = report[number]["errors"]
        assert report[number]["outcome"] == "refused"
        assert len(errors) == len(expected), (number, errors)
        for column, reason in expected:
            assert any(e["column"] == column and reason in e["reason"] for e in errors), (number, errors)
    assert [row["row"] for row in run.report["rows"]] == [*range(3, 19), 2]  # refused rows first
    assert stored_people() == before
    with pytest.raises(InvalidInput, match="errors"):
        import_run(user=users["dieuphoi"], run=run)
    assert stored_people() == before
    assert not get_user_model().objects.filter(username="tot.moi").exists()


@pytest.mark.django_db
def test_an_administrator_may_do_what_the_coordinator_was_refused(outsider, users):
    rows = [
        person_row("congchuc", "00004", "Người xem"),
        person_row("hai.noi", "11413", "Công chức phòng ban", email="moi@haian.gov.vn"),
        person_row("congchuc", "", "Người xem"),
    ]
    run = import_check(user=users["quantri"], kind="people", upload=upload(xlsx(HEADER, rows)))
    assert run.status == "checked", run.report["rows"]
    assert [row["outcome"] for row in run.report["rows"]] == ["new", "changed", "new"]


@pytest.mark.django_db
def test_a_file_without_the_role_column_is_refused_whole(users):
    header = ("Tên đăng nhập", "Mã đơn vị")
    run = import_check(user=users["quantri"], kind="people", upload=upload(xlsx(header, [["congchuc", "11413"]])))
    assert run.status == "refused"
    assert "“Vai trò”" in run.report["errors"][0]
