"""Writes of the rollout tracker: rollouts, their units, phase moves and skips, gates by hand, unit documents.

Rules (the service is the guard; every path — page, API, seed — meets them):
- a unit in a rollout is always in exactly one phase: ``RolloutUnit.current_phase`` and one open ``PhaseRecord``
  (``left_on`` empty; a partial unique constraint keeps it so); every move closes the open record and opens one;
- going forward past a phase whose gates are not all met, or over a phase never entered nor skipped, needs a
  reason (the phases jumped over are recorded as skipped with it); going back always needs a reason;
- a phase is skipped with a reason: a later phase is marked skipped ahead, the current one is closed as skipped
  and the unit enters the next phase;
- gates are recorded by hand with a reason; documents come from the unit's own evidence register;
- entering a phase notifies the unit's leader and focal point.
Managers of the rollout (admins, coordinators over its coordinating unit) move units and record gates; the unit's
leader and focal point record its documents (``access.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.accounts.roles import is_system
from tincay.assessments.access import campaigns_visible_to
from tincay.assessments.models import Campaign, Document
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.orgunits.access import can_manage_unit
from tincay.orgunits.models import AdminUnit, Membership
from tincay.rollout import access
from tincay.rollout.gates import gates_for_entries, unmet
from tincay.rollout.models import PhaseDefinition, PhaseRecord, PhaseTemplate, Rollout, RolloutUnit

TEXT_LIMIT = 2_000
TITLE_LIMIT = 300
MAX_UNITS = 12_000
RESERVED_CODES = {"new", "training"}  # /rollout/new/, /rollout/training/sign-in/
KEEP: Any = object()  # "leave this document as it is" in unit_documents_record


# --- small checks -------------------------------------------------------------------------------------------------


def _text(errors: ErrorCollector, name: str, raw: Any, *, required: bool, limit: int = TEXT_LIMIT, missing=None) -> str:
    if raw is not None and not isinstance(raw, str):
        errors.add(name, _("Enter text."))
        return ""
    text = (raw or "").strip()
    if required and not text:
        errors.add(name, missing or _("This field is required."))
    elif len(text) > limit:
        errors.add(name, _("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(limit)})
    return text


def _date(errors: ErrorCollector, name: str, raw: Any, *, required: bool = True, not_after_today: bool = False):
    if raw is None or raw == "":
        if required:
            errors.add(name, _("Enter a date (dd/mm/yyyy)."))
        return None
    if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date):
        errors.add(name, _("Enter a date (dd/mm/yyyy)."))
        return None
    if not_after_today and raw > timezone.localdate():
        errors.add(name, _("This date is in the future: record what happened, on the day it happened."))
    return raw


def _reason(errors: ErrorCollector, raw: Any, *, required: bool, missing: str | None = None) -> str:
    return _text(errors, "reason", raw, required=required, missing=missing or _("Say why (a reason is required)."))


def _entry(entry: Any) -> RolloutUnit:
    if not isinstance(entry, RolloutUnit) or entry.pk is None:
        raise InvalidInput({"entry": [_("Choose a unit of a rollout.")]})
    found = (
        RolloutUnit.objects.select_for_update(of=("self",))
        .select_related("rollout__template", "rollout__owner_unit", "unit")
        .filter(pk=entry.pk)
        .first()
    )
    if found is None:
        raise InvalidInput({"entry": [_("This unit is no longer in the rollout: reload the page.")]})
    return found


def _manager(actor: Any, rollout: Rollout) -> None:
    if not access.can_manage_rollout(actor, rollout):
        raise Refused(_("Only the rollout's coordinators move units between phases and record gates."))


def _phases(rollout: Rollout) -> list[PhaseDefinition]:
    return list(PhaseDefinition.objects.filter(template_id=rollout.template_id).order_by("order"))


def _phase(errors: ErrorCollector, raw: Any, phases: list[PhaseDefinition]) -> PhaseDefinition | None:
    found = next((p for p in phases if isinstance(raw, str) and p.key == raw), None)
    if found is None:
        errors.add("phase", _("Choose one of the phases of this rollout's template."))
    return found


def _register_document(errors: ErrorCollector, name: str, raw: Any, unit_id: int) -> Document | None:
    if raw is None:
        return None
    if not isinstance(raw, Document) or raw.pk is None or raw.unit_id != unit_id:
        errors.add(name, _("Choose a document of this unit's evidence register."))
        return None
    return raw


def _actor(actor: Any) -> Any:
    return None if is_system(actor) else actor


def _latest_records(entry: RolloutUnit) -> dict[str, PhaseRecord]:
    latest: dict[str, PhaseRecord] = {}
    for record in entry.phase_records.order_by("entered_on", "id"):
        latest[record.phase] = record
    return latest


# --- notices ------------------------------------------------------------------------------------------------------


def _people_of(unit_ids: Iterable[int]) -> dict[int, list[Any]]:
    """The active leaders and focal points of each unit (one query)."""
    people: dict[int, list[Any]] = defaultdict(list)
    pairs = Membership.objects.filter(
        unit_id__in=list(unit_ids), role__in=[Role.UNIT_LEADER, Role.FOCAL_POINT], user__is_active=True
    ).select_related("user")
    for membership in pairs:
        if membership.user not in people[membership.unit_id]:
            people[membership.unit_id].append(membership.user)
    return people


def _notify_entered(actor: Any, entries: list[RolloutUnit], phase: PhaseDefinition) -> None:
    people = _people_of(e.unit_id for e in entries)
    for entry in entries:
        readers = [p for p in people.get(entry.unit_id, []) if p != actor]
        if not readers:
            continue
        account_services.notify(
            users=readers,
            message=gettext_noop("%(unit)s entered the phase “%(phase)s” of the rollout %(rollout)s on %(on)s."),
            subject=gettext_noop("Rollout: %(unit)s entered the phase “%(phase)s”"),
            params={
                "unit": entry.unit.name,
                "phase": {"vi": phase.title_vi, "en": phase.title_en or phase.title_vi},
                "rollout": {"vi": entry.rollout.title_vi, "en": entry.rollout.title_en or entry.rollout.title_vi},
                "on": entry.phase_since.strftime("%d/%m/%Y"),
            },
            url=reverse("rollout:entry", args=[entry.rollout.code, entry.unit.key]),
        )


# --- rollouts and their units -------------------------------------------------------------------------------------


@transaction.atomic
def rollout_create(
    *,
    actor: Any,
    code: Any,
    title_vi: Any,
    title_en: Any = "",
    owner_unit: Any,
    template: Any,
    campaign: Any = None,
    starts_on: Any,
    ends_on: Any = None,
    stuck_after_days: Any = None,
) -> Rollout:
    """Open a rollout over the subtree of ``owner_unit`` following ``template``. Admins anywhere, coordinators on
    units they coordinate. Every field is checked together; nothing is stored when one check fails."""
    if not access.can_create_rollout(actor):
        raise Refused(_("Only administrators and coordinators open rollouts."))
    errors = ErrorCollector()
    code_text = _text(errors, "code", code, required=True, limit=60)
    if code_text and (not all(c.isascii() and (c.isalnum() or c in "-_") for c in code_text)):
        errors.add("code", _("Use only letters without diacritics, digits and dashes (e.g. hai-phong-2026)."))
    elif code_text in RESERVED_CODES:
        errors.add("code", _("This code names a page of the application: choose another."))
    elif code_text and Rollout.objects.filter(code=code_text).exists():
        errors.add("code", _("Another rollout already has this code: choose another."))
    title = _text(errors, "title_vi", title_vi, required=True, limit=TITLE_LIMIT)
    title_english = _text(errors, "title_en", title_en, required=False, limit=TITLE_LIMIT)
    if not isinstance(owner_unit, AdminUnit) or owner_unit.pk is None:
        errors.add("owner_unit", _("Choose the coordinating unit."))
    elif not can_manage_unit(actor, owner_unit):
        raise Refused(_("You coordinate no rollout for this unit: choose a unit within your scope."))
    if not isinstance(template, PhaseTemplate) or template.pk is None:
        errors.add("template", _("Choose a phase template."))
    elif not template.phases.exists():
        errors.add("template", _("This template has no phase: choose another."))
    if campaign is not None and (
        not isinstance(campaign, Campaign)
        or campaign.pk is None
        or not (is_system(actor) or campaigns_visible_to(actor).filter(pk=campaign.pk).exists())
    ):
        errors.add("campaign", _("Choose an assessment campaign visible to you, or none."))
    start = _date(errors, "starts_on", starts_on)
    end = _date(errors, "ends_on", ends_on, required=False)
    if start and end and end < start:
        errors.add("ends_on", _("The end comes before the start: check both dates."))
    days = None
    if stuck_after_days not in (None, ""):
        if (
            isinstance(stuck_after_days, bool)
            or not isinstance(stuck_after_days, int)
            or not 1 <= stuck_after_days <= 3650
        ):
            errors.add("stuck_after_days", _("Enter a whole number of days from 1 to 3650, or leave it empty."))
        else:
            days = stuck_after_days
    errors.raise_if_any()
    rollout = Rollout.objects.create(
        code=code_text,
        title_vi=title,
        title_en=title_english,
        owner_unit=owner_unit,
        template=template,
        campaign=campaign,
        starts_on=start,
        ends_on=end,
        stuck_after_days=days,
        created_by=_actor(actor),
    )
    audit.record(
        actor=actor,
        action="rollout.created",
        obj=rollout,
        after={
            "code": rollout.code,
            "owner_unit": owner_unit.key,
            "template": f"{template.code} v{template.version}",
            "campaign": campaign.code if campaign else None,
            "starts_on": start.isoformat(),
            "ends_on": end.isoformat() if end else None,
            "stuck_after_days": days,
        },
    )
    return rollout


@transaction.atomic
def rollout_add_units(*, actor: Any, rollout: Any, units: Any, on: Any) -> list[RolloutUnit]:
    """Add units of the coordinating unit's subtree; each starts in the template's first phase on ``on``."""
    if not isinstance(rollout, Rollout) or rollout.pk is None:
        raise InvalidInput({"rollout": [_("Choose a rollout.")]})
    rollout = Rollout.objects.select_related("owner_unit", "template").get(pk=rollout.pk)
    _manager(actor, rollout)
    errors = ErrorCollector()
    start = _date(errors, "on", on, not_after_today=True)
    if start and start < rollout.starts_on:
        errors.add(
            "on",
            _("The rollout starts on %(date)s: choose that day or later.") % {"date": f"{rollout.starts_on:%d/%m/%Y}"},
        )
    chosen: list[AdminUnit] = []
    if isinstance(units, (str, bytes)) or not isinstance(units, Iterable):
        errors.add("units", _("Choose at least one unit."))
    else:
        chosen = list(units)
        if not chosen:
            errors.add("units", _("Choose at least one unit."))
        elif len(chosen) > MAX_UNITS:
            errors.add("units", _("At most %(limit)s units at a time.") % {"limit": grouped(MAX_UNITS)})
        elif any(not isinstance(u, AdminUnit) or u.pk is None for u in chosen):
            errors.add("units", _("Choose administrative units."))
            chosen = []
    if chosen:
        owner_path = rollout.owner_unit.path
        outside = [u.name for u in chosen if not u.path.startswith(owner_path)]
        if outside:
            errors.add(
                "units",
                _("These units are not under %(owner)s: %(units)s")
                % {"owner": rollout.owner_unit.name, "units": ", ".join(sorted(outside)[:10])},
            )
        if start:
            gone = [u.name for u in chosen if u.valid_to is not None and u.valid_to < start]
            if gone:
                errors.add(
                    "units",
                    _("These units no longer existed on %(date)s: %(units)s")
                    % {"date": f"{start:%d/%m/%Y}", "units": ", ".join(sorted(gone)[:10])},
                )
        if len({u.pk for u in chosen}) != len(chosen):
            errors.add("units", _("A unit is listed twice."))
        already = set(
            RolloutUnit.objects.filter(rollout=rollout, unit_id__in=[u.pk for u in chosen]).values_list(
                "unit__name", flat=True
            )
        )
        if already:
            errors.add("units", _("Already in this rollout: %(units)s") % {"units": ", ".join(sorted(already)[:10])})
    phases = _phases(rollout)
    if not phases:
        errors.add("rollout", _("The rollout's template has no phase."))
    errors.raise_if_any()
    first = phases[0]
    entries = RolloutUnit.objects.bulk_create(
        [RolloutUnit(rollout=rollout, unit=u, current_phase=first.key, phase_since=start) for u in chosen],
        batch_size=1000,
    )
    if any(e.pk is None for e in entries):  # a backend without RETURNING
        by_unit = dict(RolloutUnit.objects.filter(rollout=rollout).values_list("unit_id", "pk"))
        for e in entries:
            e.pk = by_unit[e.unit_id]
    who = _actor(actor)
    PhaseRecord.objects.bulk_create(
        [PhaseRecord(rollout_unit_id=e.pk, phase=first.key, entered_on=start, actor=who) for e in entries],
        batch_size=1000,
    )
    audit.record(
        actor=actor,
        action="rollout.units_added",
        obj=rollout,
        after={"units": [u.key for u in chosen], "phase": first.key, "on": start.isoformat()},
    )
    for e in entries:
        e.rollout = rollout
    _notify_entered(actor, entries, first)
    return entries


def rollout_add_units_by_key(
    *, actor: Any, rollout: Any, keys: Any = (), all_communes: Any = False, on: Any
) -> list[RolloutUnit]:
    """Add units named by their keys and, with ``all_communes``, every commune of today under the coordinating unit
    not yet in the rollout (as the board's form offers); ``rollout_add_units`` checks the rest."""
    if not isinstance(rollout, Rollout) or rollout.pk is None:
        raise InvalidInput({"rollout": [_("Choose a rollout.")]})
    _manager(actor, rollout)
    if isinstance(keys, (str, bytes)) or not isinstance(keys, Iterable) or not isinstance(all_communes, bool):
        raise InvalidInput({"units": [_("Choose at least one unit.")]})
    keys = [k for k in keys if isinstance(k, str) and k]
    units: list[AdminUnit] = []
    if all_communes:
        units = list(
            AdminUnit.objects.filter(
                path__startswith=rollout.owner_unit.path, level="commune", valid_to__isnull=True
            ).exclude(rollout_entries__rollout=rollout)
        )
    if keys:
        found = {u.key: u for u in AdminUnit.objects.filter(key__in=keys[:MAX_UNITS])}
        missing = [k for k in keys if k not in found]
        if missing:
            raise InvalidInput(
                {"units": [_("No unit has these codes: %(codes)s") % {"codes": ", ".join(missing[:20])}]}
            )
        units += [u for u in found.values() if u not in units]
    return rollout_add_units(actor=actor, rollout=rollout, units=units, on=on)


# --- phases -------------------------------------------------------------------------------------------------------


def _move(actor: Any, entry: RolloutUnit, target: PhaseDefinition, on: dt.date, reason: str, *, skipped: bool) -> None:
    """Close the open record (as skipped or not) and open one in ``target``."""
    closed = PhaseRecord.objects.filter(rollout_unit=entry, left_on__isnull=True).update(
        left_on=on, **({"skipped": True, "reason": reason} if skipped else {})
    )
    if closed != 1:
        raise InvalidInput({"__all__": [_("This unit's phase history is inconsistent: reload the page.")]})
    try:
        with transaction.atomic():
            PhaseRecord.objects.create(
                rollout_unit=entry, phase=target.key, entered_on=on, reason=reason, actor=_actor(actor)
            )
    except IntegrityError:
        raise InvalidInput({"__all__": [_("Someone moved this unit at the same time: reload the page.")]}) from None
    entry.current_phase = target.key
    entry.phase_since = on
    entry.save(update_fields=["current_phase", "phase_since", "updated_at"])


@transaction.atomic
def phase_enter(*, actor: Any, entry: Any, phase: Any, on: Any, reason: Any = "") -> RolloutUnit:
    """Move a unit of a rollout into ``phase`` on ``on``. Forward past unmet gates or phases never entered needs a
    reason (those phases are recorded as skipped with it); backward always needs a reason."""
    entry = _entry(entry)
    rollout = entry.rollout
    _manager(actor, rollout)
    phases = _phases(rollout)
    errors = ErrorCollector()
    target = _phase(errors, phase, phases)
    when = _date(errors, "on", on, not_after_today=True)
    if when and when < entry.phase_since:
        errors.add(
            "on",
            _("The unit has been in its current phase since %(date)s: choose that day or later.")
            % {"date": f"{entry.phase_since:%d/%m/%Y}"},
        )
    text = _reason(errors, reason, required=False)
    current = next((p for p in phases if p.key == entry.current_phase), None)
    jumped: list[PhaseDefinition] = []
    if target is not None and current is not None:
        if target.key == current.key:
            errors.add("phase", _("The unit is already in this phase."))
        elif target.order < current.order:
            if not text:
                errors.add("reason", _("Going back to an earlier phase needs a reason: say why."))
        else:
            latest = _latest_records(entry)
            passed = [p for p in phases if current.order <= p.order < target.order]
            jumped = [p for p in passed if p.key != current.key and p.key not in latest]
            counted = [p for p in passed if not (latest.get(p.key) and latest[p.key].skipped and p.key != current.key)]
            specs = [g for p in counted for g in p.gates]
            missing = unmet(gates_for_entries(rollout, [entry], {entry.pk: specs})[entry.pk])
            if (missing or jumped) and not text:
                parts = [g.label for g in missing] + [
                    _("phase “%(phase)s” never entered") % {"phase": p.title_vi} for p in jumped
                ]
                errors.add(
                    "reason",
                    _("Not everything before this phase is done (%(missing)s): give a reason to move on anyway.")
                    % {"missing": "; ".join(parts)},
                )
    errors.raise_if_any()
    before = {"phase": entry.current_phase, "since": entry.phase_since.isoformat()}
    for p in jumped:
        PhaseRecord.objects.create(
            rollout_unit=entry,
            phase=p.key,
            entered_on=when,
            left_on=when,
            skipped=True,
            reason=text,
            actor=_actor(actor),
        )
    _move(actor, entry, target, when, text, skipped=False)
    audit.record(
        actor=actor,
        action="rollout.phase_entered",
        obj=entry,
        before=before,
        after={"phase": target.key, "since": when.isoformat(), "skipped": [p.key for p in jumped]},
        reason=text,
    )
    _notify_entered(actor, [entry], target)
    return entry


@transaction.atomic
def phase_skip(*, actor: Any, entry: Any, phase: Any, on: Any, reason: Any) -> RolloutUnit:
    """Mark ``phase`` skipped with a reason: a later phase ahead of time, or the current one (the unit then enters
    the next phase not already skipped). A past phase cannot be skipped."""
    entry = _entry(entry)
    rollout = entry.rollout
    _manager(actor, rollout)
    phases = _phases(rollout)
    errors = ErrorCollector()
    target = _phase(errors, phase, phases)
    when = _date(errors, "on", on, not_after_today=True)
    if when and when < entry.phase_since:
        errors.add(
            "on",
            _("The unit has been in its current phase since %(date)s: choose that day or later.")
            % {"date": f"{entry.phase_since:%d/%m/%Y}"},
        )
    text = _reason(errors, reason, required=True, missing=_("Say why this phase is skipped (a reason is required)."))
    current = next((p for p in phases if p.key == entry.current_phase), None)
    latest = _latest_records(entry)
    following: PhaseDefinition | None = None
    if target is not None and current is not None:
        if target.order < current.order:
            errors.add("phase", _("This phase is already behind the unit: move back to it first if it must be redone."))
        elif target.key == current.key:
            following = next(
                (p for p in phases if p.order > current.order and not (latest.get(p.key) and latest[p.key].skipped)),
                None,
            )
            if following is None:
                errors.add("phase", _("There is no later phase to go to: the last phase cannot be skipped."))
        elif latest.get(target.key) and latest[target.key].skipped:
            errors.add("phase", _("This phase is already marked skipped."))
    errors.raise_if_any()
    before = {"phase": entry.current_phase, "since": entry.phase_since.isoformat()}
    if following is not None:
        _move(actor, entry, following, when, text, skipped=True)
        after = {"skipped": target.key, "phase": following.key, "since": when.isoformat()}
    else:
        PhaseRecord.objects.create(
            rollout_unit=entry,
            phase=target.key,
            entered_on=when,
            left_on=when,
            skipped=True,
            reason=text,
            actor=_actor(actor),
        )
        after = {"skipped": target.key, "phase": entry.current_phase}
    audit.record(actor=actor, action="rollout.phase_skipped", obj=entry, before=before, after=after, reason=text)
    if following is not None:
        _notify_entered(actor, [entry], following)
    return entry


# --- gates and documents ------------------------------------------------------------------------------------------


@transaction.atomic
def gate_record(*, actor: Any, entry: Any, gate: Any, met: Any, reason: Any, document: Any = None) -> Any:
    """Record a gate by hand (met or not) with a reason, where no data derives it or to override the data."""
    from tincay.rollout.models import GateRecord

    entry = _entry(entry)
    _manager(actor, entry.rollout)
    errors = ErrorCollector()
    keys = {g["key"] for p in _phases(entry.rollout) for g in p.gates}
    if not isinstance(gate, str) or gate not in keys:
        errors.add("gate", _("Choose one of the gates of this rollout's phases."))
    if not isinstance(met, bool):
        errors.add("met", _("Say whether the gate is met (yes or no)."))
    text = _reason(
        errors, reason, required=True, missing=_("Say why the gate is recorded by hand (a reason is required).")
    )
    doc = _register_document(errors, "document", document, entry.unit_id)
    errors.raise_if_any()
    record = GateRecord.objects.create(
        rollout_unit=entry, gate=gate, met=met, reason=text, document=doc, recorded_by=_actor(actor)
    )
    audit.record(
        actor=actor,
        action="rollout.gate_recorded",
        obj=entry,
        after={"gate": gate, "met": met, "document": doc.pk if doc else None},
        reason=text,
    )
    return record


DOCUMENT_FIELDS = ("steering_decision", "support_team_document", "report_document")


@transaction.atomic
def unit_documents_record(
    *,
    actor: Any,
    entry: Any,
    steering_decision: Any = KEEP,
    support_team_document: Any = KEEP,
    report_document: Any = KEEP,
    report_sent_on: Any = KEEP,
) -> RolloutUnit:
    """Record the unit's steering committee decision, support team document, final report and the day it was
    sent. A document comes from the unit's own register; ``None`` clears a field, an argument left out keeps it."""
    entry = _entry(entry)
    if not access.can_record_unit_documents(actor, entry):
        raise Refused(_("Only the unit's leader and focal point, or the rollout's coordinators, record these."))
    errors = ErrorCollector()
    given = {
        "steering_decision": steering_decision,
        "support_team_document": support_team_document,
        "report_document": report_document,
    }
    changed: dict[str, Any] = {}
    for name, value in given.items():
        if value is KEEP:
            continue
        doc = _register_document(errors, name, value, entry.unit_id)
        if (doc.pk if doc else None) != getattr(entry, f"{name}_id"):
            changed[name] = doc
    if report_sent_on is not KEEP:
        sent = _date(errors, "report_sent_on", report_sent_on, required=False, not_after_today=True)
        if sent and sent < entry.rollout.starts_on:
            errors.add(
                "report_sent_on",
                _("The rollout starts on %(date)s: the report cannot be sent before.")
                % {"date": f"{entry.rollout.starts_on:%d/%m/%Y}"},
            )
        if sent != entry.report_sent_on:
            changed["report_sent_on"] = sent
    if not errors and not changed:
        errors.add("__all__", _("Nothing changed: choose a document or a date."))
    errors.raise_if_any()
    before = {name: _plain(getattr(entry, f"{name}_id" if name in DOCUMENT_FIELDS else name)) for name in changed}
    for name, value in changed.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*changed, "updated_at"])
    audit.record(
        actor=actor,
        action="rollout.unit_documents_recorded",
        obj=entry,
        before=before,
        after={name: _plain(value.pk if isinstance(value, Document) else value) for name, value in changed.items()},
    )
    return entry


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
