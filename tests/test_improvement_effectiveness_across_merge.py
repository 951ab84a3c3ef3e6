"""Across the 2025 merge: a programme of the 2023 pilot ward Đằng Lâm is judged at the 2026 assessment of Phường
Hải An, the ward it was merged into; criteria are matched by code between the 2020 set and its 2026 revision."""

from __future__ import annotations

import pytest

from tests.conftest import DANG_LAM_2023, HAI_AN
from tests.improvement_effectiveness_fixtures import make_programme
from tincay.assessments.access import assessments_visible_to
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh
from tincay.demo.campaigns import CURRENT_CODE, PILOT_CODE
from tincay.improvement.models import ActionVerdict, Programme
from tincay.improvement.selectors import effectiveness as selectors
from tincay.improvement.services import effectiveness as services

pytestmark = pytest.mark.django_db


def _pilot() -> Assessment:
    return Assessment.objects.select_related("campaign__version", "unit").get(
        unit__key=DANG_LAM_2023, campaign__code=PILOT_CODE
    )


def _hai_an_2026() -> Assessment:
    return Assessment.objects.select_related("campaign__version", "unit").get(
        unit__key=HAI_AN, campaign__code=CURRENT_CODE
    )


def _pilot_criteria(pilot: Assessment) -> dict[str, object]:
    """A management criterion of the pilot at each final level, plus two more yellow or red ones."""
    chosen: dict[str, object] = {}
    used_indicators: set[str] = set()
    rows = (
        pilot.results.filter(criterion__type="management", na=False)
        .select_related("criterion__indicator")
        .order_by("criterion__order")
    )
    wanted = {"red": "c_up", "green": "c_down", "yellow": "c_same"}
    spare = []
    for result in rows:
        name = wanted.get(result.final_level)
        if result.criterion.indicator.code in used_indicators:
            continue
        if name and name not in chosen:
            chosen[name] = result.criterion
            used_indicators.add(result.criterion.indicator.code)
        elif result.final_level in ("red", "yellow"):
            spare.append(result.criterion)
    chosen["c_na"], chosen["c_gone"] = spare[0], spare[1]
    return chosen


@pytest.fixture
def judged():
    """Hải An's 2026 assessment appraised with levels chosen against the pilot's (inside the test's transaction)."""
    pilot, later = _pilot(), _hai_an_2026()
    assert pilot.campaign.version_id != later.campaign.version_id  # two versions of the indicator set
    c = _pilot_criteria(pilot)
    later.results.update(final_level="yellow")
    later.results.filter(criterion__code=c["c_up"].code).update(final_level="green")
    later.results.filter(criterion__code=c["c_down"].code).update(final_level="red")
    later.results.filter(criterion__code=c["c_na"].code).update(
        na=True, na_reason="Không còn áp dụng.", self_level="", self_value=None, final_level="", final_value=None
    )
    later.results.filter(criterion__code=c["c_gone"].code).delete()  # as if the revision had dropped it
    later.results.filter(final_value__isnull=False).update(final_value=None)
    Assessment.objects.filter(pk=later.pk).update(state=State.APPROVED, scores_stale=True)
    scores_refresh(Assessment.objects.filter(pk=later.pk))
    later.refresh_from_db()
    Programme.objects.filter(assessment=pilot).delete()  # the demo's own programme, replaced by one made to measure
    programme = make_programme(
        pilot,
        [
            ([c["c_up"]], []),
            ([c["c_same"], c["c_down"]], []),
            ([c["c_na"], c["c_gone"]], []),
            ([], [c["c_up"].indicator]),
        ],
    )
    return pilot, later, programme, c


def test_the_merged_wards_assessment_is_the_next_one(judged, users):
    pilot, later, _programme, _c = judged
    nexts = selectors.next_assessments([pilot], assessments_visible_to(users["lanhdao"]))
    assert nexts[pilot.pk].assessment == later
    assert later.unit.name != pilot.unit.name  # Phường Hải An follows Phường Đằng Lâm


def test_outcomes_are_matched_by_code_between_the_two_versions(judged, users):
    pilot, _later, programme, c = judged
    visible = assessments_visible_to(users["dieuphoi"])
    effect = selectors.programmes_effectiveness([programme], selectors.next_assessments([pilot], visible))[programme.pk]
    seen = {(x.kind, x.code): x for a in effect.actions for x in a.comparisons}
    assert seen[("criterion", c["c_up"].code)].outcome == "improved"
    assert seen[("criterion", c["c_same"].code)].outcome == "stayed"
    assert seen[("criterion", c["c_down"].code)].outcome == "fell"
    na, gone = seen[("criterion", c["c_na"].code)], seen[("criterion", c["c_gone"].code)]
    assert na.outcome == gone.outcome == "unknown"
    assert str(na.why) != str(gone.why)  # not applicable / not in the next assessment
    assert seen[("indicator", c["c_up"].indicator.code)].outcome in ("improved", "stayed", "fell")
    suggestions = [a.suggestion for a in effect.actions]
    assert suggestions[:3] == ["effective", "not_effective", None] and suggestions[3] is not None


def test_council_of_the_2026_campaign_records_the_verdict(judged, users):
    _pilot_assessment, later, programme, c = judged
    action = programme.actions.get(number=1)
    verdict = services.verdict_record(
        actor=users["thamdinh"], action=action, verdict="effective", note="Tiêu chí đã đạt mức xanh."
    )
    assert verdict.next_assessment == later and verdict.outcomes[c["c_up"].code] == "improved"
    assert ActionVerdict.objects.filter(action=action).count() == 1


def test_pages_follow_the_unit_back_through_the_merge(judged, client_for):
    pilot, later, programme, _c = judged
    client = client_for("lanhdao")
    html = client.get(f"/improvement/programmes/{programme.pk}/effectiveness/").content.decode()
    assert "Phường Đằng Lâm" in html and later.unit.name in html
    cycle = client.get(f"/improvement/units/{HAI_AN}/cycle/")
    assert cycle.status_code == 200
    html = cycle.content.decode()
    assert f'id="cycle-{pilot.pk}"' in html and f'id="cycle-{later.pk}"' in html
    assert "Phường Đằng Lâm" in html  # the pilot's cycle under the ward's name as it stood
    assert html.index(f'id="cycle-{pilot.pk}"') < html.index(f'id="cycle-{later.pk}"')
    assert f"/improvement/programmes/{programme.pk}/effectiveness/" in html
    unit_page = client.get(f"/units/{HAI_AN}/").content.decode()
    assert f"/improvement/units/{HAI_AN}/cycle/" in unit_page
