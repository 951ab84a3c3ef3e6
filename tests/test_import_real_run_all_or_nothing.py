"""The real import writes every new and changed row, with the service's audit events, or nothing at all: when a
row is refused at the time of the real import (the data changed since the dry run) or an error stops it midway,
the units already written are rolled back too and the run says why."""

from __future__ import annotations

import pytest

from tests.assessment_fixtures import module_campaign, percent_result
from tests.import_fixtures import VALUES_HEADER, stored, upload, xlsx
from tincay.assessments.models import CriterionResult
from tincay.audit.models import AuditEvent
from tincay.reports.imports import results
from tincay.reports.imports.service import import_check, import_run

pytestmark = pytest.mark.usefixtures("english")

CODE = "nhap-tron-goi"


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311"}) as campaign:
        yield campaign


def _checked(campaign, users):
    own, sibling = (campaign.assessments.get(unit__key=key) for key in ("11413", "11311"))
    rows = [
        ["11413", percent_result(own).criterion.code, "87,5"],
        ["11311", percent_result(sibling).criterion.code, "42"],
    ]
    file = upload(xlsx(VALUES_HEADER, rows))
    run = import_check(user=users["dieuphoi"], campaign=campaign, kind="values", upload=file)
    assert run.status == "checked"
    return run, own, sibling


@pytest.mark.django_db
def test_a_good_run_writes_every_row_with_its_audit_events(campaign, users):
    run, own, _sibling = _checked(campaign, users)
    events = AuditEvent.objects.filter(action="assessments.results_imported").count()
    done = import_run(user=users["dieuphoi"], run=run)
    done.refresh_from_db()
    assert (done.status, done.rows_written, done.progress) == ("done", 2, 100)
    assert done.started_at and done.finished_at
    value = CriterionResult.objects.get(pk=percent_result(own).pk).self_value
    assert str(value) == "87.5000"
    assert AuditEvent.objects.filter(action="assessments.results_imported").count() == events + 2


@pytest.mark.django_db
def test_a_row_refused_at_import_time_rolls_back_every_unit(campaign, users):
    run, _own, sibling = _checked(campaign, users)
    # after the dry run, someone marks the sibling's criterion not applicable: its value would be dropped
    CriterionResult.objects.filter(pk=percent_result(sibling).pk).update(na=True, na_reason="Không có.")
    before = stored(campaign)
    done = import_run(user=users["dieuphoi"], run=run)
    assert done.status == "failed" and done.rows_written == 0
    assert "Nothing was imported" in done.message
    assert done.report["counts"]["refused"] == 1
    assert stored(campaign) == before  # the first unit, written before the refusal, is rolled back too


@pytest.mark.django_db
def test_an_error_midway_rolls_back_and_marks_the_run_failed(campaign, users, monkeypatch):
    run, _own, _sibling = _checked(campaign, users)
    before = stored(campaign)
    real = results.assessment_import_changes
    calls = []

    def second_unit_fails(**kwargs):
        calls.append(kwargs["assessment"].unit.key)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(results, "assessment_import_changes", second_unit_fails)
    with pytest.raises(RuntimeError):
        import_run(user=users["dieuphoi"], run=run)
    run.refresh_from_db()
    assert run.status == "failed" and "unexpected error" in run.message
    assert stored(campaign) == before
