"""The assessment page reads its results once and passes them on: the blockers, counts and scores it shows from
those rows are what the database-backed guards and scorers say."""

import datetime as dt

import pytest

from tests.assessment_fixtures import make_campaign
from tincay.assessments import access, selectors
from tincay.assessments.models import Assessment, Clarification, Document, EvidenceLink
from tincay.assessments.services import transitions

pytestmark = pytest.mark.django_db

ACTIONS = ("submit", "finish_scoring", "approve", "request_clarification", "answer_clarification")


@pytest.fixture
def assessment(users):
    a = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    a.results.update(self_level="green", scorer_level="yellow", no_evidence_reason="Lưu giấy")
    results = list(a.results.order_by("criterion__order"))
    results[0].self_level, results[0].no_evidence_reason = "", ""  # unanswered, without evidence or explanation
    results[1].na, results[1].self_level, results[1].na_reason = True, "", "Không có"
    results[2].no_evidence_reason, results[2].scorer_level = "", ""  # evidence below; no scorer level
    results[3].self_value, results[3].self_level = 12, ""
    results[4].final_level = "green"
    for r in results[:5]:
        r.save()
    document = Document.objects.create(unit=a.unit, title="Báo cáo", url="https://example.invalid/bc")
    EvidenceLink.objects.create(result=results[2], document=document)
    Clarification.objects.create(result=results[4], question="Vì sao?")
    return a


def test_blockers_from_the_loaded_rows_are_the_guards_blockers(assessment, users):
    overview = selectors.assessment_overview(assessment)
    actor = access.actor_for(users["daumoi"], assessment)
    for action in ACTIONS:
        assert transitions._data_blockers(action, assessment, overview.rows) == transitions._data_blockers(
            action, assessment
        ), action
    assert transitions.blockers(actor, assessment, "submit", results=overview.rows) == transitions.blockers(
        actor, assessment, "submit"
    )
    assert transitions.submission_blockers(assessment, overview.rows)  # the first criterion holds it back


def test_overview_counts_and_scores_match_the_single_scorer(assessment):
    overview = selectors.assessment_overview(assessment)
    results = list(assessment.results.all())
    assert len(overview.rows) == len(results)
    assert overview.answered == sum(1 for r in results if selectors.is_answered(r))
    assert overview.scores == selectors.assessment_scores_checked(assessment)
    blocks = [b for p in selectors.workspace(assessment) for b in p.indicators]
    light = [b for p in overview.pillars for b in p.indicators]
    assert [b.indicator.code for b in blocks] == [b.indicator.code for b in light]
    for full, rows in zip(blocks, light, strict=True):
        assert (full.answered, full.missing_evidence, full.stored_problems, len(full.results)) == (
            rows.answered,
            rows.missing_evidence,
            rows.stored_problems,
            len(rows.results),
        )


def test_api_lists_evidence_in_the_registers_order(assessment, users):
    from rest_framework.test import APIClient

    result = assessment.results.order_by("criterion__order")[3]
    older = Document.objects.create(
        unit=assessment.unit, title="B", url="https://example.invalid/b", issued_on=dt.date(2024, 5, 1)
    )
    newer = Document.objects.create(
        unit=assessment.unit, title="A", url="https://example.invalid/a", issued_on=dt.date(2025, 1, 2)
    )
    same_day = Document.objects.create(
        unit=assessment.unit, title="C", url="https://example.invalid/c", issued_on=dt.date(2025, 1, 2)
    )
    for document in (older, same_day, newer):
        EvidenceLink.objects.create(result=result, document=document)
    client = APIClient()
    client.force_authenticate(users["daumoi"])
    rows = {row["criterion"]: row for row in client.get(f"/api/v1/assessments/{assessment.pk}/results/").json()}
    assert rows[result.criterion.code]["evidence"] == [newer.pk, same_day.pk, older.pk]
    assert rows[result.criterion.code]["evidence"] == list(result.documents.values_list("pk", flat=True))
