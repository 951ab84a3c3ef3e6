"""The list of programmes comes a page at a time: a national role sees every unit's programme."""

from __future__ import annotations

import re

import pytest

from tincay.improvement.models import Programme
from tincay.improvement.selectors import programmes as selectors

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    table = html.split('id="programme-list"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/improvement/programmes/(\d+)/"', table)


def test_the_list_is_paged_newest_first(client_for, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    total = Programme.objects.count()
    assert total > 10  # the demo's pilot programmes
    client = client_for("quantri")
    first = client.get("/improvement/").content.decode()
    pages = -(-total // 5)
    assert len(_rows(first)) == 5 and f"1 / {pages}" in first
    last = client.get(f"/improvement/?page={pages}").content.decode()
    assert len(_rows(last)) == total - 5 * (pages - 1)
    seen = [pk for n in range(1, pages + 1) for pk in _rows(client.get(f"/improvement/?page={n}").content.decode())]
    newest_first = Programme.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
    assert [int(pk) for pk in seen] == list(newest_first)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 40])
def test_a_page_out_of_range_or_not_a_number_shows_a_page(client_for, monkeypatch, page):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    response = client_for("quantri").get(f"/improvement/?page={page}")
    assert response.status_code == 200 and len(_rows(response.content.decode())) >= 1


def test_the_page_costs_the_same_queries_whatever_the_page(client_for, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 5)
    client = client_for("quantri")
    client.get("/improvement/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get("/improvement/")
    with CaptureQueriesContext(connection) as second:
        client.get("/improvement/?page=2")
    assert len(first) == len(second)
