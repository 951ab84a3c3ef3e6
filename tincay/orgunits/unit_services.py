"""Writes of the unit tree itself: administrative units and their lineage events (merges, splits, renames…).

Before these only the loaders wrote units, from the committed data files; imports, pages, the API and commands
write through here. Each service is atomic and audited, asks whether the actor may change the tree (administrators
and commands on the server: the tree is national), then validates its whole input against the tree as stored —
every problem at once, under the model's field names — and only then touches a row.

    unit, changes = unit_save(actor=user, key="31999", code="31999", name="Phường Mới", kind="ward",
                              parent_key="31", valid_from=dt.date(2026, 7, 1), valid_to=None)
    event, created, changes = lineage_event_record(actor=user, kind="merge", date=dt.date(2026, 7, 1),
                                                   predecessor_keys=["11411", "11413"], successor_keys=["31999"])
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Length
from django.utils.translation import gettext as _

from tincay.accounts.roles import forget_scopes, is_system
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.orgunits.access import can_manage_units, forget_reach
from tincay.orgunits.choices import LEVEL_OF_KIND, EventKind, Kind, Level, LinkRole
from tincay.orgunits.loaders import event_key
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink

KEY_MAX, CODE_MAX, NAME_MAX = 40, 20, 200
LEGAL_BASIS_MAX, NOTE_MAX = 500, 4000
POPULATION_MAX = 2_147_483_647  # the largest value the column holds
_KEY = re.compile(r"^[A-Za-z0-9-]+$")
_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
UNIT_FIELDS = ("code", "name", "kind", "level", "parent", "valid_from", "valid_to", "listed_on", "is_pilot",
               "population")  # fmt: skip
EVENT_TEXTS = ("legal_basis", "legal_basis_confirmed", "note_vi", "note_en")
# (fewest, most) units before and after an event of each kind; None: no upper bound. Merges of one unit into
# one are in the 2025 data: a unit that went whole into a successor others joined only in part.
EVENT_SHAPES: dict[str, tuple[tuple[int, int | None], tuple[int, int | None]]] = {
    EventKind.MERGE: ((1, None), (1, None)),
    EventKind.SPLIT: ((1, 1), (2, None)),
    EventKind.RENAME: ((1, 1), (1, 1)),
    EventKind.REPARENT: ((1, 1), (1, 1)),
    EventKind.ABOLISH: ((1, None), (0, None)),  # the 2025 districts name the communes that took their territory
    EventKind.ESTABLISH: ((0, 0), (1, None)),
}


class UnitInputError(InvalidInput):
    """A unit or lineage event refused because of its input; the messages say what to correct."""


class UnitWriteRefused(Refused):
    """This person may not change the unit tree."""


def _refuse_unless_allowed(actor: Any) -> None:
    """Administrators and commands on the server write the tree (``access.can_manage_units``)."""
    if not can_manage_units(actor):
        raise UnitWriteRefused(_("Only administrators change administrative units and their lineage."))


def _raise(errors: ErrorCollector) -> None:
    if errors:
        raise UnitInputError(errors.errors)


def day_text(date: dt.date | None) -> str:
    return f"{date:%d/%m/%Y}" if date else ""


def _period_text(start: dt.date | None, end: dt.date | None) -> str:
    return f"{day_text(start) or '…'} – {day_text(end) or '…'}"


# ------------------------------------------------------------------------------------------------- values


def _text(errors: ErrorCollector, field: str, value: Any, *, limit: int, required: str = "") -> str:
    """A stripped string within ``limit`` characters; ``required`` is the message when it is empty."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(field, _("Enter text here."))
        return ""
    value = value.strip()
    if required and not value:
        errors.add(field, required)
    elif len(value) > limit:
        errors.add(
            field,
            _("Enter at most %(limit)d characters (this has %(count)d).") % {"limit": limit, "count": len(value)},
        )
    return value


def _date(errors: ErrorCollector, field: str, value: Any, *, required: str = "") -> dt.date | None:
    if value is None or value == "":
        if required:
            errors.add(field, required)
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors.add(field, _("Enter a date (day, month and year)."))
        return None
    return value


def _yes_no(errors: ErrorCollector, field: str, value: Any) -> bool:
    if not isinstance(value, bool):
        errors.add(field, _("Must be yes or no."))
        return False
    return value


def _unit_values(errors: ErrorCollector, key: str, fields: dict[str, Any]) -> dict[str, Any]:
    """The unit's fields, typed and within their limits (the parent still as a key)."""
    values = {
        "code": _text(errors, "code", fields["code"], limit=CODE_MAX, required=_("Write the unit's official code.")),
        "name": _text(errors, "name", fields["name"], limit=NAME_MAX, required=_("Write the unit's name.")),
        "kind": fields["kind"] if isinstance(fields["kind"], str) and fields["kind"] in Kind.values else None,
        "parent": _text(errors, "parent", fields["parent_key"], limit=KEY_MAX) or None,
        "valid_from": _date(errors, "valid_from", fields["valid_from"]),
        "valid_to": _date(errors, "valid_to", fields["valid_to"]),
        "listed_on": _date(errors, "listed_on", fields["listed_on"]),
        "is_pilot": _yes_no(errors, "is_pilot", fields["is_pilot"]),
        "population": fields["population"],
    }
    if values["kind"] is None:
        kinds = ", ".join(str(label) for label in Kind.labels)
        errors.add("kind", _("Choose the kind of unit: one of %(kinds)s.") % {"kinds": kinds})
    values["level"] = LEVEL_OF_KIND[values["kind"]] if values["kind"] else None
    population = values["population"]
    if population is not None and (
        isinstance(population, bool) or not isinstance(population, int) or not 0 <= population <= POPULATION_MAX
    ):
        errors.add("population", _("Write the population as a whole number, 0 or more (or leave it empty)."))
    if values["parent"] == key and key:
        errors.add("parent", _("A unit cannot be its own parent: write the key of the unit above it."))
    start, end = values["valid_from"], values["valid_to"]
    if start and end and start > end:
        errors.add(
            "valid_to",
            _("It ends (%(end)s) before it starts (%(start)s): check the two dates.")
            % {"start": day_text(start), "end": day_text(end)},
        )
    return values


def _level_text(level: str | None) -> str:
    return str(Level(level).label).lower() if level else ""


def _check_parent(errors: ErrorCollector, values: dict[str, Any], parent: AdminUnit | None) -> None:
    """The parent exists, is of a higher level, and the unit's period lies within the parent's."""
    level, key = values["level"], values["parent"]
    if key and parent is None:
        errors.add("parent", _("No unit has the key “%(key)s”: write the key of the unit above it.") % {"key": key})
        return
    if level == Level.PROVINCE:
        if parent is not None:
            errors.add("parent", _("A province-level unit has no unit above it: leave the parent empty."))
        return
    if parent is None:
        if level and not key:
            errors.add(
                "parent",
                _("A unit of %(level)s needs the unit above it: write its key.") % {"level": _level_text(level)},
            )
        return
    if level and _RANK[parent.level] >= _RANK[level]:
        errors.add(
            "parent",
            _("%(parent)s is of %(parent_level)s: a unit of %(level)s sits under a unit of a higher level.")
            % {"parent": parent.name, "parent_level": _level_text(parent.level), "level": _level_text(level)},
        )
    start, end = values["valid_from"], values["valid_to"]
    if parent.valid_from and (start is None or start < parent.valid_from):
        errors.add(
            "valid_from",
            _("%(parent)s, the unit above it, starts on %(date)s: this unit cannot start before it.")
            % {"parent": parent.name, "date": day_text(parent.valid_from)},
        )
    if parent.valid_to and (end is None or end > parent.valid_to):
        errors.add(
            "valid_to",
            _("%(parent)s, the unit above it, ends on %(date)s: this unit must end on that day or before.")
            % {"parent": parent.name, "date": day_text(parent.valid_to)},
        )


def _check_children(errors: ErrorCollector, unit: AdminUnit, values: dict[str, Any]) -> None:
    """The units below keep within the unit's new period, and below its new level, in one query."""
    start, end, level = values["valid_from"], values["valid_to"], values["level"]
    checks = {}
    if end:
        checks["after"] = Count("pk", filter=Q(valid_to__isnull=True) | Q(valid_to__gt=end))
    if start:
        checks["before"] = Count("pk", filter=Q(valid_from__isnull=True) | Q(valid_from__lt=start))
    if level:
        not_lower = [lvl for lvl, rank in _RANK.items() if rank <= _RANK[level]]
        checks["level"] = Count("pk", filter=Q(level__in=not_lower))
    counts = unit.children.aggregate(**checks) if checks else {}
    if counts.get("after"):
        errors.add(
            "valid_to",
            _(
                "%(n)s units below it are still valid after %(date)s: end them on that day or before, or move "
                "them, first."
            )
            % {"n": counts["after"], "date": day_text(end)},
        )
    if counts.get("before"):
        errors.add(
            "valid_from",
            _("%(n)s units below it start before %(date)s: change their start, or move them, first.")
            % {"n": counts["before"], "date": day_text(start)},
        )
    if counts.get("level"):
        errors.add(
            "kind",
            _("%(n)s units below it are not of a lower level than %(level)s: move them first.")
            % {"n": counts["level"], "level": _level_text(level)},
        )


# -------------------------------------------------------------------------------------------------- units


def _stored(unit: AdminUnit) -> dict[str, Any]:
    return {name: getattr(unit, name) for name in UNIT_FIELDS if name != "parent"} | {
        "parent": unit.parent.key if unit.parent else None
    }


@transaction.atomic
def unit_save(
    *,
    actor: Any,
    key: str,
    code: str,
    name: str,
    kind: str,
    parent_key: str | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    listed_on: dt.date | None = None,
    is_pilot: bool = False,
    population: int | None = None,
) -> tuple[AdminUnit, dict[str, tuple[Any, Any]]]:
    """Create the unit with ``key``, or update it; returns it and what changed (field → (before, after), the
    parent as its key). Nothing changed: nothing written, no audit. Changing the parent moves the paths of the
    unit and of every unit below it."""
    _refuse_unless_allowed(actor)
    errors = ErrorCollector()
    key = _text(errors, "key", key, limit=KEY_MAX, required=_("Write the unit's key."))
    if key and not _KEY.match(key):
        errors.add("key", _("A key holds only letters, digits and dashes, e.g. 11413 or 11413-2025."))
    fields = {"code": code, "name": name, "kind": kind, "parent_key": parent_key, "valid_from": valid_from,
              "valid_to": valid_to, "listed_on": listed_on, "is_pilot": is_pilot, "population": population}  # fmt: skip
    values = _unit_values(errors, key, fields)
    parent = AdminUnit.objects.filter(key=values["parent"]).first() if values["parent"] else None
    _check_parent(errors, values, parent)
    unit = (
        AdminUnit.objects.select_for_update(of=("self",)).select_related("parent").filter(key=key).first()
        if key
        else None
    )
    if unit is not None:
        _check_children(errors, unit, values)
    _raise(errors)
    created = unit is None
    stored = dict.fromkeys(UNIT_FIELDS) if unit is None else _stored(unit)
    changes = {name: (stored[name], values[name]) for name in UNIT_FIELDS if stored[name] != values[name]}
    if created:
        changes = {name: change for name, change in changes.items() if change[1] not in (None, "", False)}
    elif not changes:
        return unit, {}
    old_path = "" if unit is None else unit.path
    unit = unit or AdminUnit(key=key)
    for name in UNIT_FIELDS:
        if name != "parent":
            setattr(unit, name, values[name])
    unit.parent = parent
    unit.refresh_derived()
    unit.save()
    moved = _move_descendants(unit, old_path) if "parent" in changes and not created else 0
    if "parent" in changes and not created and not is_system(actor):  # the actor's scopes hold paths: read again
        forget_scopes(actor)
        forget_reach(actor)
    audit.record(
        actor=actor,
        action="orgunits.unit_created" if created else "orgunits.unit_updated",
        obj=unit,
        object_repr=f"{unit.key} {unit.name}",
        before=None if created else {name: old for name, (old, _new) in changes.items()},
        after={name: new for name, (_old, new) in changes.items()} | ({"descendants_moved": moved} if moved else {}),
    )
    return unit, changes


def _move_descendants(unit: AdminUnit, old_path: str) -> int:
    """Recompute the path of every unit that was below ``unit`` (at ``old_path``), parents first."""
    below = list(AdminUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by(Length("path")))
    by_pk = {unit.pk: unit}
    for child in below:
        child.parent = by_pk[child.parent_id]
        child.refresh_derived()
        by_pk[child.pk] = child
    AdminUnit.objects.bulk_update(below, ["path"], batch_size=1000)
    return len(below)


# ------------------------------------------------------------------------------------------------ lineage


def _keys(errors: ErrorCollector, field: str, keys: Any) -> list[str]:
    """Unit keys, stripped, each once."""
    if keys is None:
        return []
    if isinstance(keys, str) or not isinstance(keys, Iterable) or not all(isinstance(k, str) for k in keys):
        errors.add(field, _("Give a list of unit keys."))
        return []
    found = [k.strip() for k in keys if k.strip()]
    twice = sorted({k for k in found if found.count(k) > 1})
    if twice:
        errors.add(field, _("%(keys)s listed twice: list each unit once.") % {"keys": ", ".join(twice)})
    return list(dict.fromkeys(found))


def _count_error(kind: str, side: int, count: int) -> str | None:
    """What is wrong with ``count`` units on one side (0 before, 1 after) of an event of ``kind``, if anything."""
    fewest, most = EVENT_SHAPES[kind][side]
    if fewest <= count and (most is None or count <= most):
        return None
    before = side == 0
    if most == 0:
        message = (
            _("%(kind)s: leave this empty, no unit comes before it (%(n)s given).")
            if before
            else _("%(kind)s: leave this empty, no unit comes after it (%(n)s given).")
        )
    elif fewest == most:
        message = (
            _("%(kind)s: name exactly one unit before the change (%(n)s given).")
            if before
            else _("%(kind)s: name exactly one unit after the change (%(n)s given).")
        )
    elif fewest == 1:
        message = (
            _("%(kind)s: name the unit or units before the change (none given).")
            if before
            else _("%(kind)s: name the unit or units after the change (none given).")
        )
    else:
        message = (
            _("%(kind)s: name at least %(fewest)s units before the change (%(n)s given).")
            if before
            else _("%(kind)s: name at least %(fewest)s units after the change (%(n)s given).")
        )
    return message % {"kind": EventKind(kind).label, "n": count, "fewest": fewest}


def _check_shape(errors: ErrorCollector, kind: str, predecessors: list[str], successors: list[str]) -> None:
    for side, (field, keys) in enumerate((("predecessors", predecessors), ("successors", successors))):
        message = _count_error(kind, side, len(keys))
        if message:
            errors.add(field, message)
    if kind == EventKind.MERGE and len(predecessors) == 1 and len(successors) > 1:
        errors.add(
            "successors",
            _("One unit divided into several is a split: choose “%(split)s”, or name the other units that merged.")
            % {"split": EventKind.SPLIT.label},
        )


def _check_units(
    errors: ErrorCollector, field: str, keys: list[str], units: dict[str, AdminUnit], date: dt.date | None
) -> None:
    """Every key names a unit; a unit before the change exists the day before it (and ends then or goes on),
    a unit after the change exists on its date."""
    unknown = [k for k in keys if k not in units]
    if unknown:
        errors.add(
            field,
            _("No unit has the key %(keys)s: check it (an ended unit's key is like 11413-2025).")
            % {"keys": ", ".join(f"“{k}”" for k in unknown)},
        )
    if date is None:
        return
    day_before = date - dt.timedelta(days=1)
    for unit in (units[k] for k in keys if k in units):
        period = {"unit": unit.name, "key": unit.key, "period": _period_text(unit.valid_from, unit.valid_to)}
        if field == "predecessors" and not (
            (unit.valid_from is None or unit.valid_from <= day_before)
            and (unit.valid_to is None or unit.valid_to >= day_before)
        ):
            message = _("%(unit)s (%(key)s, %(period)s) did not exist on %(day)s: a unit before the change exists "
                        "the day before it, then ends or goes on.")  # fmt: skip
            errors.add(field, message % (period | {"day": day_text(day_before)}))
        if field == "successors" and not (
            (unit.valid_from is None or unit.valid_from <= date) and (unit.valid_to is None or unit.valid_to >= date)
        ):
            message = _("%(unit)s (%(key)s, %(period)s) does not exist on %(day)s: a unit after the change exists "
                        "on its date.")  # fmt: skip
            errors.add(field, message % (period | {"day": day_text(date)}))


@transaction.atomic
def lineage_event_record(
    *,
    actor: Any,
    kind: str,
    date: dt.date,
    predecessor_keys: Iterable[str],
    successor_keys: Iterable[str],
    legal_basis: str = "",
    legal_basis_confirmed: bool = False,
    note_vi: str = "",
    note_en: str = "",
) -> tuple[LineageEvent, bool, dict[str, tuple[Any, Any]]]:
    """Record the event, matched by its natural key (kind, date, units on each side): a new one is created with
    its links; an existing one takes the legal basis and notes given. Returns the event, whether it was created,
    and what changed (field → (before, after)); nothing changed: nothing written, no audit."""
    _refuse_unless_allowed(actor)
    errors = ErrorCollector()
    if not isinstance(kind, str) or kind not in EventKind.values:
        kinds = ", ".join(str(label) for label in EventKind.labels)
        errors.add("kind", _("Choose the kind of event: one of %(kinds)s.") % {"kinds": kinds})
        kind = ""
    date = _date(errors, "date", date, required=_("Enter the date the change took effect."))
    predecessors = _keys(errors, "predecessors", predecessor_keys)
    successors = _keys(errors, "successors", successor_keys)
    texts = {
        "legal_basis": _text(errors, "legal_basis", legal_basis, limit=LEGAL_BASIS_MAX),
        "legal_basis_confirmed": _yes_no(errors, "legal_basis_confirmed", legal_basis_confirmed),
        "note_vi": _text(errors, "note_vi", note_vi, limit=NOTE_MAX),
        "note_en": _text(errors, "note_en", note_en, limit=NOTE_MAX),
    }
    if texts["legal_basis_confirmed"] and not texts["legal_basis"]:
        errors.add("legal_basis", _("Write the legal basis before marking it confirmed."))
    if kind:
        _check_shape(errors, kind, predecessors, successors)
    units = {u.key: u for u in AdminUnit.objects.filter(key__in=[*predecessors, *successors])}
    _check_units(errors, "predecessors", predecessors, units, date)
    _check_units(errors, "successors", successors, units, date)
    _raise(errors)
    natural_key = event_key(kind, date, predecessors, successors)
    event = LineageEvent.objects.select_for_update().filter(natural_key=natural_key).first()
    if event is None:
        event = LineageEvent.objects.create(kind=kind, date=date, natural_key=natural_key, **texts)
        LineageLink.objects.bulk_create(
            [LineageLink(event=event, unit=units[k], role=LinkRole.PREDECESSOR) for k in predecessors]
            + [LineageLink(event=event, unit=units[k], role=LinkRole.SUCCESSOR) for k in successors]
        )
        after = {"kind": kind, "date": date, "predecessors": predecessors, "successors": successors} | texts
        audit.record(actor=actor, action="orgunits.lineage_event_created", obj=event, after=after)
        return event, True, {name: (None, value) for name, value in after.items() if value not in ("", False, [])}
    changes = {name: (getattr(event, name), value) for name, value in texts.items() if getattr(event, name) != value}
    if not changes:
        return event, False, {}
    for name, (_before, value) in changes.items():
        setattr(event, name, value)
    event.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="orgunits.lineage_event_updated",
        obj=event,
        before={name: old for name, (old, _new) in changes.items()},
        after={name: new for name, (_old, new) in changes.items()},
    )
    return event, False, changes
