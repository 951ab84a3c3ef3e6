"""Pages keep a constant number of queries whatever the data size (pinned)."""

import pytest

pytestmark = pytest.mark.django_db

# session + user + memberships (scopes) are part of every signed-in page
PAGES = {
    "/catalogue/": 6,
    "/catalogue/tcvn-iso-18091/2020/": 7,
    "/catalogue/tcvn-iso-18091/2020/indicators/4.6/": 8,
    "/units/": 6,
    "/units/?q=hai": 6,
    "/units/?date=01/06/2023": 7,
    "/units/31-2025/children/?date=01/06/2023": 6,
    "/units/31/": 17,
    "/units/11413-2025/": 17,
    "/people/": 7,
}


@pytest.mark.parametrize(("url", "queries"), list(PAGES.items()))
def test_page_query_count_is_pinned(client_for, django_assert_num_queries, url, queries):
    client = client_for("quantri")
    client.get(url)  # warm caches that are not per request
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_unit_list_api_query_count_does_not_grow_with_page_size(users, django_assert_max_num_queries):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(users["quantri"])
    with django_assert_max_num_queries(4):
        client.get("/api/v1/units/", {"limit": 10})
    with django_assert_max_num_queries(4):
        client.get("/api/v1/units/", {"limit": 3000})


def test_version_api_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/frameworks/tcvn-iso-18091/versions/2020/")
