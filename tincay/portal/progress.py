"""Public progress of approved action programmes: province → unit → programme → action, a timeline, public evidence.

What the public sees (DESIGN §2 item 10, issue 10 build point 6):
- only programmes with an approved version (``Programme.approved_version``) of **published** assessments
  (``PUBLIC_STATES``): results that are not published yet, and the programmes built on them, stay internal;
- the plan as it was **approved** (title, owner department, deadline, budget of each action read from the frozen
  ``ProgrammeVersion.content``); actions drafted after the approval are not shown; a programme changed since its
  approval still shows the approved version and says so;
- the **live** status and progress of each approved action (matched by the action id stored in the version under
  ``"id"``), rolled up with ``improvement.rules`` (``rollup``, ``mean``; the rule shown is ``ROLLUP_RULE``):
  action → programme (Σ weight × progress ÷ Σ weight), programme → unit (mean of its programmes), unit → province
  (mean of its units, each counting once);
- a timeline of dated progress updates with their titles (the notes stay internal);
- evidence whose visibility is public only, and only when it is attached to an action (or one of its updates) shown.

Every function runs a fixed number of queries whatever the number of units, programmes, actions and updates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from tincay.assessments.choices import State, Visibility
from tincay.assessments.models import Campaign, Document
from tincay.improvement.choices import ActionStatus, BudgetSource, ProgrammeStatus
from tincay.improvement.models import Action, Programme, ProgrammeVersion, ProgressUpdate
from tincay.improvement.rules import ROLLUP_RULE, Weighted, is_overdue, mean, rollup
from tincay.orgunits.models import AdminUnit

# Assessment states whose approved programmes the public sees: published results only (DESIGN §2 item 10, "only
# approved-and-published results"; §5 "the public path can never reach unpublished data").
PUBLIC_STATES = (State.PUBLISHED,)

__all__ = [
    "PUBLIC_STATES",
    "ROLLUP_RULE",
    "ProvinceProgress",
    "PublicAction",
    "PublicDocument",
    "PublicProgramme",
    "TimelineEntry",
    "UnitProgress",
    "format_vnd",
    "province_progress",
    "provinces_progress",
    "public_evidence",
    "public_programmes",
    "unit_programmes",
]


def public_programmes() -> QuerySet[Programme]:
    """Programmes the public may see: approved at least once, of a published assessment."""
    return Programme.objects.filter(approved_version__isnull=False, assessment__state__in=PUBLIC_STATES)


def format_vnd(amount: int | None) -> str:
    """1500000 → "1.500.000 ₫" (dot thousands, as Vietnamese documents write money)."""
    if amount is None:
        return ""
    return f"{int(amount):,}".replace(",", ".") + " ₫"


# --- the approved version's content ------------------------------------------------------------------------------


def _approved_entries(content: Any) -> list[dict[str, Any]]:
    """The actions of an approved version, as frozen: dicts with at least an ``"id"``."""
    actions = content.get("actions") if isinstance(content, dict) else None
    return [a for a in actions or [] if isinstance(a, dict) and isinstance(a.get("id"), int)]


def _approved_ids(content: Any) -> set[int]:
    return {a["id"] for a in _approved_entries(content)}


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return parse_date(value[:10])
        except ValueError:
            return None
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value: Any) -> str:
    if isinstance(value, dict):  # {"id": 3, "name": "Văn phòng"}
        value = value.get("name") or value.get("title") or ""
    return value if isinstance(value, str) else ""


def _approved_at(content: Any, fallback: dt.datetime) -> dt.datetime:
    stamp = content.get("approved_at") if isinstance(content, dict) else None
    parsed = parse_datetime(stamp) if isinstance(stamp, str) else None
    return parsed or fallback


# --- live action rows --------------------------------------------------------------------------------------------

LIVE_FIELDS = ("pk", "programme_id", "status", "progress", "weight", "department__name")


@dataclass(frozen=True)
class _Counted:
    """One approved action as the roll-up counts it: approved weight and deadline, live status and progress."""

    weight: int
    progress: int
    status: str
    deadline: dt.date | None


def _counted(entry: dict[str, Any], live: dict[str, Any] | None) -> _Counted:
    source = live or entry
    weight = _as_int(entry.get("weight"))
    if weight is None:
        weight = live["weight"] if live else 1
    progress = _as_int(source.get("progress")) or 0
    status = source.get("status") if source.get("status") in ActionStatus.values else ActionStatus.NOT_STARTED
    return _Counted(weight, min(100, max(0, progress)), status, _as_date(entry.get("deadline")))


@dataclass
class _Tally:
    """What a list row shows of a set of approved actions."""

    actions: int = 0
    done: int = 0
    overdue: int = 0
    cancelled: int = 0

    def add(self, counted: _Counted, today: dt.date) -> None:
        self.actions += 1
        self.done += counted.status == ActionStatus.DONE
        self.cancelled += counted.status == ActionStatus.CANCELLED
        self.overdue += is_overdue(counted.status, counted.deadline, today)

    def merge(self, other: _Tally) -> None:
        self.actions += other.actions
        self.done += other.done
        self.overdue += other.overdue
        self.cancelled += other.cancelled


def _programme_rollup(
    entries: Iterable[dict[str, Any]], live: dict[int, dict[str, Any]], today: dt.date
) -> tuple[int | None, _Tally]:
    tally = _Tally()
    counted = []
    for entry in entries:
        item = _counted(entry, live.get(entry["id"]))
        tally.add(item, today)
        counted.append(Weighted(item.weight, item.progress, item.status))
    return rollup(counted), tally


# An approved version never changes: what the roll-up needs of it (each action's id, weight, deadline, and the
# status and progress it was approved with) is read from its content once per process, keyed by the version's id
# and approval time (an id alone could come back after a rolled-back transaction). The lists of provinces and units
# then read no content at all once warm; a cold start costs one more query.
ROLLUP_KEYS = ("id", "weight", "deadline", "status", "progress")
PLAN_CACHE_LIMIT = 50_000
_plans_cache: dict[tuple[int, str], tuple[dict[str, Any], ...]] = {}


def _plans(versions: dict[int, dt.datetime]) -> dict[int, tuple[dict[str, Any], ...]]:
    """version id → its approved actions, slimmed to ``ROLLUP_KEYS`` (one query for those not read yet)."""
    found: dict[int, tuple[dict[str, Any], ...]] = {}
    missing = []
    for pk, approved_at in versions.items():
        plan = _plans_cache.get((pk, approved_at.isoformat()))
        if plan is None:
            missing.append(pk)
        else:
            found[pk] = plan
    if not missing:
        return found
    if len(_plans_cache) + len(missing) > PLAN_CACHE_LIMIT:
        _plans_cache.clear()
    for pk, approved_at, content in ProgrammeVersion.objects.filter(pk__in=missing).values_list(
        "pk", "approved_at", "content"
    ):
        plan = tuple({k: entry.get(k) for k in ROLLUP_KEYS} for entry in _approved_entries(content))
        _plans_cache[(pk, approved_at.isoformat())] = plan
        found[pk] = plan
    return found


# --- province list and one province's units ----------------------------------------------------------------------


@dataclass
class UnitProgress:
    unit: AdminUnit
    programmes: int
    progress: int | None  # mean of its programmes' progress
    tally: _Tally


@dataclass
class ProvinceProgress:
    province: AdminUnit
    units: int  # units with an approved programme
    programmes: int
    progress: int | None  # mean of its units' progress, each unit counting once
    tally: _Tally


def _unit_rows(programmes: QuerySet[Programme]) -> list[tuple[int, int | None, _Tally]]:
    """(unit id, programme progress, tally) per public programme: two queries (three on a cold cache)."""
    rows = list(
        programmes.values_list("pk", "assessment__unit_id", "approved_version_id", "approved_version__approved_at")
    )
    plans = _plans({version: approved_at for _pk, _unit, version, approved_at in rows})
    live: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for action in Action.objects.filter(programme__in=programmes.values("pk")).values(*LIVE_FIELDS):
        live[action["programme_id"]][action["pk"]] = action
    today = timezone.localdate()
    result = []
    for pk, unit_id, version, _approved_at in rows:
        progress, tally = _programme_rollup(plans.get(version, ()), live[pk], today)
        result.append((unit_id, progress, tally))
    return result


def _by_unit(rows: Iterable[tuple[int, int | None, _Tally]]) -> dict[int, tuple[int, int | None, _Tally]]:
    """unit id → (programmes, unit progress = mean of its programmes, tally of all their actions)."""
    grouped: dict[int, list[tuple[int | None, _Tally]]] = defaultdict(list)
    for unit_id, progress, tally in rows:
        grouped[unit_id].append((progress, tally))
    result = {}
    for unit_id, items in grouped.items():
        total = _Tally()
        for _progress, tally in items:
            total.merge(tally)
        result[unit_id] = (len(items), mean(p for p, _t in items), total)
    return result


def _province_key(path: str) -> str:
    return path.split("/", 1)[0]


def provinces_progress() -> list[ProvinceProgress]:
    """Every province (today's and those that ended) with at least one unit with a public approved programme,
    in Vietnamese order (four queries, five on a cold cache)."""
    units = _by_unit(_unit_rows(public_programmes()))
    paths = dict(AdminUnit.objects.filter(pk__in=list(units)).values_list("pk", "path")) if units else {}
    per_province: dict[str, list[int]] = defaultdict(list)
    for unit_id, path in paths.items():
        per_province[_province_key(path)].append(unit_id)
    provinces = AdminUnit.objects.filter(key__in=list(per_province)).order_by("sort_key") if per_province else []
    result = []
    for province in provinces:
        members = [units[u] for u in per_province[province.key]]
        tally = _Tally()
        for _n, _p, unit_tally in members:
            tally.merge(unit_tally)
        result.append(
            ProvinceProgress(
                province=province,
                units=len(members),
                programmes=sum(n for n, _p, _t in members),
                progress=mean(p for _n, p, _t in members),
                tally=tally,
            )
        )
    return result


def province_progress(province: AdminUnit) -> tuple[ProvinceProgress, list[UnitProgress]]:
    """One province's units with a public approved programme and their progress, the province's roll-up (three
    queries, four on a cold cache)."""
    scoped = public_programmes().filter(assessment__unit__path__startswith=province.path)
    units = _by_unit(_unit_rows(scoped))
    found = AdminUnit.objects.filter(pk__in=list(units)).order_by("sort_key") if units else []
    rows = [UnitProgress(u, units[u.pk][0], units[u.pk][1], units[u.pk][2]) for u in found]
    tally = _Tally()
    for row in rows:
        tally.merge(row.tally)
    summary = ProvinceProgress(
        province=province,
        units=len(rows),
        programmes=sum(r.programmes for r in rows),
        progress=mean(r.progress for r in rows),
        tally=tally,
    )
    return summary, rows


# --- one unit's programmes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicDocument:
    pk: int
    title: str
    number: str
    issued_on: dt.date | None
    is_link: bool


@dataclass
class PublicAction:
    pk: int
    number: int | None
    title: str
    department: str
    starts_on: dt.date | None
    deadline: dt.date | None
    budget_vnd: int | None
    budget_source: str  # label
    expected_result: str
    status: str
    progress: int
    weight: int
    overdue: bool
    documents: list[PublicDocument] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label)

    @property
    def budget_text(self) -> str:
        return format_vnd(self.budget_vnd)

    @property
    def counted(self) -> bool:
        return self.status != ActionStatus.CANCELLED and self.weight > 0


@dataclass
class TimelineEntry:
    on: dt.date
    title: str
    action: PublicAction
    progress: int
    status: str
    documents: list[PublicDocument] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(ActionStatus(self.status).label) if self.status in ActionStatus.values else ""


@dataclass
class PublicProgramme:
    pk: int
    title: str
    summary: str
    campaign: Campaign
    version: int
    approved_at: dt.datetime
    changed: bool  # changed since the approval: the approved version is shown
    actions: list[PublicAction]
    timeline: list[TimelineEntry]
    progress: int | None

    @property
    def budget_total(self) -> int | None:
        amounts = [a.budget_vnd for a in self.actions if a.budget_vnd is not None]
        return sum(amounts) if amounts else None

    @property
    def budget_total_text(self) -> str:
        return format_vnd(self.budget_total)

    @property
    def done(self) -> int:
        return sum(a.status == ActionStatus.DONE for a in self.actions)

    @property
    def overdue(self) -> int:
        return sum(a.overdue for a in self.actions)


def _public_action(entry: dict[str, Any], live: dict[str, Any] | None, today: dt.date) -> PublicAction:
    counted = _counted(entry, live)
    source = entry.get("budget_source")
    department = _text(entry.get("department")) or _text(entry.get("department_name"))
    return PublicAction(
        pk=entry["id"],
        number=_as_int(entry.get("number")),
        title=_text(entry.get("title")),
        department=department or (live or {}).get("department__name") or "",
        starts_on=_as_date(entry.get("starts_on")),
        deadline=counted.deadline,
        budget_vnd=_as_int(entry.get("budget_vnd", entry.get("budget"))),
        budget_source=str(BudgetSource(source).label) if source in BudgetSource.values else "",
        expected_result=_text(entry.get("expected_result")),
        status=counted.status,
        progress=counted.progress,
        weight=counted.weight,
        overdue=is_overdue(counted.status, counted.deadline, today),
    )


def _document(document: Document) -> PublicDocument:
    return PublicDocument(document.pk, document.title, document.number, document.issued_on, not document.file)


def unit_programmes(unit: AdminUnit) -> tuple[list[PublicProgramme], int | None]:
    """The unit's public approved programmes, newest campaign first, and the unit's progress (the mean of its
    programmes'). Five queries, whatever the number of programmes, actions, updates and documents."""
    programmes = list(
        public_programmes()
        .filter(assessment__unit=unit)
        .select_related("assessment__campaign", "approved_version")
        .order_by("-assessment__campaign__year", "-pk")
    )
    if not programmes:
        return [], None
    ids = [p.pk for p in programmes]
    live = {a["pk"]: a for a in Action.objects.filter(programme_id__in=ids).values(*LIVE_FIELDS)}
    today = timezone.localdate()
    shown: dict[int, PublicAction] = {}
    built = []
    for programme in programmes:
        version = programme.approved_version
        content = version.content if isinstance(version.content, dict) else {}
        frozen = content.get("programme") if isinstance(content.get("programme"), dict) else content
        actions = []
        for entry in _approved_entries(content):
            row = live.get(entry["id"])
            if row is not None and row["programme_id"] != programme.pk:
                row = None  # an id that is not this programme's: never read another programme's action
            action = _public_action(entry, row, today)
            actions.append(action)
            shown[action.pk] = action
        actions.sort(key=lambda a: (a.number is None, a.number or 0, a.pk))
        built.append(
            PublicProgramme(
                pk=programme.pk,
                title=_text(frozen.get("title")) or programme.title,
                summary=_text(frozen.get("summary")),
                campaign=programme.assessment.campaign,
                version=version.number,
                approved_at=_approved_at(content, version.approved_at),
                changed=programme.status == ProgrammeStatus.CHANGED,
                actions=actions,
                timeline=[],
                progress=rollup(Weighted(a.weight, a.progress, a.status) for a in actions),
            )
        )
    _attach_documents(shown)
    _attach_timeline(built, shown)
    return built, mean(p.progress for p in built)


def _attach_documents(shown: dict[int, PublicAction]) -> None:
    links = (
        Action.documents.through.objects.filter(action_id__in=list(shown), document__visibility=Visibility.PUBLIC)
        .select_related("document")
        .order_by("document__issued_on", "document__title", "document_id")
    )
    for link in links:
        shown[link.action_id].documents.append(_document(link.document))


def _attach_timeline(programmes: list[PublicProgramme], shown: dict[int, PublicAction]) -> None:
    """Dated updates of the shown actions, newest first; their public evidence (two queries)."""
    updates = list(
        ProgressUpdate.objects.filter(action_id__in=list(shown))
        .only("pk", "action_id", "on", "title", "progress", "status")
        .order_by("-on", "-pk")
    )
    documents: dict[int, list[PublicDocument]] = defaultdict(list)
    links = (
        ProgressUpdate.documents.through.objects.filter(
            progressupdate__action_id__in=list(shown), document__visibility=Visibility.PUBLIC
        )
        .select_related("document")
        .order_by("document__issued_on", "document__title", "document_id")
    )
    for link in links:
        documents[link.progressupdate_id].append(_document(link.document))
    owner = {a.pk: p for p in programmes for a in p.actions}
    for update in updates:
        action = shown[update.action_id]
        owner[action.pk].timeline.append(
            TimelineEntry(update.on, update.title, action, update.progress, update.status, documents[update.pk])
        )


# --- public evidence ---------------------------------------------------------------------------------------------


def public_evidence(pk: int) -> Document | None:
    """A document the public may open: visibility public, attached to an action shown on the portal (an action of
    the approved version of a public programme) or to one of that action's updates (three queries)."""
    document = Document.objects.filter(pk=pk, visibility=Visibility.PUBLIC).select_related("unit").first()
    if document is None:
        return None
    programmes = public_programmes().values("pk")
    on_actions = Action.documents.through.objects.filter(document_id=pk, action__programme__in=programmes).values_list(
        "action_id", "action__programme__approved_version__content"
    )
    on_updates = ProgressUpdate.documents.through.objects.filter(
        Q(document_id=pk) & Q(progressupdate__action__programme__in=programmes)
    ).values_list("progressupdate__action_id", "progressupdate__action__programme__approved_version__content")
    for action_id, content in [*on_actions, *on_updates]:
        if action_id in _approved_ids(content):
            return document
    return None
