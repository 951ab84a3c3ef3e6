"""Helpers of the effectiveness tests: two appraised campaigns of Phường Hải An a year apart, with chosen final
levels, and a programme of the first one whose actions are linked to the criteria that moved.

Levels (final track; every other criterion yellow in both campaigns):

    criterion   before → after     outcome
    c_up        red    → green     improved
    c_same      yellow → yellow    stayed
    c_down      green  → red       fell
    c_na        yellow → N/A       not comparable
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from tests.assessment_fixtures import make_campaign
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services.scores import scores_refresh
from tincay.catalogue.models import Criterion
from tincay.improvement.models import Action, Programme

HAI_AN = "11413"


@dataclass
class TwoCampaigns:
    before: Campaign
    after: Campaign
    first: Assessment  # Hải An in ``before``
    second: Assessment  # Hải An in ``after``
    criteria: dict[str, Criterion]  # c_up, c_same, c_down, c_na (of the first assessment's version)

    @property
    def codes(self) -> dict[str, str]:
        return {name: c.code for name, c in self.criteria.items()}


def _set(assessment: Assessment, code: str, **values: Any) -> None:
    assessment.results.filter(criterion__code=code).update(**values)


def pick_criteria(assessment: Assessment) -> dict[str, Criterion]:
    """The first management criterion of four different indicators the assessment answers."""
    rows = (
        assessment.results.filter(criterion__type="management")
        .select_related("criterion__indicator")
        .order_by("criterion__order")
    )
    chosen: dict[str, Criterion] = {}
    for result in rows:
        if result.criterion.indicator.code in {c.indicator.code for c in chosen.values()}:
            continue
        chosen[("c_up", "c_same", "c_down", "c_na")[len(chosen)]] = result.criterion
        if len(chosen) == 4:
            break
    return chosen


def appraise(assessment: Assessment, levels: dict[str, str], na: tuple[str, ...] = ()) -> None:
    """Every final level yellow but those given; ``na`` codes not applicable; approved; scores refreshed."""
    assessment.results.update(final_level="yellow")
    for code, level in levels.items():
        _set(assessment, code, final_level=level)
    for code in na:
        _set(assessment, code, na=True, na_reason="Không có trên địa bàn.", self_level="", self_value=None)
        _set(assessment, code, final_level="")
    Assessment.objects.filter(pk=assessment.pk).update(state=State.APPROVED, scores_stale=True)
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))


@contextmanager
def two_campaigns(django_db_blocker: Any, code: str) -> Iterator[TwoCampaigns]:
    """Campaign ``<code>-1`` (2026) and ``<code>-2`` (2027) over Phường Hải An, both approved, removed at the end
    with the programmes made on them."""
    with django_db_blocker.unblock():
        users = {u.username: u for u in get_user_model().objects.all()}
        before = make_campaign(users, code=f"{code}-1", units={"own": HAI_AN})
        after = make_campaign(users, code=f"{code}-2", units={"own": HAI_AN})
        Campaign.objects.filter(pk=after.pk).update(
            year=2027,
            self_assessment_due=dt.date(2027, 12, 1),
            scoring_due=dt.date(2028, 1, 1),
            appraisal_due=dt.date(2028, 2, 1),
            publication_due=dt.date(2028, 3, 1),
        )
        first = Assessment.objects.select_related("campaign__version", "unit").get(campaign=before)
        second = Assessment.objects.select_related("campaign__version", "unit").get(campaign=after)
        criteria = pick_criteria(first)
        codes = {name: c.code for name, c in criteria.items()}
        appraise(first, {codes["c_up"]: "red", codes["c_down"]: "green"})
        appraise(second, {codes["c_up"]: "green", codes["c_down"]: "red"}, na=(codes["c_na"],))
        first.refresh_from_db()
        second.refresh_from_db()
        try:
            yield TwoCampaigns(before, after, first, second, criteria)
        finally:
            Programme.objects.filter(assessment__campaign__in=[before, after]).delete()
            Assessment.objects.filter(campaign__in=[before, after]).delete()
            Campaign.objects.filter(pk__in=[before.pk, after.pk]).delete()


def make_programme(assessment: Assessment, links: list[tuple[list[Criterion], list[Any]]]) -> Programme:
    """A programme of ``assessment`` with one action per (criteria, indicators) pair, made with the ORM."""
    programme = Programme.objects.create(assessment=assessment, title="Chương trình hành động cải thiện chất lượng")
    for number, (criteria, indicators) in enumerate(links, start=1):
        action = Action.objects.create(
            programme=programme,
            number=number,
            title=f"Nhiệm vụ {number}: chuẩn hóa quy trình",
            deadline=dt.date(2027, 6, 30),
            status="in_progress",
            progress=40,
        )
        action.criteria.set(criteria)
        action.indicators.set(indicators)
    return programme
