"""The comparison and the training pages keep a constant number of queries whatever the number of units,
questions, answers and attendees (pinned)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.rollout_preparation_fixtures import full_answers, make_rollout
from tincay.rollout.models import RolloutUnit
from tincay.rollout.services import preparation as services

pytestmark = pytest.mark.django_db

# queries per page and reader: session, user, scopes, the rollout, access checks, then the page's own reads
PINNED = {
    "dieuphoi": {"survey/compare/": 18, "training/": 22, "session": 20},
    "lanhdao": {"survey/compare/": 10, "training/": 11, "session": 13},
}


def fill(users, rollout, *, attendees_per_unit):
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    entries = list(RolloutUnit.objects.filter(rollout=rollout).select_related("rollout", "unit"))
    for entry in entries:
        services.survey_answers_save(actor="tests", entry=entry, answers=full_answers(), submit=True)
    session = services.training_session_create(
        actor="tests",
        rollout=rollout,
        units=[e.unit for e in entries],
        held_on=dt.date(2026, 3, 20),
        trainer="Chi cục",
        topic="ISO 18091",
        level="basic",
    )
    for entry in entries:
        for n in range(attendees_per_unit):
            services.attendance_add(actor="tests", session=session, name=f"Người {n}", unit=entry.unit)
    return session


def count(client, url):
    client.get(url)  # warm caches that are not per request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["dieuphoi", "lanhdao"])
def test_pages_keep_a_constant_number_of_queries(client_for, users, who):
    small = make_rollout("hp-nho")
    small_session = fill(users, small, attendees_per_unit=1)
    large = make_rollout("hp-lon", extra=8)
    large_session = fill(users, large, attendees_per_unit=4)
    client = client_for(who)
    found = {}
    for page in ("survey/compare/", "training/"):
        found[page] = (count(client, f"/rollout/{small.code}/{page}"), count(client, f"/rollout/{large.code}/{page}"))
    found["session"] = (
        count(client, f"/rollout/{small.code}/training/{small_session.pk}/"),
        count(client, f"/rollout/{large.code}/training/{large_session.pk}/"),
    )
    assert all(few == many for few, many in found.values()), found
    assert {page: many for page, (_few, many) in found.items()} == PINNED[who]
