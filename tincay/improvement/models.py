"""Areas to improve, action programmes (versions, actions, progress), reminders and effectiveness verdicts.

The cycle after a diagnostic (domain brief §3): the final results suggest **areas to improve** (red and yellow
indicators and criteria ranked by weight × gap to green, ``ranking.py``); the unit selects them and groups them by
stage; its **action programme** holds actions linked to criteria and indicators; the unit leader approves the
programme, which freezes a **version** (what the public sees); contributors post dated **progress updates**;
**reminders** are scheduled rows sent once by a background job; at the next appraised assessment a reviewer records
whether each action was **effective**.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tincay.common.fields import StoredDecimalField
from tincay.common.models import TimeStampedModel
from tincay.improvement.choices import (
    ActionStatus,
    AreaOrigin,
    BudgetSource,
    ProgrammeStatus,
    ReminderState,
    Stage,
    Verdict,
)

USER = settings.AUTH_USER_MODEL


class ImprovementArea(TimeStampedModel):
    """An area to improve (chủ điểm cần cải thiện) of one assessment: an indicator, or one criterion of it.

    Suggested areas are derived from the final results and carry the ranking figures they were derived with
    (``level``, ``weight``, ``gap``, ``priority`` = weight × gap, ``rank``); the unit selects or drops each with a
    reason and adds its own (``origin`` = added, reason required).
    """

    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.CASCADE, related_name="improvement_areas")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(
        "catalogue.Criterion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("origin"), max_length=12, choices=AreaOrigin.choices, default=AreaOrigin.SUGGESTED)
    level = models.CharField(_("final level"), max_length=10, blank=True)
    weight = models.FloatField(_("weight"), default=1)
    gap = models.FloatField(_("gap to green"), default=0)
    priority = models.FloatField(_("priority (weight × gap)"), default=0, db_index=True)
    rank = models.PositiveIntegerField(_("rank"), default=0)
    selected = models.BooleanField(_("selected"), default=False)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("area to improve")
        verbose_name_plural = _("areas to improve")
        ordering = ["assessment", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "indicator"],
                condition=Q(criterion__isnull=True),
                name="area_unique_indicator",
            ),
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                condition=Q(criterion__isnull=False),
                name="area_unique_criterion",
            ),
        ]

    def __str__(self) -> str:
        return self.criterion.code if self.criterion_id else self.indicator.code


class Programme(TimeStampedModel):
    """The action programme (chương trình hành động) of one assessment, i.e. one unit in one campaign.

    ``revision`` grows on every change of the programme or of one of its actions (optimistic locking);
    ``approved_version`` is the last approved version (what the public sees); ``status`` is CHANGED when something
    moved since that approval.
    """

    assessment = models.OneToOneField("assessments.Assessment", on_delete=models.PROTECT, related_name="programme")
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, db_index=True
    )
    revision = models.PositiveIntegerField(default=0)
    approved_version = models.ForeignKey(
        "ProgrammeVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")

    def __str__(self) -> str:
        return self.title


class ProgrammeVersion(models.Model):
    """An approved programme, frozen: ``content`` holds the programme and its actions as they were approved."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    note = models.TextField(_("approval note"), blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("approved programme version")
        verbose_name_plural = _("approved programme versions")
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="programme_version_unique")]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"


class Action(TimeStampedModel):
    """One action (nhiệm vụ, giải pháp) of a programme, linked to the criteria and indicators it serves.

    ``progress`` is 0–100: the status gives a default (``rules.default_progress``) that the person may refine;
    ``weight`` is the action's share in the programme's roll-up (``rules.programme_progress``). Overdue is derived.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("tasks and solutions"), blank=True)
    department = models.ForeignKey(
        "orgunits.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("owner department"),
    )
    responsible = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        verbose_name=_("person responsible"),
    )
    starts_on = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    budget_vnd = models.PositiveBigIntegerField(_("budget (VND)"), null=True, blank=True)
    budget_source = models.CharField(_("budget source"), max_length=12, choices=BudgetSource.choices, blank=True)
    budget_note = models.CharField(_("budget note"), max_length=300, blank=True)
    expected_result = models.TextField(_("expected result"), blank=True)
    target_value = StoredDecimalField(_("target value"), max_digits=14, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED, db_index=True
    )
    cancel_reason = models.TextField(_("why cancelled"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    areas = models.ManyToManyField(ImprovementArea, blank=True, related_name="actions", verbose_name=_("areas"))
    indicators = models.ManyToManyField(
        "catalogue.Indicator", blank=True, related_name="+", verbose_name=_("indicators")
    )
    criteria = models.ManyToManyField("catalogue.Criterion", blank=True, related_name="+", verbose_name=_("criteria"))
    documents = models.ManyToManyField(
        "assessments.Document", blank=True, related_name="actions", verbose_name=_("evidence")
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="action_unique_number"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_max_100"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="action_status_deadline")]

    def __str__(self) -> str:
        return self.title


class ProgressUpdate(models.Model):
    """A dated progress update of an action: a title citizens can follow, a note, the progress and status after."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note"), blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices)
    documents = models.ManyToManyField("assessments.Document", blank=True, related_name="+", verbose_name=_("evidence"))
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["action", "-on", "-id"]

    def __str__(self) -> str:
        return self.title


class ActionVerdict(TimeStampedModel):
    """A reviewer's verdict on an action at the next appraised assessment of the unit (or of its successor)."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="verdict")
    next_assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.PROTECT, related_name="+", verbose_name=_("next assessment")
    )
    verdict = models.CharField(_("verdict"), max_length=15, choices=Verdict.choices)
    note = models.TextField(_("note"), blank=True)
    outcomes = models.JSONField(_("outcomes seen"), default=dict, blank=True)  # {"1.1.2": "improved", ...}
    reviewer = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("effectiveness verdict")
        verbose_name_plural = _("effectiveness verdicts")

    def __str__(self) -> str:
        return f"{self.action}: {self.verdict}"


class ReminderRule(TimeStampedModel):
    """When to remind about an action: ``offset_days`` from its deadline (negative before, positive after)."""

    name = models.CharField(_("name"), max_length=200)
    offset_days = models.SmallIntegerField(_("days from the deadline"))
    recipients = models.JSONField(_("recipients"), default=list)  # ReminderRecipient values
    channels = models.JSONField(_("channels"), default=list)  # Channel values
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        ordering = ["offset_days", "id"]

    def __str__(self) -> str:
        return self.name


class Reminder(models.Model):
    """One scheduled reminder: a rule for an action on a day. The unique key makes it fire once per rule, action
    and day whatever the number of workers; the job claims pending rows and records what it sent."""

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="reminders")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING, db_index=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    recipients = models.JSONField(_("sent to"), default=list, blank=True)  # user ids
    channels = models.JSONField(_("channels used"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["rule", "action", "due_on"], name="reminder_once_per_day")]

    def __str__(self) -> str:
        return f"{self.rule} · {self.action} · {self.due_on}"


__all__ = [
    "Action",
    "ActionVerdict",
    "ImprovementArea",
    "Programme",
    "ProgrammeVersion",
    "ProgressUpdate",
    "Reminder",
    "ReminderRule",
]
