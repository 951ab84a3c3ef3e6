"""Who may do what with citizens' surveys.

- **Manage** a survey (create it from a template, adapt its questions, open, close, print tokens, enter paper
  answers): administrators and the coordinators whose scope covers its unit (``orgunits.access.can_manage_unit``).
- **See** a survey (its questions, status and how many responses came in, per channel): those who manage it and
  everyone whose scope reaches its unit.
- **Results** (aggregates): nobody, administrators included, until the survey is closed; then everyone who sees
  the survey (and, through the portal, the public). A figure is shown only from ``min_responses`` answers.
- **Individual responses**: administrators only, after close, and never with tokens (tokens are not joined to
  responses at all).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tincay.accounts.roles import is_admin
from tincay.feedback.choices import SurveyStatus
from tincay.feedback.models import Survey
from tincay.orgunits.access import can_manage_unit, units_visible_to


def surveys_visible_to(user: Any) -> QuerySet[Survey]:
    if not getattr(user, "is_authenticated", False):
        return Survey.objects.none()
    surveys = Survey.objects.select_related("unit", "template", "campaign")
    return surveys if is_admin(user) else surveys.filter(unit__in=units_visible_to(user))


def get_survey_for_user(user: Any, pk: int) -> Survey | None:
    return surveys_visible_to(user).filter(pk=pk).first()


def can_manage_survey(user: Any, survey: Survey) -> bool:
    return getattr(user, "is_authenticated", False) and can_manage_unit(user, survey.unit)


def can_create_survey_for(user: Any, unit: Any) -> bool:
    return getattr(user, "is_authenticated", False) and can_manage_unit(user, unit)


def results_visible(survey: Survey) -> bool:
    """Results exist for nobody before the survey closes (administrators included)."""
    return survey.status == SurveyStatus.CLOSED


def can_see_results(user: Any, survey: Survey) -> bool:
    return results_visible(survey) and surveys_visible_to(user).filter(pk=survey.pk).exists()


def can_read_responses(user: Any, survey: Survey) -> bool:
    """Individual responses, without tokens: administrators, after close."""
    return results_visible(survey) and getattr(user, "is_authenticated", False) and is_admin(user)
