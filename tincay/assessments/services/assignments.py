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


def _check_may_assign(user: Any, assessment: Assessment) -> None:
    if not is_system(user) and "focal_point" not in access.actor_for(user, assessment).effective_roles():
        raise NotYours(_("Only the unit's focal point can assign indicators."))
    if assessment.state != State.DRAFT:
        raise AssessmentError(_("Indicators can be assigned only while the self-assessment is a draft."))


def _target(assessment: Assessment, department_id: Any, assignee_id: Any, errors: ErrorCollector) -> tuple[Any, Any]:
    """The department and the person an indicator goes to (each may be empty), checked against the unit."""
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
    return department, assignee


def _audit(user: Any, assessment: Assessment, action: str, indicator: Any, department: Any, assignee: Any) -> None:
    audit.record(
        actor=user,
        action=action,
        obj=assessment,
        after={
            "indicator": indicator,
            "department": getattr(department, "name", None),
            "assignee": getattr(assignee, "username", None),
        },
    )


@transaction.atomic
def assignment_set(
    *, user: Any, assessment: Assessment, indicator_code: Any, department_id: Any = None, assignee_id: Any = None
) -> IndicatorAssignment:
    """Give one indicator of a draft assessment to a department of the unit and/or one of its people (both
    empty: nobody; contributors then cannot write it). Only the unit's focal point does this."""
    _check_may_assign(user, assessment)
    errors = ErrorCollector()
    indicator = None
    if isinstance(indicator_code, str) and indicator_code.strip():
        indicator = assessment.campaign.version.indicators.filter(code=indicator_code.strip()).first()
    if indicator is None:
        errors.add("indicator", _("Choose an indicator of this campaign's indicator set."))
    department, assignee = _target(assessment, department_id, assignee_id, errors)
    if errors:
        raise AssessmentError(errors.errors)
    assignment, _created = IndicatorAssignment.objects.update_or_create(
        assessment=assessment, indicator=indicator, defaults={"department": department, "assignee": assignee}
    )
    _audit(user, assessment, "assessments.indicator_assigned", indicator.code, department, assignee)
    return assignment


MAX_AT_ONCE = 200  # more than any indicator set holds (the base library has 39)


def _codes(raw: Any) -> list[str] | None:
    """Indicator codes from a list of strings, each once, in the order given; None for any other shape."""
    if not isinstance(raw, (list, tuple)) or len(raw) > MAX_AT_ONCE:
        return None
    if not all(isinstance(code, str) and 0 < len(code.strip()) <= 20 for code in raw):
        return None
    return list(dict.fromkeys(code.strip() for code in raw))


@transaction.atomic
def assignments_set_many(
    *, user: Any, assessment: Assessment, indicator_codes: Any, department_id: Any = None, assignee_id: Any = None
) -> list[IndicatorAssignment]:
    """Give several indicators of a draft assessment to the same department and/or person in one step.

    The whole input is checked first (every code an indicator of the campaign's set, the department and the
    person of this unit); then either every indicator is assigned, or, on any error, none is (one audit event
    names them all). Only the unit's focal point does this, as for one indicator."""
    _check_may_assign(user, assessment)
    errors = ErrorCollector()
    codes = _codes(indicator_codes)
    indicators: list[Any] = []
    if not codes:
        errors.add("indicators", _("Tick at least one indicator of this campaign's indicator set."))
    else:
        by_code = {i.code: i for i in assessment.campaign.version.indicators.filter(code__in=codes)}
        if unknown := [code for code in codes if code not in by_code]:
            errors.add(
                "indicators",
                _("These are not indicators of this campaign's indicator set: %(codes)s. Nothing was assigned.")
                % {"codes": ", ".join(unknown[:10])},
            )
        indicators = [by_code[code] for code in codes if code in by_code]
    department, assignee = _target(assessment, department_id, assignee_id, errors)
    if errors:
        raise AssessmentError(errors.errors)
    existing = {a.indicator_id: a for a in assessment.assignments.filter(indicator__in=indicators)}
    for assignment in existing.values():
        assignment.department, assignment.assignee = department, assignee
    IndicatorAssignment.objects.bulk_update(existing.values(), ["department", "assignee"])
    IndicatorAssignment.objects.bulk_create(
        IndicatorAssignment(assessment=assessment, indicator=i, department=department, assignee=assignee)
        for i in indicators
        if i.pk not in existing
    )
    _audit(user, assessment, "assessments.indicators_assigned", [i.code for i in indicators], department, assignee)
    return list(
        assessment.assignments.filter(indicator__in=indicators).select_related("indicator", "department", "assignee")
    )
