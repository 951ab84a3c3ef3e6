"""The merge rule of a trend: predecessors of the unit's level are combined weighted by population when every
population is known, otherwise listed side by side; the chart carries the same numbers as the table."""

import pytest

from tincay.assessments.models import Assessment
from tincay.orgunits.models import AdminUnit
from tincay.reports import selectors

pytestmark = pytest.mark.django_db


def _years(key="11413"):
    unit = AdminUnit.objects.get(key=key)
    points = selectors.trend(unit, Assessment.objects.all())
    return unit, selectors.trend_years(unit, points)


def test_without_populations_predecessors_are_listed_side_by_side():
    _unit, years = _years()
    pilot = next(y for y in years if y.campaign.year == 2023)
    assert pilot.own is None and pilot.rule == "side_by_side" and pilot.combined is None
    assert {p.assessment.unit.name for p in pilot.predecessors} >= {"Phường Đằng Lâm", "Quận Hải An"}


def test_with_every_population_known_same_level_predecessors_are_weighted(monkeypatch):
    unit, years = _years()
    pilot = next(y for y in years if y.campaign.year == 2023)
    same_level = [p for p in pilot.predecessors if p.assessment.unit.level == unit.level]
    assert same_level  # Phường Đằng Lâm
    for n, point in enumerate(same_level, start=1):
        AdminUnit.objects.filter(pk=point.assessment.unit_id).update(population=10_000 * n)
    _unit, years = _years()
    pilot = next(y for y in years if y.campaign.year == 2023)
    weights = {
        p.assessment.unit_id: p.assessment.unit.population
        for p in pilot.predecessors
        if p.assessment.unit.level == unit.level
    }
    expected = sum(
        p.total * weights[p.assessment.unit_id] for p in pilot.predecessors if p.assessment.unit_id in weights
    ) / sum(weights.values())
    assert pilot.rule == "population" and abs(pilot.combined - expected) < 1e-9
    chart = selectors.trend_chart(years)
    combined = next(s for s in chart["series"] if s["key"] == "combined")
    assert combined["values"][chart["labels"].index("2023")] == round(expected, 1)
    # the district (another level) is not folded into the commune's figure
    assert all(s.get("name") != "Quận Hải An" for s in chart["series"])


def test_trend_pages_draw_the_chart_with_a_table(client_for):
    html = client_for("lanhdao").get("/results/units/11413/").content.decode()
    assert 'id="trend-data"' in html and "Phường Đằng Lâm" in html and "<table" in html
    public = client_for(None).get("/public/units/11413/").content.decode()
    assert 'id="trend-data"' in public and "tiền thân" in public
