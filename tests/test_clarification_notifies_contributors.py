"""Clarification questions reach the contributors to whom the indicators concerned are assigned.

When the scorer sends the questions, each person assigned an indicator with an open question (by name, or through
the department) gets one notice naming their criteria, in-app with a link to the indicator and by e-mail with a
subject that says what happened and for which unit. People with nothing asked of them hear nothing more.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.assessment_fixtures import make_campaign
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.assessments.services import assignments, transitions
from tincay.orgunits.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_inboxes():
    """Every inbox starts empty (the demo's rollout has told units of their phases), rolled back afterwards."""
    from tincay.accounts.models import Notification

    Notification.objects.all().delete()


@pytest.fixture
def sent(users, django_capture_on_commit_callbacks):
    """Hải An in scoring: 1.1 given to congchuc, 1.2 to the Văn phòng department (one contributor there), 1.3 to
    lanhdao; the scorer asks on 1.1.1, 1.1.2 and 1.2.1 (nothing on 1.3) and sends the questions."""
    campaign = make_campaign(users, code="hoi-lam-ro", units={"own": "11413"})
    assessment = Assessment.objects.get(campaign=campaign)
    unit = assessment.unit
    office = unit.departments.get(name="Văn phòng HĐND và UBND")
    clerk = get_user_model().objects.create_user("vanphong", email="vanphong@demo.local", full_name="Lê Văn Phòng")
    Membership.objects.create(user=clerk, unit=unit, role="contributor", department=office)
    focal = users["daumoi"]
    assignments.assignment_set(
        user=focal, assessment=assessment, indicator_code="1.1", assignee_id=users["congchuc"].pk
    )
    assignments.assignment_set(user=focal, assessment=assessment, indicator_code="1.2", department_id=office.pk)
    assignments.assignment_set(user=focal, assessment=assessment, indicator_code="1.3", assignee_id=users["lanhdao"].pk)
    Assessment.objects.filter(pk=assessment.pk).update(state=State.SCORING)
    assessment.refresh_from_db()
    scorer = users["chamdiem"]
    for code in ("1.1.2", "1.1.1", "1.2.1"):
        result = assessment.results.get(criterion__code=code)
        transitions.clarification_ask(user=scorer, result=result, question=f"Đề nghị giải trình tiêu chí {code}?")
    with django_capture_on_commit_callbacks(execute=True):
        transitions.assessment_transition(user=scorer, assessment=assessment, action="request_clarification")
    return assessment, clerk


def _about_criteria(user):
    return [n for n in user.notifications.all() if "1.1." in n.text or "1.2." in n.text]


def test_the_assigned_contributor_gets_a_notice_naming_their_criteria(sent, users):
    assessment, _clerk = sent
    notices = _about_criteria(users["congchuc"])
    assert len(notices) == 1
    notice = notices[0]
    assert "1.1.1, 1.1.2" in notice.text and "1.2.1" not in notice.text
    assert "Phường Hải An" in notice.text and users["chamdiem"].display_name in notice.text
    assert notice.url == f"/assessments/{assessment.pk}/indicators/1.1/"


def test_the_department_of_an_indicator_is_told_too(sent):
    assessment, clerk = sent
    notices = _about_criteria(clerk)
    assert len(notices) == 1 and "1.2.1" in notices[0].text and "1.1.1" not in notices[0].text
    assert notices[0].url == f"/assessments/{assessment.pk}/indicators/1.2/"


def test_the_e_mail_subject_says_what_happened_and_for_which_unit(sent, users):
    to_contributor = [m for m in mail.outbox if m.to == [users["congchuc"].email]]
    assert len(to_contributor) == 1
    subject = to_contributor[0].subject
    assert "Phường Hải An" in subject and "1.1.1" in subject and subject != "TinCậy"
    assert f"/assessments/{sent[0].pk}/indicators/1.1/" in to_contributor[0].body


def test_nobody_without_a_question_on_their_indicators_is_told(sent, users):
    assert _about_criteria(users["lanhdao"]) == []  # 1.3 had no question (the leader hears of the step itself)
    assert _about_criteria(users["chamdiem"]) == []  # the scorer who asked
    assert users["lanhdao"].notifications.count() == 1


def test_the_contributor_sees_the_notice_on_the_notifications_page(sent, client_for):
    page = client_for("congchuc").get("/accounts/notifications/")
    assert page.status_code == 200
    assert "1.1.1, 1.1.2" in page.content.decode()
