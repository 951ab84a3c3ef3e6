from django.db import models
from django.utils.translation import gettext_lazy as _


class PhaseKey(models.TextChoices):
    """The five phases of Vietnam's rollout (domain brief §4), in order."""

    PREPARATION = "preparation", _("Preparation and preliminary survey")
    TRAINING = "training", _("Training on the standard")
    SELF_ASSESSMENT = "self_assessment", _("Guided self-assessment")
    ACTION_PROGRAMME = "action_programme", _("Approval and execution of the action programme")
    REPORTING = "reporting", _("Reporting and maintaining the system")


class GateKey(models.TextChoices):
    """Gate criteria a phase may name; ``rollout.gates`` derives each from data where data exists."""

    STEERING_DECISION = "steering_decision", _("Steering committee decision recorded")
    SUPPORT_TEAM = "support_team", _("Support team recorded")
    SURVEY_ANSWERED = "survey_answered", _("Preliminary survey answered")
    TRAINING_HELD = "training_held", _("Training sessions held with attendance")
    SELF_ASSESSMENT_SUBMITTED = "self_assessment_submitted", _("Self-assessment submitted")
    PROGRAMME_APPROVED = "programme_approved", _("Action programme approved")
    ACTIONS_DONE = "actions_done", _("Share of actions done")
    REPORT_SENT = "report_sent", _("Final report sent")


class TrainingLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    IN_DEPTH = "in_depth", _("In depth")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Free text")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One choice")
    MULTI = "multi", _("Several choices")
    NUMBER = "number", _("Number")


class AttendanceVia(models.TextChoices):
    NAME = "name", _("Recorded by name")
    CODE = "code", _("Attendance code")
