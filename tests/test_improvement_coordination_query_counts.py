"""The coordinator's view of programmes (page and CSV) reads a fixed number of queries: the same with 2 units as with
20 units × 10 actions each (and their areas)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment_fixtures import DEADLINES
from tests.coordination_fixtures import FUTURE, PAST, A, add_programme
from tincay.assessments.models import Assessment, Campaign
from tincay.catalogue.selectors import version_by_ref
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db
PAGE = "/improvement/coordination/"
CSV = "/improvement/coordination/export.csv"
# session, user, memberships, the reach's lineage walk (3 for Hải Phòng's history), campaigns, provinces, peer
# groups, the actions' sums, the areas nobody acts on counted, the units, the idle areas' codes, unread notices
# (layout)
PINNED = 14

TEN = [
    A("in_progress", 10 * n, weight=1 + n % 3, deadline=PAST if n % 2 else FUTURE, budget=100_000 * n, areas=(0,))
    for n in range(1, 9)
] + [A("done", 100, deadline=PAST), A("cancelled", 0, deadline=PAST, areas=(1,))]


def campaign_of(code: str, units: list[AdminUnit]) -> Campaign:
    campaign = Campaign.objects.create(
        code=code, title_vi=code, year=2026, version=version_by_ref("tcvn-iso-18091", "2020"), **DEADLINES
    )
    for assessment in Assessment.objects.bulk_create(Assessment(campaign=campaign, unit=u) for u in units):
        add_programme(Assessment.objects.get(campaign=campaign, unit=assessment.unit), TEN, areas=3)
    return campaign


@pytest.fixture
def campaigns():
    communes = list(AdminUnit.objects.filter(parent__key="31", valid_to__isnull=True).order_by("key")[:20])
    assert len(communes) == 20
    return campaign_of("nho-ct", communes[:2]), campaign_of("lon-ct", communes)


def count(client, url: str, code: str) -> int:
    client.get(url, {"campaign": code})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"campaign": code})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["dieuphoi", "xem", "quantri"])
@pytest.mark.parametrize("url", [PAGE, CSV])
def test_same_queries_for_2_and_20_units(client_for, campaigns, persona, url):
    small, big = campaigns
    client = client_for(persona)
    assert count(client, url, small.code) == count(client, url, big.code) <= PINNED


def test_the_big_campaign_has_what_the_test_says(client_for, campaigns):
    _small, big = campaigns
    view = client_for("dieuphoi").get(PAGE, {"campaign": big.code}).context["view"]
    assert view.totals.units == 20 and view.totals.actions == 200
    assert view.totals.idle_areas == 20 * 2  # area 1 has only a cancelled action, area 2 none


def test_narrowed_page_is_pinned_too(client_for, campaigns):
    _small, big = campaigns
    client = client_for("dieuphoi")
    client.get(PAGE, {"campaign": big.code, "province": "31"})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, {"campaign": big.code, "province": "31", "page": "2"}).status_code == 200
    assert len(queries) <= PINNED
