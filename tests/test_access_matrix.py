"""Role × unit matrix: who sees which units and drafts, in pages and in the API. Zero leaks, zero wrong refusals.

Targets: Hải Phòng (parent of the demo ward), Phường Hải An (own unit of the ward personas), its 2023
predecessor Đằng Lâm, a sibling ward (Hồng Bàng), Hà Nội and one of its wards (another province).
"""

import pytest
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TARGETS = ["31", "11413", "11413-2025", "11311", "01", "00004"]
CITY_SCOPE = {"31", "11413", "11413-2025", "11311"}
WARD_SCOPE = {"11413", "11413-2025"}
EXPECTED = {
    "quantri": set(TARGETS),
    "dieuphoi": CITY_SCOPE,
    "chamdiem": CITY_SCOPE,
    "thamdinh": CITY_SCOPE,
    "xem": CITY_SCOPE,
    "lanhdao": WARD_SCOPE,
    "daumoi": WARD_SCOPE,
    "congchuc": WARD_SCOPE,
    "nguoila": set(),
}
CASES = [(persona, target) for persona in EXPECTED for target in TARGETS]


@pytest.fixture
def login(users, stranger):
    everyone = {**users, "nguoila": stranger}

    def make(persona: str, api: bool = False):
        client = APIClient() if api else Client()
        client.force_login(everyone[persona])
        return client

    return make


@pytest.mark.parametrize(("persona", "target"), CASES)
def test_unit_page_visibility(login, persona, target):
    status = login(persona).get(f"/units/{target}/").status_code
    assert status == (200 if target in EXPECTED[persona] else 404)


@pytest.mark.parametrize(("persona", "target"), CASES)
def test_unit_api_visibility(login, persona, target):
    status = login(persona, api=True).get(f"/api/v1/units/{target}/").status_code
    assert status == (200 if target in EXPECTED[persona] else 404)


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_unit_list_api_contains_only_the_allowed_units(login, persona):
    client = login(persona, api=True)
    today = {u["key"] for u in client.get("/api/v1/units/", {"limit": 5000}).json()["results"]}
    in_2023 = {u["key"] for u in client.get("/api/v1/units/", {"limit": 5000, "date": "2023-06-01"}).json()["results"]}
    seen = (today | in_2023) & set(TARGETS)
    assert seen == EXPECTED[persona]


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_unit_browser_search_contains_only_the_allowed_units(login, persona):
    page = login(persona).get("/units/", {"q": "ha"})
    if not EXPECTED[persona]:
        assert page.context["page"].paginator.count == 0
    keys = {u.key for u in page.context["page"].paginator.object_list}
    assert not (keys & set(TARGETS)) - EXPECTED[persona]


def test_anonymous_users_see_no_unit(client):
    assert client.get("/units/31/").status_code == 302
    assert APIClient().get("/api/v1/units/").status_code in (401, 403)


DRAFT = "/catalogue/tcvn-iso-18091/hai-phong-2026/"
DRAFT_EXPECTED = {"quantri": 200, "dieuphoi": 200}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_local_draft_is_visible_to_its_owners_only(login, persona):
    assert login(persona).get(DRAFT).status_code == DRAFT_EXPECTED.get(persona, 404)
    api = login(persona, api=True).get("/api/v1/frameworks/tcvn-iso-18091/versions/hai-phong-2026/")
    assert api.status_code == DRAFT_EXPECTED.get(persona, 404)


@pytest.mark.parametrize("persona", [*EXPECTED, None])
def test_issued_version_is_readable_by_everyone(login, client, persona):
    http = login(persona) if persona else client
    assert http.get("/catalogue/tcvn-iso-18091/2020/").status_code == 200


PEOPLE_EXPECTED = {"quantri": 200, "dieuphoi": 200}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_people_management_is_for_admins_and_coordinators(login, persona):
    assert login(persona).get("/people/").status_code == PEOPLE_EXPECTED.get(persona, 404)
