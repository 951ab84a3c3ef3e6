"""Role × unit over the issue 10 API: every persona gets from each read endpoint the answer the matching page gives
(200, 403 or 404), and each write endpoint answers 404 when the thing is not visible, 403 when it is not theirs to
change, and reaches the service's checks (here a 400 for an empty body, so nothing is stored) when it is."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.improvement_programme_fixtures import (
    final_campaign,
    make_programme,
    own_assessment,
    sibling_assessment,
)
from tests.rollout_board_fixtures import OWN, SIBLING, make_rollout
from tincay.improvement.models import Programme
from tincay.rollout.models import Rollout

pytestmark = pytest.mark.django_db

PEOPLE = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem", None]


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    from django.contrib.auth import get_user_model

    with final_campaign(django_db_blocker, "api10-permissions") as campaign:
        with django_db_blocker.unblock():
            users = {u.username: u for u in get_user_model().objects.filter(username__in=PEOPLE[:-1])}
            own = make_programme(own_assessment(campaign), n_actions=1)
            sibling = make_programme(
                sibling_assessment(campaign), n_actions=1, actor="quantri", department=None, responsible=None
            )
            rollout = make_rollout(users, code="api10-perm")
        try:
            yield {
                "campaign": campaign,
                "own": own,
                "action": own.actions.get(),
                "sibling": sibling,
                "sibling_action": sibling.actions.get(),
                "rollout": rollout,
            }
        finally:
            with django_db_blocker.unblock():
                Rollout.objects.filter(pk=rollout.pk).delete()
                Programme.objects.filter(pk__in=[own.pk, sibling.pk]).delete()


@pytest.fixture
def client_of(client_for, stranger):
    def make(who):
        if who is None:
            client = Client()
            client.force_login(stranger)
            return client
        return client_for(who)

    return make


def _pairs(data):
    own, sibling, rollout = data["own"], data["sibling"], data["rollout"]
    code = rollout.code
    return [
        (f"/improvement/programmes/{own.pk}/", f"/api/v1/programmes/{own.pk}/"),
        (f"/improvement/programmes/{sibling.pk}/", f"/api/v1/programmes/{sibling.pk}/"),
        (f"/improvement/actions/{data['action'].pk}/", f"/api/v1/actions/{data['action'].pk}/"),
        (f"/improvement/actions/{data['sibling_action'].pk}/", f"/api/v1/actions/{data['sibling_action'].pk}/"),
        (f"/improvement/programmes/{own.pk}/versions/", f"/api/v1/programmes/{own.pk}/versions/"),
        (f"/improvement/programmes/{own.pk}/effectiveness/", f"/api/v1/programmes/{own.pk}/effectiveness/"),
        (f"/improvement/assessments/{own.assessment_id}/areas/", f"/api/v1/assessments/{own.assessment_id}/areas/"),
        (
            f"/improvement/assessments/{sibling.assessment_id}/areas/",
            f"/api/v1/assessments/{sibling.assessment_id}/areas/",
        ),
        (
            f"/improvement/coordination/?campaign={data['campaign'].code}",
            f"/api/v1/coordination/?campaign={data['campaign'].code}",
        ),
        ("/improvement/reminders/", "/api/v1/reminder-rules/"),
        ("/improvement/reminders/log/", "/api/v1/reminders/"),
        (f"/rollout/{code}/", f"/api/v1/rollouts/{code}/"),
        (f"/rollout/{code}/units/{OWN}/", f"/api/v1/rollouts/{code}/units/{OWN}/"),
        (f"/rollout/{code}/units/{SIBLING}/", f"/api/v1/rollouts/{code}/units/{SIBLING}/"),
        (f"/rollout/{code}/units/{OWN}/survey/", f"/api/v1/rollouts/{code}/units/{OWN}/survey/"),
        (f"/rollout/{code}/survey/compare/", f"/api/v1/rollouts/{code}/survey/compare/"),
        (f"/rollout/{code}/training/", f"/api/v1/rollouts/{code}/training/"),
    ]


@pytest.mark.parametrize("who", PEOPLE)
def test_reads_answer_as_the_pages_do(data, client_of, who):
    client = client_of(who)
    differences = []
    for page, endpoint in _pairs(data):
        expected, got = client.get(page).status_code, client.get(endpoint).status_code
        if expected != got:
            differences.append((page, expected, endpoint, got))
    assert differences == []


SEES_OWN = {"quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"}
DRAFTS = {"quantri", "lanhdao", "daumoi"}
APPROVES = {"quantri", "lanhdao"}
POSTS = {"quantri", "lanhdao", "daumoi", "congchuc"}  # congchuc: responsible for the action
SEES_ROLLOUT = {"quantri", "dieuphoi", "xem", "lanhdao", "daumoi", "congchuc"}
MANAGES_ROLLOUT = {"quantri", "dieuphoi"}
ANSWERS_SURVEY = {"quantri", "dieuphoi", "lanhdao", "daumoi"}
MANAGES_RULES = {"quantri"}


def _expected(who, allowed, visible):
    if who not in visible:
        return 404
    return 400 if who in allowed else 403


@pytest.mark.parametrize("who", PEOPLE)
def test_writes_refuse_by_role_and_unit(data, client_of, who):
    client = client_of(who)
    own, action, code = data["own"], data["action"], data["rollout"].code
    cases = [
        ("patch", f"/api/v1/programmes/{own.pk}/", DRAFTS, SEES_OWN),
        ("post", f"/api/v1/programmes/{own.pk}/approve/", APPROVES, SEES_OWN),
        ("post", f"/api/v1/programmes/{own.pk}/actions/", DRAFTS, SEES_OWN),
        ("patch", f"/api/v1/actions/{action.pk}/", DRAFTS, SEES_OWN),
        ("post", f"/api/v1/actions/{action.pk}/cancel/", DRAFTS, SEES_OWN),
        ("post", f"/api/v1/actions/{action.pk}/progress/", POSTS, SEES_OWN),
        ("post", f"/api/v1/rollouts/{code}/units/{OWN}/phase/", MANAGES_ROLLOUT, SEES_ROLLOUT),
        ("post", f"/api/v1/rollouts/{code}/units/{OWN}/skip/", MANAGES_ROLLOUT, SEES_ROLLOUT),
        ("post", f"/api/v1/rollouts/{code}/units/{OWN}/gates/", MANAGES_ROLLOUT, SEES_ROLLOUT),
        ("post", f"/api/v1/rollouts/{code}/units/{OWN}/survey/", ANSWERS_SURVEY, SEES_ROLLOUT),
        ("post", f"/api/v1/rollouts/{code}/training/", MANAGES_ROLLOUT, SEES_ROLLOUT),
    ]
    wrong = []
    for method, url, allowed, visible in cases:
        got = getattr(client, method)(url, {}, content_type="application/json")
        expected = _expected(who, allowed, visible)
        body = got.json()
        if got.status_code != expected or set(body) < {"detail", "errors"}:
            wrong.append((method, url, expected, got.status_code))
    rules = client.post("/api/v1/reminder-rules/", {}, content_type="application/json").status_code
    if rules != (400 if who in MANAGES_RULES else 403):
        wrong.append(("post", "/api/v1/reminder-rules/", rules))
    assert wrong == []
    assert Programme.objects.get(pk=own.pk).revision == own.revision  # nothing stored


@pytest.mark.parametrize("who", PEOPLE)
def test_areas_suggest_by_role(data, client_of, who):
    """Suggesting areas is the unit's leader's and focal point's (and admins'); others visible get 403."""
    got = client_of(who).post(f"/api/v1/assessments/{data['own'].assessment_id}/areas/suggest/")
    if who in DRAFTS:
        assert got.status_code == 200
    elif who in SEES_OWN:
        assert got.status_code == 403
    else:
        assert got.status_code == 404
