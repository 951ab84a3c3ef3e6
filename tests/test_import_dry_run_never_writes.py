"""The dry run runs the real import's code path inside a transaction that is rolled back: the service's writes
are executed and undone, so every write that stays is the ImportRun's own row; no result, no audit event, no
mail, no on_commit callback escapes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection

from tests.assessment_fixtures import module_campaign, percent_result
from tests.import_fixtures import HEADER, WriteLedger, codes, csv_bytes, results_row, stored, upload
from tincay.audit.models import AuditEvent
from tincay.reports.imports.service import import_check

CODE = "nhap-thu"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311"}) as campaign:
        yield campaign


def _file(campaign) -> bytes:
    own = campaign.assessments.get(unit__key="11413")
    sibling = campaign.assessments.get(unit__key="11311")
    first, second = codes(own, "management", 2)
    return csv_bytes(
        HEADER,
        [
            results_row("11413", first, level="Xanh", narrative="Đã ban hành quy chế."),
            results_row("11413", second, na="có", na_reason="Phường không có khu công nghiệp."),
            results_row("11413", percent_result(own).criterion.code, value="87,5", level="xanh"),
            results_row("11311", codes(sibling, "management", 1)[0], level="Đỏ", no_evidence="Hồ sơ giấy."),
        ],
    )


@pytest.mark.django_db
def test_a_dry_run_keeps_only_its_own_row(campaign, users, django_capture_on_commit_callbacks):
    data = _file(campaign)
    before, events = stored(campaign), AuditEvent.objects.count()
    ledger = WriteLedger()
    with django_capture_on_commit_callbacks() as callbacks, connection.execute_wrapper(ledger):
        run = import_check(user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(data, "a.csv"))
    assert run.status == "checked" and run.report["counts"]["new"] == 4
    assert "assessments_criterionresult" in ledger.executed  # the real code path ran ...
    assert "audit_auditevent" in ledger.executed
    assert set(ledger.kept) == {"reports_importrun"}  # ... and nothing of it stayed
    assert ledger.kept.count("reports_importrun") == 1
    assert stored(campaign) == before
    assert AuditEvent.objects.count() == events
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_dry_run_remembers_the_file_and_its_sha256(campaign, users):
    import hashlib

    data = _file(campaign)
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="results", upload=upload(data, "a.csv"))
    run.refresh_from_db()
    assert run.sha256 == hashlib.sha256(data).hexdigest()
    with run.file.open("rb") as kept:
        assert kept.read() == data
    assert run.requested_by == users["dieuphoi"] and run.kind == "results" and run.size == len(data)
    assert [row["row"] for row in run.report["rows"]] == [2, 3, 4, 5]
