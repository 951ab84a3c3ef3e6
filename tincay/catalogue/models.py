"""Framework catalogue: framework → version → pillar → indicator → criterion.

An issued version is immutable: the services refuse to change it and the models refuse to save or delete
anything that belongs to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tincay.catalogue.choices import CriterionType, Direction, VersionStatus
from tincay.common.models import TimeStampedModel


class ImmutableVersionError(RuntimeError):
    """Raised when something tries to change an issued or retired framework version."""


class Framework(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    publisher_vi = models.CharField(_("publisher (Vietnamese)"), max_length=300, blank=True)
    publisher_en = models.CharField(_("publisher (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_vi


class FrameworkVersion(TimeStampedModel):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    code = models.SlugField(_("version code"), max_length=60)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    notes_vi = models.TextField(_("notes (Vietnamese)"), blank=True)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    changes = models.JSONField(
        _("change note"),
        default=list,
        blank=True,
        help_text=_("What changed from the parent version, per code: [{code, kind, note: {vi, en}}]."),
    )
    status = models.CharField(_("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    derived_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derivatives"
    )
    owner_unit = models.ForeignKey(
        "orgunits.AdminUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="framework_versions",
        verbose_name=_("owner unit"),
        help_text=_("Empty for national versions; a province for its local version."),
    )
    scoring = models.JSONField(_("scoring scheme"))
    content_hash = models.CharField(max_length=64, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        ordering = ["framework__code", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="version_unique_code")]

    def __str__(self) -> str:
        return f"{self.framework.code}/{self.code}"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def ref(self) -> str:
        return f"{self.framework.code}/{self.code}"


class _VersionPart(models.Model):
    """Base for everything inside a version: refuses writes once the version is issued."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        self._guard()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._guard()
        return super().delete(*args, **kwargs)

    def _guard(self) -> None:
        status = FrameworkVersion.objects.filter(pk=self.version_id).values_list("status", flat=True).first()
        if status and status != VersionStatus.DRAFT:
            raise ImmutableVersionError(f"framework version {self.version_id} is {status}; it cannot change")


class Pillar(_VersionPart):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="pillars")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveIntegerField(default=0)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="pillar_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title_vi}"


class Indicator(_VersionPart):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="indicators")
    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20)
    order = models.PositiveIntegerField(default=0)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    sdgs = models.JSONField(_("SDGs"), default=list, blank=True)
    iso9001 = models.JSONField(_("ISO 9001:2015 clauses"), default=list, blank=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title_vi}"


class Criterion(_VersionPart):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="criteria")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(default=0)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=500)
    title_en = models.CharField(_("title (English)"), max_length=500, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    guidance_vi = models.TextField(_("evidence guidance (Vietnamese)"), blank=True)
    guidance_en = models.TextField(_("evidence guidance (English)"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=CriterionType.choices, default=CriterionType.MANAGEMENT)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=3, default=1)
    max_points = models.DecimalField(_("maximum points"), max_digits=8, decimal_places=3, default=0)
    applies_to = models.JSONField(_("applies to unit kinds"), default=list, blank=True)
    level_red_vi = models.TextField(_("red level (Vietnamese)"))
    level_red_en = models.TextField(_("red level (English)"), blank=True)
    level_yellow_vi = models.TextField(_("yellow level (Vietnamese)"))
    level_yellow_en = models.TextField(_("yellow level (English)"), blank=True)
    level_green_vi = models.TextField(_("green level (Vietnamese)"))
    level_green_en = models.TextField(_("green level (English)"), blank=True)
    measure_unit_vi = models.CharField(_("unit of measure (Vietnamese)"), max_length=60, blank=True)
    measure_unit_en = models.CharField(_("unit of measure (English)"), max_length=60, blank=True)
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices, blank=True)
    threshold_yellow = models.DecimalField(
        _("yellow threshold"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    threshold_green = models.DecimalField(_("green threshold"), max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="criterion_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}. {self.title_vi}"
