"""The pure scoring engine (tincay.assessments.scoring): properties over random frameworks, and worked examples.

No database: every test builds its criteria and answers in memory.
"""

from __future__ import annotations

import ast
import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tincay.assessments import scoring
from tincay.assessments.scoring import (
    LEVELS,
    TRACKS,
    Answer,
    CriterionSpec,
    Level,
    Result,
    effective_level,
    gap,
    level_from_value,
    score,
    score_tracks,
)
from tincay.catalogue.scheme import DEFAULT_SCHEME

PROPERTY = settings()  # the profile of tests/conftest.py: 150 examples in CI, 25 on a developer's machine
ROLLUPS = ["weighted_average", "worst_of", "points"]
Framework = tuple[list[CriterionSpec], dict[str, Answer]]


def scheme_with(rollup: str = "weighted_average", **changes: Any) -> dict[str, Any]:
    scheme = copy.deepcopy(DEFAULT_SCHEME)
    scheme["rollup"] = rollup
    scheme.update(changes)
    return scheme


# --- strategies -------------------------------------------------------------------------------------------------

levels_st = st.sampled_from(LEVELS)


def ordered(count: int) -> st.SearchStrategy[list[float]]:
    """`count` distinct floats in [0, 1], increasing."""
    return st.lists(st.floats(0, 1), min_size=count, max_size=count, unique=True).map(sorted)


@st.composite
def schemes(draw: st.DrawFn, rollup: str) -> dict[str, Any]:
    red, yellow, green = draw(ordered(3))
    low, high = draw(ordered(2))
    return scheme_with(
        rollup,
        levels={"red": red, "yellow": yellow, "green": green},
        indicator_thresholds={"yellow": low, "green": high},
        scale=draw(st.floats(1, 1000)),
    )


WEIGHTS = st.floats(0.1, 5)
MAX_POINTS = st.one_of(st.just(0.0), st.floats(0.5, 20))
THRESHOLD_PAIRS = st.lists(st.floats(0, 100), min_size=2, max_size=2, unique=True).map(sorted)
MEASURES = st.tuples(st.sampled_from(["higher_is_better", "lower_is_better"]), THRESHOLD_PAIRS)
Measure = tuple[str, list[float]]
MANAGEMENT_ANSWERS: st.SearchStrategy[Answer | None] = st.one_of(
    st.none(),
    st.just(Answer(na=True)),
    st.builds(Answer, level=levels_st),
    st.builds(Answer, level=st.none() | levels_st, points=st.floats(-5, 25)),
)
PERFORMANCE_ANSWERS: st.SearchStrategy[Answer | None] = MANAGEMENT_ANSWERS | st.builds(
    Answer, level=st.none() | levels_st, value=st.floats(-10, 110)
)


def make_spec(code: str, weight: float, max_points: float, measure: Measure | None) -> CriterionSpec:
    """A criterion of indicator "p.i" in pillar "p" from its code "p.i.c"; thresholds ordered by direction."""
    pillar, indicator, _ = code.split(".")
    spec = CriterionSpec(code, f"{pillar}.{indicator}", pillar, weight=weight, max_points=max_points)
    if measure is None:
        return spec
    direction, (low, high) = measure
    yellow, green = (low, high) if direction == "higher_is_better" else (high, low)
    return replace(spec, type="performance", direction=direction, yellow=yellow, green=green)


CRITERION_SHAPES = st.tuples(WEIGHTS, MAX_POINTS, st.none() | MEASURES)
MEASURED_SPECS = st.builds(lambda *shape: make_spec("4.6.5", *shape), WEIGHTS, MAX_POINTS, MEASURES)


@st.composite
def frameworks(draw: st.DrawFn) -> list[CriterionSpec]:
    """1–4 pillars of 1–4 indicators of 1–6 criteria, random weights, types and thresholds."""
    specs: list[CriterionSpec] = []
    for pillar in range(1, draw(st.integers(1, 4)) + 1):
        for indicator in range(1, draw(st.integers(1, 4)) + 1):
            for criterion in range(1, draw(st.integers(1, 6)) + 1):
                specs.append(make_spec(f"{pillar}.{indicator}.{criterion}", *draw(CRITERION_SHAPES)))
    return specs


@st.composite
def answer_sets(draw: st.DrawFn, specs: Sequence[CriterionSpec]) -> dict[str, Answer]:
    """Random answers: missing, N/A, a level, points, or (performance) a measured value."""
    answers: dict[str, Answer] = {}
    for spec in specs:
        answer = draw(PERFORMANCE_ANSWERS if spec.type == "performance" else MANAGEMENT_ANSWERS)
        if answer is not None:
            answers[spec.code] = answer
    return answers


@st.composite
def answered_frameworks(draw: st.DrawFn) -> Framework:
    specs = draw(frameworks())
    return specs, draw(answer_sets(specs))


def level_index(level: Level | None) -> int:
    assert level is not None
    return LEVELS.index(level)


def indicator_specs(specs: Sequence[CriterionSpec], indicator: str) -> list[CriterionSpec]:
    return [spec for spec in specs if spec.indicator == indicator]


# --- purity -----------------------------------------------------------------------------------------------------


def test_engine_imports_only_the_standard_library() -> None:
    tree = ast.parse(Path(scoring.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"__future__", "math", "collections", "dataclasses", "typing"}


def test_default_scheme_is_the_one_the_examples_assume() -> None:
    assert DEFAULT_SCHEME["levels"] == {"red": 0, "yellow": 0.5, "green": 1}
    assert DEFAULT_SCHEME["indicator_thresholds"] == {"yellow": 0.5, "green": 0.85}
    assert DEFAULT_SCHEME["scale"] == 100
    assert DEFAULT_SCHEME["rollup"] == "weighted_average"


# --- bounds and structure ---------------------------------------------------------------------------------------


def assert_well_formed(result: Result, scheme: Mapping[str, Any], specs: Sequence[CriterionSpec]) -> None:
    assert list(result.criteria) == [spec.code for spec in specs]
    for criterion in result.criteria.values():
        assert criterion.value is None or 0 <= criterion.value <= 1
        assert criterion.answered == (criterion.value is not None)
        assert criterion.applicable or not criterion.answered
    for indicator in result.indicators.values():
        assert indicator.score is None or 0 <= indicator.score <= 1
        assert (indicator.score is None) == (indicator.colour is None)
        assert 0 <= indicator.answered <= indicator.total
        assert indicator.applicable == (indicator.total > 0)
        assert (indicator.score is None) == (indicator.answered == 0)
    for pillar in result.pillars.values():
        assert pillar.score is None or 0 <= pillar.score <= 1
        assert set(pillar.colours) == set(LEVELS)
        assert sum(pillar.colours.values()) <= pillar.applicable_indicators
    assert result.total is None or 0 <= result.total <= scheme["scale"]
    assert (result.total is None) == (result.classification is None)
    assert result.complete == all(c.answered for c in result.criteria.values() if c.applicable)


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_scores_stay_in_bounds(rollup: str, data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    scheme = data.draw(schemes(rollup))
    assert_well_formed(score(scheme, specs, answers), scheme, specs)


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(framework=answered_frameworks())
def test_scoring_is_deterministic(rollup: str, framework: Framework) -> None:
    specs, answers = framework
    scheme = scheme_with(rollup)
    assert score(scheme, specs, answers) == score(scheme, list(specs), dict(answers))


def reference_indicator(
    scheme: Mapping[str, Any], specs: Sequence[CriterionSpec], answers: Mapping[str, Answer]
) -> tuple[float | None, Level | None]:
    """The indicator's (score, colour) recomputed naively from the rules, for one indicator's criteria."""
    levels, rollup = scheme["levels"], scheme["rollup"]
    parts: list[tuple[Level | None, float, float]] = []  # (level, numerator, denominator)
    for spec in specs:
        answer = answers.get(spec.code)
        if answer is None or answer.na:
            continue
        level = answer.level
        if spec.type == "performance" and answer.value is not None:
            level = level_from_value(spec, answer.value)
        top = spec.max_points if spec.max_points > 0 else 1
        if rollup == "points" and answer.points is not None:
            parts.append((level, min(max(answer.points, 0), top), top))
        elif level is not None:
            weight = top if rollup == "points" else spec.weight
            parts.append((level, levels[level] * weight, weight))
    if not parts:
        return None, None
    if rollup == "worst_of":
        worst = LEVELS[min(LEVELS.index(level) for level, _, _ in parts if level is not None)]
        return levels[worst], worst
    value = sum(part[1] for part in parts) / sum(part[2] for part in parts)
    thresholds = scheme["indicator_thresholds"]
    colour: Level = "green" if value >= thresholds["green"] else "yellow" if value >= thresholds["yellow"] else "red"
    return value, colour


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(framework=answered_frameworks())
def test_indicators_match_a_naive_recomputation(rollup: str, framework: Framework) -> None:
    specs, answers = framework
    scheme = scheme_with(rollup)
    result = score(scheme, specs, answers)
    for code, indicator in result.indicators.items():
        expected_score, expected_colour = reference_indicator(scheme, indicator_specs(specs, code), answers)
        if expected_score is None:
            assert indicator.score is None
            continue
        assert indicator.score == pytest.approx(expected_score, abs=1e-12)
        if min(abs(expected_score - t) for t in (0.5, 0.85)) > 1e-7:  # clear of the colour thresholds
            assert indicator.colour == expected_colour
    scored = [i.score for i in result.indicators.values() if i.score is not None]
    assert result.total == (pytest.approx(100 * sum(scored) / len(scored)) if scored else None)


# --- N/A --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_na_is_the_same_as_leaving_the_criterion_out(rollup: str, data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    scheme = scheme_with(rollup)
    target = data.draw(st.sampled_from(specs))
    marked = score(scheme, specs, {**answers, target.code: Answer(level="green", na=True)})
    without = score(
        scheme,
        [spec for spec in specs if spec.code != target.code],
        {code: answer for code, answer in answers.items() if code != target.code},
    )
    for code, indicator in without.indicators.items():
        assert marked.indicators[code] == indicator
    if target.indicator not in without.indicators:
        assert not marked.indicators[target.indicator].applicable
    for code, pillar in without.pillars.items():
        assert marked.pillars[code] == pillar
    assert (marked.total, marked.classification, marked.complete) == (
        without.total,
        without.classification,
        without.complete,
    )


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_na_leaves_other_indicators_alone(rollup: str, data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    scheme = scheme_with(rollup)
    target = data.draw(st.sampled_from(specs))
    before = score(scheme, specs, answers)
    after = score(scheme, specs, {**answers, target.code: Answer(na=True)})
    assert not after.criteria[target.code].applicable
    for code, indicator in before.indicators.items():
        if code != target.indicator:
            assert after.indicators[code] == indicator


def test_indicator_with_every_criterion_na_drops_out() -> None:
    specs = [CriterionSpec("1.1.1", "1.1", "1"), CriterionSpec("1.2.1", "1.2", "1"), CriterionSpec("2.1.1", "2.1", "2")]
    result = score(
        scheme_with(), specs, {"1.1.1": Answer(na=True), "1.2.1": Answer("yellow"), "2.1.1": Answer(na=True)}
    )
    assert result.indicators["1.1"] == scoring.IndicatorScore("1.1", "1", False, None, None, 0, 0)
    assert result.pillars["1"].applicable_indicators == 1
    assert result.pillars["1"].score == 0.5
    assert result.pillars["2"] == scoring.PillarScore("2", None, 0, {"red": 0, "yellow": 0, "green": 0})
    assert result.total == 50
    assert result.complete


# --- monotonicity -----------------------------------------------------------------------------------------------


def assert_not_lower(low: float | None, high: float | None) -> None:
    assert low is not None and high is not None
    assert high >= low


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_raising_a_level_never_lowers_anything(rollup: str, data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    scheme = data.draw(schemes(rollup))
    target = data.draw(st.sampled_from(specs))
    low, high = data.draw(
        st.lists(levels_st, min_size=2, max_size=2, unique=True).map(lambda p: sorted(p, key=LEVELS.index))
    )
    worse = score(scheme, specs, {**answers, target.code: Answer(level=low)})
    better = score(scheme, specs, {**answers, target.code: Answer(level=high)})
    assert_not_lower(worse.indicators[target.indicator].score, better.indicators[target.indicator].score)
    assert level_index(worse.indicators[target.indicator].colour) <= level_index(
        better.indicators[target.indicator].colour
    )
    assert_not_lower(worse.pillars[target.pillar].score, better.pillars[target.pillar].score)
    assert_not_lower(worse.total, better.total)


@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_a_better_measured_value_never_lowers_the_indicator(data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    measured = [spec for spec in specs if spec.type == "performance"]
    assume(measured)
    target = data.draw(st.sampled_from(measured))
    first, second = sorted(data.draw(st.lists(st.floats(-10, 110), min_size=2, max_size=2)))
    worse_value, better_value = (first, second) if target.direction == "higher_is_better" else (second, first)
    scheme = scheme_with("weighted_average")
    worse = score(scheme, specs, {**answers, target.code: Answer(value=worse_value)})
    better = score(scheme, specs, {**answers, target.code: Answer(value=better_value)})
    assert_not_lower(worse.indicators[target.indicator].score, better.indicators[target.indicator].score)
    assert_not_lower(worse.total, better.total)


# --- weights ----------------------------------------------------------------------------------------------------


def scale_weights(specs: Sequence[CriterionSpec], indicator: str, factor: float) -> list[CriterionSpec]:
    return [replace(spec, weight=spec.weight * factor) if spec.indicator == indicator else spec for spec in specs]


@PROPERTY
@given(data=st.data(), framework=answered_frameworks(), factor=st.sampled_from([0.125, 0.25, 0.5, 2.0, 4.0, 16.0]))
def test_scaling_an_indicators_weights_by_a_power_of_two_changes_nothing(
    data: st.DataObject, framework: Framework, factor: float
) -> None:
    specs, answers = framework
    indicator = data.draw(st.sampled_from(specs)).indicator
    scheme = scheme_with("weighted_average")
    assert score(scheme, scale_weights(specs, indicator, factor), answers) == score(scheme, specs, answers)


@PROPERTY
@given(data=st.data(), framework=answered_frameworks(), factor=st.floats(0.01, 100))
def test_scaling_an_indicators_weights_keeps_its_score(
    data: st.DataObject, framework: Framework, factor: float
) -> None:
    specs, answers = framework
    indicator = data.draw(st.sampled_from(specs)).indicator
    scheme = scheme_with("weighted_average")
    before = score(scheme, specs, answers).indicators[indicator].score
    after = score(scheme, scale_weights(specs, indicator, factor), answers).indicators[indicator].score
    assert (before is None) == (after is None)
    if before is not None and after is not None:
        assert math.isclose(before, after, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize(
    ("weights", "levels", "expected"),
    [((1, 3), ("green", "red"), 0.25), ((3, 1), ("green", "red"), 0.75), ((1, 3), ("yellow", "green"), 0.875)],
)
def test_weights_renormalise(weights: tuple[float, float], levels: tuple[Level, Level], expected: float) -> None:
    specs = [
        CriterionSpec("1.1.1", "1.1", "1", weight=weights[0]),
        CriterionSpec("1.1.2", "1.1", "1", weight=weights[1]),
    ]
    result = score(scheme_with(), specs, {"1.1.1": Answer(levels[0]), "1.1.2": Answer(levels[1])})
    assert result.indicators["1.1"].score == pytest.approx(expected)


def test_weights_renormalise_around_na() -> None:
    specs = [
        CriterionSpec("1.1.1", "1.1", "1", weight=1),
        CriterionSpec("1.1.2", "1.1", "1", weight=3),
        CriterionSpec("1.1.3", "1.1", "1", weight=4),
    ]
    answers = {"1.1.1": Answer("green"), "1.1.2": Answer("red"), "1.1.3": Answer(na=True)}
    assert score(scheme_with(), specs, answers).indicators["1.1"].score == pytest.approx(0.25)  # (1*1 + 3*0) / 4


# --- performance thresholds ---------------------------------------------------------------------------------------


@PROPERTY
@given(spec=MEASURED_SPECS, values=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=2))
def test_level_from_value_is_monotone(spec: CriterionSpec, values: list[float]) -> None:
    low, high = sorted(values)
    if spec.direction == "higher_is_better":
        assert level_index(level_from_value(spec, low)) <= level_index(level_from_value(spec, high))
    else:
        assert level_index(level_from_value(spec, low)) >= level_index(level_from_value(spec, high))


@PROPERTY
@given(spec=MEASURED_SPECS)
def test_level_from_value_boundaries_are_inclusive(spec: CriterionSpec) -> None:
    assert spec.yellow is not None and spec.green is not None
    away = -math.inf if spec.direction == "higher_is_better" else math.inf
    assert level_from_value(spec, spec.green) == "green"
    assert level_from_value(spec, spec.yellow) == "yellow"
    assert level_from_value(spec, math.nextafter(spec.green, away)) == "yellow"
    assert level_from_value(spec, math.nextafter(spec.yellow, away)) == "red"


@pytest.mark.parametrize(
    ("direction", "yellow", "green", "value", "expected"),
    [
        ("higher_is_better", 75, 95, 96, "green"),
        ("higher_is_better", 75, 95, 95, "green"),
        ("higher_is_better", 75, 95, 80, "yellow"),
        ("higher_is_better", 75, 95, 75, "yellow"),
        ("higher_is_better", 75, 95, 74.9, "red"),
        ("lower_is_better", 10, 5, 5, "green"),
        ("lower_is_better", 10, 5, 7, "yellow"),
        ("lower_is_better", 10, 5, 10, "yellow"),
        ("lower_is_better", 10, 5, 10.5, "red"),
    ],
)
def test_level_from_value_examples(direction: str, yellow: float, green: float, value: float, expected: Level) -> None:
    spec = CriterionSpec("4.6.5", "4.6", "4", type="performance", direction=direction, yellow=yellow, green=green)
    assert level_from_value(spec, value) == expected


def test_effective_level() -> None:
    water = CriterionSpec("4.6.5", "4.6", "4", type="performance", direction="higher_is_better", yellow=75, green=95)
    management = CriterionSpec("4.6.1", "4.6", "4")
    assert effective_level(water, Answer(level="green", value=80)) == "yellow"  # the measurement wins
    assert effective_level(water, Answer(level="green")) == "green"  # no value yet: the typed level
    assert effective_level(water, Answer(level="red", value=math.nan)) == "red"  # an unusable value is no value
    assert effective_level(management, Answer(level="red", value=99)) == "red"  # values mean nothing here
    assert effective_level(water, Answer(level="green", value=99, na=True)) is None
    assert effective_level(water, None) is None
    assert effective_level(management, Answer()) is None
    with pytest.raises(ValueError, match="no thresholds"):
        level_from_value(management, 1)


# --- classification ---------------------------------------------------------------------------------------------


def expected_band(total: float) -> str:
    return next(c["code"] for c in DEFAULT_SCHEME["classes"][1:] if total >= c["min"] - 1e-9)


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(framework=answered_frameworks())
def test_tin_cay_only_when_complete_and_all_green(rollup: str, framework: Framework) -> None:
    specs, answers = framework
    result = score(scheme_with(rollup), specs, answers)
    applicable = [indicator for indicator in result.indicators.values() if indicator.applicable]
    all_green = result.complete and bool(applicable) and all(i.colour == "green" for i in applicable)
    if result.total is None:
        assert result.classification is None
    elif all_green:
        assert result.classification == "tin_cay"
    else:
        assert result.classification == expected_band(result.total)


@PROPERTY
@given(data=st.data(), framework=answered_frameworks())
def test_all_green_answers_are_tin_cay_until_one_is_missing(data: st.DataObject, framework: Framework) -> None:
    specs, answers = framework
    greens = {code: Answer(level="green") for code in (spec.code for spec in specs)}
    greens.update({code: answer for code, answer in answers.items() if answer.na})
    result = score(scheme_with(), specs, greens)
    assume(result.total is not None)
    assert result.classification == "tin_cay"
    target = data.draw(st.sampled_from([code for code in greens if not greens[code].na]))
    missing = score(scheme_with(), specs, {code: a for code, a in greens.items() if code != target})
    assert not missing.complete
    assert missing.classification == (None if missing.total is None else "tot")


def five_indicators(last: tuple[Level, Level]) -> Framework:
    specs = [CriterionSpec(f"1.{i}.{c}", f"1.{i}", "1") for i in range(1, 6) for c in (1, 2)]
    answers = {spec.code: Answer("green") for spec in specs}
    answers.update({"1.5.1": Answer(last[0]), "1.5.2": Answer(last[1])})
    return specs, answers


def test_one_yellow_indicator_at_95_is_tot() -> None:
    result = score(scheme_with(), *five_indicators(("green", "yellow")))
    assert result.indicators["1.5"].score == 0.75
    assert result.indicators["1.5"].colour == "yellow"
    assert result.total == pytest.approx(95)
    assert result.complete
    assert result.classification == "tot"


def test_all_green_complete_is_tin_cay() -> None:
    result = score(scheme_with(), *five_indicators(("green", "green")))
    assert result.total == 100
    assert result.classification == "tin_cay"
    assert result.pillars["1"].colours == {"red": 0, "yellow": 0, "green": 5}


def test_green_colour_does_not_need_a_perfect_score() -> None:
    specs, answers = five_indicators(("green", "green"))
    specs = [replace(spec, weight=17) if spec.code == "1.5.1" else replace(spec, weight=3) for spec in specs]
    answers["1.5.2"] = Answer("red")  # 17 / 20 = 0.85: green, exactly on the threshold
    result = score(scheme_with(), specs, answers)
    assert result.indicators["1.5"].score == pytest.approx(0.85)
    assert result.indicators["1.5"].colour == "green"
    assert result.classification == "tin_cay"


# --- tracks and gap ---------------------------------------------------------------------------------------------


@PROPERTY
@given(data=st.data(), specs=frameworks())
def test_score_tracks_scores_each_track_on_its_own(data: st.DataObject, specs: list[CriterionSpec]) -> None:
    by_track = {track: data.draw(answer_sets(specs)) for track in TRACKS}
    scheme = scheme_with(data.draw(st.sampled_from(ROLLUPS)))
    results = score_tracks(scheme, specs, by_track)
    assert list(results) == list(TRACKS)
    for track in TRACKS:
        assert results[track] == score(scheme, specs, by_track[track])
    changed = score_tracks(scheme, specs, {**by_track, "final": {}})
    assert changed["self"] == results["self"]
    assert changed["scorer"] == results["scorer"]


def test_score_tracks_missing_and_unknown_tracks() -> None:
    specs = [CriterionSpec("1.1.1", "1.1", "1")]
    results = score_tracks(scheme_with(), specs, {"self": {"1.1.1": Answer("green")}})
    assert results["self"].total == 100
    assert results["scorer"].total is None
    assert results["final"].total is None
    assert not results["final"].complete
    with pytest.raises(ValueError, match="unknown tracks"):
        score_tracks(scheme_with(), specs, {"council": {}})


@pytest.mark.parametrize("rollup", ROLLUPS)
@PROPERTY
@given(data=st.data(), specs=frameworks())
def test_gap_is_positive_when_self_is_greener(rollup: str, data: st.DataObject, specs: list[CriterionSpec]) -> None:
    final = {spec.code: Answer(level=data.draw(levels_st)) for spec in specs}
    self_answers = {
        code: Answer(level=LEVELS[data.draw(st.integers(level_index(answer.level), 2))])
        for code, answer in final.items()
    }
    results = score_tracks(scheme_with(rollup), specs, {"self": self_answers, "final": final})
    over = gap(results["self"], results["final"])
    assert set(over) == set(results["final"].indicators)
    assert all(difference >= 0 for difference in over.values())
    assert gap(results["final"], results["self"]) == {code: -difference for code, difference in over.items()}


def test_gap_example() -> None:
    specs = [CriterionSpec("1.1.1", "1.1", "1"), CriterionSpec("1.2.1", "1.2", "1"), CriterionSpec("1.3.1", "1.3", "1")]
    self_result = score(scheme_with(), specs, {"1.1.1": Answer("green"), "1.2.1": Answer("red")})
    final = score(scheme_with(), specs, {"1.1.1": Answer("yellow"), "1.2.1": Answer("green"), "1.3.1": Answer("red")})
    assert gap(self_result, final) == {"1.1": 0.5, "1.2": -1.0}  # 1.3 unanswered in self: no gap


# --- worked examples under the default scheme -------------------------------------------------------------------


def test_worked_example_weighted_average() -> None:
    specs = [
        CriterionSpec("1.1.1", "1.1", "1"),
        CriterionSpec("1.1.2", "1.1", "1"),
        CriterionSpec("1.2.1", "1.2", "1"),
        CriterionSpec("1.2.2", "1.2", "1", weight=2),
        CriterionSpec("1.2.3", "1.2", "1"),
        CriterionSpec("2.1.1", "2.1", "2"),
        CriterionSpec("2.1.2", "2.1", "2", type="performance", direction="lower_is_better", yellow=10, green=5),
        CriterionSpec("2.1.3", "2.1", "2"),
        CriterionSpec("2.2.1", "2.2", "2"),
    ]
    answers = {
        "1.1.1": Answer("green"),
        "1.1.2": Answer("yellow"),
        "1.2.1": Answer("green"),
        "1.2.2": Answer("green"),
        "1.2.3": Answer(na=True),
        "2.1.1": Answer("red"),
        "2.1.2": Answer(level="green", value=8),  # measured 8 with yellow up to 10: yellow
        "2.2.1": Answer(na=True),
    }  # 2.1.3 unanswered
    result = score(scheme_with(), specs, answers)
    assert result.indicators["1.1"] == scoring.IndicatorScore("1.1", "1", True, 0.75, "yellow", 2, 2)
    assert result.indicators["1.2"] == scoring.IndicatorScore("1.2", "1", True, 1.0, "green", 2, 2)
    assert result.indicators["2.1"] == scoring.IndicatorScore("2.1", "2", True, 0.25, "red", 2, 3)
    assert result.indicators["2.2"] == scoring.IndicatorScore("2.2", "2", False, None, None, 0, 0)
    assert result.criteria["2.1.2"] == scoring.CriterionScore("2.1.2", True, True, "yellow", 0.5)
    assert result.criteria["2.1.3"] == scoring.CriterionScore("2.1.3", True, False, None, None)
    assert result.pillars["1"].score == pytest.approx(0.875)
    assert result.pillars["2"].score == pytest.approx(0.25)
    assert result.pillars["2"].colours == {"red": 1, "yellow": 0, "green": 0}
    # total = mean of the three scored indicators (not of the two pillars, which would give 56.25)
    assert result.total == pytest.approx(200 / 3)
    assert result.classification == "kha"
    assert not result.complete


def test_worked_example_worst_of() -> None:
    specs = [CriterionSpec(f"1.1.{n}", "1.1", "1") for n in (1, 2, 3)] + [CriterionSpec("1.2.1", "1.2", "1")]
    answers = {"1.1.1": Answer("green"), "1.1.2": Answer("yellow"), "1.1.3": Answer("green"), "1.2.1": Answer("red")}
    result = score(scheme_with("worst_of"), specs, answers)
    assert (result.indicators["1.1"].score, result.indicators["1.1"].colour) == (0.5, "yellow")
    assert (result.indicators["1.2"].score, result.indicators["1.2"].colour) == (0.0, "red")
    assert result.total == 25
    assert result.classification == "yeu"


def test_worked_example_points() -> None:
    specs = [
        CriterionSpec("1.1.1", "1.1", "1", max_points=10),
        CriterionSpec("1.1.2", "1.1", "1", max_points=5),
        CriterionSpec("1.2.1", "1.2", "1", max_points=10),
        CriterionSpec("1.2.2", "1.2", "1", max_points=0),  # counts as 1 point
    ]
    answers = {
        "1.1.1": Answer(level="red", points=7),  # points given directly win over the level
        "1.1.2": Answer("yellow"),  # 0.5 * 5 = 2.5
        "1.2.1": Answer(points=12),  # clamped to 10
        "1.2.2": Answer(points=-3),  # clamped to 0
    }
    result = score(scheme_with("points"), specs, answers)
    assert result.indicators["1.1"].score == pytest.approx(9.5 / 15)
    assert result.indicators["1.1"].colour == "yellow"
    assert result.criteria["1.1.1"].value == pytest.approx(0.7)
    assert result.indicators["1.2"].score == pytest.approx(10 / 11)
    assert result.indicators["1.2"].colour == "green"
    assert result.criteria["1.2.2"].value == 0
    assert result.total == pytest.approx((9.5 / 15 + 10 / 11) / 2 * 100)


def test_nothing_answered_yet() -> None:
    specs = [CriterionSpec("1.1.1", "1.1", "1"), CriterionSpec("1.1.2", "1.1", "1")]
    result = score(scheme_with(), specs, {})
    assert result.indicators["1.1"] == scoring.IndicatorScore("1.1", "1", True, None, None, 0, 2)
    assert result.pillars["1"].score is None
    assert (result.total, result.classification, result.complete) == (None, None, False)


def test_bad_input_is_refused() -> None:
    spec = CriterionSpec("1.1.1", "1.1", "1")
    with pytest.raises(ValueError, match="listed twice"):
        score(scheme_with(), [spec, spec], {})
    with pytest.raises(ValueError, match="weight"):
        score(scheme_with(), [replace(spec, weight=0)], {})
    with pytest.raises(ValueError, match="two pillars"):
        score(scheme_with(), [spec, CriterionSpec("1.1.2", "1.1", "2")], {})
    with pytest.raises(ValueError, match="unknown rollup"):
        score(scheme_with("median"), [spec], {})
    with pytest.raises(ValueError, match="unknown level"):
        score(scheme_with(), [spec], {"1.1.1": Answer(level="blue")})  # type: ignore[arg-type]
