"""Completeness and timeliness of each unit: first submission against the deadline, overdue units, answered share;
two queries whatever the number of units."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessment_fixtures import complete, make_campaign
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, TransitionRecord
from tincay.reports import selectors

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"


def _submit(assessment, on: dt.date) -> None:
    assessment.state = State.SUBMITTED
    assessment.save(update_fields=["state"])
    record = TransitionRecord.objects.create(
        assessment=assessment, action="submit", from_state=State.DRAFT, to_state=State.SUBMITTED
    )
    at = timezone.make_aware(dt.datetime.combine(on, dt.time(10)))
    TransitionRecord.objects.filter(pk=record.pk).update(at=at)


def test_on_time_late_and_overdue_units(users):
    campaign = make_campaign(users, code="dung-han")
    due = campaign.self_assessment_due
    by_key = {a.unit.key: a for a in campaign.assessments.select_related("unit")}
    complete(by_key["11413"])
    _submit(by_key["11413"], due - dt.timedelta(days=3))
    _submit(by_key["11311"], due + dt.timedelta(days=5))
    report = selectors.timeliness(campaign, Assessment.objects.all(), today=due + dt.timedelta(days=10))
    rows = {r.unit_name: r for r in report.rows}
    early = rows[by_key["11413"].unit.name]
    late = rows[by_key["11311"].unit.name]
    assert (early.days_late, early.days_early, early.percent) == (-3, 3, 100)
    assert late.days_late == 5 and late.percent == 0
    assert (report.on_time, report.late, report.overdue, report.waiting) == (1, 1, 2, 0)
    assert report.rows[0].overdue  # overdue units first, then the latest submissions
    before = selectors.timeliness(campaign, Assessment.objects.all(), today=due)
    assert (before.overdue, before.waiting) == (0, 2)


def test_a_returned_and_resubmitted_unit_counts_its_first_submission(users):
    campaign = make_campaign(users, code="nop-lai")
    assessment = campaign.assessments.get(unit__key="11413")
    _submit(assessment, campaign.self_assessment_due - dt.timedelta(days=1))
    _submit(assessment, campaign.self_assessment_due + dt.timedelta(days=20))
    row = next(
        r for r in selectors.timeliness(campaign, Assessment.objects.all()).rows if r.assessment_id == assessment.pk
    )
    assert row.days_late == -1


def test_timeliness_page_is_scoped_and_its_query_count_does_not_grow(client_for, users):
    client = client_for("dieuphoi")
    page = client.get(f"/results/campaigns/{PILOT}/timeliness/")
    report = page.context["report"]
    assert page.status_code == 200 and len(report.rows) == 12
    assert report.unrecorded == 12 and report.waiting == 0  # the pilot's results were imported from paper
    html = page.content.decode()
    assert "Mức độ hoàn thành và đúng hạn" in html and "Trình lần đầu" in html
    narrowed = client.get(f"/results/campaigns/{PILOT}/timeliness/", {"unit": "306-2025"})
    assert len(narrowed.context["report"].rows) == 2
    assert client.get(f"/results/campaigns/{PILOT}/timeliness/", {"unit": "01"}).context["scope_error"]
    assert client_for("daumoi").get(f"/results/campaigns/{PILOT}/timeliness/").context["report"].rows
    small = make_campaign(users, code="nho-dh", units={"a": "11413", "b": "11311"})

    def count(code):
        client.get(f"/results/campaigns/{code}/timeliness/")
        with CaptureQueriesContext(connection) as captured:
            client.get(f"/results/campaigns/{code}/timeliness/")
        return len(captured)

    admin = client_for("quantri")
    client = admin
    assert count(small.code) == count(PILOT)
