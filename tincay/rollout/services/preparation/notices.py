"""Notices of the preliminary survey, stored as a message and its parameters (read in each reader's language):
the rollout's coordinators hear that a unit submitted, the unit's leader and focal point that it was reopened."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.rollout import access
from tincay.rollout.models import Rollout, RolloutUnit


def _rollout_title(rollout: Rollout) -> dict[str, str]:
    return {"vi": rollout.title_vi, "en": rollout.title_en or rollout.title_vi}


def _answers_url(entry: RolloutUnit) -> str:
    return reverse("rollout:survey_answer", args=[entry.rollout.code, entry.unit.key])


def survey_submitted(actor: Any, entry: RolloutUnit) -> None:
    """Tell the rollout's coordinators (not the one who submitted) that the unit submitted, linking its answers."""
    readers = [p for p in access.rollout_coordinators(entry.rollout) if p != actor]
    if not readers:
        return
    account_services.notify(
        users=readers,
        message=gettext_noop("%(unit)s submitted its answers to the preliminary survey of %(rollout)s."),
        subject=gettext_noop("Preliminary survey submitted: %(unit)s"),
        params={"unit": entry.unit.name, "rollout": _rollout_title(entry.rollout)},
        url=_answers_url(entry),
    )


def survey_reopened(actor: Any, entry: RolloutUnit, reason: str) -> None:
    """Tell the unit's leader and focal point that the coordinator reopened its survey, and why."""
    people = [
        m.user
        for m in entry.unit.memberships.filter(
            role__in=[Role.UNIT_LEADER, Role.FOCAL_POINT], user__is_active=True
        ).select_related("user")
    ]
    account_services.notify(
        users=[p for p in people if p != actor],
        message=gettext_noop("%(unit)s: the preliminary survey of %(rollout)s was reopened. Reason: %(reason)s"),
        subject=gettext_noop("Preliminary survey reopened: %(unit)s"),
        params={"unit": entry.unit.name, "rollout": _rollout_title(entry.rollout), "reason": reason[:300]},
        url=_answers_url(entry),
    )
