"""Reminders as data: rules (a signed offset in days from an action's deadline, recipients, channels) and the
scheduled reminders they make, sent once by a background job.

Scheduling. Every open action (not done, not cancelled) has one pending :class:`Reminder` per active rule, due on
``deadline + offset_days``, from today on. :func:`reminders_reschedule` brings an action's pending reminders in line
with it after any change (the action services call it inside their transaction): a finished or cancelled action
loses all its pending reminders, a moved deadline cancels the old days and schedules the new ones. Recipients are
read from the rule when a reminder is sent, never stored ahead: after a reassignment the pending reminders of the
action go to the new person and department, the old ones are not reminded. Changing a rule reschedules every open
action for that rule.

Sending. :func:`reminders_send_due` claims the due pending reminders (``due_on <= today``) one by one with a
conditional ``UPDATE … WHERE state = 'pending'``: of several workers on the same rows exactly one wins each row, and
the unique key (rule, action, day) means a rule fires once per action and day. After missed days it catches up
without flooding: of an action's due reminders the latest day is sent, and an older one only when it reaches
people the fresher ones do not (else it becomes ``skipped``). A reminder of an action closed meanwhile is
cancelled, not sent.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, Refused
from tincay.improvement import access
from tincay.improvement.choices import ActionStatus, Channel, ReminderRecipient, ReminderState
from tincay.improvement.models import Action, Reminder, ReminderRule

logger = logging.getLogger(__name__)

CLOSED = (ActionStatus.DONE, ActionStatus.CANCELLED)
OFFSET_LIMIT = 365
NAME_LIMIT = ReminderRule._meta.get_field("name").max_length
NOTE_LIMIT = Reminder._meta.get_field("note").max_length
BATCH = 1000


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _note(text: str) -> str:
    return text[:NOTE_LIMIT]


# --- scheduling ---------------------------------------------------------------------------------------------------


def _is_open(action: Action) -> bool:
    return action.status not in CLOSED and action.deadline is not None


def reminders_reschedule(action: Any, *, today: dt.date | None = None) -> None:
    """Bring the action's pending reminders in line with it after any change (new deadline, new person, finished,
    cancelled): pending reminders that no longer apply are cancelled, missing ones are scheduled. Call inside the
    service's transaction, after saving the action."""
    today = _today(today)
    rules = list(ReminderRule.objects.filter(is_active=True)) if _is_open(action) else []
    wanted = {(rule.pk, action.deadline + dt.timedelta(days=rule.offset_days)) for rule in rules}
    wanted = {(rule_id, due) for rule_id, due in wanted if due >= today}
    pending = Reminder.objects.filter(action_id=action.pk, state=ReminderState.PENDING)
    stale = [pk for pk, rule_id, due in pending.values_list("pk", "rule_id", "due_on") if (rule_id, due) not in wanted]
    if stale:
        reason = (
            gettext_noop("The action was finished or cancelled.")
            if not _is_open(action)
            else gettext_noop("The deadline or the rules changed.")
        )
        Reminder.objects.filter(pk__in=stale, state=ReminderState.PENDING).update(
            state=ReminderState.CANCELLED, note=_note(reason)
        )
    _schedule(wanted, action_id=action.pk)


def _schedule(wanted: set[tuple[int, dt.date]], *, action_id: int | None = None, rule_id: int | None = None) -> int:
    """Make the (rule, day) keys in ``wanted`` pending for the action (or (action, day) keys for the rule): create
    the missing rows, bring cancelled ones back; rows already sent or skipped stay as they are (a rule fires once
    per action and day). Returns how many rows became pending."""
    if not wanted:
        return 0
    # no long IN lists: a rule may reach every action of the country
    existing = Reminder.objects.filter(due_on__gte=min(due for _key, due in wanted))
    existing = existing.filter(action_id=action_id) if action_id is not None else existing.filter(rule_id=rule_id)
    found: dict[tuple[int, dt.date], tuple[int, str]] = {}
    for pk, r_id, a_id, due, state in existing.values_list("pk", "rule_id", "action_id", "due_on", "state"):
        found[(r_id if action_id is not None else a_id, due)] = (pk, state)
    revive = [found[key][0] for key in wanted if key in found and found[key][1] == ReminderState.CANCELLED]
    for start in range(0, len(revive), BATCH):
        Reminder.objects.filter(pk__in=revive[start : start + BATCH], state=ReminderState.CANCELLED).update(
            state=ReminderState.PENDING, note=""
        )
    new = [
        Reminder(
            rule_id=key if action_id is not None else rule_id,
            action_id=action_id if action_id is not None else key,
            due_on=due,
        )
        for key, due in sorted(wanted)
        if (key, due) not in found
    ]
    Reminder.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    return len(revive) + len(new)


def _reschedule_rule(rule: ReminderRule, today: dt.date) -> dict[str, int]:
    """Every open action gets this rule's reminder (when the rule is active and the day is not past); pending ones
    on other days, of closed actions or of an inactive rule are cancelled."""
    wanted: set[tuple[int, dt.date]] = set()
    if rule.is_active:
        delta = dt.timedelta(days=rule.offset_days)
        for action_id, deadline in (
            Action.objects.exclude(status__in=CLOSED).filter(deadline__isnull=False).values_list("pk", "deadline")
        ):
            if deadline + delta >= today:
                wanted.add((action_id, deadline + delta))
    pending = Reminder.objects.filter(rule=rule, state=ReminderState.PENDING)
    stale = [pk for pk, a_id, due in pending.values_list("pk", "action_id", "due_on") if (a_id, due) not in wanted]
    cancelled = 0
    for start in range(0, len(stale), BATCH):
        cancelled += Reminder.objects.filter(pk__in=stale[start : start + BATCH], state=ReminderState.PENDING).update(
            state=ReminderState.CANCELLED,
            note=_note(gettext_noop("The rule was changed or switched off.")),
        )
    return {"scheduled": _schedule(wanted, rule_id=rule.pk), "cancelled": cancelled}


# --- rules --------------------------------------------------------------------------------------------------------


def _clean_name(errors: ErrorCollector, raw: Any) -> str:
    if raw is not None and not isinstance(raw, str):
        errors.add("name", _("Enter text."))
        return ""
    text = " ".join((raw or "").split())
    if not text:
        errors.add("name", _("Name the rule, e.g. “7 days before the deadline”."))
    elif len(text) > NAME_LIMIT:
        errors.add("name", _("Shorten this text to at most %(limit)s characters.") % {"limit": NAME_LIMIT})
    return text


def _clean_offset(errors: ErrorCollector, raw: Any) -> int:
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip().replace("\u2212", "-")
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isascii() and digits.isdigit():
            value = int(text)
    if value is None:
        errors.add(
            "offset_days",
            _("Enter a whole number of days: negative before the deadline (-7), positive after it (3), 0 on the day."),
        )
        return 0
    if not -OFFSET_LIMIT <= value <= OFFSET_LIMIT:
        errors.add(
            "offset_days",
            _("Enter a number of days between -%(limit)s and %(limit)s.") % {"limit": OFFSET_LIMIT},
        )
    return value


def _clean_choices(errors: ErrorCollector, field: str, raw: Any, known: Iterable[str], missing: str) -> list[str]:
    allowed = list(known)
    if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
        errors.add(field, _("Choose from the list."))
        return []
    if any(not isinstance(v, str) or v not in allowed for v in raw):
        errors.add(field, _("Choose from the list: %(values)s.") % {"values": ", ".join(allowed)})
        return []
    if not raw:
        errors.add(field, missing)
        return []
    return [v for v in allowed if v in raw]  # known order, no duplicates


def _clean_rule(
    *, name: Any, offset_days: Any, recipients: Any, channels: Any, is_active: Any
) -> tuple[dict[str, Any], ErrorCollector]:
    errors = ErrorCollector()
    data = {
        "name": _clean_name(errors, name),
        "offset_days": _clean_offset(errors, offset_days),
        "recipients": _clean_choices(
            errors, "recipients", recipients, ReminderRecipient.values, _("Choose who is reminded.")
        ),
        "channels": _clean_choices(errors, "channels", channels, Channel.values, _("Choose how they are reminded.")),
    }
    if not isinstance(is_active, bool):
        errors.add("is_active", _("Say whether the rule is active."))
    data["is_active"] = bool(is_active)
    return data, errors


def _guard(actor: Any) -> None:
    if not access.can_manage_reminder_rules(actor):
        raise Refused(_("Only administrators and national coordinators manage reminder rules."))


def _rule_snapshot(rule: ReminderRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "offset_days": rule.offset_days,
        "recipients": list(rule.recipients),
        "channels": list(rule.channels),
        "is_active": rule.is_active,
    }


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def reminder_rule_create(
    *,
    actor: Any,
    name: Any,
    offset_days: Any,
    recipients: Any,
    channels: Any,
    is_active: Any = True,
    today: dt.date | None = None,
) -> ReminderRule:
    """A new rule, as an administrator or a national coordinator; schedules its reminders for every open action.
    Refused (403) for anyone else, InvalidInput (400) for a missing name, an offset that is not a whole number of
    days within ±365, or recipients or channels that are empty or unknown; nothing is stored then."""
    _guard(actor)
    data, errors = _clean_rule(
        name=name, offset_days=offset_days, recipients=recipients, channels=channels, is_active=is_active
    )
    errors.raise_if_any()
    rule = ReminderRule.objects.create(**data, created_by=_person(actor))
    counts = _reschedule_rule(rule, _today(today))
    audit.record(actor=actor, action="improvement.reminder_rule_created", obj=rule, after=_rule_snapshot(rule))
    logger.info("reminder rule %s created: %s", rule.pk, counts)
    return rule


@transaction.atomic
def reminder_rule_update(
    *,
    actor: Any,
    rule: Any,
    name: Any,
    offset_days: Any,
    recipients: Any,
    channels: Any,
    is_active: Any = True,
    today: dt.date | None = None,
) -> ReminderRule:
    """Change a rule (the same checks as :func:`reminder_rule_create`); pending reminders on days the rule no longer
    gives are cancelled and the new days scheduled."""
    _guard(actor)
    if not isinstance(rule, ReminderRule) or rule.pk is None:
        raise Refused(_("This reminder rule does not exist."))
    locked = ReminderRule.objects.select_for_update().get(pk=rule.pk)
    data, errors = _clean_rule(
        name=name, offset_days=offset_days, recipients=recipients, channels=channels, is_active=is_active
    )
    errors.raise_if_any()
    before = _rule_snapshot(locked)
    for field, value in data.items():
        setattr(locked, field, value)
    locked.save()
    _reschedule_rule(locked, _today(today))
    audit.record(
        actor=actor, action="improvement.reminder_rule_changed", obj=locked, before=before, after=_rule_snapshot(locked)
    )
    return locked


@transaction.atomic
def reminder_rule_deactivate(*, actor: Any, rule: Any, today: dt.date | None = None) -> ReminderRule:
    """Switch a rule off: its pending reminders are cancelled; the rule and its send log stay."""
    _guard(actor)
    if not isinstance(rule, ReminderRule) or rule.pk is None:
        raise Refused(_("This reminder rule does not exist."))
    locked = ReminderRule.objects.select_for_update().get(pk=rule.pk)
    if locked.is_active:
        locked.is_active = False
        locked.save(update_fields=["is_active", "updated_at"])
        _reschedule_rule(locked, _today(today))
        audit.record(
            actor=actor,
            action="improvement.reminder_rule_deactivated",
            obj=locked,
            before={"is_active": True},
            after={"is_active": False},
        )
    return locked


# --- recipients ---------------------------------------------------------------------------------------------------


def _unit_prefixes(path: str) -> list[str]:
    """ "31/11413/" → ["31/", "31/11413/"]: the paths of the unit and of every unit above it."""
    keys = [k for k in path.split("/") if k]
    return ["".join(f"{k}/" for k in keys[: i + 1]) for i in range(len(keys))]


def recipients_filter(recipients: Iterable[str], action: Action) -> Q | None:
    """Who a rule's recipients are for ``action``, as one filter on users (None when nobody can be named)."""
    unit = action.programme.assessment.unit
    parts: list[Q] = []
    for kind in recipients:
        if kind == ReminderRecipient.RESPONSIBLE and action.responsible_id:
            parts.append(Q(pk=action.responsible_id))
        elif kind == ReminderRecipient.DEPARTMENT and action.department_id:
            parts.append(Q(memberships__department_id=action.department_id))
        elif kind == ReminderRecipient.FOCAL_POINT:
            parts.append(Q(memberships__unit_id=unit.pk, memberships__role=Role.FOCAL_POINT))
        elif kind == ReminderRecipient.UNIT_LEADER:
            parts.append(Q(memberships__unit_id=unit.pk, memberships__role=Role.UNIT_LEADER))
        elif kind == ReminderRecipient.COORDINATOR:
            over = Q(memberships__unit__isnull=True) | Q(memberships__unit_id=unit.pk)
            above = [p for p in _unit_prefixes(unit.path) if p != unit.path]
            if above:
                over |= Q(memberships__unit__path__in=above, memberships__subtree=True)
            parts.append(Q(memberships__role=Role.COORDINATOR) & over)
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def resolve_recipients(recipients: Iterable[str], action: Action) -> list[Any]:
    """The active people a rule's recipients name for ``action`` today, in a stable order."""
    condition = recipients_filter(recipients, action)
    if condition is None:
        return []
    ids = get_user_model().objects.filter(condition, is_active=True).values("pk").distinct()
    return list(get_user_model().objects.filter(pk__in=ids).order_by("pk"))


# --- sending ------------------------------------------------------------------------------------------------------

DUE_IN = gettext_noop(
    "%(unit)s: action «%(action)s» of the action programme «%(programme)s» is due on %(deadline)s (%(days)s days left)."
)
DUE_IN_ONE = gettext_noop(
    "%(unit)s: action «%(action)s» of the action programme «%(programme)s» is due on %(deadline)s (1 day left)."
)
DUE_TODAY = gettext_noop(
    "%(unit)s: action «%(action)s» of the action programme «%(programme)s» is due today, %(deadline)s."
)
OVERDUE = gettext_noop(
    "%(unit)s: action «%(action)s» of the action programme «%(programme)s» was due on %(deadline)s: "
    "%(days)s days overdue."
)
OVERDUE_ONE = gettext_noop(
    "%(unit)s: action «%(action)s» of the action programme «%(programme)s» was due on %(deadline)s: 1 day overdue."
)
SUBJECT = gettext_noop("Reminder: action «%(action)s», deadline %(deadline)s")


def reminder_message(deadline: dt.date, today: dt.date) -> str:
    """The msgid saying how far ``today`` is from ``deadline``."""
    days = (deadline - today).days
    if days > 1:
        return DUE_IN
    if days == 1:
        return DUE_IN_ONE
    if days == 0:
        return DUE_TODAY
    return OVERDUE_ONE if days == -1 else OVERDUE


def action_url(action: Action) -> str:
    """The action's page (programmes part), else the page of the action's reminders."""
    try:
        return reverse("improvement:action", args=[action.pk])
    except NoReverseMatch:
        return reverse("improvement:action_reminders", args=[action.pk])


def _worker_name(worker: str | None) -> str:
    return worker or f"{socket.gethostname()}:{os.getpid()}"


def _plan(rows: list[tuple[int, int, dt.date]], rules: dict[int, ReminderRule]) -> tuple[list[int], list[int]]:
    """One action's due reminders (id, rule id, day) → (ids to send, ids to skip). The latest day is sent; an
    older one only when its rule reaches people the ones sent do not (catch-up without flooding)."""
    rows = sorted(rows, key=lambda row: (row[2], row[0]), reverse=True)
    latest = rows[0][2]
    send: list[int] = []
    skip: list[int] = []
    covered: set[str] = set()
    seen_rules: set[int] = set()
    for pk, rule_id, due in rows:
        rule = rules.get(rule_id)
        wanted = set(rule.recipients) if rule else set()
        if due == latest or (rule_id not in seen_rules and not wanted <= covered):
            send.append(pk)
            covered |= wanted
            seen_rules.add(rule_id)
        else:
            skip.append(pk)
    return send, skip


def reminders_send_due(*, today: dt.date | None = None, worker: str | None = None) -> dict[str, Any]:
    """Send every pending reminder due on or before ``today`` (default: today in Vietnam), once, whatever the
    number of workers running this at the same time. Returns and records a summary: how many were sent, skipped
    (an older day superseded by a fresher reminder), cancelled (action closed, rule off, nobody to remind) and
    left to another worker that claimed them first."""
    today = _today(today)
    worker = _worker_name(worker)
    summary: dict[str, Any] = {
        "today": today.isoformat(),
        "worker": worker,
        "sent": 0,
        "skipped": 0,
        "cancelled": 0,
        "claimed_by_others": 0,
        "notified": 0,
    }
    due = list(
        Reminder.objects.filter(state=ReminderState.PENDING, due_on__lte=today)
        .order_by("action_id", "-due_on", "pk")
        .values_list("pk", "action_id", "rule_id", "due_on")
    )
    if not due:
        return summary
    rules = {rule.pk: rule for rule in ReminderRule.objects.filter(pk__in={row[2] for row in due})}
    by_action: dict[int, list[tuple[int, int, dt.date]]] = defaultdict(list)
    for pk, action_id, rule_id, due_on in due:
        by_action[action_id].append((pk, rule_id, due_on))
    for action_id, rows in by_action.items():
        try:
            _send_for_action(action_id, rows, rules, today, worker, summary)
        except Exception:  # one action's failure must not stop the others; its rows stay pending for the next run
            logger.exception("reminders of action %s could not be sent", action_id)
            summary.setdefault("failed", 0)
            summary["failed"] += len(rows)
    if any(summary[k] for k in ("sent", "skipped", "cancelled")):
        audit.record(
            actor="send_reminders",
            action="improvement.reminders_sent",
            object_type="improvement.reminder",
            object_repr=f"{today:%d/%m/%Y}",
            after=summary,
        )
    logger.info("reminders %s", summary)
    return summary


def _claim(pks: list[int], state: str, note: str, now: dt.datetime) -> int:
    """Move rows from pending to ``state`` in one conditional UPDATE: only rows still pending change, so of two
    workers on the same row exactly one gets 1 back."""
    if not pks:
        return 0
    return Reminder.objects.filter(pk__in=pks, state=ReminderState.PENDING).update(
        state=state, sent_at=now if state == ReminderState.SENT else None, note=_note(note)
    )


@transaction.atomic
def _send_for_action(
    action_id: int,
    rows: list[tuple[int, int, dt.date]],
    rules: dict[int, ReminderRule],
    today: dt.date,
    worker: str,
    summary: dict[str, Any],
) -> None:
    now = timezone.now()
    action = (
        Action.objects.select_related("programme__assessment__unit", "responsible", "department")
        .filter(pk=action_id)
        .first()
    )
    if action is None or not _is_open(action):
        closed = gettext_noop("The action was finished or cancelled.")
        summary["cancelled"] += _claim([row[0] for row in rows], ReminderState.CANCELLED, closed, now)
        return
    send, skip = _plan(rows, rules)
    summary["skipped"] += _claim(skip, ReminderState.SKIPPED, gettext_noop("A later reminder was sent instead."), now)
    for pk in send:
        rule = rules[next(row[1] for row in rows if row[0] == pk)]
        if not rule.is_active:
            off = gettext_noop("The rule is switched off.")
            summary["cancelled"] += _claim([pk], ReminderState.CANCELLED, off, now)
            continue
        if _claim([pk], ReminderState.SENT, f"{worker}", now) != 1:
            summary["claimed_by_others"] += 1
            continue
        people = resolve_recipients(rule.recipients, action)
        if not people:
            Reminder.objects.filter(pk=pk).update(
                state=ReminderState.CANCELLED, sent_at=None, note=_note(gettext_noop("Nobody to remind."))
            )
            summary["cancelled"] += 1
            continue
        _notify(action, rule, people, today)
        Reminder.objects.filter(pk=pk).update(recipients=[p.pk for p in people], channels=list(rule.channels))
        summary["sent"] += 1
        summary["notified"] += len(people)


def _notify(action: Action, rule: ReminderRule, people: list[Any], today: dt.date) -> None:
    programme = action.programme
    days = (action.deadline - today).days
    account_services.notify(
        users=people,
        message=reminder_message(action.deadline, today),
        subject=SUBJECT,
        params={
            "unit": programme.assessment.unit.name,
            "action": action.title[:200],
            "programme": programme.title[:200],
            "deadline": f"{action.deadline:%d/%m/%Y}",
            "days": abs(days),
        },
        url=action_url(action),
        in_app=Channel.IN_APP in rule.channels,
        email=Channel.EMAIL in rule.channels,
    )
