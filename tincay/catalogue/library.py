"""Framework library documents (docs/framework-format.md): parse, check, canonicalise, hash, dump.

A *document* is the plain-dict form of one framework version. YAML files, Excel workbooks and the database
all convert to and from this one form, so round trips compare documents. Pure: no ORM, no request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _

from tincay.catalogue.choices import CriterionType, Direction, VersionStatus
from tincay.catalogue.scheme import _text_pair, normalise_scheme, number
from tincay.common.choices import UnitKind

FORMAT = "tincay-framework/1"
UNIT_KINDS = tuple(UnitKind.values)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.-]*$")


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class LibraryError(ValueError):
    """The document breaks the format; ``problems`` lists every broken rule with its place."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def text(self, raw: Any, path: str, *, required: bool = True) -> dict[str, str]:
        if raw is not None and not isinstance(raw, (dict, str)):
            self.add(path, _("must be a pair {vi: ..., en: ...}"))
            raw = None
        pair = _text_pair(raw)
        if required and not pair["vi"]:
            self.add(path, _("the Vietnamese text is required"))
        return pair

    def num(self, raw: Any, path: str, default: Any = None) -> int | float | None:
        if raw is None:
            return default
        try:
            return number(raw)
        except (TypeError, ValueError):
            self.add(path, _("must be a number, got “%(value)s”") % {"value": raw})
            return default

    def code(self, raw: Any, path: str, prefix: str | None = None) -> str:
        code = str(raw if raw is not None else "").strip()
        if not code or not _CODE.match(code):
            self.add(path, _("a code made of letters, digits, dots or dashes is required"))
        elif prefix is not None and not code.startswith(prefix + "."):
            self.add(path, _("code “%(code)s” must start with “%(prefix)s.”") % {"code": code, "prefix": prefix})
        return code


def _date(raw: Any, checker: _Checker, path: str) -> str | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.date):
        return raw.isoformat()
    try:
        return dt.date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        checker.add(path, _("must be a date written YYYY-MM-DD"))
        return None


def _int_list(raw: Any, checker: _Checker, path: str, low: int, high: int) -> list[int]:
    values = []
    for item in _as_list(raw):
        try:
            value = int(item)
        except (TypeError, ValueError):
            checker.add(path, _("“%(value)s” is not a whole number") % {"value": item})
            continue
        if not low <= value <= high:
            checker.add(path, _("%(value)s is outside %(low)s..%(high)s") % {"value": value, "low": low, "high": high})
        values.append(value)
    return sorted(set(values))


def _as_list(raw: Any) -> list[Any]:
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(",") if part.strip()]
    if isinstance(raw, (int, float)):
        return [raw]
    return list(raw)


def _criterion(raw: dict, path: str, indicator_code: str, ck: _Checker, seen: set[str]) -> dict[str, Any]:
    code = ck.code(raw.get("code"), f"{path}.code", indicator_code)
    if code in seen:
        ck.add(f"{path}.code", _("code “%(code)s” is used twice") % {"code": code})
    seen.add(code)
    ctype = raw.get("type") or CriterionType.MANAGEMENT.value
    if ctype not in CriterionType.values:
        ck.add(f"{path}.type", _("must be management or performance"))
    weight = ck.num(raw.get("weight"), f"{path}.weight", 1)
    if weight is not None and weight <= 0:
        ck.add(f"{path}.weight", _("must be greater than 0"))
    applies_to = [str(kind) for kind in _as_list(raw.get("applies_to"))]
    for kind in applies_to:
        if kind not in UNIT_KINDS:
            ck.add(f"{path}.applies_to", _("unknown unit kind “%(kind)s”") % {"kind": kind})
    levels_raw = raw.get("levels") or {}
    criterion: dict[str, Any] = {
        "code": code,
        "title": ck.text(raw.get("title"), f"{path}.title"),
        "description": ck.text(raw.get("description"), f"{path}.description", required=False),
        "guidance": ck.text(raw.get("guidance"), f"{path}.guidance", required=False),
        "type": ctype,
        "weight": weight,
        "max_points": ck.num(raw.get("max_points"), f"{path}.max_points", 0),
        "applies_to": sorted({kind for kind in applies_to if kind in UNIT_KINDS}, key=UNIT_KINDS.index),
        "levels": {name: ck.text(levels_raw.get(name), f"{path}.levels.{name}") for name in ("red", "yellow", "green")},
        "measure": None,
    }
    if ctype == CriterionType.PERFORMANCE:
        criterion["measure"] = _measure(raw.get("measure"), f"{path}.measure", ck)
    return criterion


def _measure(raw: Any, path: str, ck: _Checker) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        ck.add(path, _("a performance criterion needs a measure (unit, direction, yellow, green)"))
        return None
    direction = raw.get("direction") or Direction.HIGHER_IS_BETTER.value
    if direction not in Direction.values:
        ck.add(f"{path}.direction", _("must be higher_is_better or lower_is_better"))
    yellow = ck.num(raw.get("yellow"), f"{path}.yellow")
    green = ck.num(raw.get("green"), f"{path}.green")
    if yellow is None or green is None:
        ck.add(path, _("both thresholds (yellow and green) are required"))
    elif direction == Direction.HIGHER_IS_BETTER and not yellow < green:
        ck.add(path, _("when higher is better, the yellow threshold must be below the green one"))
    elif direction == Direction.LOWER_IS_BETTER and not yellow > green:
        ck.add(path, _("when lower is better, the yellow threshold must be above the green one"))
    unit = ck.text(raw.get("unit"), f"{path}.unit")
    return {"unit": unit, "direction": direction, "yellow": yellow, "green": green}


CHANGE_KINDS = ("added", "changed", "removed")


def _changes(raw: Any, ck: _Checker) -> list[dict[str, Any]]:
    """The version's change note: one entry per code (pillar, indicator or criterion) that differs from the
    parent version, each with its kind and what changed, in both languages."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        ck.add("version.changes", _("must be a list of {code, kind, note} entries"))
        return []
    changes, seen = [], set()
    for index, item in enumerate(raw):
        path = f"version.changes[{index}]"
        if not isinstance(item, dict):
            ck.add(path, _("must be an entry {code, kind, note}"))
            continue
        code = ck.code(item.get("code"), f"{path}.code")
        if code in seen:
            ck.add(f"{path}.code", _("code “%(code)s” is listed twice") % {"code": code})
        seen.add(code)
        kind = item.get("kind") or "changed"
        if kind not in CHANGE_KINDS:
            ck.add(f"{path}.kind", _("must be added, changed or removed"))
        changes.append({"code": code, "kind": kind, "note": ck.text(item.get("note"), f"{path}.note")})
    return changes


def _check_changes(doc: dict[str, Any], ck: _Checker) -> None:
    """A change entry names a code of this version, except a removed one, which it no longer holds."""
    codes = {p["code"] for p in doc["pillars"]}
    for pillar in doc["pillars"]:
        for indicator in pillar["indicators"]:
            codes.add(indicator["code"])
            codes.update(c["code"] for c in indicator["criteria"])
    for index, change in enumerate(doc["version"].get("changes") or []):
        present = change["code"] in codes
        if change["kind"] == "removed" and present:
            ck.add(f"version.changes[{index}].code", _("“%(code)s” is still in this version") % change)
        elif change["kind"] != "removed" and not present:
            ck.add(f"version.changes[{index}].code", _("“%(code)s” is not in this version") % change)


def normalise(raw: Any) -> dict[str, Any]:
    """Check a raw document and return its canonical form; raises LibraryError listing every problem."""
    ck = _Checker()
    if not isinstance(raw, dict):
        raise LibraryError([Problem("(file)", _("the file must be a YAML mapping"))])
    if raw.get("format") != FORMAT:
        ck.add("format", _("must be “%(format)s”") % {"format": FORMAT})
    fw_raw = raw.get("framework") or {}
    ver_raw = raw.get("version") or {}
    fw_code = str(fw_raw.get("code") or "").strip()
    if not _SLUG.match(fw_code):
        ck.add("framework.code", _("a lower-case code (letters, digits, dashes) is required"))
    ver_code = str(ver_raw.get("code") or "").strip()
    if not _SLUG.match(ver_code):
        ck.add("version.code", _("a lower-case code (letters, digits, dashes) is required"))
    status = ver_raw.get("status") or VersionStatus.DRAFT.value
    if status not in VersionStatus.values:
        ck.add("version.status", _("must be draft, issued or retired"))
    scoring, scheme_problems = normalise_scheme(raw.get("scoring"))
    for path, message in scheme_problems:
        ck.add(path, message)

    doc: dict[str, Any] = {
        "format": FORMAT,
        "framework": {
            "code": fw_code,
            "title": ck.text(fw_raw.get("title"), "framework.title"),
            "publisher": ck.text(fw_raw.get("publisher"), "framework.publisher", required=False),
        },
        "version": {
            "code": ver_code,
            "title": ck.text(ver_raw.get("title"), "version.title"),
            "status": status,
            "effective_date": _date(ver_raw.get("effective_date"), ck, "version.effective_date"),
            "derived_from": (str(ver_raw["derived_from"]).strip() or None) if ver_raw.get("derived_from") else None,
            "notes": ck.text(ver_raw.get("notes"), "version.notes", required=False),
        },
        "scoring": scoring,
        "pillars": [],
    }
    seen: set[str] = set()
    pillars_raw = raw.get("pillars") or []
    if not pillars_raw:
        ck.add("pillars", _("at least one pillar is required"))
    for p_index, p_raw in enumerate(pillars_raw):
        p_path = f"pillars[{p_index}]"
        p_code = ck.code(p_raw.get("code"), f"{p_path}.code")
        if p_code in seen:
            ck.add(f"{p_path}.code", _("code “%(code)s” is used twice") % {"code": p_code})
        seen.add(p_code)
        pillar = {"code": p_code, "title": ck.text(p_raw.get("title"), f"{p_path}.title"), "indicators": []}
        for i_index, i_raw in enumerate(p_raw.get("indicators") or []):
            i_path = f"{p_path}.indicators[{i_index}]"
            i_code = ck.code(i_raw.get("code"), f"{i_path}.code", p_code)
            if i_code in seen:
                ck.add(f"{i_path}.code", _("code “%(code)s” is used twice") % {"code": i_code})
            seen.add(i_code)
            indicator = {
                "code": i_code,
                "title": ck.text(i_raw.get("title"), f"{i_path}.title"),
                "description": ck.text(i_raw.get("description"), f"{i_path}.description", required=False),
                "sdgs": _int_list(i_raw.get("sdgs"), ck, f"{i_path}.sdgs", 1, 17),
                "iso9001": [str(c).strip() for c in _as_list(i_raw.get("iso9001"))],
                "criteria": [],
            }
            criteria_raw = i_raw.get("criteria") or []
            if not criteria_raw:
                ck.add(f"{i_path}.criteria", _("an indicator needs at least one criterion"))
            for c_index, c_raw in enumerate(criteria_raw):
                c_path = f"{i_path}.criteria[{c_index}]"
                indicator["criteria"].append(_criterion(c_raw or {}, c_path, i_code, ck, seen))
            pillar["indicators"].append(indicator)
        doc["pillars"].append(pillar)
    changes = _changes(ver_raw.get("changes"), ck)
    if changes:  # absent when empty, so that versions without a change note keep their content hash
        doc["version"]["changes"] = changes
        _check_changes(doc, ck)
    if ck.problems:
        raise LibraryError(ck.problems)
    return doc


def canonical_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(doc: dict[str, Any]) -> str:
    """SHA-256 of the version's content. Status is left out so that issuing does not change the hash."""
    content = {**doc, "version": {k: v for k, v in doc["version"].items() if k != "status"}}
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def parse_yaml(text: str) -> dict[str, Any]:
    try:
        # safe: _Loader is yaml's SafeLoader (libyaml's CSafeLoader when available); bandit B506 reviewed
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506  # nosec B506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        raise LibraryError([Problem(where, _("the file is not valid YAML: %(error)s") % {"error": exc})]) from None
    return normalise(raw)


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(doc: dict[str, Any]) -> str:
    return yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, indent=2)


def counts(doc: dict[str, Any]) -> dict[str, int]:
    indicators = [i for p in doc["pillars"] for i in p["indicators"]]
    return {
        "pillars": len(doc["pillars"]),
        "indicators": len(indicators),
        "criteria": sum(len(i["criteria"]) for i in indicators),
    }
