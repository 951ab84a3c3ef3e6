"""Citizens' satisfaction surveys: templates shipped as data, surveys adapted per campaign and unit, tokens, and
anonymous responses.

A **template** (``SurveyTemplate``) groups questions under **factors** (the five SIPAS factors: access to the
service, administrative procedures, the civil servant, the result, the handling of feedback), each question with
its kind (a Likert scale, one or several choices, a number, free text), its aspect (perception, satisfaction,
expectation) and, optionally, the indicator or criterion of the framework it measures. A coordinator copies a
template into a **survey** of one unit in one campaign (``Survey`` and its ``SurveyQuestion`` rows), adapts it, and
the questions lock once the first answer arrives.

Anonymity is a property of the schema, not of the pages:

- a **response** has a random UUID for a key (an increasing number would give the order answers came in) and no
  time finer than the day; its **answers** have random keys too;
- **tokens** are kept apart: a token stores only the SHA-256 of its code and whether it was used, and nothing
  joins it to the response it allowed (no key either way, no shared time).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tincay.common.models import TimeStampedModel
from tincay.feedback.choices import Aspect, Channel, QuestionKind, SurveyStatus


class SurveyTemplate(TimeStampedModel):
    """A questionnaire shipped as data (``feedback/data/*.yaml``) with its scale; immutable once a survey copies it
    (a change is a new version)."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # the Likert scale, lowest first: [{"value": 1, "vi": "Rất không hài lòng", "en": "Very dissatisfied"}, ...]
    scale = models.JSONField(_("scale"), default=list)
    satisfied_from = models.PositiveSmallIntegerField(_("counted as satisfied from"), default=4)
    source = models.CharField(_("data source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="feedback_template_unique_version")]

    def __str__(self) -> str:
        return f"{self.title_vi} (v{self.version})"


class TemplateFactor(models.Model):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="factors")
    key = models.SlugField(_("key"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["template", "order"]
        constraints = [models.UniqueConstraint(fields=["template", "key"], name="feedback_factor_unique_key")]

    def __str__(self) -> str:
        return self.title_vi


class QuestionFields(models.Model):
    """What a question says and takes, in a template and in a survey."""

    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    aspect = models.CharField(_("aspect"), max_length=12, choices=Aspect.choices, default=Aspect.OTHER)
    text_vi = models.CharField(_("question (Vietnamese)"), max_length=500)
    text_en = models.CharField(_("question (English)"), max_length=500, blank=True)
    # single and multiple choice: [{"key": "slug", "vi": "...", "en": "..."}, ...]; others: []
    options = models.JSONField(_("options"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    # what the question measures in the framework, by code: "4.6" (indicator) or "4.6.2" (criterion); empty: none
    measures = models.CharField(_("indicator or criterion measured"), max_length=30, blank=True)

    class Meta:
        abstract = True


class TemplateQuestion(QuestionFields):
    template = models.ForeignKey(SurveyTemplate, on_delete=models.CASCADE, related_name="questions")
    factor = models.ForeignKey(TemplateFactor, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("template question")
        verbose_name_plural = _("template questions")
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="feedback_template_question_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class Survey(TimeStampedModel):
    """One unit's survey in one campaign, copied from a template and adapted; its questions lock at the first
    answer. Results stay hidden from everyone until it is closed."""

    campaign = models.ForeignKey(
        "assessments.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="surveys"
    )
    unit = models.ForeignKey("orgunits.AdminUnit", on_delete=models.PROTECT, related_name="surveys")
    template = models.ForeignKey(SurveyTemplate, on_delete=models.PROTECT, related_name="surveys")
    title_vi = models.CharField(_("title (Vietnamese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    # the public link and the QR poster point at this, not at the survey's number
    public_code = models.SlugField(_("public code"), max_length=24, unique=True)
    min_responses = models.PositiveSmallIntegerField(_("fewest responses before a figure is shown"), default=10)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return self.title_vi


class SurveyQuestion(QuestionFields):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    factor_key = models.SlugField(_("factor"), max_length=40, blank=True)
    factor_vi = models.CharField(_("factor (Vietnamese)"), max_length=300, blank=True)
    factor_en = models.CharField(_("factor (English)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "order"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="feedback_question_unique_key")]

    def __str__(self) -> str:
        return self.key


class SurveyToken(models.Model):
    """A one-use code printed on a slip (or a case's dossier code): only its SHA-256 and whether it was used. No
    time and nothing that points at the response it allowed."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("token")
        verbose_name_plural = _("tokens")

    def __str__(self) -> str:
        return f"{self.survey_id} {'used' if self.used else 'unused'}"


class Response(models.Model):
    """One person's answers: a random key, the channel, the day (never the time), and whether it came in while
    the survey was in test mode (such responses are discarded when it goes live)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    day = models.DateField(_("day"))
    test = models.BooleanField(_("test response"), default=False)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        indexes = [models.Index(fields=["survey", "test"])]

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    """One question's answer in a response: a scale value or a number, the option keys chosen, or text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    choices = models.JSONField(_("options chosen"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_answer_unique_question"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(text=""), name="feedback_answer_number_or_text"
            ),
        ]
        indexes = [models.Index(fields=["question", "number"])]

    def __str__(self) -> str:
        return f"{self.question_id}"
