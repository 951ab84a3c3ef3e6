from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """When the unit means to act on an area to improve (giai đoạn)."""

    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")


class AreaOrigin(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested from the results")
    ADDED = "added", _("Added by the unit")


class ActionStatus(models.TextChoices):
    """Stored status of an action; "overdue" is derived (deadline passed, not done or cancelled)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class BudgetSource(models.TextChoices):
    STATE = "state", _("State budget")
    UNIT = "unit", _("The unit's own budget")
    SOCIAL = "social", _("Socialised (non-state) funds")
    PROGRAMME = "programme", _("National or provincial programme")
    OTHER = "other", _("Other")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    CHANGED = "changed", _("Changed since approval")


class Verdict(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    PARTLY = "partly", _("Partly effective")
    NOT_EFFECTIVE = "not_effective", _("Not effective")


class Outcome(models.TextChoices):
    """How a linked criterion or indicator moved between two appraised assessments (derived, never stored)."""

    IMPROVED = "improved", _("Improved")
    STAYED = "stayed", _("Stayed the same")
    FELL = "fell", _("Fell")
    UNKNOWN = "unknown", _("Not comparable")


class ReminderRecipient(models.TextChoices):
    RESPONSIBLE = "responsible", _("The person responsible")
    DEPARTMENT = "department", _("Members of the owner department")
    FOCAL_POINT = "focal_point", _("The unit's focal point")
    UNIT_LEADER = "unit_leader", _("The unit leader")
    COORDINATOR = "coordinator", _("Coordinators over the unit")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Skipped (a later reminder was sent instead)")
