"""Campaigns, assessments, criterion results (self / scorer / final side by side), evidence, clarifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tincay.assessments.choices import (
    CampaignRole,
    ClarificationStatus,
    DocumentKind,
    Level,
    MeasureSource,
    State,
    Visibility,
)
from tincay.audit.scopes import unit_scope
from tincay.common.fields import StoredDecimalField
from tincay.common.models import TimeStampedModel

USER = settings.AUTH_USER_MODEL
LEVEL_VALUES = ["", *Level.values]


class Campaign(TimeStampedModel):
    """One assessment round (kỳ đánh giá) over many units with one issued framework version."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    version = models.ForeignKey(
        "catalogue.FrameworkVersion",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("indicator set"),
    )
    owner_unit = models.ForeignKey(
        "orgunits.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns_owned",
        verbose_name=_("organised by"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    self_assessment_due = models.DateField(_("self-assessment due"))
    scoring_due = models.DateField(_("scoring due"))
    appraisal_due = models.DateField(_("appraisal due"))
    publication_due = models.DateField(_("publication due"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-year", "code"]

    def __str__(self) -> str:
        return self.title_vi


class CampaignMember(models.Model):
    """A scorer (with the units assigned to them) or a council member of one campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="campaign_roles")
    role = models.CharField(_("role"), max_length=20, choices=CampaignRole.choices)
    units = models.ManyToManyField("orgunits.AdminUnit", blank=True, related_name="+", verbose_name=_("assigned units"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user", "role"], name="campaign_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.campaign.code}"


class Assessment(TimeStampedModel):
    """One unit's self-assessment in a campaign, and everything checked about it afterwards."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="assessments")
    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    baseline = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("baseline")
    )
    submitted_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    leader_approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    leader_approved_at = models.DateTimeField(_("approved by the leader at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    scores_stale = models.BooleanField(default=True, db_index=True)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["campaign", "unit__sort_key"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_unique_unit")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.campaign.code}"

    def change_scopes(self) -> tuple[str, ...]:
        """Its unit's pages (``tincay.audit.scopes``)."""
        return (unit_scope(self.unit_id),)


class IndicatorAssignment(models.Model):
    """The focal point gives an indicator to a department and/or a person of the unit."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    indicator = models.ForeignKey("catalogue.Indicator", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("orgunits.Department", null=True, blank=True, on_delete=models.SET_NULL)
    assignee = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.indicator_id}"


class CriterionResult(models.Model):
    """Three results side by side for one criterion: the unit's own, the scorer's, and the final one."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey("catalogue.Criterion", on_delete=models.PROTECT, related_name="+")
    # self-assessment
    self_level = models.CharField(_("self level"), max_length=10, choices=Level.choices, blank=True)
    self_value = StoredDecimalField(_("measured value"), max_digits=14, decimal_places=4, null=True, blank=True)
    self_points = StoredDecimalField(_("points"), max_digits=8, decimal_places=3, null=True, blank=True)
    na = models.BooleanField(_("not applicable"), default=False)
    na_reason = models.TextField(_("why not applicable"), blank=True)
    narrative = models.TextField(_("narrative"), blank=True)
    no_evidence_reason = models.TextField(_("why there is no evidence"), blank=True)
    # independent scoring
    scorer_level = models.CharField(_("scorer level"), max_length=10, choices=Level.choices, blank=True)
    scorer_value = StoredDecimalField(_("scorer value"), max_digits=14, decimal_places=4, null=True, blank=True)
    scorer_comment = models.TextField(_("scorer comment"), blank=True)
    # appraisal
    final_level = models.CharField(_("final level"), max_length=10, choices=Level.choices, blank=True)
    final_value = StoredDecimalField(_("final value"), max_digits=14, decimal_places=4, null=True, blank=True)
    final_comment = models.TextField(_("final reason"), blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)
    documents = models.ManyToManyField("Document", through="EvidenceLink", related_name="results")

    class Meta:
        verbose_name = _("criterion result")
        verbose_name_plural = _("criterion results")
        # The database refuses what it can check by itself; the rest of the rules (ranges that depend on the
        # criterion, points under a points scheme, text lengths) are in tincay.assessments.rules.
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="result_unique_criterion"),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__in": LEVEL_VALUES}), name=f"result_{name}_known")
                for name in ("self_level", "scorer_level", "final_level")
            ],
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                    name=f"result_{name}_not_negative",
                )
                for name in ("self_value", "scorer_value", "final_value", "self_points")
            ],
            models.CheckConstraint(
                condition=Q(na=False) | (Q(self_level="") & Q(self_value__isnull=True)),
                name="result_na_has_no_level_or_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.criterion_id}"

    def change_scopes(self) -> tuple[str, ...]:
        """Its assessment's unit's pages (``tincay.audit.scopes``)."""
        return (unit_scope(self.assessment.unit_id),)


class Document(TimeStampedModel):
    """An entry of a unit's evidence register (tài liệu kiểm chứng), reusable across criteria and campaigns."""

    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=500)
    number = models.CharField(_("number/symbol"), max_length=100, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    file = models.FileField(_("file"), upload_to="evidence/", max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    original_name = models.CharField(_("file name"), max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        ordering = ["-issued_on", "title"]
        constraints = [
            models.CheckConstraint(condition=~Q(file="") | ~Q(url=""), name="document_has_file_or_link"),
            models.CheckConstraint(condition=~Q(title=""), name="document_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def change_scopes(self) -> tuple[str, ...]:
        """Its unit's pages: a document is evidence only within its unit (``tincay.audit.scopes``)."""
        return (unit_scope(self.unit_id),)


class EvidenceLink(models.Model):
    result = models.ForeignKey(CriterionResult, on_delete=models.CASCADE, related_name="evidence_links")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="links")
    added_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result", "document"], name="evidence_link_unique")]

    def __str__(self) -> str:
        return f"{self.result_id}→{self.document_id}"


class Clarification(TimeStampedModel):
    """A scorer asks the unit about one criterion; the unit answers."""

    result = models.ForeignKey(CriterionResult, on_delete=models.CASCADE, related_name="clarifications")
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ClarificationStatus.choices, default=ClarificationStatus.OPEN)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.question[:60]


class TransitionRecord(models.Model):
    """The history of an assessment's states (the audit trail holds the same, hash-linked)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=20, choices=State.choices)
    to_state = models.CharField(max_length=20, choices=State.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.from_state}→{self.to_state}"


class AssessmentScore(models.Model):
    """The scoring engine's output for one assessment and track, kept for analytics (heat maps, rankings).

    Saving a result marks the assessment's scores stale; readers refresh stale ones before use
    (``services.scores.scores_refresh``), so pages never recompute thousands of assessments.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    track = models.CharField(max_length=10)
    total = models.FloatField(null=True)
    classification = models.CharField(max_length=40, blank=True)
    complete = models.BooleanField(default=False)
    indicators = models.JSONField(default=dict)  # {"1.1": [score or null, colour or null], ...}
    pillars = models.JSONField(default=dict)  # {"1": score or null, ...}
    # stored values of this track that today's rules refuse, scored as not answered and flagged on the pages:
    # [{"criterion": "1.1.6", "indicator": "1.1", "field": "self_value"}, ...]
    problems = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "track"], name="score_unique_track")]

    def __str__(self) -> str:
        return f"{self.assessment_id}:{self.track} {self.total}"


class CorrectionFrozen(RuntimeError):
    """A recorded correction is never changed nor deleted."""


class ResultCorrection(models.Model):
    """A published result changed after publication, recorded: the criterion, the values before and after (only
    the fields that changed), why, who and when, and the final total before and after. Append-only: the public
    page shows it as "corrected on …"; the open-data snapshots taken before it keep the earlier values."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="corrections")
    result = models.ForeignKey(CriterionResult, on_delete=models.PROTECT, related_name="corrections")
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    reason = models.TextField(_("reason for the correction"))
    corrected_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    corrected_at = models.DateTimeField(_("corrected at"))
    total_before = models.FloatField(null=True, blank=True)
    total_after = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("correction of a published result")
        verbose_name_plural = _("corrections of published results")
        ordering = ["-corrected_at", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="correction_has_reason")]

    def __str__(self) -> str:
        return f"{self.result_id} {self.corrected_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise CorrectionFrozen("a recorded correction never changes")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise CorrectionFrozen("a recorded correction is never deleted")

    @property
    def fields(self) -> list[str]:
        return sorted(set(self.before) | set(self.after))


class MeasuredValue(models.Model):
    """A criterion's measured value that the unit did not type: it came from a source such as a closed citizens'
    survey, kept with the source named, the number of responses and the 95 % interval, so that the assessment
    shows it as survey-based. While the unit can still change its self-assessment the value is written into the
    self track too (``applied``); afterwards it stays beside the result for the scorers and the council. One per
    criterion result: a later source replaces an earlier one (the audit trail keeps both)."""

    result = models.OneToOneField(CriterionResult, on_delete=models.CASCADE, related_name="measured")
    source = models.CharField(_("source"), max_length=20, choices=MeasureSource.choices)
    source_ref = models.CharField(_("source reference"), max_length=60)  # "survey:12"
    title_vi = models.CharField(_("source (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("source (English)"), max_length=300, blank=True)
    url = models.CharField(_("address of the source"), max_length=300, blank=True)
    value = StoredDecimalField(_("measured value"), max_digits=14, decimal_places=4)
    low = StoredDecimalField(_("95% interval from"), max_digits=14, decimal_places=4, null=True, blank=True)
    high = StoredDecimalField(_("95% interval to"), max_digits=14, decimal_places=4, null=True, blank=True)
    n = models.PositiveIntegerField(_("responses"))
    measured_on = models.DateField(_("measured on"))
    applied = models.BooleanField(_("written into the self-assessment"), default=False)

    class Meta:
        verbose_name = _("measured value from a source")
        verbose_name_plural = _("measured values from sources")
        indexes = [models.Index(fields=["source_ref"])]

    def __str__(self) -> str:
        return f"{self.result_id} {self.source_ref}"
