"""Workspace, scorer and campaign-board pages run a fixed number of queries whatever the size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import Assessment

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def assessment(users):
    a = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    a.results.update(self_level="yellow", narrative="Có", no_evidence_reason="Lưu giấy")
    return a


# the assessment page reads its results once (values) and passes them to the scores and the blockers; the
# indicator page reads only its indicator's pillar; both read their ETag (the change marks and the unread
# notices) in one query first (tincay.accounts.freshness)
PAGES = {
    ("daumoi", "/assessments/{pk}/"): 15,
    ("daumoi", "/assessments/{pk}/indicators/1.7/"): 14,
    ("chamdiem", "/assessments/{pk}/indicators/1.7/"): 15,
    ("thamdinh", "/assessments/{pk}/review/"): 11,
}


@pytest.mark.parametrize(("persona", "url", "queries"), [(p, u, q) for (p, u), q in PAGES.items()])
def test_pinned(client_for, assessment, persona, url, queries):
    if persona == "chamdiem":
        Assessment.objects.filter(pk=assessment.pk).update(state="scoring")
    if persona == "thamdinh":
        Assessment.objects.filter(pk=assessment.pk).update(state="appraisal")
    assert _count(client_for(persona), url.format(pk=assessment.pk)) == queries


def test_campaign_board_does_not_grow_with_units(client_for, users):
    small = make_campaign(users, code="nho", units={"a": "11413", "b": "11311"})
    big_units = {
        str(n): k
        for n, k in enumerate(
            ["11413", "11311", "11329", "11560", "11761", "11411", "11416", "11422", "11425", "11414"]
        )
    }
    big = make_campaign(users, code="lon", units=big_units)
    client = client_for("dieuphoi")
    assert _count(client, f"/campaigns/{small.code}/") == _count(client, f"/campaigns/{big.code}/")
    # 17: the coordinator's board also reads the memberships of the page's units (staffing gaps and team ties,
    # one query) and the team's history (one query of audit events); the board is paged: counts by state, the
    # provinces of the filter, the page's count and its rows are one query each
    assert _count(client, f"/campaigns/{big.code}/") <= 17


def test_workspace_does_not_grow_with_evidence(client_for, assessment):
    from tincay.assessments.models import Document, EvidenceLink

    client = client_for("daumoi")
    before = _count(client, f"/assessments/{assessment.pk}/indicators/1.7/")
    for n, result in enumerate(assessment.results.filter(criterion__code__startswith="1.7.")):
        for m in range(3):
            doc = Document.objects.create(
                unit=assessment.unit, title=f"Tài liệu {n}-{m}", url="https://example.invalid"
            )
            EvidenceLink.objects.create(result=result, document=doc)
    assert _count(client, f"/assessments/{assessment.pk}/indicators/1.7/") == before
