"""The effectiveness page and the unit's cycle page read a fixed number of queries whatever the number of actions,
linked criteria and indicators, areas and verdicts (pinned)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.improvement_effectiveness_fixtures import make_programme, two_campaigns
from tincay.improvement.models import Action, ActionVerdict, ImprovementArea

pytestmark = pytest.mark.django_db

EFFECTIVENESS_QUERIES = 21
CYCLE_QUERIES = 28


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with two_campaigns(django_db_blocker, "hq-truy-van") as data:
        yield data


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(programme, pair) -> None:
    """Seven more actions, each linked to every chosen criterion and its indicator, half with verdicts; every
    chosen criterion an area to improve, selected."""
    criteria = list(pair.criteria.values())
    for number in range(2, 9):
        action = Action.objects.create(
            programme=programme, number=number, title=f"Nhiệm vụ {number}", deadline=dt.date(2026, 1, 1)
        )
        action.criteria.set(criteria)
        action.indicators.set([c.indicator for c in criteria])
        if number % 2:
            ActionVerdict.objects.create(
                action=action, next_assessment=pair.second, verdict="partly", note="Một phần.", outcomes={}
            )
    for rank, criterion in enumerate(criteria, start=1):
        area = ImprovementArea.objects.create(
            assessment=pair.first,
            indicator=criterion.indicator,
            criterion=criterion,
            rank=rank,
            selected=True,
            stage="short" if rank % 2 else "medium",
        )
        programme.actions.get(number=2).areas.add(area)


@pytest.mark.parametrize("page", ["effectiveness", "cycle"])
def test_query_count_does_not_grow_with_the_data(client_for, pair, page):
    programme = make_programme(pair.first, [([pair.criteria["c_up"]], [])])
    url = (
        f"/improvement/programmes/{programme.pk}/effectiveness/"
        if page == "effectiveness"
        else f"/improvement/units/{pair.first.unit.key}/cycle/"
    )
    client = client_for("dieuphoi")
    client.get(url)  # scores refreshed, caches that are not per request warmed
    small = _count(client, url)
    _grow(programme, pair)
    large = _count(client, url)
    assert large == small
    assert large <= (EFFECTIVENESS_QUERIES if page == "effectiveness" else CYCLE_QUERIES), large
