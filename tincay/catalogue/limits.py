"""What the catalogue's tables can hold, checked on a canonical document before a version is written.

``library.normalise`` checks the rules of the format (codes, required texts, weight > 0, thresholds in the order
of the direction, unit kinds, the scoring scheme). This adds the limits of the columns the document is written
to: text lengths and the digits of decimal columns, and that maximum points are never negative. The limits are
read from the models, so a migration that widens a column widens the check. Pure apart from model metadata.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tincay.catalogue.library import Problem
from tincay.catalogue.models import Criterion, Framework, FrameworkVersion, Indicator, Pillar

TEXT_MAX = 10_000  # free texts (notes, descriptions, level descriptions): far above any real one (~500)
CLAUSE_MAX = 20  # one ISO 9001 clause number, e.g. "7.1.5"


def _limit(model: type, field: str) -> int:
    return model._meta.get_field(field).max_length or TEXT_MAX


def decimal_problem(value: Any, model: type, field: str, *, minimum: Decimal | None = None) -> str | None:
    """Why ``value`` does not fit the decimal column ``model.field`` (or is below ``minimum``); None when it fits.

    Checked on the value as given, before it is rounded into a document."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("Enter a number.")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return _("Enter a number.")
    if not number.is_finite():
        return _("Enter a number.")
    column = model._meta.get_field(field)
    places, whole = column.decimal_places, column.max_digits - column.decimal_places
    if minimum is not None and number < minimum:
        return _("Enter a number of at least %(minimum)s.") % {"minimum": minimum}
    if abs(number) >= Decimal(10) ** whole:
        return _("Enter a number below %(limit)s.") % {"limit": 10**whole}
    if -number.as_tuple().exponent > places:
        return _("Enter at most %(places)d digits after the decimal point.") % {"places": places}
    return None


class _Limits:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def text(self, value: Any, path: str, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.problems.append(
                Problem(
                    path,
                    _("Enter at most %(limit)d characters (this has %(count)d).")
                    % {"limit": limit, "count": len(value)},
                )
            )

    def pair(self, pair: Any, path: str, model: type, field: str) -> None:
        for language in ("vi", "en"):
            self.text((pair or {}).get(language), f"{path}.{language}", _limit(model, f"{field}_{language}"))

    def number(self, value: Any, path: str, model: type, field: str, minimum: Decimal | None = None) -> None:
        message = decimal_problem(value, model, field, minimum=minimum)
        if message:
            self.problems.append(Problem(path, message))


def document_problems(doc: dict[str, Any]) -> list[Problem]:
    """Every value of a normalised document that its column cannot hold, with the document path."""
    ck = _Limits()
    ck.text(doc["framework"]["code"], "framework.code", _limit(Framework, "code"))
    ck.pair(doc["framework"]["title"], "framework.title", Framework, "title")
    ck.pair(doc["framework"]["publisher"], "framework.publisher", Framework, "publisher")
    ck.text(doc["version"]["code"], "version.code", _limit(FrameworkVersion, "code"))
    ck.pair(doc["version"]["title"], "version.title", FrameworkVersion, "title")
    ck.pair(doc["version"]["notes"], "version.notes", FrameworkVersion, "notes")
    for p_index, pillar in enumerate(doc["pillars"]):
        p_path = f"pillars[{p_index}]"
        ck.text(pillar["code"], f"{p_path}.code", _limit(Pillar, "code"))
        ck.pair(pillar["title"], f"{p_path}.title", Pillar, "title")
        for i_index, indicator in enumerate(pillar["indicators"]):
            i_path = f"{p_path}.indicators[{i_index}]"
            indicator_problems(indicator, i_path, ck)
            for c_index, criterion in enumerate(indicator["criteria"]):
                criterion_problems(criterion, f"{i_path}.criteria[{c_index}]", ck)
    return ck.problems


def indicator_problems(indicator: dict[str, Any], path: str, ck: _Limits) -> None:
    ck.text(indicator["code"], f"{path}.code", _limit(Indicator, "code"))
    ck.pair(indicator["title"], f"{path}.title", Indicator, "title")
    ck.pair(indicator["description"], f"{path}.description", Indicator, "description")
    for clause in indicator["iso9001"]:
        ck.text(clause, f"{path}.iso9001", CLAUSE_MAX)


def criterion_problems(criterion: dict[str, Any], path: str, ck: _Limits) -> None:
    ck.text(criterion["code"], f"{path}.code", _limit(Criterion, "code"))
    for name in ("title", "description", "guidance"):
        ck.pair(criterion[name], f"{path}.{name}", Criterion, name)
    for name in ("red", "yellow", "green"):
        ck.pair(criterion["levels"][name], f"{path}.levels.{name}", Criterion, f"level_{name}")
    ck.number(criterion["weight"], f"{path}.weight", Criterion, "weight")
    ck.number(criterion["max_points"], f"{path}.max_points", Criterion, "max_points", minimum=Decimal(0))
    measure = criterion.get("measure")
    if measure:
        ck.pair(measure["unit"], f"{path}.measure.unit", Criterion, "measure_unit")
        ck.number(measure["yellow"], f"{path}.measure.yellow", Criterion, "threshold_yellow")
        ck.number(measure["green"], f"{path}.measure.green", Criterion, "threshold_green")
