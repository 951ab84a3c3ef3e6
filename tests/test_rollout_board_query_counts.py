"""The board, its export and a unit's entry cost the same number of queries for 2 units as for every commune of
Hải Phòng, with units spread over every phase and every gate computed."""

from __future__ import annotations

import datetime as dt

import pytest
from assessment_fixtures import module_campaign
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rollout_board_fixtures import OWN, SIBLING, make_rollout

from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import RolloutUnit
from tincay.rollout.services import phases

pytestmark = pytest.mark.django_db
PHASES = ["preparation", "training", "self_assessment", "action_programme", "reporting"]


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "rollout-queries", {"own": OWN, "sibling": SIBLING}) as made:
        yield made


def _spread(rollout) -> None:
    for i, pk in enumerate(RolloutUnit.objects.filter(rollout=rollout).order_by("pk").values_list("pk", flat=True)):
        RolloutUnit.objects.filter(pk=pk).update(
            current_phase=PHASES[i % 5], phase_since=dt.date(2026, 1, 5) + dt.timedelta(days=i % 90)
        )


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["dieuphoi", "xem"])
def test_board_export_and_entry_queries_do_not_grow_with_units(users, client_for, campaign, persona):
    communes = AdminUnit.objects.filter(path__startswith="31/", level="commune", valid_to__isnull=True)
    five = [OWN, SIBLING, *communes.exclude(key__in=[OWN, SIBLING]).order_by("key").values_list("key", flat=True)[:3]]
    small = make_rollout(users, "nho", campaign=campaign, keys=five)  # one unit in each phase: every gate computed
    _spread(small)
    big = make_rollout(users, "lon", campaign=campaign)
    more = communes.exclude(key__in=[OWN, SIBLING])
    phases.rollout_add_units(actor=users["dieuphoi"], rollout=big, units=list(more), on=dt.date(2026, 1, 5))
    _spread(big)
    assert RolloutUnit.objects.filter(rollout=big).count() > 100
    client = client_for(persona)
    for suffix in ("", "?stuck=1", "?phase=training&q=hai", "export.csv", f"units/{OWN}/"):
        few = _count(client, f"/rollout/nho/{suffix}")
        many = _count(client, f"/rollout/lon/{suffix}")
        assert many <= few <= 25, (suffix, few, many)  # an empty page skips its gate queries
