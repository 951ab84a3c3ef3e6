"""Submission requires every applicable criterion answered with evidence or a written explanation."""

import pytest

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import Assessment, Document, EvidenceLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(users):
    a = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")
    a.results.update(self_level="green", no_evidence_reason="Tài liệu lưu bản giấy.")
    return a


def _submit(client, assessment):
    return client.post(f"/assessments/{assessment.pk}/transition/", {"action": "submit"}, follow=True)


def test_blocked_while_a_criterion_lacks_both_evidence_and_explanation(client_for, assessment):
    assessment.results.filter(criterion__code="1.7.3").update(no_evidence_reason="")
    page = _submit(client_for("daumoi"), assessment)
    assessment.refresh_from_db()
    assert assessment.state == "draft"
    assert "1.7.3" in page.content.decode()


def test_evidence_instead_of_explanation_is_enough(client_for, assessment, users):
    result = assessment.results.get(criterion__code="1.7.3")
    result.no_evidence_reason = ""
    result.save()
    document = Document.objects.create(unit=assessment.unit, title="Báo cáo", url="https://example.invalid/bc")
    EvidenceLink.objects.create(result=result, document=document)
    _submit(client_for("daumoi"), assessment)
    assessment.refresh_from_db()
    assert assessment.state == "submitted"


def test_blocked_while_a_criterion_is_unanswered_and_the_codes_are_named(client_for, assessment):
    assessment.results.filter(criterion__code="4.6.6").update(self_level="")
    page = _submit(client_for("daumoi"), assessment)
    assessment.refresh_from_db()
    assert assessment.state == "draft" and "4.6.6" in page.content.decode()


def test_not_applicable_with_reason_counts_as_answered(client_for, assessment):
    assessment.results.filter(criterion__code="4.6.6").update(
        self_level="", na=True, na_reason="Không có", no_evidence_reason=""
    )
    _submit(client_for("daumoi"), assessment)
    assessment.refresh_from_db()
    assert assessment.state == "submitted"
