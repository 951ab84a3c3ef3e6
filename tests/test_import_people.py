"""Importing users and their roles: the dry run writes nothing that stays and says row by row what would be new,
changed or unchanged; the real import creates the accounts and roles through the services (with their audit
events); a second run of the same file changes nothing; only administrators and coordinators import at all."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.utils import translation

from tests.import_fixtures import WriteLedger, by_row, csv_bytes, upload, xlsx
from tests.people_import_fixtures import HEADER, person_row, stored_people
from tincay.audit.models import AuditEvent
from tincay.common.errors import Refused
from tincay.orgunits.models import Membership
from tincay.reports.imports.kinds import general_kinds_for
from tincay.reports.imports.service import import_check, import_run
from tincay.reports.models import ImportRun

NEW = "nguyen.van.moi"
OFFICE = "Văn phòng HĐND và UBND"
ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị"


def _file() -> bytes:
    return csv_bytes(
        HEADER,
        [
            person_row(
                NEW,
                "11413",
                "Công chức phòng ban",
                full_name="Nguyễn Văn Mới",
                email="moi@haian.gov.vn",
                position="Công chức Văn phòng",
                phone="0912 345 678",
                department=OFFICE,
            ),
            person_row(NEW, "31", "nguoi xem", subtree="Có"),
            person_row("congchuc", "11413", "Công chức phòng ban", phone="0225 3 123 456", department=ECONOMY),
            person_row("lanhdao", "11413", "Lãnh đạo UBND", email="lanhdao.moi@haian.gov.vn"),
            person_row("daumoi", "11413", "focal point", full_name="Lê Thị Đầu"),
        ],
    )


@pytest.mark.django_db
def test_a_dry_run_reports_each_row_and_keeps_only_its_own_row(users, django_capture_on_commit_callbacks):
    before, events = stored_people(), AuditEvent.objects.count()
    ledger = WriteLedger()
    with django_capture_on_commit_callbacks() as callbacks, connection.execute_wrapper(ledger):
        run = import_check(user=users["dieuphoi"], kind="people", upload=upload(_file(), "nguoi-dung.csv"))
    assert run.status == "checked", run.report["rows"]
    assert run.report["counts"] == {"new": 2, "changed": 2, "unchanged": 1, "refused": 0, "total": 5}
    assert {"accounts_user", "orgunits_membership", "audit_auditevent"} <= set(ledger.executed)  # the services ran
    assert set(ledger.kept) == {"reports_importrun"} and ledger.kept.count("reports_importrun") == 1
    assert stored_people() == before
    assert AuditEvent.objects.count() == events
    assert callbacks == [] and mail.outbox == []  # the mail to lanhdao's old address went with the rollback
    rows = by_row(run.report)
    assert (rows[2]["username"], rows[2]["unit"], rows[2]["role"]) == (NEW, "11413", "Công chức phòng ban")
    assert rows[2]["outcome"] == "new"
    assert [(c["column"], c["before"], c["after"]) for c in rows[2]["changes"]] == [
        ("Tên đăng nhập", "", NEW),
        ("Họ và tên", "", "Nguyễn Văn Mới"),
        ("Email", "", "moi@haian.gov.vn"),
        ("Chức vụ", "", "Công chức Văn phòng"),
        ("Điện thoại", "", "0912 345 678"),
        ("Mã đơn vị", "", "11413"),
        ("Vai trò", "", "Công chức phòng ban"),
        ("Phòng ban", "", OFFICE),
    ]
    assert rows[3]["outcome"] == "new"  # the same person's second role
    assert [(c["column"], c["after"]) for c in rows[3]["changes"]] == [
        ("Mã đơn vị", "31"),
        ("Vai trò", "Người xem"),
        ("Cả đơn vị cấp dưới", "Có"),
    ]
    assert rows[4]["changes"] == [{"column": "Điện thoại", "before": "", "after": "0225 3 123 456"}]
    assert rows[5]["changes"] == [
        {"column": "Email", "before": "lanhdao@demo.local", "after": "lanhdao.moi@haian.gov.vn"}
    ]
    assert rows[6]["outcome"] == "unchanged" and "changes" not in rows[6]
    assert run.report["columns"] == [h for h in HEADER if h != "Tên đơn vị"]


@pytest.mark.django_db
def test_the_real_import_writes_through_the_services_and_a_second_run_changes_nothing(
    users, django_capture_on_commit_callbacks
):
    coordinator, data = users["dieuphoi"], _file()
    run = import_check(user=coordinator, kind="people", upload=upload(data, "nguoi-dung.csv"))
    events = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        done = import_run(user=coordinator, run=run)
    assert (done.status, done.rows_written) == ("done", 4), done.message
    person = get_user_model().objects.get(username=NEW)
    assert (person.full_name, person.email, person.phone) == ("Nguyễn Văn Mới", "moi@haian.gov.vn", "0912 345 678")
    assert not person.has_usable_password()  # the person sets one through the reset link
    assert set(person.memberships.values_list("unit__key", "role", "subtree", "department__name")) == {
        ("11413", "contributor", False, OFFICE),
        ("31", "viewer", True, None),
    }
    assert get_user_model().objects.get(username="congchuc").phone == "0225 3 123 456"
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True)[events:])
    created = ["accounts.user_created", "orgunits.membership_granted", "orgunits.membership_granted"]
    assert sorted(actions) == sorted([*created, "accounts.user_updated", "accounts.user_updated"])
    assert [message.to for message in mail.outbox] == [["lanhdao@demo.local"]]  # told at the old address
    again = import_check(user=coordinator, kind="people", upload=upload(data, "nguoi-dung.csv"))
    assert again.report["counts"] == {"new": 0, "changed": 0, "unchanged": 5, "refused": 0, "total": 5}


@pytest.mark.django_db
def test_a_row_refused_halfway_leaves_nothing_of_it(users):
    """The e-mail change of a row goes through, then its role is refused: the row's savepoint takes both back,
    so the next row of the same person changes the e-mail from the stored one again."""
    rows = [
        person_row("congchuc", "00004", "Người xem", email="moi@haian.gov.vn"),
        person_row("congchuc", "11413", "Công chức phòng ban", email="moi@haian.gov.vn", department=ECONOMY),
    ]
    run = import_check(user=users["dieuphoi"], kind="people", upload=upload(xlsx(HEADER, rows), "a.xlsx"))
    report = by_row(run.report)
    assert report[2]["outcome"] == "refused"
    assert [e["column"] for e in report[2]["errors"]] == ["Mã đơn vị"]
    assert report[3]["outcome"] == "changed"
    assert report[3]["changes"] == [{"column": "Email", "before": "congchuc@demo.local", "after": "moi@haian.gov.vn"}]


@pytest.mark.django_db
def test_an_administrator_grants_a_role_over_the_whole_country_and_keeps_other_roles(users):
    rows = [person_row("xem", "", "Người xem"), person_row("xem", "31", "Người xem", subtree="không")]
    run = import_check(user=users["quantri"], kind="people", upload=upload(xlsx(HEADER, rows)))
    report = by_row(run.report)
    assert report[2]["outcome"] == "new" and (report[2]["unit"], report[2]["role"]) == ("", "Người xem")
    assert report[3]["outcome"] == "changed"  # held over Hải Phòng's subtree until now
    assert report[3]["changes"] == [{"column": "Cả đơn vị cấp dưới", "before": "Có", "after": "Không"}]
    import_run(user=users["quantri"], run=run)
    assert set(Membership.objects.filter(user=users["xem"]).values_list("unit__key", "subtree")) == {
        (None, False),
        ("31", False),
    }


@pytest.mark.django_db
def test_a_file_without_a_column_keeps_what_is_stored_there(users):
    """No “Cả đơn vị cấp dưới” or “Phòng ban” column: a stored role keeps its subtree and department."""
    header = ("Tên đăng nhập", "Mã đơn vị", "Vai trò")
    rows = [["congchuc", "11413", "contributor"], ["dieuphoi", "31", "coordinator"]]
    run = import_check(user=users["quantri"], kind="people", upload=upload(xlsx(header, rows)))
    assert run.report["counts"]["unchanged"] == 2, run.report["rows"]


@pytest.mark.django_db
def test_messages_and_roles_read_in_vietnamese(users):
    rows = [
        person_row("congchuc", "11413", "CAN BO DAU MOI"),  # without diacritics or case
        person_row("congchuc", "31", "Cán bộ điều phối"),
    ]
    with translation.override("vi"):  # an earlier request may have left English active in this thread
        run = import_check(user=users["dieuphoi"], kind="people", upload=upload(xlsx(HEADER, rows)))
    report = by_row(run.report)
    assert report[2]["outcome"] == "new" and report[2]["role"] == "Cán bộ đầu mối"
    assert report[3]["errors"] == [
        {"column": "Vai trò", "reason": "Chỉ quản trị viên mới cấp được vai trò quản trị viên và cán bộ điều phối."}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["xem", "congchuc", "chamdiem", "lanhdao"])
def test_only_administrators_and_coordinators_import_people(users, persona):
    before, runs = stored_people(), ImportRun.objects.count()
    data = xlsx(HEADER, [person_row("ke.la", "11413", "Người xem")])
    with pytest.raises(Refused):
        import_check(user=users[persona], kind="people", upload=upload(data))
    assert "people" not in general_kinds_for(users[persona])
    assert (stored_people(), ImportRun.objects.count()) == (before, runs)
    assert {"people"} <= set(general_kinds_for(users["dieuphoi"])) & set(general_kinds_for(users["quantri"]))
