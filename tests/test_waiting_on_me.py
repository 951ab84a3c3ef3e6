"""The home page lists what waits on each person, soonest deadline first, overdue flagged: a contributor's
unfinished indicators, the focal point's draft to submit, the leader's submission to approve, the scorer's
assessments to score, the council's to appraise, the coordinator's results to publish and units late; nothing
for a viewer. The list costs a fixed number of queries whatever the number of campaigns and units."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from tests.assessment_fixtures import DEADLINES, module_campaign
from tincay.assessments.models import Assessment, IndicatorAssignment
from tincay.assessments.waiting import waiting_on

pytestmark = pytest.mark.usefixtures("english")

CODE = "dang-cho-toi"
BEFORE = DEADLINES["self_assessment_due"] - dt.timedelta(days=10)
AFTER = DEADLINES["self_assessment_due"] + dt.timedelta(days=1)


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, CODE, {"own": "11413", "sibling": "11311"}) as campaign:
        yield campaign


@pytest.fixture
def own(campaign):
    return campaign.assessments.select_related("campaign__version", "unit").get(unit__key="11413")


def _fresh(username: str):
    return get_user_model().objects.get(username=username)  # scopes and caches read anew, as in a request


def _mine(items, campaign):
    return [i for i in items if i.campaign == campaign.title_vi and (CODE in i.url or "/assessments/" in i.url)]


def _set(assessment, state):
    Assessment.objects.filter(pk=assessment.pk).update(state=state)


@pytest.mark.django_db
def test_the_contributor_sees_unfinished_indicators_given_to_them_or_their_department(campaign, own, users):
    version = own.campaign.version
    IndicatorAssignment.objects.create(
        assessment=own, indicator=version.indicators.get(code="2.8"), assignee=users["congchuc"]
    )
    department = users["congchuc"].memberships.get(unit__key="11413").department
    IndicatorAssignment.objects.create(
        assessment=own, indicator=version.indicators.get(code="1.1"), department=department
    )
    items = _mine(waiting_on(_fresh("congchuc"), today=BEFORE), campaign)
    assert sorted(i.action for i in items) == ["Fill in indicator 1.1", "Fill in indicator 2.8"]
    assert all(i.due == DEADLINES["self_assessment_due"] and not i.overdue for i in items)
    own.results.filter(criterion__indicator__code="2.8").update(self_level="green")  # 2.8 complete
    assert [i.action for i in _mine(waiting_on(_fresh("congchuc"), today=AFTER), campaign)] == ["Fill in indicator 1.1"]
    assert _mine(waiting_on(_fresh("congchuc"), today=AFTER), campaign)[0].overdue


@pytest.mark.django_db
def test_the_focal_point_has_the_draft_to_submit_and_the_leader_the_submission(campaign, own):
    assert [(i.action, i.what) for i in _mine(waiting_on(_fresh("daumoi"), today=BEFORE), campaign)] == [
        ("Submit to the leader", "Phường Hải An")
    ]
    assert _mine(waiting_on(_fresh("lanhdao"), today=BEFORE), campaign) == []
    _set(own, "submitted")
    assert _mine(waiting_on(_fresh("daumoi"), today=BEFORE), campaign) == []
    assert [i.action for i in _mine(waiting_on(_fresh("lanhdao"), today=BEFORE), campaign)] == [
        "Approve and send for scoring"
    ]
    _set(own, "clarification")
    for persona in ("daumoi", "lanhdao"):
        assert [i.action for i in _mine(waiting_on(_fresh(persona), today=BEFORE), campaign)] == [
            "Answer the clarification questions"
        ]


@pytest.mark.django_db
def test_the_scorer_has_only_the_units_given_to_them(campaign, own):
    sibling = campaign.assessments.get(unit__key="11311")
    _set(own, "scoring")
    _set(sibling, "scoring")  # not chamdiem's unit
    items = _mine(waiting_on(_fresh("chamdiem"), today=BEFORE), campaign)
    assert [(i.action, i.what, i.due) for i in items] == [("Score", "Phường Hải An", DEADLINES["scoring_due"])]


@pytest.mark.django_db
def test_the_council_appraises_scored_assessments(campaign, own):
    _set(own, "scored")
    _set(campaign.assessments.get(unit__key="11311"), "appraisal")
    items = _mine(waiting_on(_fresh("thamdinh"), today=BEFORE), campaign)
    assert sorted((i.action, i.what) for i in items) == [
        ("Appraise and approve", "Phường Hồng Bàng"),
        ("Start the appraisal", "Phường Hải An"),
    ]


@pytest.mark.django_db
def test_the_coordinator_publishes_and_follows_up_late_units(campaign, own):
    _set(own, "approved")
    items = [i for i in waiting_on(_fresh("dieuphoi"), today=AFTER) if CODE in i.url]
    assert sorted((i.action, i.what, i.overdue) for i in items) == [
        ("Follow up the units that are late", "1 unit late", True),  # Hồng Bàng, still a draft
        ("Publish the approved results", "1 unit approved", False),
    ]
    assert not [i for i in waiting_on(_fresh("dieuphoi"), today=BEFORE) if CODE in i.url and "late" in i.action]


@pytest.mark.django_db
def test_the_viewer_has_nothing_waiting(campaign):
    assert waiting_on(_fresh("xem"), today=AFTER) == []


@pytest.mark.django_db
def test_overdue_comes_first_then_the_soonest_deadline(campaign, own, users):
    _set(own, "clarification")
    items = waiting_on(_fresh("dieuphoi"), today=AFTER) + waiting_on(_fresh("daumoi"), today=AFTER)
    for persona in ("dieuphoi", "daumoi", "lanhdao", "chamdiem", "thamdinh"):
        dues = [i.due for i in waiting_on(_fresh(persona), today=AFTER)]
        assert dues == sorted(dues, key=lambda d: (d is None, d or dt.date.max))
    assert items


@pytest.mark.django_db
def test_many_units_of_one_step_become_one_line(campaign, users):
    campaign.assessments.update(state="scored")
    from tincay.assessments import waiting

    original = waiting.GROUP_ABOVE
    waiting.GROUP_ABOVE = 1
    try:
        items = _mine(waiting_on(_fresh("thamdinh"), today=BEFORE), campaign)
    finally:
        waiting.GROUP_ABOVE = original
    assert [(i.action, i.what) for i in items] == [("Start the appraisal", "2 units")]
    assert items[0].url == f"/campaigns/{CODE}/"


@pytest.mark.django_db
def test_the_home_page_shows_the_list(client_for, campaign):
    page = client_for("daumoi").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting on you" in page and "Submit to the leader" in page
    assert "Nothing is waiting on you" in client_for("xem").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


# user + memberships (scopes) + indicators + assessments; coordinators: + the lineage walk of their reach
# (cached for the request: the home page's other lists reuse it) + campaigns
QUERIES = {"congchuc": 4, "daumoi": 4, "lanhdao": 4, "chamdiem": 4, "thamdinh": 4, "xem": 4, "dieuphoi": 8}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "queries"), list(QUERIES.items()))
def test_the_list_costs_a_fixed_number_of_queries(campaign, persona, queries, django_assert_num_queries):
    with django_assert_num_queries(queries):
        waiting_on(_fresh(persona), today=AFTER)


HOME = {"congchuc": 11, "daumoi": 11, "thamdinh": 9, "xem": 12, "dieuphoi": 13}


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "queries"), list(HOME.items()))
def test_the_home_page_query_count_is_pinned(client_for, campaign, persona, queries, django_assert_num_queries):
    client = client_for(persona)
    client.get("/")  # warm caches that are not per request
    with django_assert_num_queries(queries):
        assert client.get("/").status_code == 200
