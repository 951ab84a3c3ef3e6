"""Scoring scheme of a framework version, as data: defaults and validation (pure; no ORM).

The engine that applies a scheme to results lives in ``tincay.assessments.scoring``; this module only makes
sure a scheme is complete and coherent before it is stored.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tincay.catalogue.choices import Rollup

DEFAULT_SCHEME: dict[str, Any] = {
    "levels": {"red": 0, "yellow": 0.5, "green": 1},
    "rollup": Rollup.WEIGHTED_AVERAGE.value,
    "indicator_thresholds": {"yellow": 0.5, "green": 0.85},
    "scale": 100,
    "na_policy": "exclude_renormalise",
    "na_requires_reason": True,
    "classes": [
        {"code": "tin_cay", "label": {"vi": "Tin cậy", "en": "Reliable"}, "all_green": True},
        {"code": "tot", "label": {"vi": "Tốt", "en": "Good"}, "min": 80},
        {"code": "kha", "label": {"vi": "Khá", "en": "Fairly good"}, "min": 65},
        {"code": "trung_binh", "label": {"vi": "Trung bình", "en": "Average"}, "min": 50},
        {"code": "yeu", "label": {"vi": "Yếu", "en": "Weak"}, "min": 0},
    ],
}
NA_POLICIES = {"exclude_renormalise"}


def number(value: Any) -> int | float:
    """A JSON-stable number: integral values become int (1.0 -> 1, Decimal('75.0000') -> 75)."""
    if isinstance(value, bool):
        raise ValueError("boolean is not a number")
    as_float = float(value)
    if as_float != as_float or as_float in (float("inf"), float("-inf")):
        raise ValueError("not a finite number")
    return int(as_float) if as_float.is_integer() else round(as_float, 6)


def _text_pair(raw: Any) -> dict[str, str]:
    if isinstance(raw, str):
        return {"vi": raw.strip(), "en": ""}
    raw = raw or {}
    return {"vi": str(raw.get("vi") or "").strip(), "en": str(raw.get("en") or "").strip()}


def normalise_scheme(raw: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Fill defaults and check the rules of docs/framework-format.md; returns (scheme, problems)."""
    problems: list[tuple[str, str]] = []
    raw = raw if isinstance(raw, dict) else {}
    scheme: dict[str, Any] = {}

    def num(path: str, value: Any) -> int | float | None:
        try:
            return number(value)
        except (TypeError, ValueError):
            problems.append((path, _("must be a number, got “%(value)s”") % {"value": value}))
            return None

    levels_raw = raw.get("levels") or DEFAULT_SCHEME["levels"]
    levels = {name: num(f"scoring.levels.{name}", levels_raw.get(name)) for name in ("red", "yellow", "green")}
    scheme["levels"] = levels
    if None not in levels.values() and not (0 <= levels["red"] < levels["yellow"] < levels["green"] <= 1):
        problems.append(("scoring.levels", _("level values must increase red < yellow < green within 0..1")))

    rollup = raw.get("rollup", DEFAULT_SCHEME["rollup"])
    if rollup not in Rollup.values:
        problems.append(("scoring.rollup", _("must be one of %(choices)s") % {"choices": ", ".join(Rollup.values)}))
    scheme["rollup"] = rollup

    thresholds_raw = raw.get("indicator_thresholds") or DEFAULT_SCHEME["indicator_thresholds"]
    thresholds = {
        name: num(f"scoring.indicator_thresholds.{name}", thresholds_raw.get(name)) for name in ("yellow", "green")
    }
    scheme["indicator_thresholds"] = thresholds
    if None not in thresholds.values() and not (0 <= thresholds["yellow"] < thresholds["green"] <= 1):
        problems.append(
            (
                "scoring.indicator_thresholds",
                _("the yellow threshold must be below the green one, within 0..1"),
            )
        )

    scale = num("scoring.scale", raw.get("scale", DEFAULT_SCHEME["scale"]))
    if scale is not None and scale <= 0:
        problems.append(("scoring.scale", _("must be greater than 0")))
    scheme["scale"] = scale

    na_policy = raw.get("na_policy", DEFAULT_SCHEME["na_policy"])
    if na_policy not in NA_POLICIES:
        problems.append(("scoring.na_policy", _("must be one of %(choices)s") % {"choices": ", ".join(NA_POLICIES)}))
    scheme["na_policy"] = na_policy
    scheme["na_requires_reason"] = bool(raw.get("na_requires_reason", True))

    classes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, item in enumerate(raw.get("classes") or DEFAULT_SCHEME["classes"]):
        path = f"scoring.classes[{index}]"
        code = str(item.get("code") or "").strip()
        if not code:
            problems.append((path, _("a class needs a code")))
        elif code in seen:
            problems.append((path, _("class code “%(code)s” is used twice") % {"code": code}))
        seen.add(code)
        entry: dict[str, Any] = {"code": code, "label": _text_pair(item.get("label"))}
        if not entry["label"]["vi"]:
            problems.append((path, _("a class needs a Vietnamese label")))
        if item.get("all_green"):
            entry["all_green"] = True
        elif "min" in item:
            entry["min"] = num(f"{path}.min", item["min"])
            if entry["min"] is not None and scale is not None and not 0 <= entry["min"] <= scale:
                problems.append((path, _("min must be within 0..scale")))
        else:
            problems.append((path, _("a class needs either all_green: true or a min")))
        classes.append(entry)
    if classes and classes[-1].get("min") != 0:
        problems.append(("scoring.classes", _("the last class must have min: 0 so that every total has a class")))
    scheme["classes"] = classes
    return scheme, problems
