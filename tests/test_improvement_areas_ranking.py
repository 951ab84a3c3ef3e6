"""Areas to improve are the red and yellow indicators and criteria of the final results, ranked by
weight × gap to green (ties in catalogue order), on the real TCVN ISO 18091:2020 base set; running the
suggestion again keeps what the unit decided and added."""

from __future__ import annotations

import pytest

from tests.assessment_fixtures import module_campaign
from tests.improvement_areas_fixtures import approve, indicators_of, set_final
from tincay.audit.models import AuditEvent
from tincay.improvement.choices import AreaOrigin
from tincay.improvement.models import ImprovementArea
from tincay.improvement.services.areas import area_add, area_decide, areas_accept_suggested, areas_suggest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# The base version's default scheme (tcvn-iso-18091-2020.yaml): level values and indicator colour thresholds.
VALUES = {"red": 0.0, "yellow": 0.5, "green": 1.0}
GREEN_FROM, YELLOW_FROM = 0.85, 0.5


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "chu-diem-xep-hang", {"own": "11413"}) as c:
        yield c


@pytest.fixture
def scenario(campaign):
    """Final results with known weak spots, on the real indicator set:

    B all red, its last criterion N/A; X a weight-2 criterion red; Y a weight-1 criterion red; Z a weight-2
    criterion yellow (when the set has a second indicator with one); C a weight-1 criterion yellow."""
    assessment = approve(campaign.assessments.get())
    indicators = indicators_of(assessment)
    a_code, a_criteria = indicators[0]
    b_code, b_criteria = indicators[1]
    with_two = [(code, crits) for code, crits in indicators[2:] if any(w == 2 for _c, w in crits)]
    d_code, d_criteria = with_two[0]
    x = next(c for c, w in d_criteria if w == 2)
    y = next(c for c, w in a_criteria if w == 1)
    rest = [(code, crits) for code, crits in indicators[2:] if code != d_code]
    z = None
    if len(with_two) > 1:
        e_code, e_criteria = with_two[1]
        z = next(c for c, w in e_criteria if w == 2)
        rest = [(code, crits) for code, crits in rest if code != e_code]
    c_code, c_criteria = next((code, crits) for code, crits in rest if any(w == 1 for _c, w in crits))
    c = next(code for code, w in c_criteria if w == 1)
    levels = {code: "red" for code, _w in b_criteria}
    levels[b_criteria[-1][0]] = "na"
    levels |= {x: "red", y: "red", c: "yellow"}
    if z:
        levels[z] = "yellow"
    set_final(assessment, levels)
    return {
        "assessment": assessment,
        "indicators": indicators,
        "levels": levels,
        "codes": {"B": b_code, "X": x, "Y": y, "Z": z, "C": c, "A": a_code, "D": d_code, "C_ind": c_code},
        "b_applicable": b_criteria[:-1],
    }


def _expected(scenario) -> list[tuple[str, str, float, float, float]]:
    """(code, level, weight, gap, priority) of every red or yellow indicator and criterion, by hand."""
    levels = scenario["levels"]
    items, order = [], {}
    for code, criteria in scenario["indicators"]:
        order[code] = len(order)
        applicable = [(c, w, levels.get(c, "green")) for c, w in criteria if levels.get(c) != "na"]
        for c, w, level in applicable:
            order[c] = len(order)
            if level in ("red", "yellow"):
                gap = 1 - VALUES[level]
                items.append((c, level, w, gap, w * gap))
        weight = sum(w for _c, w, _l in applicable)
        score = sum(w * VALUES[level] for _c, w, level in applicable) / weight
        colour = "green" if score >= GREEN_FROM else "yellow" if score >= YELLOW_FROM else "red"
        if colour != "green":
            gap = round(1 - score, 4)  # the rule keeps four decimals of the gap, then of the priority
            items.append((code, colour, weight, gap, round(weight * gap, 4)))
    return sorted(items, key=lambda item: (-item[4], order[item[0]]))


def test_weak_results_are_ranked_by_weight_times_gap(users, scenario):
    assessment = scenario["assessment"]
    areas = areas_suggest(actor=users["lanhdao"], assessment=assessment)
    expected = _expected(scenario)
    assert [str(a) for a in areas] == [item[0] for item in expected]
    assert [a.rank for a in areas] == list(range(1, len(expected) + 1))
    for area, (code, level, weight, gap, priority) in zip(areas, expected, strict=True):
        assert (area.level, area.origin, area.selected) == (level, AreaOrigin.SUGGESTED, False), code
        assert area.weight == pytest.approx(weight) and area.gap == pytest.approx(gap), code
        assert area.priority == pytest.approx(priority), code

    codes = scenario["codes"]
    rank = {str(a): a.rank for a in areas}
    # B: every applicable criterion red → red indicator, full gap, weighing the sum of its applicable criteria
    b = areas[0]
    b_weight = sum(w for _c, w in scenario["b_applicable"])
    assert str(b) == codes["B"] and b.rank == 1
    assert (b.level, b.weight, b.gap, b.priority) == ("red", pytest.approx(b_weight), 1.0, pytest.approx(b_weight))
    # the N/A criterion is no area, and does not weigh in B
    assert scenario["indicators"][1][1][-1][0] not in rank
    # weight counts: a weight-2 red criterion (2) before a weight-1 red one (1) before a weight-1 yellow one (0.5)
    assert rank[codes["X"]] < rank[codes["Y"]] < rank[codes["C"]]
    assert next(a for a in areas if str(a) == codes["X"]).priority == pytest.approx(2.0)
    assert next(a for a in areas if str(a) == codes["C"]).priority == pytest.approx(0.5)
    if codes["Z"]:  # a weight-2 yellow (1.0) ties a weight-1 red (1.0): catalogue order decides
        z, y = next(a for a in areas if str(a) == codes["Z"]), next(a for a in areas if str(a) == codes["Y"])
        assert z.priority == pytest.approx(y.priority) == pytest.approx(1.0)
        assert rank[codes["Y"]] < rank[codes["Z"]]  # A (Y's indicator) comes first in the catalogue
    # green indicators are no area (C's indicator stays green with one yellow criterion of weight 1)
    assert codes["C_ind"] not in rank
    event = AuditEvent.objects.filter(action="improvement.areas_suggested").latest("id")
    assert event.object_id == str(assessment.pk) and event.actor == users["lanhdao"]


def test_running_again_keeps_the_units_decisions_and_updates_the_figures(users, scenario):
    assessment, codes = scenario["assessment"], scenario["codes"]
    leader = users["lanhdao"]
    first = {str(a): a for a in areas_suggest(actor=leader, assessment=assessment)}
    area_decide(actor=leader, area=first[codes["B"]], selected=True, stage="short", reason="")
    area_decide(actor=users["daumoi"], area=first[codes["X"]], selected=True, stage="medium", reason="Cần kinh phí.")
    area_decide(actor=leader, area=first[codes["Y"]], selected=False, stage="", reason="Đã có kế hoạch riêng.")
    # the unit's own area: a criterion that is green in the final results
    green = next(c for c, _w in scenario["indicators"][0][1] if c not in scenario["levels"])
    own = area_add(
        actor=leader,
        assessment=assessment,
        indicator_code=scenario["indicators"][0][0],
        criterion_code=green,
        stage="short",
        reason="Người dân phản ánh nhiều.",
    )
    assert (own.origin, own.selected, own.level, own.gap, own.priority) == (AreaOrigin.ADDED, True, "green", 0, 0)

    # results move: X (selected) and Y (dropped) become green, C (undecided) too, B's first criterion yellow
    b_first = scenario["b_applicable"][0][0]
    set_final(assessment, {codes["X"]: "green", codes["Y"]: "green", codes["C"]: "green", b_first: "yellow"})
    again = {str(a): a for a in areas_suggest(actor=leader, assessment=assessment)}

    kept_b = again[codes["B"]]
    assert (kept_b.pk, kept_b.selected, kept_b.stage) == (first[codes["B"]].pk, True, "short")
    assert kept_b.priority < first[codes["B"]].priority  # figures brought up to date
    assert again[b_first].level == "yellow" and again[b_first].gap == pytest.approx(0.5)
    # a selected area that turned green stays, with its new level (flagged on the page)
    kept_x = again[codes["X"]]
    assert (kept_x.selected, kept_x.stage, kept_x.reason, kept_x.level) == (True, "medium", "Cần kinh phí.", "green")
    assert kept_x.gap == 0 and kept_x.priority == 0
    # not selected and no longer red or yellow: gone (dropped Y, undecided C)
    assert codes["Y"] not in again and codes["C"] not in again
    # the unit's own area stays as it was decided
    assert again[green].pk == own.pk and again[green].reason == "Người dân phản ánh nhiều."
    assert sorted(a.rank for a in again.values()) == list(range(1, len(again) + 1))
    assert ImprovementArea.objects.filter(assessment=assessment).count() == len(again)


def test_the_leader_accepts_several_suggestions_in_one_step(users, scenario):
    assessment, codes = scenario["assessment"], scenario["codes"]
    areas_suggest(actor=users["lanhdao"], assessment=assessment)
    accepted = areas_accept_suggested(
        actor=users["lanhdao"], assessment=assessment, codes=[codes["B"], codes["X"], codes["B"]], stage="short"
    )
    assert sorted(str(a) for a in accepted) == sorted([codes["B"], codes["X"]])
    stored = ImprovementArea.objects.filter(assessment=assessment, selected=True)
    assert {str(a) for a in stored} == {codes["B"], codes["X"]}
    assert set(stored.values_list("stage", flat=True)) == {"short"}
    assert set(stored.values_list("decided_by", flat=True)) == {users["lanhdao"].pk}
    assert AuditEvent.objects.filter(action="improvement.area_decided").count() >= 2


def test_a_published_assessment_suggests_too_and_the_page_shows_the_rule(users, client_for, scenario):
    from tincay.assessments.models import Assessment

    assessment = scenario["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(state="published")
    assessment.refresh_from_db()
    areas = areas_suggest(actor=users["daumoi"], assessment=assessment)
    page = client_for("lanhdao").get(f"/improvement/assessments/{assessment.pk}/areas/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Ranked by priority = weight × gap to green" in body
    assert body.index(f'id="area-{areas[0].pk}"') < body.index(f'id="area-{areas[1].pk}"')
    assert 'class="level level-red"' in body and 'id="accept-form"' in body and 'id="add-area"' in body
    detail = client_for("lanhdao").get(f"/assessments/{assessment.pk}/").content.decode()
    assert f"/improvement/assessments/{assessment.pk}/areas/" in detail
