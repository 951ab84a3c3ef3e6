"""The programme's progress rolls up from its actions by one rule: Σ weight × progress ÷ Σ weight, cancelled out."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.improvement_programme_fixtures import fields, final_campaign, make_programme, own_assessment, user
from tincay.improvement import rules
from tincay.improvement.choices import ActionStatus
from tincay.improvement.selectors import programmes as selectors
from tincay.improvement.services import actions

W = rules.Weighted


def test_weights_count():
    assert rules.rollup([W(1, 100, "done"), W(3, 0, "not_started")]) == 25
    assert rules.rollup([W(2, 50, "in_progress"), W(2, 100, "done")]) == 75


def test_cancelled_actions_drop_out():
    assert rules.rollup([W(1, 100, "done"), W(5, 0, "cancelled")]) == 100
    assert rules.rollup([W(1, 0, "cancelled")]) is None
    assert rules.rollup([]) is None


def test_status_gives_the_default_progress_and_its_range():
    assert rules.default_progress(ActionStatus.NOT_STARTED) == 0
    assert rules.default_progress(ActionStatus.IN_PROGRESS) == 50
    assert rules.default_progress(ActionStatus.DONE) == 100
    assert rules.progress_range(ActionStatus.IN_PROGRESS) == (1, 99)


@given(
    st.lists(
        st.tuples(st.integers(1, 100), st.integers(0, 100), st.sampled_from(list(ActionStatus.values))), max_size=20
    )
)
def test_rollup_stays_between_the_smallest_and_largest_counted_progress(items):
    result = rules.rollup(W(w, p, s) for w, p, s in items)
    counted = [p for _w, p, s in items if s != ActionStatus.CANCELLED]
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


@pytest.fixture(scope="module")
def campaign(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "ctht-rollup") as c:
        yield c


@pytest.mark.django_db
def test_programme_page_and_list_roll_up_the_same_way(campaign):
    assessment = own_assessment(campaign)
    programme = make_programme(assessment)
    daumoi = user("daumoi")
    specs = [
        {"status": "done", "progress": 100, "weight": 1, "budget_vnd": 1_000_000},
        {"status": "in_progress", "progress": 20, "weight": 3, "budget_vnd": 500_000},
        {
            "status": "not_started",
            "progress": None,
            "weight": 1,
            "budget_vnd": 0,
            "deadline": dt.date(2020, 1, 1),
            "starts_on": None,
        },
    ]
    made = []
    for i, spec in enumerate(specs):
        programme.refresh_from_db()
        made.append(
            actions.action_create(
                actor=daumoi,
                programme=programme,
                revision=programme.revision,
                **fields(assessment, **spec, title=f"A{i}"),
            )
        )
    programme.refresh_from_db()
    extra = actions.action_create(
        actor=daumoi, programme=programme, revision=programme.revision, **fields(assessment, weight=10, title="X")
    )
    programme.refresh_from_db()
    actions.action_cancel(actor=daumoi, action=extra, revision=programme.revision, reason="Không còn phù hợp.")
    expected = round((1 * 100 + 3 * 20 + 1 * 0) / 5)
    page = selectors.programme_page(programme, today=dt.date(2026, 6, 1))
    assert page.progress == expected == 32
    assert page.budget_total == 1_500_000
    assert page.overdue == 1
    assert [r.action.number for r in page.rows] == [1, 2, 3, 4]
    row = next(r for r in selectors.programmes_for(user("lanhdao")) if r.programme.pk == programme.pk)
    assert row.progress == expected
    assert row.actions == 3
    assert row.budget == 1_500_000
