"""Two campaigns of the same unit: each action's criteria and indicators improved, stayed or fell, the suggested
verdict follows the rule, and a reviewer's verdict keeps the outcomes seen (re-recording replaces it, audited)."""

from __future__ import annotations

import pytest

from tests.improvement_effectiveness_fixtures import make_programme, two_campaigns
from tincay.assessments.access import assessments_visible_to
from tincay.audit.models import AuditEvent
from tincay.improvement.models import ActionVerdict
from tincay.improvement.selectors import effectiveness as selectors
from tincay.improvement.services import effectiveness as services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with two_campaigns(django_db_blocker, "hq-hai-ky") as data:
        yield data


@pytest.fixture
def programme(pair):
    c = pair.criteria
    return make_programme(
        pair.first,
        [
            ([c["c_up"]], [c["c_up"].indicator]),  # everything improved → effective
            ([c["c_up"], c["c_down"]], []),  # one up, one down → partly
            ([c["c_same"], c["c_down"]], [c["c_same"].indicator]),  # nothing improved → not effective
            ([c["c_na"]], []),  # nothing comparable → no suggestion
        ],
    )


def _effect(programme, user):
    visible = assessments_visible_to(user)
    nexts = selectors.next_assessments([programme.assessment], visible)
    return selectors.programmes_effectiveness([programme], nexts)[programme.pk]


def test_next_assessment_is_the_later_appraised_campaign(pair, programme, users):
    effect = _effect(programme, users["dieuphoi"])
    assert effect.next_assessment == pair.second


def test_each_criterion_and_indicator_improved_stayed_or_fell(pair, programme, users):
    effect = _effect(programme, users["dieuphoi"])
    codes = pair.codes
    seen = {}
    for action in effect.actions:
        seen.update({(c.kind, c.code): c for c in action.comparisons})
    up, same, down, na = (seen[("criterion", codes[k])] for k in ("c_up", "c_same", "c_down", "c_na"))
    assert (up.before, up.after, up.outcome) == ("red", "green", "improved")
    assert (same.before, same.after, same.outcome) == ("yellow", "yellow", "stayed")
    assert (down.before, down.after, down.outcome) == ("green", "red", "fell")
    assert (na.before, na.after, na.outcome) == ("yellow", None, "unknown") and na.why
    indicator_up = seen[("indicator", pair.criteria["c_up"].indicator.code)]
    assert indicator_up.outcome == "improved" and indicator_up.after_score > indicator_up.before_score
    indicator_same = seen[("indicator", pair.criteria["c_same"].indicator.code)]
    assert indicator_same.outcome == "stayed" and indicator_same.before == indicator_same.after == "yellow"


def test_suggested_verdict_per_action_follows_the_rule(programme, users):
    effect = _effect(programme, users["dieuphoi"])
    assert [a.suggestion for a in effect.actions] == ["effective", "partly", "not_effective", None]
    assert effect.counts == {"improved": 3, "stayed": 2, "fell": 2, "unknown": 1}


def test_reviewer_records_a_verdict_with_the_outcomes_seen_and_replaces_it(pair, programme, users):
    action = programme.actions.get(number=2)
    events = AuditEvent.objects.count()
    verdict = services.verdict_record(
        actor=users["dieuphoi"], action=action, verdict="partly", note="Một tiêu chí tăng, một tiêu chí giảm."
    )
    codes = pair.codes
    assert verdict.next_assessment == pair.second and verdict.reviewer == users["dieuphoi"]
    assert verdict.outcomes == {codes["c_up"]: "improved", codes["c_down"]: "fell"}
    replaced = services.verdict_record(actor=users["thamdinh"], action=action, verdict="effective", note="")
    assert replaced.pk == verdict.pk and ActionVerdict.objects.filter(action=action).count() == 1
    assert (replaced.verdict, replaced.reviewer) == ("effective", users["thamdinh"])
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True)[events:])
    assert actions == ["improvement.verdict_recorded", "improvement.verdict_replaced"]
    last = AuditEvent.objects.order_by("-pk").first()
    assert last.before["verdict"] == "partly" and last.after["verdict"] == "effective"


def test_page_shows_before_after_and_records_a_verdict(pair, programme, client_for):
    client = client_for("dieuphoi")
    url = f"/improvement/programmes/{programme.pk}/effectiveness/"
    html = client.get(url).content.decode()
    assert f'data-code="{pair.codes["c_up"]}" data-outcome="improved"' in html
    assert f'data-code="{pair.codes["c_down"]}" data-outcome="fell"' in html
    assert "verdict-form" in html
    action = programme.actions.get(number=1)
    response = client.post(
        f"/improvement/programmes/{programme.pk}/effectiveness/{action.pk}/verdict/",
        {f"a{action.pk}-verdict": "effective", f"a{action.pk}-note": "Đạt mục tiêu."},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#action-{action.pk}")
    assert ActionVerdict.objects.get(action=action).verdict == "effective"
    html = client.get(url).content.decode()
    assert "recorded-verdict" in html and "Đạt mục tiêu." in html


def test_cycle_page_shows_both_campaigns_with_the_outcome(pair, programme, client_for):
    html = client_for("lanhdao").get(f"/improvement/units/{pair.first.unit.key}/cycle/").content.decode()
    assert f'id="cycle-{pair.first.pk}"' in html and f'id="cycle-{pair.second.pk}"' in html
    assert f"/improvement/programmes/{programme.pk}/effectiveness/" in html
    assert "cycle-outcome" in html
