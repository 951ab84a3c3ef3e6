"""Citizens find a unit by name without diacritics, and a unit's public page links the units it came from and the
units it became (the 2025 merges), in a fixed number of queries."""

from __future__ import annotations

import pytest

from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db
DANG_LAM_2023 = "11413-2025"  # the pilot ward until 30/06/2025
HAI_AN = "11413"  # today's ward it became part of


def test_search_without_diacritics_finds_the_published_unit(client):
    page = client.get("/public/tim-kiem/", {"q": "hoang van thu"})
    assert page.status_code == 200
    found = page.context["found"].units
    assert found and all("Hoàng Văn Thụ" in u.name for u in found)
    assert any(u.assessments.filter(state="published").exists() for u in found)
    body = page.content.decode()
    for unit in found:
        assert f'href="/public/units/{unit.key}/"' in body


def test_search_lists_only_units_with_a_public_page_and_counts_the_others(client):
    page = client.get("/public/tim-kiem/", {"q": "dang lam"})
    keys = [u.key for u in page.context["found"].units]
    assert DANG_LAM_2023 in keys
    for key in keys:
        assert client.get(f"/public/units/{key}/").status_code == 200
    other = client.get("/public/tim-kiem/", {"q": "ha noi"}).context["found"]
    assert other.units == [] and other.without_page > 0  # Hà Nội exists, nothing of it is published


def test_an_exact_name_ranks_first(client):
    found = client.get("/public/tim-kiem/", {"q": "Phường Đằng Lâm"}).context["found"].units
    assert found[0].name == "Phường Đằng Lâm"


@pytest.mark.parametrize("query", ["", "   ", "x" * 5000, "'; DROP TABLE x; --", "%", "<script>", "1.1"])
def test_odd_searches_answer_a_page(client, query):
    page = client.get("/public/tim-kiem/", {"q": query})
    assert page.status_code == 200
    assert "<script>" not in page.content.decode().split("</header>")[-1].replace('<script src="', "")
    assert len(page.context["found"].query) <= 100


def test_portal_pages_carry_the_search_box(client):
    for url in ("/public/", "/public/units/11413/", "/public/phuong-phap/"):
        assert 'action="/public/tim-kiem/"' in client.get(url).content.decode()


def test_predecessor_links_to_its_successor_and_back(client):
    old = client.get(f"/public/units/{DANG_LAM_2023}/")
    assert old.status_code == 200
    became = [u for entry in old.context["became"] for u, public in entry.units if public]
    assert HAI_AN in [u.key for u in became]
    assert f'href="/public/units/{HAI_AN}/"' in old.content.decode()

    new = client.get(f"/public/units/{HAI_AN}/")
    came_from = [(u.key, public) for entry in new.context["came_from"] for u, public in entry.units]
    assert (DANG_LAM_2023, True) in came_from
    assert f'href="/public/units/{DANG_LAM_2023}/"' in new.content.decode()


def test_predecessors_without_a_public_page_are_named_not_linked(client):
    page = client.get(f"/public/units/{HAI_AN}/")
    body = page.content.decode()
    for entry in page.context["came_from"]:
        for unit, public in entry.units:
            assert unit.name in body
            if not public:
                assert f'href="/public/units/{unit.key}/"' not in body
                assert not AdminUnit.objects.filter(pk=unit.pk, assessments__state="published").exists()


def test_search_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.get("/public/tim-kiem/", {"q": "hai"})
    with django_assert_num_queries(6):
        client.get("/public/tim-kiem/", {"q": "hai"})
    with django_assert_num_queries(6):
        client.get("/public/tim-kiem/", {"q": "phuong"})
