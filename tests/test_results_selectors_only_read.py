"""Selectors only read: with every score stale, the results selectors run no INSERT, UPDATE or DELETE and leave
the scores stale; the pages refresh what they show (``scores_refresh``) before reading."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tincay.assessments.models import Assessment, Campaign
from tincay.orgunits.models import AdminUnit
from tincay.reports import selectors

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
WRITES = ("insert", "update", "delete")


def test_results_selectors_never_write():
    Assessment.objects.update(scores_stale=True)
    campaign = Campaign.objects.get(code=PILOT)
    everything = Assessment.objects.all()
    unit = AdminUnit.objects.get(key="11413")
    with CaptureQueriesContext(connection) as captured:
        selectors.unit_results(campaign.assessments.first())
        selectors.heatmap(campaign, everything)
        selectors.ranking_rows(campaign, everything)
        selectors.analysis(campaign, everything)
        selectors.timeliness(campaign, everything)
        selectors.trend(unit, everything)
        selectors.province_published(selectors.province_assessments(AdminUnit.objects.get(key="31")))
        selectors.scores_of(everything, "final")
    writes = [q["sql"] for q in captured if q["sql"].lstrip().lower().startswith(WRITES)]
    assert writes == []
    assert not Assessment.objects.filter(scores_stale=False).exists()


def test_the_pages_refresh_what_they_show(client_for):
    Assessment.objects.update(scores_stale=True)
    client = client_for("dieuphoi")
    assert client.get(f"/results/campaigns/{PILOT}/").status_code == 200
    assert not Assessment.objects.filter(campaign__code=PILOT, scores_stale=True).exists()
    assert Assessment.objects.exclude(campaign__code=PILOT).filter(scores_stale=True).exists()
