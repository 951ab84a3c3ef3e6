"""What the indicator page shows around a save: the level a measured value takes from its thresholds, and a
conflict as people read it (field labels, level names, their version beside mine, what "take theirs" puts back).

Display only: the service decides what is saved and when a save is a conflict."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from tincay.assessments import rules, selectors
from tincay.assessments.choices import Level
from tincay.catalogue.models import Criterion
from tincay.common.numbers import show_number


@dataclass(frozen=True)
class Measure:
    """Beside a measured value's field: the level the value takes, and what the thresholds and range are."""

    level: str | None
    percent: bool
    yellow: Decimal | None
    green: Decimal | None
    lower_is_better: bool


def measure(criterion: Criterion, value: Any) -> Measure | None:
    """None for a criterion that is not measured."""
    if criterion.type != "performance":
        return None
    return Measure(
        level=selectors.measured_level(criterion, value),
        percent=rules.is_percent(criterion),
        yellow=criterion.threshold_yellow,
        green=criterion.threshold_green,
        lower_is_better=criterion.direction == "lower_is_better",
    )


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    mine: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.mine


@dataclass(frozen=True)
class Conflict:
    """Another person's save met mine: who, when, the revision to save over, both versions by field label."""

    who: str
    when: dt.datetime | None
    revision: int
    rows: list[ConflictRow]
    theirs_json: str  # form field name → their value as the form shows it, for "take theirs"


def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if name.endswith("_level"):
        return str(Level(value).label) if value in Level.values else str(value)
    if name == "na":
        return _("Yes") if value is True or value == "on" else _("No")
    if name.endswith("_value") or name.endswith("_points"):
        return show_number(value)
    return str(value)


def _for_form(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name == "na":
        return "on" if value is True else ""
    if name.endswith("_value") or name.endswith("_points"):
        return show_number(value)
    return str(value)


def conflict(form: Any, current: dict[str, Any], mine: dict[str, Any]) -> Conflict:
    """``current`` is the stored version (``ConflictError.current``), ``mine`` what this person sent; the rows
    follow the form's fields (what the person sees), leaving out those both versions leave empty."""
    rows, theirs = [], {}
    for name, field in form.fields.items():
        if name == "revision":
            continue
        row = ConflictRow(str(field.label), _shown(name, current.get(name)), _shown(name, mine.get(name)))
        if row.differs or row.theirs not in ("—", _("No")):  # leave out what both leave empty
            rows.append(row)
        theirs[form.add_prefix(name)] = _for_form(name, current.get(name))
    when = current.get("updated_at")
    return Conflict(
        who=current.get("updated_by") or _("someone"),
        when=dt.datetime.fromisoformat(when) if isinstance(when, str) else None,
        revision=int(current["revision"]),
        rows=rows,
        theirs_json=json.dumps(theirs, ensure_ascii=False),
    )
