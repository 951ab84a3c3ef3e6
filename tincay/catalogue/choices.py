from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    RETIRED = "retired", _("Retired")


class CriterionType(models.TextChoices):
    MANAGEMENT = "management", _("Management (evidence-based)")
    PERFORMANCE = "performance", _("Performance (measured value)")


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", _("Higher is better")
    LOWER_IS_BETTER = "lower_is_better", _("Lower is better")


class Rollup(models.TextChoices):
    WEIGHTED_AVERAGE = "weighted_average", _("Weighted average with colour thresholds")
    WORST_OF = "worst_of", _("Worst of")
    POINTS = "points", _("Points")
