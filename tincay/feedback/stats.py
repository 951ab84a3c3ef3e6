"""Confidence intervals for survey results: plain numbers in, plain numbers out (no Django, no database).

- A **proportion** (the share of satisfied answers, of respondents choosing an option) takes the Wilson score
  interval, which stays inside [0, 1] and behaves at 0 % and 100 %, where the textbook (Wald) interval collapses.
- A **mean** (of a Likert scale or of a number) takes the normal approximation with the sample standard deviation.

Both default to 95 % (``Z95``, the 97.5th percentile of the standard normal distribution). Nothing is rounded
here; callers round for display. With no observation there is no interval: the functions raise ``ValueError``
(the results selector never asks, because it suppresses every figure below the survey's minimum of responses).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Z95 = 1.959963984540054  # Φ⁻¹(0.975)


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of ``successes`` out of ``n``.

    With p̂ = successes / n::

        centre    = (p̂ + z² / 2n) / (1 + z² / n)
        half      = z / (1 + z² / n) · √(p̂ (1 − p̂) / n + z² / 4n²)
        interval  = (centre − half, centre + half), clamped to [0, 1]

    The bound at 0 successes is exactly 0 and at n successes exactly 1 (the formula gives them up to rounding).
    Raises ``ValueError`` when n < 1 (no observation, no interval), when successes is outside [0, n] or z <= 0.
    """
    if n < 1:
        raise ValueError(f"no interval without observations (n = {n})")
    if not 0 <= successes <= n:
        raise ValueError(f"successes must be within [0, n] ({successes} of {n})")
    if z <= 0:
        raise ValueError(f"z must be positive ({z})")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


@dataclass(frozen=True)
class Proportion:
    """``successes`` out of ``n`` with its Wilson interval [low, high] (shares in [0, 1])."""

    successes: int
    n: int
    low: float
    high: float

    @classmethod
    def wilson(cls, successes: int, n: int, z: float = Z95) -> Proportion:
        low, high = wilson_interval(successes, n, z)
        return cls(successes=successes, n=n, low=low, high=high)

    @property
    def share(self) -> float:
        return self.successes / self.n

    @property
    def percent(self) -> float:
        return 100 * self.successes / self.n

    @property
    def low_percent(self) -> float:
        return 100 * self.low

    @property
    def high_percent(self) -> float:
        return 100 * self.high


@dataclass(frozen=True)
class Mean:
    """The mean of ``n`` values with the sample standard deviation and its interval [low, high]; from a single
    value there is no standard deviation and no interval (``sd``, ``low`` and ``high`` are None)."""

    n: int
    value: float
    sd: float | None
    low: float | None
    high: float | None


def mean_interval_from_summary(
    n: int, mean: float, sd: float | None, z: float = Z95, bounds: tuple[float, float] | None = None
) -> Mean:
    """The interval of a mean from its summary: ``mean ± z · sd / √n`` (normal approximation, ``sd`` the sample
    standard deviation, n − 1 in its denominator). ``bounds`` clamps the interval to the range the values can
    take (a Likert scale's lowest and highest point). n = 1: no interval. Raises ``ValueError`` when n < 1."""
    if n < 1:
        raise ValueError(f"no mean without values (n = {n})")
    if z <= 0:
        raise ValueError(f"z must be positive ({z})")
    if n == 1 or sd is None:
        return Mean(n=n, value=mean, sd=None, low=None, high=None)
    half = z * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(bounds[0], low), min(bounds[1], high)
    return Mean(n=n, value=mean, sd=sd, low=low, high=high)


def mean_interval_from_counts(
    counts: Mapping[float, int], z: float = Z95, bounds: tuple[float, float] | None = None
) -> Mean:
    """The same from a distribution ``{value: how many times}`` (a Likert question's answers per scale point, a
    number question's answers grouped by value), so that hundreds of thousands of answers arrive as a few rows::

        n = Σ c,  mean = Σ c·v / n,  sd = √(Σ c·(v − mean)² / (n − 1))

    Values with a count of 0 or less are ignored."""
    pairs = [(float(value), count) for value, count in counts.items() if count > 0]
    n = sum(count for _value, count in pairs)
    if n < 1:
        raise ValueError("no mean without values (n = 0)")
    mean = math.fsum(count * value for value, count in pairs) / n
    sd = math.sqrt(math.fsum(count * (value - mean) ** 2 for value, count in pairs) / (n - 1)) if n > 1 else None
    return mean_interval_from_summary(n, mean, sd, z, bounds)


def mean_interval(values: Iterable[float], z: float = Z95, bounds: tuple[float, float] | None = None) -> Mean:
    """The mean of ``values`` with its normal-approximation interval (see :func:`mean_interval_from_summary`)."""
    counts: dict[float, int] = {}
    for value in values:
        counts[float(value)] = counts.get(float(value), 0) + 1
    return mean_interval_from_counts(counts, z, bounds)
