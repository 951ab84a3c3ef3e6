"""A contributor writes only the indicators assigned to them or to their department, on every path the pages
and the services offer: saving the criterion (page and autosave), attaching and removing evidence, answering a
clarification question. Once the indicator is assigned to their department, the same requests succeed."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import (
    Assessment,
    Clarification,
    CriterionResult,
    Document,
    EvidenceLink,
    IndicatorAssignment,
)
from tincay.assessments.services import evidence, results, transitions
from tincay.assessments.services.errors import NotYours

CODE = "chua-giao"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        result = assessment.results.select_related("criterion__indicator").get(criterion__code="2.8.1")
        yield assessment, result


@pytest.fixture
def document(world):
    assessment, _result = world
    return Document.objects.create(unit=assessment.unit, title="Báo cáo năm 2026", url="https://example.invalid/bc")


def _assign(assessment, result, users):
    department = users["congchuc"].memberships.get(unit__key="11413").department
    IndicatorAssignment.objects.create(
        assessment=assessment, indicator=result.criterion.indicator, department=department
    )


def _save(client, assessment, result, *, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {f"r{result.pk}-revision": 0, f"r{result.pk}-self_level": "green", f"r{result.pk}-narrative": "Của tôi"}
    return client.post(f"/assessments/{assessment.pk}/results/{result.pk}/self/", data, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_saving_an_unassigned_indicator_is_refused(client_for, world, htmx):
    assessment, result = world
    response = _save(client_for("congchuc"), assessment, result, htmx=htmx)
    assert response.status_code == 403
    stored = CriterionResult.objects.get(pk=result.pk)
    assert (stored.revision, stored.self_level, stored.narrative) == (0, "", "")


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_saving_is_allowed_once_the_department_has_the_indicator(client_for, world, users, htmx):
    assessment, result = world
    _assign(assessment, result, users)
    response = _save(client_for("congchuc"), assessment, result, htmx=htmx)
    assert response.status_code in (200, 302)
    assert CriterionResult.objects.get(pk=result.pk).self_level == "green"


@pytest.mark.django_db
def test_the_service_refuses_whoever_calls_it(world, users):
    _assessment, result = world
    with pytest.raises(NotYours):
        results.result_save(user=users["congchuc"], result=result, track="self", data={"self_level": "red"}, revision=0)
    assert CriterionResult.objects.get(pk=result.pk).revision == 0


@pytest.mark.django_db
def test_attaching_evidence_to_an_unassigned_indicator_is_refused(client_for, world, document, users):
    assessment, result = world
    url = f"/assessments/{assessment.pk}/results/{result.pk}/evidence/"
    page = client_for("congchuc").post(url, {"document": document.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "not assigned to you" in page.content.decode()
    assert not EvidenceLink.objects.filter(result=result).exists()
    upload = client_for("congchuc").post(
        url, {"title": "Tệp mới", "kind": "report", "visibility": "internal", "url": "https://example.invalid/x"}
    )
    assert upload.status_code == 302
    assert not EvidenceLink.objects.filter(result=result).exists()
    assert not Document.objects.filter(title="Tệp mới").exists()  # no orphan entry in the register either
    with pytest.raises(NotYours):
        evidence.evidence_link(user=users["congchuc"], result=result, document=document)
    _assign(assessment, result, users)
    client_for("congchuc").post(url, {"document": document.pk})
    assert EvidenceLink.objects.filter(result=result, document=document).exists()


@pytest.mark.django_db
def test_removing_evidence_from_an_unassigned_indicator_is_refused(client_for, world, document, users):
    assessment, result = world
    EvidenceLink.objects.create(result=result, document=document)
    client_for("congchuc").post(f"/assessments/{assessment.pk}/results/{result.pk}/evidence/{document.pk}/remove/")
    assert EvidenceLink.objects.filter(result=result, document=document).exists()
    with pytest.raises(NotYours):
        evidence.evidence_unlink(user=users["congchuc"], result=result, document=document)
    client_for("daumoi").post(f"/assessments/{assessment.pk}/results/{result.pk}/evidence/{document.pk}/remove/")
    assert not EvidenceLink.objects.filter(result=result, document=document).exists()


@pytest.mark.django_db
def test_answering_a_question_on_an_unassigned_indicator_is_refused(client_for, world, users):
    assessment, result = world
    Assessment.objects.filter(pk=assessment.pk).update(state="clarification")
    item = Clarification.objects.create(result=result, question="Đề nghị bổ sung?", asked_by=users["chamdiem"])
    client_for("congchuc").post(f"/assessments/{assessment.pk}/questions/{item.pk}/answer/", {"answer": "Đã có."})
    item = Clarification.objects.select_related("result__assessment__unit").get(pk=item.pk)
    assert item.answer == ""
    with pytest.raises(NotYours):
        transitions.clarification_answer(user=users["congchuc"], item=item, answer="Đã có.")
