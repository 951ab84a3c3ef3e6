"""The campaign board is narrowed (province, state, name, late) and paged, with the same queries on every page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment_fixtures import make_campaign
from tincay.assessments import selectors
from tincay.assessments.models import Assessment

pytestmark = pytest.mark.django_db

UNITS = {str(n): k for n, k in enumerate(["11413", "11311", "11329", "11560", "11761", "00004"])}


@pytest.fixture
def campaign(users):
    return make_campaign(users, code="bang", units=UNITS)


def _names(response) -> list[str]:
    return [row.assessment.unit.key for row in response.context["rows"]]


def test_filters_narrow_the_rows_and_keep_the_counts(client_for, campaign):
    client = client_for("quantri")
    everything = client.get(f"/campaigns/{campaign.code}/")
    assert len(_names(everything)) == 6
    assert {p.key for p in everything.context["board"].provinces} >= {"31", "01"}

    hai_phong = client.get(f"/campaigns/{campaign.code}/", {"province": "31"})
    assert set(_names(hai_phong)) == {"11413", "11311", "11329", "11560", "11761"}
    assert hai_phong.context["board"].total == 6  # the counts by state still cover every unit

    Assessment.objects.filter(campaign=campaign, unit__key="11311").update(state="submitted")
    submitted = client.get(f"/campaigns/{campaign.code}/", {"state": "submitted"})
    assert _names(submitted) == ["11311"]

    by_name = client.get(f"/campaigns/{campaign.code}/", {"q": "hai an"})  # no diacritics needed
    assert "11413" in _names(by_name)
    assert len(_names(by_name)) < 6
    by_code = client.get(f"/campaigns/{campaign.code}/", {"q": "11413"})
    assert _names(by_code) == ["11413"]

    nothing = client.get(f"/campaigns/{campaign.code}/", {"q": "khong co dau"})
    assert _names(nothing) == []
    assert "Không có đơn vị nào khớp bộ lọc này." in nothing.content.decode()


def test_bad_filters_narrow_nothing(client_for, campaign):
    client = client_for("quantri")
    response = client.get(f"/campaigns/{campaign.code}/", {"province": "x\x00y", "state": "nope", "page": "-3"})
    assert response.status_code == 200
    assert len(_names(response)) == 6


def test_late_only(client_for, campaign):
    campaign.self_assessment_due = dt.date(2020, 1, 1)
    campaign.save(update_fields=["self_assessment_due"])
    Assessment.objects.filter(campaign=campaign).exclude(unit__key="11413").update(state="scored")
    late = client_for("quantri").get(f"/campaigns/{campaign.code}/", {"late": "1"})
    assert _names(late) == ["11413"]


def test_pages_cost_the_same(client_for, campaign, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_PAGE_SIZE", 2)
    client = client_for("dieuphoi")
    url = f"/campaigns/{campaign.code}/"
    client.get(url)
    counts = []
    for page in ("1", "2"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page": page})
        assert len(response.context["rows"]) == 2
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "page=2" in client.get(url).content.decode()
