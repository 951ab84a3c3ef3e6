"""The domain rules of one criterion result, in one place: what a track may hold and what each field accepts.

Pure Python over plain values (no ORM query): the services call :func:`check_track` before they write anything,
``manage.py check_data`` and the pages call :func:`stored_problems` to find stored values that today's rules
refuse (data that predates them). Every interface (page, htmx, API, import, command, demo seed) reaches the
database through a service that calls these rules, so a value the rules refuse can never be stored.

Rules of a result (the criterion and the version's scoring scheme decide the bounds):
- a track holds only its own fields (``TRACK_FIELDS``); any other field is refused, not ignored;
- a level is one of the scheme's levels (red, yellow, green) or empty;
- a measured value only on a performance criterion, 0..100 when measured in %, else 0 <= value < 10^10, with at
  most 4 decimals (the column's digits: more decimals are refused, never rounded silently);
- points only under a ``points`` roll-up, 0 <= points <= the criterion's maximum (a maximum of 0 counts as 1, as
  in the scoring engine), at most 3 decimals;
- ``na`` is a real boolean (forms send "on", "true", "false"); N/A needs a reason when the scheme says so and
  clears the level, the value and the points;
- texts have length limits (``TEXT_LIMITS``);
- a final level that differs from the scorer's needs a comment saying why.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tincay.common.errors import ErrorCollector, InvalidInput
from tincay.common.text import grouped

TRACK_FIELDS: dict[str, tuple[str, ...]] = {
    "self": ("self_level", "self_value", "self_points", "na", "na_reason", "narrative", "no_evidence_reason"),
    "scorer": ("scorer_level", "scorer_value", "scorer_comment"),
    "final": ("final_level", "final_value", "final_comment"),
}
ALL_FIELDS: tuple[str, ...] = tuple(name for names in TRACK_FIELDS.values() for name in names)
LEVEL_FIELDS = ("self_level", "scorer_level", "final_level")
VALUE_FIELDS = ("self_value", "scorer_value", "final_value")
POINTS_FIELDS = ("self_points",)
TEXT_LIMITS: dict[str, int] = {
    "na_reason": 2_000,
    "no_evidence_reason": 2_000,
    "narrative": 20_000,
    "scorer_comment": 4_000,
    "final_comment": 4_000,
}
DEFAULT_LEVELS = ("red", "yellow", "green")
# (max_digits, decimal_places) of the database columns
VALUE_DIGITS = (14, 4)
POINTS_DIGITS = (8, 3)
_TRUE = {"true", "on", "1", "yes"}
_FALSE = {"false", "off", "0", "no", ""}


class _Bad(Exception):
    """One field's value refused; carries the message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _attr(source: Any, name: str, default: Any = None) -> Any:
    if source is None:
        return default
    if isinstance(source, Mapping):
        return source.get(name, default)
    return getattr(source, name, default)


def scheme_levels(scheme: Mapping[str, Any] | None) -> tuple[str, ...]:
    levels = (scheme or {}).get("levels") or {}
    return tuple(levels) if isinstance(levels, Mapping) and levels else DEFAULT_LEVELS


def _is_points(scheme: Mapping[str, Any] | None) -> bool:
    return (scheme or {}).get("rollup") == "points"


def _is_percent(criterion: Any) -> bool:
    return any(str(_attr(criterion, name) or "").strip() == "%" for name in ("measure_unit_vi", "measure_unit_en"))


def is_percent(criterion: Any) -> bool:
    """A criterion measured in %: its values lie between 0 and 100 (the pages say so next to the field)."""
    return _is_percent(criterion)


def _decimal(raw: Any) -> Decimal | None:
    """A finite Decimal from a number or a string of plain decimal notation; None for empty; _Bad otherwise."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float, Decimal, str)):
        raise _Bad(_("Enter a number (for example 12.5), not a list, an object or true/false."))
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise _Bad(_("Enter a finite number (for example 12.5)."))
        raw = repr(raw)
    try:
        value = Decimal(raw.strip() if isinstance(raw, str) else raw)
    except (InvalidOperation, ValueError):
        raise _Bad(_("Enter a number with a dot for decimals, for example 12.5.")) from None
    if not value.is_finite():
        raise _Bad(_("Enter a finite number (for example 12.5)."))
    return value


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _clean_value(raw: Any, criterion: Any) -> Decimal | None:
    value = _decimal(raw)
    if value is None:
        return None
    if _attr(criterion, "type") != "performance":
        raise _Bad(_("This criterion is not measured: leave the value empty and choose a level."))
    digits, places = VALUE_DIGITS
    if _is_percent(criterion):
        if not Decimal(0) <= value <= Decimal(100):
            raise _Bad(_("Enter a percentage between 0 and 100."))
    elif not Decimal(0) <= value < Decimal(10) ** (digits - places):
        raise _Bad(_("Enter a value of at least 0 and below %(top)s.") % {"top": grouped(10 ** (digits - places))})
    if _decimals(value) > places:
        raise _Bad(_("Enter at most %(places)s decimals.") % {"places": places})
    return value.quantize(Decimal(1).scaleb(-places))


def points_ceiling(criterion: Any) -> Decimal:
    """The most points a criterion gives: its maximum, or 1 when none is set (as the scoring engine counts it)."""
    top = _decimal(_attr(criterion, "max_points")) or Decimal(0)
    return top if top > 0 else Decimal(1)


def _clean_points(raw: Any, criterion: Any, scheme: Mapping[str, Any] | None) -> Decimal | None:
    value = _decimal(raw)
    if value is None:
        return None
    if not _is_points(scheme):
        raise _Bad(_("This indicator set does not score with points: leave the points empty and choose a level."))
    top = points_ceiling(criterion)
    if not Decimal(0) <= value <= top:
        raise _Bad(_("Enter points between 0 and %(top)s.") % {"top": _plain(top)})
    places = POINTS_DIGITS[1]
    if _decimals(value) > places:
        raise _Bad(_("Enter at most %(places)s decimals.") % {"places": places})
    return value.quantize(Decimal(1).scaleb(-places))


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _clean_level(raw: Any, scheme: Mapping[str, Any] | None) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _Bad(_("Choose a level: red, yellow or green (or leave it empty)."))
    level = raw.strip()
    if level and level not in scheme_levels(scheme):
        raise _Bad(
            _("“%(level)s” is not a level of this indicator set: choose %(levels)s, or leave it empty.")
            % {"level": level[:40], "levels": ", ".join(scheme_levels(scheme))}
        )
    return level


def _clean_bool(raw: Any) -> bool:
    if raw is None:
        return False
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
        return raw.strip().lower() in _TRUE
    raise _Bad(_("Say yes or no (true or false)."))


def _clean_text(raw: Any, limit: int) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        raise _Bad(_("Enter text."))
    text = raw.strip()
    if len(text) > limit:
        raise _Bad(
            _("Shorten this text to at most %(limit)s characters (it has %(length)s).")
            % {"limit": grouped(limit), "length": grouped(len(text))}
        )
    return text


def clean_field(name: str, raw: Any, *, criterion: Any, scheme: Mapping[str, Any] | None) -> Any:
    """One field's typed value; raises InvalidInput({name: message}) when refused."""
    try:
        return _clean(name, raw, criterion, scheme)
    except _Bad as bad:
        raise InvalidInput({name: [bad.message]}) from None


def _clean(name: str, raw: Any, criterion: Any, scheme: Mapping[str, Any] | None) -> Any:
    if name in LEVEL_FIELDS:
        return _clean_level(raw, scheme)
    if name in VALUE_FIELDS:
        return _clean_value(raw, criterion)
    if name in POINTS_FIELDS:
        return _clean_points(raw, criterion, scheme)
    if name == "na":
        return _clean_bool(raw)
    if name in TEXT_LIMITS:
        return _clean_text(raw, TEXT_LIMITS[name])
    raise _Bad(_("Unknown field: remove it."))  # pragma: no cover - callers pass known names


def clean_revision(raw: Any) -> int:
    """The revision a form or a client was loaded with: a whole number, 0 or more."""
    if isinstance(raw, bool):
        raise InvalidInput({"revision": [_("Send the revision as a whole number (0 or more); reload the page.")]})
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    if isinstance(raw, int) and raw >= 0:
        return raw
    raise InvalidInput({"revision": [_("Send the revision as a whole number (0 or more); reload the page.")]})


def _cross_problems(track: str, values: Mapping[str, Any], scheme: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """Rules between fields of one track, over the values the row will hold (stored values and the changes)."""
    problems: list[tuple[str, str]] = []
    needs_reason = (scheme or {}).get("na_requires_reason", True)
    if track == "self" and values.get("na") is True and needs_reason and not _filled(values.get("na_reason")):
        problems.append(("na_reason", _("Say why this criterion does not apply to your unit.")))
    if track == "final":
        final, scorer = values.get("final_level") or "", values.get("scorer_level") or ""
        if final and scorer and final != scorer and not _filled(values.get("final_comment")):
            problems.append(("final_comment", _("The final level differs from the scorer's: give the reason.")))
    return problems


def _filled(text: Any) -> bool:
    return bool(str(text or "").strip())


def check_track(
    *,
    track: str,
    data: Any,
    criterion: Any,
    scheme: Mapping[str, Any] | None,
    stored: Any = None,
) -> dict[str, Any]:
    """Validate the whole input of one track save and return its typed values (only the fields given).

    ``data`` may hold strings (forms, CSV) or typed values (JSON); a ``revision`` key is checked and returned too.
    ``stored`` (a CriterionResult or a mapping) gives the values not being changed, for the rules between fields
    (N/A reason, the final level against the scorer's). Every problem is collected; InvalidInput carries them all
    by field. N/A clears the level, the value and the points.
    """
    if track not in TRACK_FIELDS:
        raise InvalidInput({"track": [_("Choose a track: self, scorer or final.")]})
    if not isinstance(data, Mapping):
        raise InvalidInput(_("Send the fields of the result as an object of field names and values."))
    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    allowed = TRACK_FIELDS[track]
    for name, raw in data.items():
        if name == "revision":
            try:
                cleaned["revision"] = clean_revision(raw)
            except InvalidInput as exc:
                errors.add("revision", exc.messages_for("revision")[0])
            continue
        if name not in allowed:
            errors.add(
                str(name),
                _("Unknown field for the %(track)s result: remove it (allowed: %(fields)s).")
                % {"track": track, "fields": ", ".join(allowed)},
            )
            continue
        try:
            cleaned[name] = _clean(name, raw, criterion, scheme)
        except _Bad as bad:
            errors.add(name, bad.message)
    values = {name: _attr(stored, name) for name in ALL_FIELDS}
    values.update(cleaned)
    for name, message in _cross_problems(track, values, scheme):
        if name not in errors.errors:
            errors.add(name, message)
    if track == "self" and values.get("na") is True:
        cleaned.update(self_level="", self_value=None, self_points=None)
    errors.raise_if_any()
    return cleaned


def stored_problems(
    values: Mapping[str, Any], *, criterion: Any, scheme: Mapping[str, Any] | None
) -> list[tuple[str, str]]:
    """The rules applied to a stored row's values (every track): (field, message) for each value they refuse.

    For ``manage.py check_data`` and for pages that flag a bad stored value instead of failing on it. Fields
    missing from ``values`` are not checked; other keys are ignored."""
    problems: list[tuple[str, str]] = []
    for name in ALL_FIELDS:
        if name not in values:
            continue
        try:
            _clean(name, values[name], criterion, scheme)
        except _Bad as bad:
            problems.append((name, bad.message))
    bad_fields = {name for name, _message in problems}
    if values.get("na") is True:
        for name in ("self_level", "self_value"):
            if name not in bad_fields and values.get(name) not in (None, ""):
                problems.append((name, _("The criterion is marked not applicable: this value should be empty.")))
    for track in TRACK_FIELDS:
        problems.extend(p for p in _cross_problems(track, values, scheme) if p[0] not in bad_fields)
    return problems
