"""One criterion or indicator edit, expressed on the version's document (pure: no ORM, no request).

The services apply an edit to the document of the draft, check the whole document with ``library.normalise`` and
``limits`` and only then write rows, so the rules of the format are written once. These helpers translate
between the fields of the forms (``title_vi``, ``threshold_green``) and the places of the document
(``pillars[0].indicators[2].criteria[1].measure.green``), both ways.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tincay.catalogue.choices import CriterionType
from tincay.catalogue.limits import decimal_problem
from tincay.catalogue.models import Criterion
from tincay.common.errors import ErrorCollector

_STEP = re.compile(r"(\w+)\[(\d+)\]")
_PAIRS = ("title", "description", "guidance")
_LEVELS = ("red", "yellow", "green")
_TEXTS = (
    *(f"{name}_{lang}" for name in _PAIRS for lang in ("vi", "en")),
    *(f"level_{level}_{lang}" for level in _LEVELS for lang in ("vi", "en")),
    "measure_unit_vi",
    "measure_unit_en",
    "type",
    "direction",
)
_MEASURE_KEYS = {"direction": "direction", "threshold_yellow": "yellow", "threshold_green": "green"}


def find(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """The entry of ``doc`` at ``pillars[0].indicators[2]`` (or deeper)."""
    node: Any = doc
    for key, index in _STEP.findall(path):
        node = node[key][int(index)]
    return node


def indicator_entry(doc: dict[str, Any], code: str) -> tuple[str, dict[str, Any]]:
    for p_index, pillar in enumerate(doc["pillars"]):
        for i_index, indicator in enumerate(pillar["indicators"]):
            if indicator["code"] == code:
                return f"pillars[{p_index}].indicators[{i_index}]", indicator
    raise KeyError(code)


def _codes(doc: dict[str, Any]) -> set[str]:
    codes = set()
    for pillar in doc["pillars"]:
        codes.add(pillar["code"])
        for indicator in pillar["indicators"]:
            codes.add(indicator["code"])
            codes.update(c["code"] for c in indicator["criteria"])
    return codes


def criterion_entry(doc: dict[str, Any], indicator_code: str, code: str | None) -> tuple[str, dict[str, Any]]:
    """The place of criterion ``code`` under the indicator; with ``code`` None, a new blank one with the next
    free code (``4.6.7``) appended there."""
    i_path, indicator = indicator_entry(doc, indicator_code)
    criteria = indicator["criteria"]
    if code is not None:
        index = next(n for n, c in enumerate(criteria) if c["code"] == code)
        return f"{i_path}.criteria[{index}]", criteria[index]
    taken, number = _codes(doc), 1
    while f"{indicator_code}.{number}" in taken:
        number += 1
    blank = {"vi": "", "en": ""}
    entry = {
        "code": f"{indicator_code}.{number}",
        **{name: dict(blank) for name in _PAIRS},
        "type": CriterionType.MANAGEMENT.value,
        "weight": 1,
        "max_points": 0,
        "applies_to": [],
        "levels": {level: dict(blank) for level in _LEVELS},
        "measure": None,
    }
    criteria.append(entry)
    return f"{i_path}.criteria[{len(criteria) - 1}]", entry


def check_criterion_input(data: Mapping[str, Any], errors: ErrorCollector) -> None:
    """Types and column digits of the values as given (before the document rounds them)."""
    for name in _TEXTS:
        if name in data and data[name] is not None and not isinstance(data[name], str):
            errors.add(name, _("Enter text here."))
    if "applies_to" in data and (
        not isinstance(data["applies_to"], (list, tuple)) or not all(isinstance(k, str) for k in data["applies_to"])
    ):
        errors.add("applies_to", _("Give a list of unit kinds."))
    if "weight" in data and data["weight"] in (None, ""):
        errors.add("weight", _("Enter a number greater than 0."))
    for name, minimum in (
        ("weight", None),
        ("max_points", Decimal(0)),
        ("threshold_yellow", None),
        ("threshold_green", None),
    ):
        if name in data:
            message = decimal_problem(data[name], Criterion, name, minimum=minimum)
            if message:
                errors.add(name, message)


def apply_criterion_data(entry: dict[str, Any], data: Mapping[str, Any]) -> None:
    """Write form-shaped ``data`` onto a document criterion (checked afterwards with the whole document)."""
    for name in _PAIRS:
        for lang in ("vi", "en"):
            if f"{name}_{lang}" in data:
                entry[name][lang] = data[f"{name}_{lang}"] or ""
    for level in _LEVELS:
        for lang in ("vi", "en"):
            if f"level_{level}_{lang}" in data:
                entry["levels"][level][lang] = data[f"level_{level}_{lang}"] or ""
    for name in ("type", "weight", "max_points"):
        if name in data:
            entry[name] = data[name]
    if "applies_to" in data:
        entry["applies_to"] = list(data["applies_to"])
    measure = entry.get("measure") or {"unit": {"vi": "", "en": ""}, "direction": "", "yellow": None, "green": None}
    for name, key in _MEASURE_KEYS.items():
        if name in data:
            measure[key] = None if data[name] == "" else data[name]
    for lang in ("vi", "en"):
        if f"measure_unit_{lang}" in data:
            measure["unit"][lang] = data[f"measure_unit_{lang}"] or ""
    entry["measure"] = measure if entry["type"] == CriterionType.PERFORMANCE else None


def _relative(path: str, prefix: str) -> list[str] | None:
    if path == prefix:
        return []
    if path.startswith(prefix + "."):
        return path[len(prefix) + 1 :].split(".")
    return None


def criterion_field(path: str, prefix: str) -> str | None:
    """The form field of a problem at ``path`` when it lies in the criterion at ``prefix``; else None."""
    parts = _relative(path, prefix)
    if not parts:
        return None
    head, rest = parts[0], parts[1:]
    if head in _PAIRS:
        return f"{head}_{rest[0] if rest else 'vi'}"
    if head == "levels" and rest:
        return f"level_{rest[0]}_{rest[1] if len(rest) > 1 else 'vi'}"
    if head in ("type", "weight", "max_points", "applies_to"):
        return head
    if head == "measure":
        if not rest:
            return "threshold_green"
        if rest[0] == "unit":
            return f"measure_unit_{rest[1] if len(rest) > 1 else 'vi'}"
        return {"direction": "direction", "yellow": "threshold_yellow", "green": "threshold_green"}.get(rest[0])
    return None


def apply_indicator_data(entry: dict[str, Any], data: Mapping[str, Any]) -> None:
    for name in ("title", "description"):
        for lang in ("vi", "en"):
            if f"{name}_{lang}" in data:
                entry[name][lang] = data[f"{name}_{lang}"] or ""
    for name in ("sdgs", "iso9001"):
        if name in data:
            entry[name] = list(data[name])


def indicator_field(path: str, prefix: str) -> str | None:
    """The form field of a problem at ``path`` when it is one of the indicator's own; else None."""
    parts = _relative(path, prefix)
    if not parts:
        return None
    if parts[0] in ("title", "description"):
        return f"{parts[0]}_{parts[1] if len(parts) > 1 else 'vi'}"
    return parts[0] if parts[0] in ("sdgs", "iso9001") else None
