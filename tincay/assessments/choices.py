from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    """States of one unit's assessment (workflow.py holds the transitions)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting the leader")
    SCORING = "scoring", _("Being scored")
    CLARIFICATION = "clarification", _("Clarification requested")
    SCORED = "scored", _("Scored")
    APPRAISAL = "appraisal", _("Under appraisal")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Level(models.TextChoices):
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    GREEN = "green", _("Green")


class CampaignRole(models.TextChoices):
    SCORER = "scorer", _("Scorer")
    COUNCIL = "council", _("Appraisal council member")


class DocumentKind(models.TextChoices):
    DECISION = "decision", _("Decision")
    PLAN = "plan", _("Plan or programme")
    REPORT = "report", _("Report")
    MINUTES = "minutes", _("Minutes")
    STATISTICS = "statistics", _("Statistics")
    REGULATION = "regulation", _("Regulation or rules")
    PHOTO = "photo", _("Photo or image")
    WEB = "web", _("Web page")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    INTERNAL = "internal", _("Internal")
    PUBLIC = "public", _("Public")


class ClarificationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class MeasureSource(models.TextChoices):
    """Where a measured value that the unit did not type came from."""

    SURVEY = "survey", _("Citizens' survey")
