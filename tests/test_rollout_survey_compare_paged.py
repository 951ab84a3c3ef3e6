"""The survey comparison scales to a national rollout: the totals per question are over every submitted unit the
reader sees, the side-by-side rows come 50 a page in unit order, filtered by name and by "submitted only"; a bad
page number falls back to a valid page on the web page and is a clear 400 on the API."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from tests.rollout_preparation_fixtures import HAI_AN, full_answers, make_rollout
from tincay.common.text import fold
from tincay.rollout.models import RolloutUnit
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services

pytestmark = pytest.mark.django_db

EXTRA = 53  # 55 units: a full page and five more


@pytest.fixture
def world(users):
    """55 units of Hải Phòng; three submitted (the demo ward and the last two, on page 2), one draft."""
    rollout = make_rollout("hp-so-sanh", extra=EXTRA)
    services.questionnaire_use_default(actor=users["dieuphoi"], rollout=rollout)
    entries = list(
        RolloutUnit.objects.filter(rollout=rollout).select_related("rollout", "unit").order_by("unit__sort_key")
    )
    assert len(entries) == EXTRA + 2 > selectors.PAGE_SIZE
    ward = next(e for e in entries if e.unit.key == HAI_AN)
    submitted = [ward, *(e for e in entries[-2:] if e != ward)][:3]
    for entry in submitted:
        services.survey_answers_save(actor="tests", entry=entry, answers=full_answers(), submit=True)
    draft = next(e for e in entries if e not in submitted)
    services.survey_answers_save(actor="tests", entry=draft, answers={"iso9001-status": "none"})
    return {"rollout": rollout, "entries": entries, "submitted": submitted, "draft": draft}


def row_keys(html: str) -> list[str]:
    """The unit codes of the side-by-side table's rows, in order."""
    return re.findall(r'<th scope="row"><a href="/rollout/[^/]+/units/([^/]+)/survey/"', html)


def page(client, world, query: str = "") -> str:
    response = client.get(f"/rollout/{world['rollout'].code}/survey/compare/{query}")
    assert response.status_code == 200
    return response.content.decode()


def api(users, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(users[who])
    return client


def test_rows_come_a_page_at_a_time_in_unit_order(client_for, world):
    keys = [e.unit.key for e in world["entries"]]
    client = client_for("dieuphoi")
    first = page(client, world)
    assert row_keys(first) == keys[: selectors.PAGE_SIZE]
    assert "55 đơn vị phù hợp." in first and "1 / 2" in first
    assert "?&amp;page=2" in first  # the pager
    second = page(client, world, "?page=2")
    assert row_keys(second) == keys[selectors.PAGE_SIZE :]


def test_totals_count_every_submitted_unit_not_only_the_page(client_for, users, world):
    first = page(client_for("dieuphoi"), world)
    assert "3/55 đơn vị đã gửi." in first  # over every visible unit
    assert "Đã áp dụng ISO điện tử" in first
    comparison = selectors.survey_comparison(world["rollout"], RolloutUnit.objects.filter(rollout=world["rollout"]))
    assert comparison.submitted == 3 and comparison.total == 55 and len(comparison.rows) == selectors.PAGE_SIZE
    on_page = {r.entry.pk for r in comparison.rows}
    assert [e for e in world["submitted"] if e.pk not in on_page]  # some submitted units are on page 2
    status = next(s for s in comparison.questions if s.question.key == "iso9001-status")
    assert {c.label: c.count for c in status.counts}["Đã áp dụng ISO điện tử"] == 3  # the draft's "none" is not
    assert {c.label: c.count for c in status.counts}["Chưa xây dựng"] == 0
    staff = next(s for s in comparison.questions if s.question.key == "staff-total")
    assert staff.total == "3750" and staff.answered == 3
    body = api(users, "dieuphoi").get(f"/api/v1/rollouts/{world['rollout'].code}/survey/compare/").json()
    assert (body["submitted"], body["total"], body["count"], body["page"], body["pages"]) == (3, 55, 55, 1, 2)
    assert len(body["rows"]) == selectors.PAGE_SIZE
    assert next(q for q in body["questions"] if q["key"] == "staff-total")["answered"] == 3


def test_the_name_filter_narrows_the_rows(client_for, users, world):
    client = client_for("dieuphoi")
    # every word, in any order, without diacritics: Phường Hải An and Phường An Hải
    both = [e.unit.key for e in world["entries"] if {"hai", "an"} <= set(fold(e.unit.name).split())]
    assert HAI_AN in both and 1 < len(both) < 10
    for query in ("?q=Hải+An", "?q=hai+an", "?q=HAI%20%20an"):
        found = page(client, world, query)
        assert row_keys(found) == both, query
        assert f"{len(both)} đơn vị phù hợp." in found and "3/55 đơn vị đã gửi." in found  # totals stay over all
    assert 'value="Hải An"' in page(client, world, "?q=Hải+An")
    by_code = page(client, world, f"?q={HAI_AN}")
    assert row_keys(by_code) == [HAI_AN] and "1 đơn vị phù hợp." in by_code
    nothing = page(client, world, "?q=khong-co-don-vi-nay")
    assert row_keys(nothing) == [] and "Không có đơn vị nào phù hợp." in nothing
    body = api(users, "dieuphoi").get(f"/api/v1/rollouts/{world['rollout'].code}/survey/compare/", {"q": HAI_AN})
    assert [r["unit"] for r in body.json()["rows"]] == [HAI_AN] and body.json()["count"] == 1
    assert body.json()["submitted"] == 3


def test_submitted_only_keeps_the_submitted_units(client_for, users, world, monkeypatch):
    submitted = sorted(world["submitted"], key=lambda e: e.unit.sort_key)
    client = client_for("dieuphoi")
    found = page(client, world, "?submitted=1")
    assert row_keys(found) == [e.unit.key for e in submitted]
    assert 'id="f-submitted" name="submitted" value="1" checked' in found
    assert "Chỉ đơn vị đã gửi" in found and world["draft"].unit.key not in row_keys(found)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    paged = page(client, world, "?submitted=1")
    assert row_keys(paged) == [e.unit.key for e in submitted[:2]]
    assert "?submitted=1&amp;page=2" in paged  # the pager keeps the filters
    body = api(users, "dieuphoi").get(
        f"/api/v1/rollouts/{world['rollout'].code}/survey/compare/", {"submitted": "1", "page": "2"}
    )
    assert [r["unit"] for r in body.json()["rows"]] == [submitted[2].unit.key]
    assert (body.json()["count"], body.json()["page"], body.json()["pages"]) == (3, 2, 2)


def test_a_bad_page_falls_back_on_the_web_and_is_refused_by_the_api(client_for, users, world):
    keys = [e.unit.key for e in world["entries"]]
    client = client_for("dieuphoi")
    assert row_keys(page(client, world, "?page=abc")) == keys[: selectors.PAGE_SIZE]
    assert row_keys(page(client, world, "?page=99999")) == keys[selectors.PAGE_SIZE :]
    assert row_keys(page(client, world, "?page=-1")) == keys[selectors.PAGE_SIZE :]
    url = f"/api/v1/rollouts/{world['rollout'].code}/survey/compare/"
    for bad in ("abc", "0", "-1", "1.5", "１"):
        response = api(users, "dieuphoi").get(url, {"page": bad})
        assert response.status_code == 400, bad
        assert "số nguyên từ 1" in response.json()["errors"]["page"][0]
    assert api(users, "dieuphoi").get(url, {"page": "99999"}).json()["page"] == 2  # past the end: the last page
    assert api(users, "dieuphoi").get(url, {"q": "x\x00"}).status_code == 400
    assert api(users, "dieuphoi").get(url, {"submitted": "maybe"}).status_code == 400


def test_readers_see_what_they_saw_before(client_for, users, world):
    viewer = page(client_for("xem"), world)
    assert row_keys(viewer) == [e.unit.key for e in world["entries"]][: selectors.PAGE_SIZE]
    assert "3/55 đơn vị đã gửi." in viewer
    own = page(client_for("lanhdao"), world)
    assert row_keys(own) == [HAI_AN] and "1/1 đơn vị đã gửi." in own
    assert row_keys(page(client_for("lanhdao"), world, "?" + urlencode({"q": world["draft"].unit.name}))) == []
    body = api(users, "lanhdao").get(f"/api/v1/rollouts/{world['rollout'].code}/survey/compare/").json()
    assert (body["submitted"], body["total"], body["count"]) == (1, 1, 1)
    assert [r["unit"] for r in body["rows"]] == [HAI_AN]
