"""Pure scoring engine: applies a framework version's scoring scheme to one set of answers.

No Django, no database, no settings: the caller passes the scheme (the canonical dict of
docs/framework-format.md, "Scoring scheme"), the criteria as :class:`CriterionSpec` and the answers by
criterion code, and gets back a :class:`Result`. Nothing is rounded here; callers round for display.

Rules (TCVN ISO 18091:2020 diagnostic, default scheme in ``tincay.catalogue.scheme.DEFAULT_SCHEME``):

- A criterion's level is the chosen traffic light, except that a performance criterion with a measured value
  and both thresholds takes the level of the value (the measurement wins over a typed level).
- A criterion's value in [0, 1] is the scheme's value of its level (``levels``). With ``rollup: points`` its
  points are ``answer.points`` clamped to [0, max_points] when given, else ``levels[level] * max_points``, and its
  value is points / max_points (a max_points <= 0 counts as 1).
- N/A criteria drop out and the weights of the rest are renormalised. Unanswered criteria (neither N/A nor
  level nor usable value) drop out of the scores too, but make the result incomplete.
- Indicator: ``weighted_average`` = sum(w * v) / sum(w); ``points`` = sum(points) / sum(max_points); both
  coloured by ``indicator_thresholds`` (green from ``green``, yellow from ``yellow``, else red, with a 1e-9
  tolerance). ``worst_of``: colour = the worst answered level, score = that level's value. An indicator whose
  criteria are all N/A is not applicable; an applicable one with nothing answered has no score and no colour.
- Pillar score = plain mean of its scored indicators. Total = mean of every scored indicator (not of the
  pillars) times ``scale``.
- Classification: the first class of ``classes`` that matches; ``all_green`` matches only a complete result
  whose applicable indicators (at least one) are all green, ``min`` matches when total >= min (1e-9 tolerance).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Level = Literal["red", "yellow", "green"]
LEVELS: tuple[Level, ...] = ("red", "yellow", "green")  # worst to best
TRACKS: tuple[str, ...] = ("self", "scorer", "final")
ROLLUPS: tuple[str, ...] = ("weighted_average", "worst_of", "points")
EPSILON = 1e-9


@dataclass(frozen=True)
class CriterionSpec:
    """What the engine needs to know about one criterion of a framework version."""

    code: str
    indicator: str  # indicator code, e.g. "4.6"
    pillar: str  # pillar code, e.g. "4"
    weight: float = 1.0
    max_points: float = 0.0
    type: str = "management"  # "management" | "performance"
    direction: str = ""  # "higher_is_better" | "lower_is_better" (performance only)
    yellow: float | None = None  # threshold from which a measured value is yellow
    green: float | None = None  # threshold from which a measured value is green


@dataclass(frozen=True)
class Answer:
    """One answer to one criterion, in one track (self, scorer, final)."""

    level: Level | None = None  # chosen traffic-light level
    value: float | None = None  # measured value (performance criteria)
    points: float | None = None  # points given directly (points rollup), optional
    na: bool = False  # not applicable


@dataclass(frozen=True)
class CriterionScore:
    code: str
    applicable: bool
    answered: bool
    level: Level | None
    value: float | None  # in [0, 1]: the level's value, or the share of max_points


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    pillar: str
    applicable: bool
    score: float | None  # in [0, 1]
    colour: Level | None
    answered: int  # applicable criteria answered
    total: int  # applicable criteria


@dataclass(frozen=True)
class PillarScore:
    code: str
    score: float | None  # in [0, 1]
    applicable_indicators: int
    colours: dict[str, int]  # number of applicable indicators of each colour, every level present


@dataclass(frozen=True)
class Result:
    criteria: dict[str, CriterionScore]
    indicators: dict[str, IndicatorScore]
    pillars: dict[str, PillarScore]
    total: float | None  # on 0..scheme["scale"]
    classification: str | None  # class code, None when total is None
    complete: bool  # every applicable criterion answered


@dataclass(frozen=True)
class _Rules:
    """The parts of a scheme the engine uses, as floats."""

    rollup: str
    levels: dict[str, float]
    yellow: float
    green: float
    scale: float
    classes: tuple[Mapping[str, Any], ...]


# A scored criterion with its contribution (numerator, denominator) to its indicator's score.
_Scored = tuple[CriterionScore, float, float]


def _finite(number: float | None) -> float | None:
    """The number as a float, or None when missing, NaN or infinite."""
    if number is None:
        return None
    as_float = float(number)
    return as_float if math.isfinite(as_float) else None


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _rules(scheme: Mapping[str, Any]) -> _Rules:
    rollup = scheme["rollup"]
    if rollup not in ROLLUPS:
        raise ValueError(f"unknown rollup {rollup!r}")
    levels = {name: float(scheme["levels"][name]) for name in LEVELS}
    thresholds = scheme["indicator_thresholds"]
    return _Rules(
        rollup=rollup,
        levels=levels,
        yellow=float(thresholds["yellow"]),
        green=float(thresholds["green"]),
        scale=float(scheme["scale"]),
        classes=tuple(scheme.get("classes") or ()),
    )


def level_from_value(spec: CriterionSpec, value: float) -> Level:
    """The level of a measured value against the criterion's thresholds; boundaries are inclusive.

    ``lower_is_better`` compares downwards; any other direction (including empty) counts as higher_is_better.
    """
    if spec.yellow is None or spec.green is None:
        raise ValueError(f"criterion {spec.code} has no thresholds")
    if spec.direction == "lower_is_better":
        if value <= spec.green:
            return "green"
        return "yellow" if value <= spec.yellow else "red"
    if value >= spec.green:
        return "green"
    return "yellow" if value >= spec.yellow else "red"


def effective_level(spec: CriterionSpec, answer: Answer | None) -> Level | None:
    """The level that counts: the measured value's for a performance criterion, else the chosen one."""
    if answer is None or answer.na:
        return None
    value = _finite(answer.value)
    if spec.type == "performance" and value is not None and spec.yellow is not None and spec.green is not None:
        return level_from_value(spec, value)
    if answer.level is not None and answer.level not in LEVELS:
        raise ValueError(f"criterion {spec.code}: unknown level {answer.level!r}")
    return answer.level


def _score_criterion(rules: _Rules, spec: CriterionSpec, answer: Answer | None) -> _Scored:
    if answer is not None and answer.na:
        return CriterionScore(spec.code, False, False, None, None), 0.0, 0.0
    level = effective_level(spec, answer)
    unanswered = CriterionScore(spec.code, True, False, None, None), 0.0, 0.0
    if rules.rollup == "points":
        top = spec.max_points if spec.max_points > 0 else 1.0
        given = _finite(answer.points) if answer is not None else None
        if given is not None:
            points = min(max(given, 0.0), top)
            return CriterionScore(spec.code, True, True, level, points / top), points, top
        if level is None:
            return unanswered
        share = rules.levels[level]
        return CriterionScore(spec.code, True, True, level, share), share * top, top
    if level is None:
        return unanswered
    value = rules.levels[level]
    return CriterionScore(spec.code, True, True, level, value), spec.weight * value, spec.weight


def _colour(rules: _Rules, score: float) -> Level:
    if score >= rules.green - EPSILON:
        return "green"
    return "yellow" if score >= rules.yellow - EPSILON else "red"


def _score_indicator(rules: _Rules, code: str, pillar: str, scored: Sequence[_Scored]) -> IndicatorScore:
    applicable = [item for item in scored if item[0].applicable]
    answered = [item for item in applicable if item[0].answered]
    if not applicable:
        return IndicatorScore(code, pillar, False, None, None, 0, 0)
    if not answered:
        return IndicatorScore(code, pillar, True, None, None, 0, len(applicable))
    if rules.rollup == "worst_of":
        colour: Level = min((item[0].level or "red" for item in answered), key=LEVELS.index)
        score_value = rules.levels[colour]
    else:
        numerator = math.fsum(item[1] for item in answered)
        score_value = numerator / math.fsum(item[2] for item in answered)
        colour = _colour(rules, score_value)
    return IndicatorScore(code, pillar, True, score_value, colour, len(answered), len(applicable))


def _score_pillar(code: str, indicators: Sequence[IndicatorScore]) -> PillarScore:
    applicable = [indicator for indicator in indicators if indicator.applicable]
    scores = [indicator.score for indicator in applicable if indicator.score is not None]
    colours = {level: sum(1 for indicator in applicable if indicator.colour == level) for level in LEVELS}
    return PillarScore(code, _mean(scores), len(applicable), colours)


def _classify(rules: _Rules, indicators: Sequence[IndicatorScore], total: float | None, complete: bool) -> str | None:
    if total is None:
        return None
    applicable = [indicator for indicator in indicators if indicator.applicable]
    all_green = complete and bool(applicable) and all(indicator.colour == "green" for indicator in applicable)
    for entry in rules.classes:
        if entry.get("all_green"):
            if all_green:
                return str(entry["code"])
        elif entry.get("min") is not None and total >= float(entry["min"]) - EPSILON:
            return str(entry["code"])
    return None


def _group(criteria: Sequence[CriterionSpec]) -> dict[str, list[CriterionSpec]]:
    """Criteria by indicator code, in order of first appearance; checks codes, weights and pillars."""
    seen: set[str] = set()
    groups: dict[str, list[CriterionSpec]] = {}
    for spec in criteria:
        if spec.code in seen:
            raise ValueError(f"criterion {spec.code} is listed twice")
        seen.add(spec.code)
        if not (math.isfinite(spec.weight) and spec.weight > 0):
            raise ValueError(f"criterion {spec.code}: weight must be a positive number")
        group = groups.setdefault(spec.indicator, [])
        if group and group[0].pillar != spec.pillar:
            raise ValueError(f"indicator {spec.indicator} is placed in two pillars")
        group.append(spec)
    return groups


def score(scheme: Mapping[str, Any], criteria: Sequence[CriterionSpec], answers: Mapping[str, Answer]) -> Result:
    """Score one set of answers (by criterion code) against the criteria under the scheme."""
    rules = _rules(scheme)
    criterion_scores: dict[str, CriterionScore] = {}
    indicators: dict[str, IndicatorScore] = {}
    by_pillar: dict[str, list[IndicatorScore]] = {}
    for code, specs in _group(criteria).items():
        scored = [_score_criterion(rules, spec, answers.get(spec.code)) for spec in specs]
        criterion_scores.update((item[0].code, item[0]) for item in scored)
        indicator = _score_indicator(rules, code, specs[0].pillar, scored)
        indicators[code] = indicator
        by_pillar.setdefault(indicator.pillar, []).append(indicator)
    pillars = {code: _score_pillar(code, members) for code, members in by_pillar.items()}
    mean = _mean([indicator.score for indicator in indicators.values() if indicator.score is not None])
    total = None if mean is None else mean * rules.scale
    complete = all(item.answered for item in criterion_scores.values() if item.applicable)
    classification = _classify(rules, list(indicators.values()), total, complete)
    return Result(criterion_scores, indicators, pillars, total, classification, complete)


def score_tracks(
    scheme: Mapping[str, Any],
    criteria: Sequence[CriterionSpec],
    answers_by_track: Mapping[str, Mapping[str, Answer]],
) -> dict[str, Result]:
    """One independent result per track of TRACKS; a missing track is scored with no answers."""
    unknown = set(answers_by_track) - set(TRACKS)
    if unknown:
        raise ValueError(f"unknown tracks: {', '.join(sorted(unknown))}")
    return {track: score(scheme, criteria, answers_by_track.get(track, {})) for track in TRACKS}


def gap(a: Result, b: Result) -> dict[str, float]:
    """Per indicator code, a.score - b.score where both are known (self minus final > 0: self over-rates)."""
    gaps: dict[str, float] = {}
    for code, indicator in a.indicators.items():
        other = b.indicators.get(code)
        if indicator.score is not None and other is not None and other.score is not None:
            gaps[code] = indicator.score - other.score
    return gaps
