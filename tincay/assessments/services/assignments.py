"""The focal point gives an indicator to a department and/or a person of the unit (who then may write it)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments import access
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, IndicatorAssignment
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector


def _id(raw: Any) -> int | None:
    """An id from a form (digits) or JSON (an integer); None for empty; ValueError otherwise."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int) and raw > 0:
        return raw
    if isinstance(raw, str) and raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    raise ValueError(raw)


@transaction.atomic
def assignment_set(
    *, user: Any, assessment: Assessment, indicator_code: Any, department_id: Any = None, assignee_id: Any = None
) -> IndicatorAssignment:
    """Give one indicator of a draft assessment to a department of the unit and/or one of its people (both
    empty: nobody; contributors then cannot write it). Only the unit's focal point does this."""
    if not is_system(user) and "focal_point" not in access.actor_for(user, assessment).effective_roles():
        raise NotYours(_("Only the unit's focal point can assign indicators."))
    if assessment.state != State.DRAFT:
        raise AssessmentError(_("Indicators can be assigned only while the self-assessment is a draft."))
    errors = ErrorCollector()
    indicator = None
    if isinstance(indicator_code, str) and indicator_code.strip():
        indicator = assessment.campaign.version.indicators.filter(code=indicator_code.strip()).first()
    if indicator is None:
        errors.add("indicator", _("Choose an indicator of this campaign's indicator set."))
    department = assignee = None
    try:
        if (pk := _id(department_id)) is not None:
            department = assessment.unit.departments.filter(pk=pk, is_active=True).first()
            if department is None:
                errors.add("department", _("Choose an active department of this unit."))
    except ValueError:
        errors.add("department", _("Choose an active department of this unit."))
    try:
        if (pk := _id(assignee_id)) is not None:
            assignee = access.assignable_people(assessment.unit).filter(pk=pk).first()
            if assignee is None:
                errors.add("assignee", _("Choose a person who works in this unit."))
    except ValueError:
        errors.add("assignee", _("Choose a person who works in this unit."))
    if errors:
        raise AssessmentError(errors.errors)
    assignment, _created = IndicatorAssignment.objects.update_or_create(
        assessment=assessment, indicator=indicator, defaults={"department": department, "assignee": assignee}
    )
    audit.record(
        actor=user,
        action="assessments.indicator_assigned",
        obj=assessment,
        after={
            "indicator": indicator.code,
            "department": getattr(department, "name", None),
            "assignee": getattr(assignee, "username", None),
        },
    )
    return assignment
