"""Writes of actions: create, edit, cancel (the focal point and leader), and dated progress updates (the person
responsible, contributors of the owner department, the focal point, the leader).

Each service checks the whole input together (every field of the action against the unit, the assessment and the
framework version of its programme) and the caller's permission before touching a row; nothing is stored when one
check fails. Each write bumps the programme's revision (optimistic lock, see ``programmes``) and brings the action's
reminders in line (``reminders.reminders_reschedule``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.assessments.models import Document
from tincay.audit import services as audit
from tincay.catalogue.choices import CriterionType
from tincay.catalogue.models import Criterion, Indicator
from tincay.common.errors import NON_FIELD, ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.improvement import access, rules
from tincay.improvement.choices import ActionStatus, BudgetSource
from tincay.improvement.models import Action, ImprovementArea, ProgressUpdate
from tincay.improvement.services.programmes import (
    TEXT_LIMIT,
    TITLE_LIMIT,
    action_content,
    bump,
    check_revision,
    clean_revision,
    clean_text,
    lock_programme,
    person,
)
from tincay.improvement.services.reminders import reminders_reschedule
from tincay.orgunits.models import Department

FIELDS = (
    "title",
    "description",
    "department",
    "responsible",
    "starts_on",
    "deadline",
    "budget_vnd",
    "budget_source",
    "budget_note",
    "expected_result",
    "target_value",
    "status",
    "progress",
    "weight",
    "areas",
    "indicators",
    "criteria",
    "documents",
)
LINKS = ("areas", "indicators", "criteria", "documents")
BUDGET_MAX = 10**15  # a million billion đồng: anything above is a typing error
WEIGHT_MAX = 100
TARGET_MAX = Decimal("9999999999.9999")
UPDATE_TITLE_LIMIT = 300
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


# --- checks of single values -------------------------------------------------------------------------------------


def _pk(value: Any, model: Any = None) -> int | None:
    """A primary key from an instance (of ``model`` when given) or an id (int or digits); None otherwise."""
    if isinstance(value, models.Model):
        if model is not None and not isinstance(value, model):
            return None
        return value.pk if isinstance(value.pk, int) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _pks(errors: ErrorCollector, name: str, raw: Any, model: Any = None) -> list[int]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str | bytes | dict) or not hasattr(raw, "__iter__"):
        errors.add(name, _("Choose from the list."))
        return []
    found = []
    for item in raw:
        pk = _pk(item, model)
        if pk is None:
            errors.add(name, _("Choose from the list."))
            return []
        found.append(pk)
    return sorted(set(found))


def _date(errors: ErrorCollector, name: str, raw: Any, *, required: bool = False) -> dt.date | None:
    if raw in (None, ""):
        if required:
            errors.add(name, _("Enter a date (dd/mm/yyyy)."))
        return None
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip())
        except ValueError:
            errors.add(name, _("Enter a date (dd/mm/yyyy)."))
            return None
    if isinstance(raw, dt.datetime) or not isinstance(raw, dt.date):
        errors.add(name, _("Enter a date (dd/mm/yyyy)."))
        return None
    if not EARLIEST <= raw <= LATEST:
        errors.add(name, _("Enter a date between 01/01/2000 and 31/12/2100."))
        return None
    return raw


def _whole(errors: ErrorCollector, name: str, raw: Any, *, low: int, high: int, message: str) -> int | None:
    if raw in (None, ""):
        return None
    value: int | None = None
    if isinstance(raw, bool):
        value = None
    elif isinstance(raw, int):
        value = raw
    elif isinstance(raw, Decimal) and raw == raw.to_integral_value():
        value = int(raw)
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    if value is None:
        errors.add(name, _("Enter a whole number."))
        return None
    if not low <= value <= high:
        errors.add(name, message)
        return None
    return value


def _target(errors: ErrorCollector, raw: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | Decimal | float | str):
        errors.add("target_value", _("Enter a number."))
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        errors.add("target_value", _("Enter a number."))
        return None
    if not value.is_finite() or abs(value) > TARGET_MAX or value != value.quantize(Decimal("0.0001")):
        errors.add("target_value", _("Enter a number below 10 billion, with at most 4 decimals."))
        return None
    return value


def _choice(errors: ErrorCollector, name: str, raw: Any, choices: Any, *, blank: bool) -> str:
    if raw in (None, "") and blank:
        return ""
    if not isinstance(raw, str) or raw not in choices.values:
        errors.add(name, _("Choose from the list."))
        return ""
    return raw


# --- the whole action --------------------------------------------------------------------------------------------


def _current(action: Action) -> dict[str, Any]:
    data = {name: getattr(action, name) for name in FIELDS if name not in LINKS}
    data["department"] = action.department_id
    data["responsible"] = action.responsible_id
    for name in LINKS:
        data[name] = [o.pk for o in getattr(action, name).all()]
    return data


def _check(programme: Any, raw: dict[str, Any], stored: Action | None) -> dict[str, Any]:
    """Every field of an action checked together against its programme; the cleaned values, or InvalidInput."""
    errors = ErrorCollector()
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        errors.add(NON_FIELD, _("These fields are not fields of an action: %(names)s.") % {"names": ", ".join(unknown)})
    merged = {**(_current(stored) if stored else {}), **raw}
    assessment = programme.assessment
    unit_id = assessment.unit_id
    version_id = assessment.campaign.version_id
    clean: dict[str, Any] = {}
    clean["title"] = clean_text(errors, "title", merged.get("title"), limit=TITLE_LIMIT, required=True)
    for name in ("description", "expected_result"):
        clean[name] = clean_text(errors, name, merged.get(name), limit=TEXT_LIMIT)
    clean["budget_note"] = clean_text(errors, "budget_note", merged.get("budget_note"), limit=300)
    clean["starts_on"] = _date(errors, "starts_on", merged.get("starts_on"))
    clean["deadline"] = _date(errors, "deadline", merged.get("deadline"), required=True)
    if clean["starts_on"] and clean["deadline"] and clean["starts_on"] > clean["deadline"]:
        errors.add("starts_on", _("The start must be on or before the deadline."))
    clean["budget_vnd"] = _whole(
        errors,
        "budget_vnd",
        merged.get("budget_vnd"),
        low=0,
        high=BUDGET_MAX,
        message=_("Enter a budget from 0 to %(max)s đồng.") % {"max": grouped(BUDGET_MAX)},
    )
    clean["budget_source"] = _choice(errors, "budget_source", merged.get("budget_source"), BudgetSource, blank=True)
    weight = merged.get("weight")
    clean["weight"] = _whole(
        errors,
        "weight",
        1 if weight in (None, "") else weight,
        low=1,
        high=WEIGHT_MAX,
        message=_("Enter a weight from 1 to %(max)s.") % {"max": WEIGHT_MAX},
    )
    _status_and_progress(errors, raw, merged, stored, clean)
    _people(errors, merged, unit_id, clean)
    _links(errors, merged, assessment.pk, unit_id, version_id, clean)
    clean["target_value"] = _target(errors, merged.get("target_value"))
    if clean["target_value"] is not None and not clean.get("_measured"):
        errors.add(
            "target_value",
            _("A target value is set only when a linked criterion is measured (a performance criterion)."),
        )
    clean.pop("_measured", None)
    errors.raise_if_any()
    return clean


def _status_and_progress(
    errors: ErrorCollector, raw: dict[str, Any], merged: dict[str, Any], stored: Action | None, clean: dict[str, Any]
) -> None:
    status = merged.get("status") or ActionStatus.NOT_STARTED
    if not isinstance(status, str) or status not in ActionStatus.values:
        errors.add("status", _("Choose from the list."))
        return
    if status == ActionStatus.CANCELLED and (stored is None or stored.status != ActionStatus.CANCELLED):
        errors.add("status", _("To cancel an action, use “Cancel the action” and say why."))
        return
    if stored is not None and stored.status == ActionStatus.CANCELLED:
        errors.add(NON_FIELD, _("This action is cancelled: it can no longer be changed."))
        return
    clean["status"] = status
    given = raw.get("progress")
    if given in (None, ""):
        kept = stored is not None and stored.status == status
        given = stored.progress if kept else rules.default_progress(status)
    progress = _whole(errors, "progress", given, low=0, high=100, message=_("Enter a progress from 0 to 100%."))
    if progress is None:
        return
    low, high = rules.progress_range(status)
    if not low <= progress <= high:
        errors.add(
            "progress",
            _("With this status the progress lies between %(low)s%% and %(high)s%%.") % {"low": low, "high": high},
        )
        return
    clean["progress"] = progress


def _people(errors: ErrorCollector, merged: dict[str, Any], unit_id: int, clean: dict[str, Any]) -> None:
    clean["department"] = None
    clean["responsible"] = None
    if merged.get("department") not in (None, ""):
        pk = _pk(merged["department"], Department)
        department = Department.objects.filter(pk=pk, unit_id=unit_id, is_active=True).first() if pk else None
        if department is None:
            errors.add("department", _("Choose a department of the unit."))
        clean["department"] = department
    if merged.get("responsible") not in (None, ""):
        pk = _pk(merged["responsible"], get_user_model())
        user = (
            get_user_model().objects.filter(pk=pk, is_active=True, memberships__unit_id=unit_id).distinct().first()
            if pk
            else None
        )
        if user is None:
            errors.add("responsible", _("Choose a person of the unit."))
        clean["responsible"] = user


def _links(
    errors: ErrorCollector,
    merged: dict[str, Any],
    assessment_id: int,
    unit_id: int,
    version_id: int,
    clean: dict[str, Any],
) -> None:
    models_of = {"areas": ImprovementArea, "indicators": Indicator, "criteria": Criterion, "documents": Document}
    ids = {name: _pks(errors, name, merged.get(name), models_of[name]) for name in LINKS}
    sources = {
        "areas": (ImprovementArea.objects.filter(assessment_id=assessment_id), _("Choose areas of this assessment.")),
        "indicators": (
            Indicator.objects.filter(version_id=version_id),
            _("Choose indicators of the assessment's indicator set."),
        ),
        "criteria": (
            Criterion.objects.filter(version_id=version_id),
            _("Choose criteria of the assessment's indicator set."),
        ),
        "documents": (Document.objects.filter(unit_id=unit_id), _("Choose documents of the unit's evidence register.")),
    }
    for name, (queryset, message) in sources.items():
        found = list(queryset.filter(pk__in=ids[name])) if ids[name] else []
        if len(found) != len(ids[name]):
            errors.add(name, message)
        clean[name] = found
    if not (ids["areas"] or ids["indicators"] or ids["criteria"]) and not errors.errors.keys() & set(LINKS):
        errors.add(NON_FIELD, _("Link the action to at least one area, indicator or criterion."))
    measured = any(c.type == CriterionType.PERFORMANCE for c in clean["criteria"])
    area_criteria = [a.criterion_id for a in clean["areas"] if a.criterion_id]
    if not measured and area_criteria:
        measured = Criterion.objects.filter(pk__in=area_criteria, type=CriterionType.PERFORMANCE).exists()
    clean["_measured"] = measured


def _save(action: Action, clean: dict[str, Any], today: dt.date) -> None:
    for name, value in clean.items():
        if name not in LINKS:
            setattr(action, name, value)
    if action.status == ActionStatus.DONE:
        action.finished_on = action.finished_on or today
    else:
        action.finished_on = None
    action.save()
    for name in LINKS:
        getattr(action, name).set(clean[name])


def _notify_assigned(actor: Any, action: Action) -> None:
    user = action.responsible
    if user is None or user == actor:
        return
    assessment = action.programme.assessment
    account_services.notify(
        users=[user],
        message=gettext_noop(
            "%(unit)s: you are responsible for action %(number)s “%(title)s” of the action programme, due %(deadline)s."
        ),
        subject=gettext_noop("Action assigned to you: %(unit)s, action %(number)s"),
        params={
            "unit": assessment.unit.name,
            "number": action.number,
            "title": action.title[:200],
            "deadline": action.deadline.strftime("%d/%m/%Y"),
        },
        url=reverse("improvement:action", args=[action.pk]),
    )


def _lock_action(action: Any) -> Action:
    if not isinstance(action, Action) or action.pk is None:
        raise InvalidInput({"action": [_("Choose an action.")]})
    return Action.objects.select_for_update(of=("self",)).get(pk=action.pk)


# --- services ----------------------------------------------------------------------------------------------------


@transaction.atomic
def action_create(*, actor: Any, programme: Any, revision: Any, **fields: Any) -> Action:
    """A new action of ``programme``, numbered after the last one."""
    locked = lock_programme(programme)
    if not access.can_edit_programme(actor, locked.assessment):
        raise Refused(_("Only the unit's focal point and leader add actions to its programme."))
    errors = ErrorCollector()
    loaded = clean_revision(errors, revision)
    try:
        clean = _check(locked, fields, None)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    check_revision(locked, loaded)
    number = (locked.actions.aggregate(n=Max("number"))["n"] or 0) + 1
    action = Action(programme=locked, number=number, created_by=person(actor))
    _save(action, clean, timezone.localdate())
    bump(locked)
    reminders_reschedule(action)
    audit.record(actor=actor, action="improvement.action_created", obj=action, after=action_content(action))
    _notify_assigned(actor, action)
    return action


@transaction.atomic
def action_update(*, actor: Any, action: Any, revision: Any, **fields: Any) -> Action:
    """Change some fields of an action (the others stay); the whole action is checked again."""
    stored = _lock_action(action)
    locked = lock_programme(stored.programme)
    stored.programme = locked
    if not access.can_edit_programme(actor, locked.assessment):
        raise Refused(_("Only the unit's focal point and leader change the actions of its programme."))
    errors = ErrorCollector()
    loaded = clean_revision(errors, revision)
    try:
        clean = _check(locked, fields, stored)
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(name, message)
    errors.raise_if_any()
    check_revision(locked, loaded)
    before = action_content(stored)
    previous_responsible = stored.responsible_id
    _save(stored, clean, timezone.localdate())
    after = action_content(stored)
    if before == after:
        raise InvalidInput({NON_FIELD: [_("Nothing changed: change a field of the action.")]})
    bump(locked)
    reminders_reschedule(stored)
    changed = [k for k in after if before.get(k) != after[k]]
    audit.record(
        actor=actor,
        action="improvement.action_updated",
        obj=stored,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    if stored.responsible_id != previous_responsible:
        _notify_assigned(actor, stored)
    return stored


@transaction.atomic
def action_cancel(*, actor: Any, action: Any, revision: Any, reason: Any) -> Action:
    stored = _lock_action(action)
    locked = lock_programme(stored.programme)
    stored.programme = locked
    if not access.can_edit_programme(actor, locked.assessment):
        raise Refused(_("Only the unit's focal point and leader cancel actions of its programme."))
    errors = ErrorCollector()
    loaded = clean_revision(errors, revision)
    reason_text = clean_text(errors, "reason", reason, limit=TEXT_LIMIT)
    if not reason_text and "reason" not in errors.errors:
        errors.add("reason", _("Say why the action is cancelled."))
    if stored.status == ActionStatus.CANCELLED:
        errors.add(NON_FIELD, _("This action is already cancelled."))
    errors.raise_if_any()
    check_revision(locked, loaded)
    before = {"status": stored.status, "progress": stored.progress}
    stored.status = ActionStatus.CANCELLED
    stored.cancel_reason = reason_text
    stored.finished_on = None
    stored.save(update_fields=["status", "cancel_reason", "finished_on", "updated_at"])
    bump(locked)
    reminders_reschedule(stored)
    audit.record(
        actor=actor,
        action="improvement.action_cancelled",
        obj=stored,
        before=before,
        after={"status": stored.status},
        reason=reason_text,
    )
    return stored


@transaction.atomic
def progress_post(
    *,
    actor: Any,
    action: Any,
    on: Any,
    title: Any,
    note: Any = "",
    progress: Any = None,
    status: Any,
    document_ids: Any = (),
) -> ProgressUpdate:
    """A dated progress update of an action. The action takes the update's status and progress (and the date it was
    finished when done), unless a later-dated update is already logged: a backdated update only joins the log."""
    stored = _lock_action(action)
    locked = lock_programme(stored.programme)
    stored.programme = locked
    if not access.can_post_progress(actor, stored):
        raise Refused(
            _("Only the person responsible, the owner department, the focal point and the leader post progress.")
        )
    errors = ErrorCollector()
    today = timezone.localdate()
    day = _date(errors, "on", on, required=True)
    if day is not None:
        if day > today:
            errors.add("on", _("The date of an update cannot be in the future."))
        elif day < timezone.localtime(locked.created_at).date():
            errors.add("on", _("The date of an update cannot be before the programme was created."))
    title_text = clean_text(errors, "title", title, limit=UPDATE_TITLE_LIMIT, required=True)
    note_text = clean_text(errors, "note", note, limit=TEXT_LIMIT)
    clean: dict[str, Any] = {}
    if stored.status == ActionStatus.CANCELLED:
        errors.add(NON_FIELD, _("This action is cancelled: no progress is posted on it."))
    elif status in (None, ""):
        errors.add("status", _("Choose the status after this update."))
    elif status == ActionStatus.CANCELLED:
        errors.add("status", _("To cancel an action, use “Cancel the action” and say why."))
    else:
        _status_and_progress(errors, {"progress": progress}, {"status": status}, None, clean)
    doc_ids = _pks(errors, "documents", document_ids, Document)
    documents = list(Document.objects.filter(unit_id=locked.assessment.unit_id, pk__in=doc_ids)) if doc_ids else []
    if len(documents) != len(doc_ids):
        errors.add("documents", _("Choose documents of the unit's evidence register."))
    errors.raise_if_any()
    update = ProgressUpdate.objects.create(
        action=stored,
        on=day,
        title=title_text,
        note=note_text,
        progress=clean["progress"],
        status=clean["status"],
        author=person(actor),
    )
    update.documents.set(documents)
    latest = stored.updates.exclude(pk=update.pk).aggregate(on=Max("on"))["on"]
    before = {"status": stored.status, "progress": stored.progress}
    if latest is None or day >= latest:
        stored.status = clean["status"]
        stored.progress = clean["progress"]
        stored.finished_on = day if stored.status == ActionStatus.DONE else None
        stored.save(update_fields=["status", "progress", "finished_on", "updated_at"])
    bump(locked, plan_changed=False)
    reminders_reschedule(stored)
    audit.record(
        actor=actor,
        action="improvement.progress_posted",
        obj=stored,
        before=before,
        after={
            "status": stored.status,
            "progress": stored.progress,
            "update": update.pk,
            "on": day.isoformat(),
            "title": title_text,
            "documents": doc_ids,
        },
    )
    return update


__all__ = ["action_cancel", "action_create", "action_update", "progress_post"]
