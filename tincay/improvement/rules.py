"""The rules of improvement, pure (no database): ranking areas, default progress, roll-up, overdue.

Shown to users next to the figures they produce (``RANKING_RULE``, ``ROLLUP_RULE``), so each lives here once.

Ranking: an area's **gap to green** is 1 − its final score on the scoring scheme (red 0 → gap 1, yellow 0.5 → gap
0.5, green → 0); for an indicator the score is the indicator's final score. **Priority = weight × gap**, where the
weight of a criterion is its catalogue weight and the weight of an indicator is the sum of its applicable criteria's
weights. Higher priority ranks first; ties by code order.

Roll-up: an action counts with its ``weight`` (default 1); cancelled actions drop out; the programme's progress is
Σ weight × progress / Σ weight, rounded to a whole percent; a unit's progress is the same over the actions of its
approved programmes, a province's the mean of its units' programmes (each unit counts once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tincay.improvement.choices import ActionStatus

RANKING_RULE = _(
    "Ranked by priority = weight × gap to green. Gap to green = 1 − the final score (red 1, yellow 0.5); "
    "a criterion's weight is its weight in the indicator set, an indicator's the sum of its criteria's weights."
)
ROLLUP_RULE = _(
    "Progress of a programme = Σ (weight × progress of each action) ÷ Σ weights, cancelled actions left out; "
    "every action weighs 1 unless its weight is changed. A unit's and a province's progress average their "
    "programmes, each unit counting once."
)

DEFAULT_PROGRESS = {
    ActionStatus.NOT_STARTED: 0,
    ActionStatus.IN_PROGRESS: 50,
    ActionStatus.DONE: 100,
    ActionStatus.CANCELLED: 0,
}
CLOSED = {ActionStatus.DONE, ActionStatus.CANCELLED}


def default_progress(status: str) -> int:
    """The progress a status gives when the person does not refine it."""
    return DEFAULT_PROGRESS.get(status, 0)


def progress_range(status: str) -> tuple[int, int]:
    """The progress a person may give with a status: not started 0, in progress 1–99, done 100, cancelled any."""
    if status == ActionStatus.NOT_STARTED:
        return (0, 0)
    if status == ActionStatus.IN_PROGRESS:
        return (1, 99)
    if status == ActionStatus.DONE:
        return (100, 100)
    return (0, 100)


def is_overdue(status: str, deadline: dt.date | None, today: dt.date) -> bool:
    return deadline is not None and status not in CLOSED and deadline < today


def gap_to_green(score: float | None) -> float:
    """1 − score, clamped to 0..1; an unscored area counts as a full gap."""
    if score is None:
        return 1.0
    return round(min(1.0, max(0.0, 1.0 - float(score))), 4)


def priority(weight: float, score: float | None) -> float:
    return round(float(weight) * gap_to_green(score), 4)


@dataclass(frozen=True)
class Weighted:
    weight: int
    progress: int
    status: str


def rollup(actions: Iterable[Weighted]) -> int | None:
    """Σ weight × progress / Σ weight over actions that are not cancelled; None when nothing counts."""
    total = 0
    weights = 0
    for action in actions:
        if action.status == ActionStatus.CANCELLED or action.weight <= 0:
            continue
        total += action.weight * action.progress
        weights += action.weight
    return weighted_share(total, weights)


def weighted_share(total: int, weights: int) -> int | None:
    """Σ weight × progress ÷ Σ weight rounded to a whole percent, from the two sums (computed here or by the
    database: the coordinator's view sums in SQL and divides here, so both give the same figure); None when no
    weight counts."""
    if not weights:
        return None
    return round(total / weights)


def mean(values: Iterable[int | None]) -> int | None:
    counted = [v for v in values if v is not None]
    return round(sum(counted) / len(counted)) if counted else None
