"""The intervals of survey results: Wilson for shares, the normal approximation for means, checked against hand
computations and published values, at the edges, and as properties."""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tincay.feedback.stats import (
    Z95,
    Mean,
    Proportion,
    mean_interval,
    mean_interval_from_counts,
    mean_interval_from_summary,
    wilson_interval,
)


def _wilson_by_hand(successes: int, n: int, z: float) -> tuple[float, float]:
    """The same interval in its other closed form, the roots of the score test's quadratic:
    (2np̂ + z² ± z·√(z² + 4np̂(1 − p̂))) / (2(n + z²))."""
    p = successes / n
    root = z * math.sqrt(z * z + 4 * n * p * (1 - p))
    return (2 * n * p + z * z - root) / (2 * (n + z * z)), (2 * n * p + z * z + root) / (2 * (n + z * z))


def test_z95_is_the_975th_percentile_of_the_normal_distribution():
    assert statistics.NormalDist().inv_cdf(0.975) == pytest.approx(Z95, abs=1e-15)


def test_wilson_81_of_100_matches_the_published_interval():
    low, high = wilson_interval(81, 100)
    assert (round(low, 4), round(high, 4)) == (0.7222, 0.8749)


@pytest.mark.parametrize(("successes", "n"), [(81, 100), (1, 3), (7, 12), (250, 1000), (3, 2000)])
def test_wilson_equals_the_hand_computation(successes, n):
    low, high = wilson_interval(successes, n)
    hand_low, hand_high = _wilson_by_hand(successes, n, Z95)
    assert abs(low - hand_low) < 1e-12
    assert abs(high - hand_high) < 1e-12


def test_wilson_at_none_and_all_stays_inside_zero_and_one():
    z2 = Z95 * Z95
    assert wilson_interval(0, 10) == (0.0, pytest.approx(z2 / (10 + z2), abs=1e-12))
    assert wilson_interval(10, 10) == (pytest.approx(10 / (10 + z2), abs=1e-12), 1.0)
    assert round(wilson_interval(0, 10)[1], 4) == 0.2775  # as published for 0 of 10


def test_wilson_without_observations_or_with_bad_counts_refuses():
    for successes, n in ((0, 0), (1, 0), (-1, 10), (11, 10)):
        with pytest.raises(ValueError):
            wilson_interval(successes, n)
    with pytest.raises(ValueError):
        wilson_interval(1, 2, z=0)


def test_proportion_carries_its_share_and_interval_in_percent():
    share = Proportion.wilson(81, 100)
    assert (share.successes, share.n, share.share, share.percent) == (81, 100, 0.81, 81.0)
    assert (share.low, share.high) == wilson_interval(81, 100)
    assert share.low_percent == pytest.approx(72.22115462093562, abs=1e-9)
    assert share.high_percent == pytest.approx(87.48524849023126, abs=1e-9)


@given(st.integers(min_value=1, max_value=100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_holds_the_share_within_zero_and_one(pair):
    successes, n = pair
    low, high = wilson_interval(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0


@given(st.integers(min_value=1, max_value=5_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_of_the_complement_mirrors(pair):
    successes, n = pair
    low, high = wilson_interval(successes, n)
    other_low, other_high = wilson_interval(n - successes, n)
    assert abs(low - (1 - other_high)) < 1e-12
    assert abs(high - (1 - other_low)) < 1e-12


def test_mean_interval_equals_the_hand_computation():
    values = [1, 2, 3, 4, 5, 5, 4, 4]
    mean = sum(values) / len(values)  # 3.5
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    assert sd == math.sqrt(2)  # √(14 / 7)
    result = mean_interval(values)
    assert result.n == 8
    assert result.value == mean == 3.5
    assert abs(result.sd - sd) < 1e-12
    assert abs(result.low - (3.5 - Z95 * sd / math.sqrt(8))) < 1e-12
    assert abs(result.high - (3.5 + Z95 * sd / math.sqrt(8))) < 1e-12
    assert abs(result.low - (3.5 - Z95 / 2)) < 1e-12  # √2 / √8 = 1/2


def test_mean_from_counts_equals_the_mean_of_the_values():
    counts = {1: 2, 3: 0, 4: 5, 5: 3}
    values = [1, 1, 4, 4, 4, 4, 4, 5, 5, 5]
    assert mean_interval_from_counts(counts) == mean_interval(values)
    assert mean_interval_from_counts(counts).value == statistics.fmean(values)
    assert abs(mean_interval_from_counts(counts).sd - statistics.stdev(values)) < 1e-12


def test_mean_of_one_value_has_no_interval_and_of_none_refuses():
    assert mean_interval([4]) == Mean(n=1, value=4.0, sd=None, low=None, high=None)
    with pytest.raises(ValueError):
        mean_interval([])
    with pytest.raises(ValueError):
        mean_interval_from_counts({4: 0})


def test_mean_interval_is_clamped_to_the_scale_when_asked():
    result = mean_interval([5] * 9 + [1], bounds=(1, 5))
    assert result.high == 5
    assert mean_interval([5] * 9 + [1]).high > 5
    assert mean_interval([5, 5, 5]) == mean_interval_from_summary(3, 5.0, 0.0)
    assert (mean_interval([5, 5, 5]).low, mean_interval([5, 5, 5]).high) == (5.0, 5.0)
