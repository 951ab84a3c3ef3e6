"""Transitions and clarification questions check their input in the service: the action is one of the
workflow's, texts are text within their limits (reason 2,000, question and answer 4,000) and not empty where
required; the person's roles are computed inside. Nothing is written on a refusal."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import Assessment, Clarification
from tincay.assessments.services import transitions
from tincay.assessments.services.errors import NotYours
from tincay.assessments.workflow import TransitionRefused
from tincay.common.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")

CODE = "chuyen-buoc"


@pytest.fixture(scope="module")
def assessment(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        yield campaign.assessments.select_related("unit", "campaign").get()


def _in_state(assessment, state):
    Assessment.objects.filter(pk=assessment.pk).update(state=state)
    return Assessment.objects.select_related("unit", "campaign").get(pk=assessment.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "reason", "field"),
    [
        ("teleport", "", "action"),
        (["submit"], "", "action"),
        ("reopen", "x" * 2_001, "reason"),
        ("reopen", 5, "reason"),
    ],
)
def test_a_bad_transition_is_refused_before_anything(assessment, users, action, reason, field):
    scoring = _in_state(assessment, "scoring")
    with pytest.raises(InvalidInput) as caught:
        transitions.assessment_transition(user=users["dieuphoi"], assessment=scoring, action=action, reason=reason)
    assert field in caught.value.errors
    assert Assessment.objects.get(pk=assessment.pk).state == "scoring" and not scoring.transitions.exists()


@pytest.mark.django_db
def test_the_role_is_computed_inside(assessment, users):
    with pytest.raises(TransitionRefused):
        transitions.assessment_transition(user=users["congchuc"], assessment=assessment, action="submit")
    scoring = _in_state(assessment, "scoring")
    transitions.assessment_transition(user=users["dieuphoi"], assessment=scoring, action="reopen", reason="Bổ sung.")
    assert Assessment.objects.get(pk=assessment.pk).state == "draft"


@pytest.mark.django_db
@pytest.mark.parametrize("question", ["", "   ", "x" * 4_001, ["Câu hỏi"], None])
def test_a_bad_question_is_refused(assessment, users, question):
    scoring = _in_state(assessment, "scoring")
    result = scoring.results.select_related("assessment__unit").first()
    with pytest.raises(InvalidInput) as caught:
        transitions.clarification_ask(user=users["chamdiem"], result=result, question=question)
    assert "question" in caught.value.errors
    assert not Clarification.objects.filter(result=result).exists()


@pytest.mark.django_db
def test_only_the_assigned_scorer_asks(assessment, users):
    scoring = _in_state(assessment, "scoring")
    result = scoring.results.select_related("assessment__unit").first()
    with pytest.raises(NotYours):
        transitions.clarification_ask(user=users["daumoi"], result=result, question="Vì sao?")
    item = transitions.clarification_ask(user=users["chamdiem"], result=result, question=" Vì sao? ")
    assert item.question == "Vì sao?"


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["", "x" * 4_001, 12])
def test_a_bad_answer_is_refused(assessment, users, answer):
    asking = _in_state(assessment, "clarification")
    result = asking.results.select_related("assessment__unit").first()
    item = Clarification.objects.create(result=result, question="Vì sao?", asked_by=users["chamdiem"])
    with pytest.raises(InvalidInput) as caught:
        transitions.clarification_answer(user=users["daumoi"], item=item, answer=answer)
    assert "answer" in caught.value.errors
    assert Clarification.objects.get(pk=item.pk).answer == ""


@pytest.mark.django_db
def test_the_page_reports_a_too_long_reason(client_for, assessment):
    _in_state(assessment, "scoring")
    page = client_for("dieuphoi").post(
        f"/assessments/{assessment.pk}/transition/",
        {"action": "reopen", "reason": "x" * 2_001},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert page.status_code == 200 and "2,000" in page.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).state == "scoring"
