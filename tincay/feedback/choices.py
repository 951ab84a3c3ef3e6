from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Scale (Likert)")
    SINGLE = "single", _("One choice")
    MULTIPLE = "multiple", _("Several choices")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Free text")


class Aspect(models.TextChoices):
    """What a SIPAS question measures about its factor."""

    PERCEPTION = "perception", _("Perception")
    SATISFACTION = "satisfaction", _("Satisfaction")
    EXPECTATION = "expectation", _("Expectation")
    OTHER = "other", _("Other")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TEST = "test", _("Test mode")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Channel(models.TextChoices):
    LINK = "link", _("Public link")
    QR = "qr", _("QR poster")
    TOKEN = "token", _("One-use token")
    PAPER = "paper", _("Paper, entered by staff")
