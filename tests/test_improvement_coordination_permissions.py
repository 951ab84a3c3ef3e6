"""Who sees the coordinator's view of programmes (page and CSV), role × unit: coordinators and viewers their subtree,
administrators everything, unit people and checkers a refusal, a coordinator elsewhere nothing of this campaign,
anonymous visitors the log-in page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.assessment_fixtures import module_campaign
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.services import membership_grant

pytestmark = pytest.mark.django_db
UNITS = {"own": "11413", "sibling": "11311", "other": "00004"}
PAGE = "/improvement/coordination/"
CSV = "/improvement/coordination/export.csv"
HAI_PHONG = {"11413", "11311"}

# persona → units seen (a set) or the refusal's status
MATRIX = {
    "quantri": set(UNITS.values()),
    "dieuphoi": HAI_PHONG,
    "xem": HAI_PHONG,  # the viewer reads
    "lanhdao": 403,
    "daumoi": 403,
    "congchuc": 403,
    "chamdiem": 403,
    "thamdinh": 403,
}


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "dieu-phoi-quyen", UNITS) as campaign:
        yield campaign


def coordinator_of(unit_key: str) -> Client:
    user = get_user_model().objects.create_user(f"dieuphoi-{unit_key}", password="Dieu-phoi-2026!")
    membership_grant(
        actor="tests", user=user, role="coordinator", unit=AdminUnit.objects.get(key=unit_key), subtree=True
    )
    client = Client()
    client.force_login(user)
    return client


def seen_on_page(response) -> set[str]:
    return {row.unit_key for row in response.context["view"].rows}


def seen_in_csv(response) -> set[str]:
    lines = response.content.decode("utf-8-sig").splitlines()[1:]
    return {line.split(",", 1)[0] for line in lines}


@pytest.mark.parametrize(("persona", "expected"), list(MATRIX.items()))
def test_page_matrix(client_for, campaign, persona, expected):
    response = client_for(persona).get(PAGE, {"campaign": campaign.code})
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert seen_on_page(response) == expected


@pytest.mark.parametrize(("persona", "expected"), list(MATRIX.items()))
def test_csv_matrix(client_for, campaign, persona, expected):
    response = client_for(persona).get(CSV, {"campaign": campaign.code})
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response.status_code == 200
        assert seen_in_csv(response) == expected


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_anonymous_is_sent_to_log_in(client, campaign, url):
    response = client.get(url, {"campaign": campaign.code})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_signed_in_without_a_role_is_refused(stranger, campaign, url):
    client = Client()
    client.force_login(stranger)
    assert client.get(url, {"campaign": campaign.code}).status_code == 403


def test_coordinator_of_another_province_sees_only_its_own_unit(campaign):
    client = coordinator_of("01")  # Hà Nội
    response = client.get(PAGE, {"campaign": campaign.code})
    assert response.status_code == 200
    assert seen_on_page(response) == {"00004"}
    assert seen_in_csv(client.get(CSV, {"campaign": campaign.code})) == {"00004"}
    # asking for Hải Phòng's units narrows to nothing: the province is not on offer, and nothing leaks
    assert seen_on_page(client.get(PAGE, {"campaign": campaign.code, "province": "31"})) == {"00004"}


@pytest.mark.parametrize("url", [PAGE, CSV])
def test_coordinator_outside_the_campaign_gets_not_found(campaign, url):
    client = coordinator_of("22")  # Quảng Ninh: no unit in this campaign
    assert client.get(url, {"campaign": campaign.code}).status_code == 404
    assert client.get(url, {"campaign": "no-such-campaign"}).status_code == 404


def test_coordinator_without_any_campaign_sees_an_empty_page(campaign):
    response = coordinator_of("22").get(PAGE)
    assert response.status_code == 200 and response.context["campaign"] is None


@pytest.mark.parametrize("persona", ["dieuphoi", "xem"])
def test_the_view_only_reads(client_for, campaign, persona):
    assert client_for(persona).post(PAGE, {"campaign": campaign.code}).status_code == 405
    assert client_for(persona).post(CSV, {"campaign": campaign.code}).status_code == 405
