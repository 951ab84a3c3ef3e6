"""Reads of reminders: the rules with their counts, the send log (filtered, user-scoped), one action's reminders.

Each returns in a constant number of queries whatever the number of rules, reminders or recipients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from tincay.improvement import access
from tincay.improvement.choices import Channel, ReminderRecipient, ReminderState
from tincay.improvement.models import Action, Reminder, ReminderRule


def offset_label(days: int) -> str:
    """-7 → "7 days before the deadline", 0 → "on the deadline", 3 → "3 days after the deadline"."""
    if days == 0:
        return _("On the deadline")
    if days == -1:
        return _("1 day before the deadline")
    if days == 1:
        return _("1 day after the deadline")
    if days < 0:
        return _("%(n)s days before the deadline") % {"n": -days}
    return _("%(n)s days after the deadline") % {"n": days}


def recipient_labels(values: list[str]) -> list[str]:
    labels = dict(ReminderRecipient.choices)
    return [str(labels.get(v, v)) for v in values]


def channel_labels(values: list[str]) -> list[str]:
    labels = dict(Channel.choices)
    return [str(labels.get(v, v)) for v in values]


@dataclass
class RuleRow:
    rule: ReminderRule
    when: str
    recipients: list[str]
    channels: list[str]
    pending: int
    sent: int


def reminder_rules() -> list[RuleRow]:
    """Every rule (active first, by offset) with how many reminders wait and how many were sent: one query."""
    rules = ReminderRule.objects.annotate(
        pending=Count("reminders", filter=Q(reminders__state=ReminderState.PENDING)),
        sent=Count("reminders", filter=Q(reminders__state=ReminderState.SENT)),
    ).order_by("-is_active", "offset_days", "pk")
    return [
        RuleRow(
            rule=r,
            when=offset_label(r.offset_days),
            recipients=recipient_labels(r.recipients),
            channels=channel_labels(r.channels),
            pending=r.pending,
            sent=r.sent,
        )
        for r in rules
    ]


def reminders_visible_to(user: Any) -> QuerySet[Reminder]:
    """Reminders of the actions whose programme ``user`` sees; all of them for those who manage the rules."""
    reminders = Reminder.objects.all()
    if not access.can_manage_reminder_rules(user):
        reminders = reminders.filter(action__programme__in=access.programmes_visible_to(user).values("pk"))
    return reminders


def can_read_log(user: Any) -> bool:
    return access.can_manage_reminder_rules(user) or access.can_view_coordination(user)


@dataclass
class LogFilters:
    state: str = ""
    rule: int | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _date(raw: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def log_filters(query: Any) -> LogFilters:
    """The log's filters read from a query string; a value that cannot be read is reported, not applied."""
    filters = LogFilters()
    state = (query.get("state") or "").strip()
    if state in ReminderState.values:
        filters.state = state
    elif state:
        filters.errors["state"] = _("Choose a state from the list.")
    rule = (query.get("rule") or "").strip()
    if rule.isascii() and rule.isdigit() and len(rule) < 10:
        filters.rule = int(rule)
    elif rule:
        filters.errors["rule"] = _("Choose a rule from the list.")
    for name in ("due_from", "due_to"):
        try:
            setattr(filters, name, _date(query.get(name, "")[:20]))
        except ValueError:
            filters.errors[name] = _("Enter a date as dd/mm/yyyy.")
    return filters


def reminder_log(user: Any, filters: LogFilters) -> QuerySet[Reminder]:
    """The send log as ``user`` may read it, newest day first, narrowed by ``filters``."""
    rows = reminders_visible_to(user).select_related("rule", "action__programme__assessment__unit")
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.rule is not None:
        rows = rows.filter(rule_id=filters.rule)
    if filters.due_from:
        rows = rows.filter(due_on__gte=filters.due_from)
    if filters.due_to:
        rows = rows.filter(due_on__lte=filters.due_to)
    return rows.order_by("-due_on", "-pk")


def people_names(reminders: list[Reminder]) -> dict[int, str]:
    """The names of everyone the given reminders went to: one query."""
    ids = {pk for r in reminders for pk in (r.recipients or []) if isinstance(pk, int)}
    if not ids:
        return {}
    return {u.pk: u.display_name for u in get_user_model().objects.filter(pk__in=ids)}


@dataclass
class ActionReminderRow:
    reminder: Reminder
    when: str
    sent_to: list[str]
    channels: list[str]


def action_reminders(action: Action) -> list[ActionReminderRow]:
    """One action's reminders, by day: what waits, what was sent to whom, what was cancelled or skipped (two
    queries)."""
    reminders = list(Reminder.objects.filter(action=action).select_related("rule").order_by("due_on", "rule__pk"))
    names = people_names(reminders)
    return [
        ActionReminderRow(
            reminder=r,
            when=offset_label(r.rule.offset_days),
            sent_to=[names.get(pk, "—") for pk in r.recipients or []],
            channels=channel_labels(r.channels or []),
        )
        for r in reminders
    ]
