"""The coordinator's view of programmes: each unit's progress is the roll-up rule's, overdue actions and budgets are
counted as the page says, areas nobody acts on are found, and the view narrows by province and peer group."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assessment_fixtures import module_campaign
from tests.coordination_fixtures import FUTURE, PAST, A, add_programme
from tincay.assessments.models import Assessment
from tincay.catalogue.models import Indicator
from tincay.improvement import rules
from tincay.improvement.choices import ActionStatus
from tincay.improvement.models import Action, ImprovementArea, Programme
from tincay.improvement.selectors import coordination as selectors
from tincay.orgunits.models import AdminUnit, PeerGroup

pytestmark = pytest.mark.django_db
UNITS = {"own": "11413", "sibling": "11311", "parent": "31", "other": "00004"}
URL = "/improvement/coordination/"

OWN_ACTIONS = [
    A("in_progress", 40, weight=2, deadline=PAST, budget=1_500_000, areas=(0,)),  # overdue
    A("done", 100, weight=1, deadline=PAST, budget=2_000_000, areas=(1,)),  # late but done: not overdue
    A("not_started", 0, weight=3, deadline=FUTURE),
    A("cancelled", 30, weight=5, deadline=PAST, budget=9_000_000, areas=(2,)),  # drops out of all figures
    A("in_progress", 25, weight=0, deadline=PAST),  # weighs nothing, still overdue
]
SIBLING_ACTIONS = [A("in_progress", 1, budget=500_000, areas=(0,)), A("in_progress", 4)]  # 2.5 → 2 (round half even)


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "dieu-phoi-chuong-trinh", UNITS) as campaign:
        try:
            with django_db_blocker.unblock():
                by_key = {a.unit.key: a for a in Assessment.objects.filter(campaign=campaign).select_related("unit")}
                add_programme(by_key["11413"], OWN_ACTIONS, status="approved", areas=4, unselected=2)
                add_programme(by_key["11311"], SIBLING_ACTIONS, status="changed", areas=1)
                add_programme(by_key["00004"], [A("in_progress", 10, deadline=PAST, budget=7_000_000)])
                # the city has selected areas but no programme: every area is one nobody acts on
                for n, indicator in enumerate(Indicator.objects.filter(version_id=campaign.version_id)[:3]):
                    ImprovementArea.objects.create(assessment=by_key["31"], indicator=indicator, selected=True, rank=n)
            yield campaign
        finally:
            with django_db_blocker.unblock():
                Programme.objects.filter(assessment__campaign=campaign).delete()


def view_for(users, campaign, persona="dieuphoi", **filters):
    return selectors.coordination(users[persona], campaign, **filters)


def rows_by_key(view) -> dict[str, selectors.ProgrammeRow]:
    return {row.unit_key: row for row in view.rows}


def test_progress_of_every_programme_equals_the_rollup_rule(users, campaign):
    rows = rows_by_key(view_for(users, campaign, "quantri"))
    for programme in Programme.objects.filter(assessment__campaign=campaign).select_related("assessment__unit"):
        expected = rules.rollup(
            rules.Weighted(a.weight, a.progress, a.status) for a in Action.objects.filter(programme=programme)
        )
        assert rows[programme.assessment.unit.key].progress == expected
    assert rows["11413"].progress == 30  # (2×40 + 1×100 + 3×0) / (2 + 1 + 3)
    assert rows["11311"].progress == 2  # 2.5 rounds half to even, as rules.rollup does (not SQL's ROUND → 3)
    assert rows["31"].progress is None and rows["31"].status == selectors.NO_PROGRAMME


@pytest.fixture
def lone_programme(campaign):
    assessment = Assessment.objects.get(campaign=campaign, unit__key="11311")
    return Programme.objects.get(assessment=assessment)


action_specs = st.lists(
    st.tuples(st.sampled_from(ActionStatus.values), st.integers(0, 100), st.integers(0, 400)), max_size=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=action_specs)
def test_sql_rollup_equals_the_rule_for_any_actions(lone_programme, specs):
    """Weights up to 400 × progress 100 would overflow a small integer product: the sum is computed wide."""
    Action.objects.filter(programme=lone_programme).delete()
    Action.objects.bulk_create(
        Action(programme=lone_programme, number=n, title="x", status=s, progress=p, weight=w, deadline=FUTURE)
        for n, (s, p, w) in enumerate(specs, start=1)
    )
    [row] = selectors.programme_rows(Assessment.objects.filter(pk=lone_programme.assessment_id), PAST)
    assert row.progress == rules.rollup(rules.Weighted(w, p, s) for s, p, w in specs)
    assert row.actions == len(specs)


def test_overdue_counts_open_actions_past_their_deadline(users, campaign):
    view = view_for(users, campaign)
    rows = rows_by_key(view)
    assert rows["11413"].overdue == 2  # the done and the cancelled ones are not overdue
    assert rows["11311"].overdue == 0
    assert view.totals.overdue == 2 and view.totals.units_overdue == 1
    assert rows["11413"].actions == 5 and rows["11413"].cancelled == 1


def test_budget_totals_leave_cancelled_actions_out(users, campaign):
    view = view_for(users, campaign)
    rows = rows_by_key(view)
    assert rows["11413"].budget_vnd == 3_500_000
    assert rows["31"].budget_vnd == 0
    assert view.totals.budget_vnd == 4_000_000  # Hà Nội's 7.000.000 is outside the coordinator's subtree
    assert view_for(users, campaign, "quantri").totals.budget_vnd == 11_000_000


def test_areas_nobody_acts_on(users, campaign):
    view = view_for(users, campaign)
    rows = rows_by_key(view)
    # Hải An: area 3 has only a cancelled action, area 4 none; the two dropped areas do not count
    assert rows["11413"].idle_areas == 2
    assert rows["11311"].idle_areas == 0
    assert rows["31"].idle_areas == 3  # no programme at all
    assert view.totals.idle_areas == 5 and view.totals.units_idle == 2
    selectors.idle_area_codes(view.rows)
    indicators = list(campaign.version.indicators.order_by("order").values_list("code", flat=True))
    assert rows["11413"].idle_codes == indicators[2:4]


def test_totals_row(users, campaign):
    totals = view_for(users, campaign).totals
    assert totals.units == 3
    assert totals.progress == rules.mean([30, 2])  # each unit's programme once; no programme, no figure
    assert totals.by_status == {"none": 1, "draft": 0, "approved": 1, "changed": 1}
    assert totals.actions == 7


def test_units_in_vietnamese_order(users, campaign):
    view = view_for(users, campaign, "quantri")
    keys = [row.unit_key for row in view.rows]
    sort_keys = dict(AdminUnit.objects.filter(key__in=keys).values_list("key", "sort_key"))
    assert keys == sorted(keys, key=lambda k: sort_keys[k])


def test_narrowed_by_province(users, campaign):
    assert {r.unit_key for r in view_for(users, campaign, "quantri", province_key="01").rows} == {"00004"}
    hai_phong = view_for(users, campaign, "quantri", province_key="31")
    assert {r.unit_key for r in hai_phong.rows} == {"11413", "11311", "31"}
    assert hai_phong.province.key == "31"
    assert {p.key for p in hai_phong.provinces} == {"01", "31"}  # the filter offers both
    # a key that is not on offer narrows nothing (the form shows "all")
    assert view_for(users, campaign, "quantri", province_key="nowhere").province is None


def test_narrowed_by_peer_group(users, campaign):
    group = PeerGroup.objects.create(code="phuong-thu", name_vi="Phường thử")
    group.units.set(AdminUnit.objects.filter(key__in=["11413", "00004"]))
    assert {r.unit_key for r in view_for(users, campaign, "quantri", group_code=group.code).rows} == {
        "11413",
        "00004",
    }
    both = view_for(users, campaign, "quantri", province_key="31", group_code=group.code)
    assert [r.unit_key for r in both.rows] == ["11413"]
    assert both.totals.units == 1 and both.totals.budget_vnd == 3_500_000


def test_page_shows_the_figures_and_flags_in_words(client_for, campaign):
    response = client_for("dieuphoi").get(URL, {"campaign": campaign.code})
    assert response.status_code == 200
    text = response.content.decode()
    assert "3.500.000 ₫" in text and "4.000.000 ₫" in text  # Vietnamese thousands
    assert "Phường Hải An" in text
    assert response.context["view"].totals.units == 3
    assert AdminUnit.objects.get(key="00004").name not in text  # Hà Nội's ward: outside the coordinator's subtree
    english = client_for("dieuphoi")
    english.cookies["django_language"] = "en"
    text = english.get(URL, {"campaign": campaign.code}).content.decode()
    assert "2 overdue" in text and "nobody acts on" in text


def test_page_narrows_through_its_query_string(client_for, campaign):
    group = PeerGroup.objects.create(code="phuong-thu", name_vi="Phường thử")
    group.units.set(AdminUnit.objects.filter(key__in=["11413", "00004"]))
    response = client_for("quantri").get(URL, {"campaign": campaign.code, "province": "31", "group": group.code})
    assert [r.unit_key for r in response.context["page"]] == ["11413"]
    assert "province=31" in response.context["query"] and "group=phuong-thu" in response.context["query"]


def test_pages_keep_totals_over_every_unit(client_for, campaign, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    client = client_for("quantri")
    first = client.get(URL, {"campaign": campaign.code})
    second = client.get(URL, {"campaign": campaign.code, "page": 2})
    shown = [r.unit_key for r in first.context["page"]] + [r.unit_key for r in second.context["page"]]
    assert len(shown) == 4 and set(shown) == set(UNITS.values())
    assert second.context["view"].totals.units == 4
    assert client.get(URL, {"campaign": campaign.code, "page": "x"}).status_code == 200  # a bad page: the first


def test_latest_campaign_by_default(client_for, campaign):
    response = client_for("dieuphoi").get(URL)
    assert response.status_code == 200
    assert response.context["campaign"] == response.context["campaigns"][0]
