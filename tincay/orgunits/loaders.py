"""Idempotent loaders for the committed unit data files (docs/units-data.md).

Running a loader twice changes nothing: units are matched by key, events by a natural key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import F, Q

from tincay.audit import services as audit
from tincay.audit.scopes import ALL
from tincay.orgunits.choices import LEVEL_OF_KIND, EventKind, Level, LinkRole
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink

DATA_DIR = Path(__file__).resolve().parent / "data"
CURRENT_FILE = DATA_DIR / "vn-units-2025.json"
LEGACY_FILE = DATA_DIR / "vn-units-legacy.json"
PILOT_FILE = DATA_DIR / "haiphong-pilot-2023.yaml"
REFORM_DATE = dt.date(2025, 7, 1)
LEGACY_END = dt.date(2025, 6, 30)
_UNIT_FIELDS = (
    "code",
    "name",
    "level",
    "kind",
    "parent_id",
    "valid_from",
    "valid_to",
    "listed_on",
    "is_pilot",
    "source",
)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events_created: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.events_created} lineage events created"
        )


@dataclass
class UnitSpec:
    key: str
    code: str
    name: str
    kind: str
    parent_key: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    is_pilot: bool = False
    source: str = ""
    listed_on: dt.date | None = None  # start unknown: the date of the list the unit comes from


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _within_parent(spec: UnitSpec, parent: AdminUnit | None) -> tuple[dt.date | None, dt.date | None]:
    """A unit's period as a child of ``parent`` lies inside the parent's period: a ward of a city that began on
    1 January 2025 did not stand there before that day. Returns (valid_from, valid_to), narrowed."""
    start, end = spec.valid_from, spec.valid_to
    if parent is not None and parent.valid_from is not None and (start is None or start < parent.valid_from):
        start = parent.valid_from
    if parent is not None and parent.valid_to is not None and (end is None or end > parent.valid_to):
        end = parent.valid_to
    return start, end


def _upsert(specs: Iterable[UnitSpec], report: LoadReport, curated_wins: bool = False) -> dict[str, AdminUnit]:
    """Create or update units level by level (parents first) with a constant number of queries per level.

    With ``curated_wins``, units last written by a curated history file (``source`` ends in .yaml) are left
    as they are: hand-checked history takes precedence over the bulk dataset. Periods are narrowed to the
    parent's (``_within_parent``).
    """
    specs = list(specs)
    existing = {u.key: u for u in AdminUnit.objects.filter(key__in=[s.key for s in specs]).select_related("parent")}
    parent_keys = {s.parent_key for s in specs if s.parent_key} - {s.key for s in specs}
    parents = {u.key: u for u in AdminUnit.objects.filter(key__in=parent_keys)}
    by_key: dict[str, AdminUnit] = {}
    pending = specs
    while pending:
        ready = [s for s in pending if not s.parent_key or s.parent_key in parents or s.parent_key in by_key]
        if not ready:
            missing = sorted({s.parent_key for s in pending})[:5]
            raise ValueError(f"unknown parent units: {', '.join(missing)}")
        to_create, to_update = [], []
        for spec in ready:
            parent = by_key.get(spec.parent_key) or parents.get(spec.parent_key) if spec.parent_key else None
            unit = existing.get(spec.key) or AdminUnit(key=spec.key)
            if curated_wins and unit.pk is not None and unit.source.endswith(".yaml"):
                report.unchanged += 1
                by_key[spec.key] = unit
                continue
            valid_from, valid_to = _within_parent(spec, parent)
            values = {
                "code": spec.code,
                "name": spec.name,
                "level": LEVEL_OF_KIND[spec.kind],
                "kind": spec.kind,
                "parent_id": parent.pk if parent else None,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "listed_on": spec.listed_on,
                "is_pilot": spec.is_pilot,
                "source": spec.source,
            }
            changed = unit.pk is None or any(getattr(unit, k) != v for k, v in values.items())
            for name, value in values.items():
                setattr(unit, name, value)
            unit.parent = parent
            unit.refresh_derived()
            if unit.pk is None:
                to_create.append(unit)
            elif changed:
                to_update.append(unit)
            else:
                report.unchanged += 1
            by_key[spec.key] = unit
        AdminUnit.objects.bulk_create(to_create, batch_size=1000)
        AdminUnit.objects.bulk_update(to_update, [*_UNIT_FIELDS, "path", "search_text", "sort_key"], batch_size=1000)
        report.created += len(to_create)
        report.updated += len(to_update)
        if to_create and to_create[0].pk is None:  # backends that do not return ids from bulk_create
            fresh = {u.key: u for u in AdminUnit.objects.filter(key__in=[u.key for u in to_create])}
            by_key.update(fresh)
        done = {s.key for s in ready}
        pending = [s for s in pending if s.key not in done]
    return by_key


def _narrow_to_parents(report: LoadReport) -> None:
    """Narrow the periods of units already stored whose parent's period a later file changed (the pre-2025 tree
    loaded before the pilot history dated Thành phố Thuỷ Nguyên from 1 January 2025), top level first."""
    for level in (Level.DISTRICT, Level.COMMUNE):
        starts_early = Q(parent__valid_from__isnull=False) & (
            Q(valid_from__isnull=True) | Q(valid_from__lt=F("parent__valid_from"))
        )
        ends_late = Q(parent__valid_to__isnull=False) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=F("parent__valid_to"))
        )
        units = list(AdminUnit.objects.filter(level=level).filter(starts_early | ends_late).select_related("parent"))
        for unit in units:
            unit.valid_from, unit.valid_to = _within_parent(
                UnitSpec(unit.key, unit.code, unit.name, unit.kind, None, unit.valid_from, unit.valid_to), unit.parent
            )
        AdminUnit.objects.bulk_update(units, ["valid_from", "valid_to"], batch_size=1000)
        report.updated += len(units)


def event_key(kind: str, date: dt.date, predecessors: list[str], successors: list[str]) -> str:
    raw = f"{kind}|{date.isoformat()}|{','.join(sorted(predecessors))}|{','.join(sorted(successors))}"
    return f"{kind}:{date.isoformat()}:{hashlib.sha1(raw.encode(), usedforsecurity=False).hexdigest()[:16]}"


@dataclass
class EventSpec:
    kind: str
    date: dt.date
    predecessors: list[str]
    successors: list[str]
    legal_basis: str = ""
    legal_basis_confirmed: bool = False
    note_vi: str = ""
    note_en: str = ""
    source: str = ""


def _load_events(specs: list[EventSpec], report: LoadReport) -> None:
    keys = {id(s): event_key(s.kind, s.date, s.predecessors, s.successors) for s in specs}
    known = set(LineageEvent.objects.filter(natural_key__in=keys.values()).values_list("natural_key", flat=True))
    fresh = [s for s in specs if keys[id(s)] not in known]
    if not fresh:
        return
    unit_keys = {k for s in fresh for k in (*s.predecessors, *s.successors)}
    units = dict(AdminUnit.objects.filter(key__in=unit_keys).values_list("key", "pk"))
    missing = sorted(unit_keys - units.keys())
    if missing:
        raise ValueError(f"lineage events name unknown units: {', '.join(missing[:5])}")
    events = [
        LineageEvent(
            kind=s.kind,
            date=s.date,
            legal_basis=s.legal_basis,
            legal_basis_confirmed=s.legal_basis_confirmed,
            note_vi=s.note_vi,
            note_en=s.note_en,
            source=s.source,
            natural_key=keys[id(s)],
        )
        for s in fresh
    ]
    LineageEvent.objects.bulk_create(events, batch_size=1000)
    if events and events[0].pk is None:
        by_key = {
            e.natural_key: e for e in LineageEvent.objects.filter(natural_key__in=[e.natural_key for e in events])
        }
        events = [by_key[e.natural_key] for e in events]
    links = [
        LineageLink(event=event, unit_id=units[key], role=role)
        for event, spec in zip(events, fresh, strict=True)
        for role, keys_ in ((LinkRole.PREDECESSOR, spec.predecessors), (LinkRole.SUCCESSOR, spec.successors))
        for key in dict.fromkeys(keys_)
    ]
    LineageLink.objects.bulk_create(links, batch_size=2000)
    report.events_created += len(events)


def _source_label(source: dict[str, Any]) -> str:
    return f"{source.get('package', '')} {source.get('version', '')}".strip()[:100]


@transaction.atomic
def load_current(path: Path = CURRENT_FILE) -> LoadReport:
    """Today's tree: provinces and commune-level units in force from 1 July 2025."""
    data = json.loads(path.read_text(encoding="utf-8"))
    source = _source_label(data.get("source", {}))
    start = _date(data.get("source", {}).get("effective_date")) or REFORM_DATE
    specs = [
        UnitSpec(p["code"], p["code"], p["name"], p["kind"], None, start, None, source=source)
        for p in data["provinces"]
    ]
    specs += [
        UnitSpec(c["code"], c["code"], c["name"], c["kind"], c["province"], start, None, source=source)
        for c in data["communes"]
    ]
    report = LoadReport()
    _upsert(specs, report)
    audit.changed([ALL])  # units' names and history are on every page: no browser keeps an older copy
    return report


def _legacy_key(code: str) -> str:
    return f"{code}-{LEGACY_END.year}"


def _list_date(source: dict[str, Any], path: Path) -> dt.date:
    listed = _date(source.get("list_date"))
    if listed is None:
        raise ValueError(f"{path.name}: list_date (the date of the list the units come from) is missing")
    return listed


@transaction.atomic
def load_legacy(path: Path = LEGACY_FILE) -> LoadReport:
    """The whole tree before 1 July 2025 (63 provinces, districts, communes) with merge events to today's units.

    The file is a list of one day (``source.list_date``, 4 January 2025) and gives no start dates: every unit is
    ``listed_on`` that day, with no lower bound, except the units created after it (``interim_communes``: absent
    from that list, present on 30 June 2025), which cannot have begun before the day after the list.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    source = _source_label(data.get("source", {}))
    listed = _list_date(data.get("source", {}), path)
    end = _date(data.get("source", {}).get("effective_until")) or LEGACY_END
    interim = set(data.get("interim_communes", []))
    specs = [
        UnitSpec(
            _legacy_key(p["code"]),
            p["code"],
            p["name"],
            p["kind"],
            None,
            None,
            end,
            source=source,
            listed_on=listed,
        )
        for p in data["provinces"]
    ]
    specs += [
        UnitSpec(
            _legacy_key(d["code"]),
            d["code"],
            d["name"],
            d["kind"],
            _legacy_key(d["province"]),
            None,
            end,
            source=source,
            listed_on=listed,
        )
        for d in data["districts"]
    ]
    specs += [
        UnitSpec(
            _legacy_key(c["code"]),
            c["code"],
            c["name"],
            c["kind"],
            _legacy_key(c["district"]),
            listed + dt.timedelta(days=1) if c["code"] in interim else None,
            end,
            source=source,
            listed_on=end if c["code"] in interim else listed,
        )
        for c in data["communes"]
    ]
    report = LoadReport()
    _upsert(specs, report, curated_wins=True)
    # Lineage of units covered by a curated history file comes from that file, not from the bulk mapping.
    curated = set(AdminUnit.objects.filter(source__endswith=".yaml").values_list("key", flat=True))
    events = _legacy_events(data, curated, source)
    _drop_bulk_events_of_curated(curated, source, report)
    _load_events(events, report)
    _narrow_to_parents(report)
    audit.changed([ALL])  # units' names and history are on every page: no browser keeps an older copy
    return report


_ABOLISH_BASIS = (
    "Nghị quyết 203/2025/QH15 sửa đổi, bổ sung một số điều của Hiến pháp và Luật Tổ chức chính quyền địa phương "
    "số 72/2025/QH15 (chính quyền địa phương hai cấp, không còn cấp huyện)"
)


def _legacy_events(data: dict[str, Any], curated: set[str], source: str) -> list[EventSpec]:
    """Merges and splits of provinces and communes on 1 July 2025 from the mappings, grouped by successors, and
    the end of every district that day with, as successors, the communes that took its communes' territory
    (the rule the curated pilot file follows for its six districts)."""
    events = []
    for mapping in ("province_successors", "commune_successors"):
        by_successor: dict[tuple[str, ...], list[str]] = {}
        for legacy_code, successors in data.get(mapping, {}).items():
            if _legacy_key(legacy_code) in curated:
                continue
            by_successor.setdefault(tuple(sorted(successors)), []).append(_legacy_key(legacy_code))
        for successors, predecessors in by_successor.items():
            kind = EventKind.SPLIT if len(successors) > 1 and len(predecessors) == 1 else EventKind.MERGE
            events.append(
                EventSpec(
                    kind,
                    REFORM_DATE,
                    sorted(predecessors),
                    list(successors),
                    legal_basis="",
                    note_vi="Theo dữ liệu sắp xếp đơn vị hành chính năm 2025.",
                    note_en="From the 2025 administrative unit arrangement data.",
                    source=source,
                )
            )
    territory: dict[str, set[str]] = {}
    for commune in data["communes"]:
        territory.setdefault(commune["district"], set()).update(data["commune_successors"].get(commune["code"], []))
    for district, successors in data.get("district_successors_without_communes", {}).items():
        territory.setdefault(district, set()).update(successors)
    for district in data["districts"]:
        successors = sorted(territory.get(district["code"], ()))
        if successors and _legacy_key(district["code"]) not in curated:
            events.append(
                EventSpec(
                    EventKind.ABOLISH,
                    REFORM_DATE,
                    [_legacy_key(district["code"])],
                    successors,
                    legal_basis=_ABOLISH_BASIS,
                    legal_basis_confirmed=True,
                    note_vi="Cấp huyện chấm dứt. Đơn vị kế thừa là các xã, phường hiện nay nhận địa bàn của các "
                    "xã, phường thuộc huyện (theo bảng chuyển đổi NSO, kể cả nhập một phần).",
                    note_en="The district level ended. Successors are the current communes and wards that took "
                    "territory of the district's communes (from the NSO conversion table, partial transfers "
                    "included).",
                    source=source,
                )
            )
    return events


def _drop_bulk_events_of_curated(curated: set[str], source: str, report: LoadReport) -> None:
    """Events the bulk mapping made for units a curated file now describes (the pre-2025 tree loaded before the
    pilot history) where the curated file has its own event for the same unit and role: the curated one stays.
    Bulk events the curated file shares (same natural key) are kept."""
    if not curated:
        return
    links = LineageLink.objects.filter(unit__key__in=curated)
    curated_roles = set(links.exclude(event__source=source).values_list("unit_id", "role"))
    stale = {
        event
        for event, unit, role in links.filter(event__source=source).values_list("event_id", "unit_id", "role")
        if (unit, role) in curated_roles
    }
    if stale:
        LineageEvent.objects.filter(pk__in=stale).delete()
        report.notes.append(f"{len(stale)} bulk lineage events replaced by curated history")


def _dates_from_events(events: list[dict[str, Any]]) -> tuple[dict[str, dt.date], dict[str, dt.date]]:
    """A unit that comes out of an event began on its date; one that went into an event ended the day before.
    Returns (start by key, end by key), the earliest start and the earliest end."""
    starts: dict[str, dt.date] = {}
    ends: dict[str, dt.date] = {}
    for e in events:
        date = _date(e["date"])
        for key in map(str, e.get("successors", [])):
            starts[key] = min(starts.get(key, date), date)
        for key in map(str, e.get("predecessors", [])):
            ends[key] = min(ends.get(key, date), date)
    return starts, {key: date - dt.timedelta(days=1) for key, date in ends.items()}


def _history_spec(u: dict[str, Any], listed: dt.date, starts: dict, ends: dict, source: str) -> UnitSpec:
    """A unit of a curated file: dates it gives, else dates from its events; with no start at all, the unit is
    listed on its own ``listed_on`` or the file's ``list_date``."""
    key = u["key"]
    start = _date(u.get("valid_from")) or starts.get(key)
    end = _date(u.get("valid_to")) or ends.get(key)
    return UnitSpec(
        key,
        str(u["code"]),
        u["name"],
        u["kind"],
        u.get("parent"),
        start,
        end,
        bool(u.get("pilot")),
        source=source,
        listed_on=None if start else (_date(u.get("listed_on")) or listed),
    )


@transaction.atomic
def load_history(path: Path = PILOT_FILE) -> LoadReport:
    """A curated history file (e.g. the Hải Phòng 2023 pilot units) with its lineage events.

    Start and end dates are the file's, else those of the unit's events (``_dates_from_events``); a unit with
    no start is listed on its ``listed_on`` or the file's ``list_date`` (the list its record comes from).
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = str(data.get("source", ""))[:100]
    listed = _list_date(data, path)
    starts, ends = _dates_from_events(data.get("events", []))
    specs = [_history_spec(u, listed, starts, ends, path.name) for u in data.get("units", [])]
    report = LoadReport()
    _upsert(specs, report)
    events = []
    for e in data.get("events", []):
        note = e.get("note") or {}
        events.append(
            EventSpec(
                kind=e["kind"],
                date=_date(e["date"]),
                predecessors=[str(k) for k in e.get("predecessors", [])],
                successors=[str(k) for k in e.get("successors", [])],
                legal_basis=str(e.get("legal_basis", ""))[:500],
                legal_basis_confirmed=bool(e.get("legal_basis_confirmed")),
                note_vi=note.get("vi", ""),
                note_en=note.get("en", ""),
                source=source,
            )
        )
    _load_events(events, report)
    _narrow_to_parents(report)
    audit.changed([ALL])  # units' names and history are on every page: no browser keeps an older copy
    return report
