"""When a scorer sends clarification questions, the people who wrote the criteria concerned hear of it.

The unit's focal point and leader are told of the step itself (``transitions.NOTIFY``); the contributors to whom
the focal point gave the indicators concerned (the person, or the people of the department) get a notice naming
their criteria, in-app and by e-mail, with a subject that says what happened and for which unit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.assessments.choices import ClarificationStatus
from tincay.assessments.models import Assessment, Clarification, IndicatorAssignment
from tincay.assessments.workflow import UNIT_ROLES

MESSAGE = gettext_noop(
    "%(unit)s — %(campaign)s: %(who)s asks for clarification on criteria %(criteria)s assigned to you. "
    "Answer on the indicator page; the focal point then sends the answers."
)
SUBJECT = gettext_noop("Clarification asked on criteria %(criteria)s — %(unit)s")


def _people_by_indicator(assessment: Assessment, indicator_ids: set[int]) -> dict[int, set[Any]]:
    """The people each indicator is assigned to: its assignee and the unit's people of its department."""
    people: dict[int, set[Any]] = defaultdict(set)
    assignments = IndicatorAssignment.objects.filter(assessment=assessment, indicator_id__in=indicator_ids)
    departments: dict[int, list[int]] = defaultdict(list)
    for assignment in assignments.select_related("assignee"):
        if assignment.assignee is not None and assignment.assignee.is_active:
            people[assignment.indicator_id].add(assignment.assignee)
        if assignment.department_id:
            departments[assignment.department_id].append(assignment.indicator_id)
    if departments:
        members = (
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__unit=assessment.unit,
                memberships__role__in=UNIT_ROLES,
                memberships__department_id__in=departments,
            )
            .values_list("memberships__department_id", "pk")
        )
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in={pk for _d, pk in members})}
        for department_id, pk in members:
            for indicator_id in departments[department_id]:
                people[indicator_id].add(users[pk])
    return people


def notify_assigned_contributors(*, assessment: Assessment, user: Any) -> int:
    """Tell each person assigned an indicator with an open question which criteria are asked about.

    Called by the transition that sends the questions (after its own checks); returns how many were told."""
    questions = (
        Clarification.objects.filter(result__assessment=assessment, status=ClarificationStatus.OPEN, answer="")
        .select_related("result__criterion__indicator")
        .order_by("result__criterion__order")
    )
    codes_by_indicator: dict[int, list[str]] = defaultdict(list)
    indicator_codes: dict[int, str] = {}
    for question in questions:
        criterion = question.result.criterion
        if criterion.code not in codes_by_indicator[criterion.indicator_id]:
            codes_by_indicator[criterion.indicator_id].append(criterion.code)
        indicator_codes[criterion.indicator_id] = criterion.indicator.code
    per_person: dict[Any, list[int]] = defaultdict(list)
    for indicator_id, people in _people_by_indicator(assessment, set(codes_by_indicator)).items():
        for person in people:
            if person.pk != getattr(user, "pk", None):
                per_person[person].append(indicator_id)
    campaign = assessment.campaign
    for person, indicator_ids in per_person.items():
        ordered = [pk for pk in codes_by_indicator if pk in indicator_ids]  # in the criteria's order
        criteria = ", ".join(code for pk in ordered for code in codes_by_indicator[pk])
        account_services.notify(
            users=[person],
            message=MESSAGE,
            subject=SUBJECT,
            params={
                "unit": assessment.unit.name,
                "campaign": {"vi": campaign.title_vi, "en": campaign.title_en or campaign.title_vi},
                "who": getattr(user, "display_name", str(user)),
                "criteria": criteria,
            },
            url=reverse("assessments:indicator", args=[assessment.pk, indicator_codes[ordered[0]]]),
        )
    return len(per_person)
