"""The five-phase rollout of the standard per unit, the preliminary survey and the training sessions.

A **rollout** (triển khai) covers units of a province over a period and follows a versioned **phase template**
(phase key, order, gate criteria, shipped as data in ``rollout/data/``). Each unit in it has exactly one current
phase (``RolloutUnit.current_phase``, with the matching open ``PhaseRecord``); a phase may be skipped with a reason.
Gates are derived from data where it exists (``gates.py``); where it does not, a ``GateRecord`` records it by hand
with a reason. Phases 1–2 have their own data: a **questionnaire** whose answers fill the unit's **profile**, and
**training sessions** with attendance by name or by a short code shown in the room.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tincay.common.models import TimeStampedModel
from tincay.rollout.choices import AttendanceVia, QuestionKind, TrainingLevel

USER = settings.AUTH_USER_MODEL


class PhaseTemplate(TimeStampedModel):
    """A versioned template of phases. Immutable once a rollout uses it: a change is a new version."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    stuck_after_days = models.PositiveIntegerField(_("stuck after (days)"), default=45)

    class Meta:
        verbose_name = _("phase template")
        verbose_name_plural = _("phase templates")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="phase_template_unique_version")]

    def __str__(self) -> str:
        return f"{self.title_vi} (v{self.version})"


class PhaseDefinition(models.Model):
    """One phase of a template. ``gates`` lists the gate criteria: [{"key": GateKey, "min_percent": 80}, ...]."""

    template = models.ForeignKey(PhaseTemplate, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(_("phase"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    gates = models.JSONField(_("gate criteria"), default=list, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="phase_unique_key"),
            models.UniqueConstraint(fields=["template", "order"], name="phase_unique_order"),
        ]

    def __str__(self) -> str:
        return self.title_vi


class Rollout(TimeStampedModel):
    """A rollout of the standard over units of one owner unit (usually a province) over a period."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    owner_unit = models.ForeignKey(
        "orgunits.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinating unit")
    )
    template = models.ForeignKey(PhaseTemplate, on_delete=models.PROTECT, related_name="rollouts")
    campaign = models.ForeignKey(
        "assessments.Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rollouts",
        verbose_name=_("assessment campaign"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    stuck_after_days = models.PositiveIntegerField(_("stuck after (days)"), null=True, blank=True)
    plan_document = models.ForeignKey(
        "assessments.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary_document = models.ForeignKey(
        "assessments.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("rollout")
        verbose_name_plural = _("rollouts")
        ordering = ["-starts_on", "code"]

    def __str__(self) -> str:
        return self.title_vi


class RolloutUnit(TimeStampedModel):
    """A unit in a rollout: its one current phase and since when, and the records phases 1 and 5 rest on."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.PROTECT, related_name="rollout_entries")
    current_phase = models.CharField(_("current phase"), max_length=30, db_index=True)
    phase_since = models.DateField(_("in this phase since"), db_index=True)
    steering_decision = models.ForeignKey(
        "assessments.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("steering committee decision"),
    )
    support_team_document = models.ForeignKey(
        "assessments.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("support team decision"),
    )
    survey_submitted_at = models.DateTimeField(_("preliminary survey submitted at"), null=True, blank=True)
    survey_submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    report_document = models.ForeignKey(
        "assessments.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("final report"),
    )
    report_sent_on = models.DateField(_("final report sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit in a rollout")
        verbose_name_plural = _("units in a rollout")
        ordering = ["rollout", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["rollout", "unit"], name="rollout_unit_unique")]
        indexes = [models.Index(fields=["rollout", "current_phase", "phase_since"], name="rollout_board")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.rollout.code}"


class PhaseRecord(models.Model):
    """A unit's stay in one phase: entered, left (None while current), or skipped with a reason."""

    rollout_unit = models.ForeignKey(RolloutUnit, on_delete=models.CASCADE, related_name="phase_records")
    phase = models.CharField(_("phase"), max_length=30)
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    skipped = models.BooleanField(_("skipped"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phase record")
        verbose_name_plural = _("phase records")
        ordering = ["rollout_unit", "entered_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rollout_unit"], condition=Q(left_on__isnull=True), name="phase_record_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rollout_unit} · {self.phase}"


class GateRecord(models.Model):
    """A gate recorded by hand, where no data derives it: met or not, with a reason and optionally a document."""

    rollout_unit = models.ForeignKey(RolloutUnit, on_delete=models.CASCADE, related_name="gate_records")
    gate = models.CharField(_("gate"), max_length=40)
    met = models.BooleanField(_("met"), default=True)
    reason = models.TextField(_("reason"))
    document = models.ForeignKey(
        "assessments.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("gate recorded by hand")
        verbose_name_plural = _("gates recorded by hand")
        ordering = ["rollout_unit", "gate", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.rollout_unit} · {self.gate}"


class SurveyQuestion(models.Model):
    """A question of a rollout's preliminary survey; ``profile_key`` names the unit-profile entry it fills."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="survey_questions")
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text_vi = models.CharField(_("question (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    help_vi = models.TextField(_("help (Vietnamese)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    options = models.JSONField(_("options"), default=list, blank=True)  # [{"key": "...", "vi": "...", "en": "..."}]
    required = models.BooleanField(_("required"), default=True)
    profile_key = models.SlugField(_("profile entry"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["rollout", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["rollout", "key"], name="survey_question_unique_key")]

    def __str__(self) -> str:
        return self.text_vi


class SurveyAnswer(models.Model):
    """One unit's answer to one survey question (``value``: text, bool, number, option key or list of keys)."""

    rollout_unit = models.ForeignKey(RolloutUnit, on_delete=models.CASCADE, related_name="survey_answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("answer"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [models.UniqueConstraint(fields=["rollout_unit", "question"], name="survey_answer_unique")]

    def __str__(self) -> str:
        return f"{self.rollout_unit} · {self.question.key}"


class UnitProfile(models.Model):
    """What is known of a unit's starting point (ISO 9001 status, IT systems, staffing, plans, expectations),
    filled from its latest submitted preliminary survey: ``data`` maps a profile key to the answer."""

    unit = models.OneToOneField("orgunits.AdminUnit", on_delete=models.CASCADE, related_name="rollout_profile")
    data = models.JSONField(_("profile"), default=dict, blank=True)
    source = models.ForeignKey(RolloutUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("unit profile")
        verbose_name_plural = _("unit profiles")

    def __str__(self) -> str:
        return str(self.unit)


class TrainingSession(TimeStampedModel):
    """A training session on the standard for some units of a rollout, with a short attendance code."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="training_sessions")
    units = models.ManyToManyField("orgunits.AdminUnit", related_name="+", verbose_name=_("units trained"))
    held_on = models.DateField(_("date"), db_index=True)
    trainer = models.CharField(_("trainer"), max_length=200)
    topic = models.CharField(_("topic"), max_length=300)
    level = models.CharField(_("level"), max_length=10, choices=TrainingLevel.choices, default=TrainingLevel.BASIC)
    place = models.CharField(_("place"), max_length=300, blank=True)
    materials = models.ManyToManyField(
        "assessments.Document", blank=True, related_name="+", verbose_name=_("materials")
    )
    materials_note = models.TextField(_("materials (description or links)"), blank=True)
    attendance_code = models.CharField(_("attendance code"), max_length=12, blank=True, db_index=True)
    code_open_until = models.DateTimeField(_("code open until"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["rollout", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on:%d/%m/%Y})"


class Attendance(models.Model):
    """One attendee of a session: a user (by code or picked by name) or a name typed by the organiser."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("orgunits.AdminUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.CharField(_("position"), max_length=200, blank=True)
    via = models.CharField(_("recorded"), max_length=10, choices=AttendanceVia.choices, default=AttendanceVia.NAME)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(user__isnull=False), name="attendance_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.name
