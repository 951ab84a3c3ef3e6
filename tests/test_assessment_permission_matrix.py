"""Role × {own unit, parent, sibling, other province} × every state × every transition and read.

Places are named from the ward personas' side: Hải An is their own unit and a *child* of Hải Phòng, the own
unit of the city-level personas (coordinator, viewer, scorer and council memberships); Hồng Bàng is a sibling
ward; a Hà Nội ward is another province.

The oracle below is written out by hand from DESIGN.md §1 and §5; the code must agree with it exactly:
zero leaks, zero wrong refusals. Reads are checked through the pages and the API, transitions through the
decision function and, at each action's own source state, through the page that performs it.
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.assessment_fixtures import UNITS, complete, make_campaign, open_question
from tincay.assessments.access import actor_for
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Clarification
from tincay.assessments.workflow import BY_ACTION, actions_for

pytestmark = pytest.mark.django_db
PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem", "nguoila"]
PLACES = list(UNITS)  # own, parent, sibling, other
CITY = {"own", "parent", "sibling"}
ALL = set(PLACES)


def can_read(persona: str, place: str, state: str) -> bool:
    if persona == "quantri":
        return True
    if persona == "dieuphoi":
        return place in CITY
    if persona in ("lanhdao", "daumoi", "congchuc", "chamdiem"):
        return place == "own"
    if persona == "thamdinh":
        return True  # the council sees every assessment of its campaign
    if persona == "xem":
        return place in CITY  # viewers follow campaigns in progress in their scope, read only
    return False


def allowed(persona: str, place: str) -> set[str]:
    """Actions a persona may take on the assessment at ``place`` (in the action's source state)."""
    council = {"start_appraisal", "approve", "publish"} if place != "parent" else set()  # thamdinh belongs to 31
    coordinator = {"start_appraisal", "publish", "reopen"}
    return {
        "quantri": coordinator,
        "dieuphoi": coordinator if place in CITY else set(),
        "lanhdao": {"approve_submission", "return_submission", "answer_clarification"} if place == "own" else set(),
        "daumoi": {"submit", "return_submission", "answer_clarification"} if place == "own" else set(),
        "congchuc": set(),
        "chamdiem": {"request_clarification", "finish_scoring"} if place == "own" else set(),
        "thamdinh": council,
        "xem": set(),
        "nguoila": set(),
    }[persona]


@pytest.fixture
def world(users, stranger):
    everyone = {**users, "nguoila": stranger}
    campaign = make_campaign(users)
    assessments = {place: Assessment.objects.get(campaign=campaign, unit__key=key) for place, key in UNITS.items()}
    return everyone, assessments


def test_decisions_match_the_oracle_in_every_state(world):
    everyone, assessments = world
    for persona in PERSONAS:
        for place, assessment in assessments.items():
            actor = actor_for(everyone[persona], assessment)
            for state in State.values:
                got = {t.action for t in actions_for(actor, state)}
                expected = {a for a in allowed(persona, place) if state in BY_ACTION[a].sources}
                assert got == expected, (persona, place, state)


@pytest.mark.parametrize("state", State.values)
def test_reads_match_the_oracle_in_pages_and_api(world, state):
    everyone, assessments = world
    Assessment.objects.filter(pk__in=[a.pk for a in assessments.values()]).update(state=state)
    for persona in PERSONAS:
        page, api = Client(), APIClient()
        page.force_login(everyone[persona])
        api.force_authenticate(everyone[persona])
        for place, assessment in assessments.items():
            expected = 200 if can_read(persona, place, state) else 404
            assert page.get(f"/assessments/{assessment.pk}/").status_code == expected, (persona, place, state)
            assert api.get(f"/api/v1/assessments/{assessment.pk}/").status_code == expected, (persona, place, state)


def _prepare(assessment, action, users):
    source = sorted(BY_ACTION[action].sources)[0]
    complete(assessment, submitted_by=users["daumoi"])
    if action == "request_clarification":
        open_question(assessment, users["chamdiem"])
    if action == "answer_clarification":
        open_question(assessment, users["chamdiem"], answered=True)
    Assessment.objects.filter(pk=assessment.pk).update(state=source)


@pytest.mark.parametrize("action", list(BY_ACTION))
def test_transitions_through_the_pages_match_the_oracle(world, action):
    everyone, assessments = world
    for persona in PERSONAS:
        client = Client()
        client.force_login(everyone[persona])
        for place, assessment in assessments.items():
            _prepare(assessment, action, everyone)
            client.post(f"/assessments/{assessment.pk}/transition/", {"action": action, "reason": "Kiểm thử"})
            assessment.refresh_from_db()
            moved = assessment.state == BY_ACTION[action].target
            assert moved == (action in allowed(persona, place)), (persona, place, action)
            Clarification.objects.filter(result__assessment=assessment).delete()


@pytest.mark.parametrize("action", list(BY_ACTION))
def test_transitions_through_the_api_match_the_oracle(world, action):
    everyone, assessments = world
    for persona in PERSONAS:
        api = APIClient()
        api.force_authenticate(everyone[persona])
        for place, assessment in assessments.items():
            _prepare(assessment, action, everyone)
            response = api.post(
                f"/api/v1/assessments/{assessment.pk}/transitions/", {"action": action, "reason": "API"}
            )
            assessment.refresh_from_db()
            moved = assessment.state == BY_ACTION[action].target
            assert moved == (action in allowed(persona, place)), (persona, place, action, response.status_code)
            if not moved:
                assert response.status_code in (403, 404)
            Clarification.objects.filter(result__assessment=assessment).delete()
