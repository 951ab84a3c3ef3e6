"""Helpers of the reminder tests: a campaign over Phường Hải An for the module, programmes and actions made with
the ORM (the action services have their own tests), the notices one action caused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model

from tests.assessment_fixtures import make_campaign
from tincay.accounts.messages import render
from tincay.accounts.models import Notification
from tincay.assessments.models import Assessment, Campaign
from tincay.improvement.choices import ActionStatus
from tincay.improvement.models import Action, Programme
from tincay.improvement.services.reminders import reminders_send_due

HAI_AN = "11413"
DEADLINE = dt.date(2021, 3, 15)  # before any demo data: the job in these tests sees only the tests' own actions


@contextmanager
def reminder_campaign(django_db_blocker, code: str) -> Iterator[Campaign]:
    """A campaign over Phường Hải An for a whole test module, removed at the end with its programmes."""
    with django_db_blocker.unblock():
        users = {u.username: u for u in get_user_model().objects.all()}
        campaign = make_campaign(users, code=code, units={"own": HAI_AN})
        try:
            yield campaign
        finally:
            Programme.objects.filter(assessment__campaign=campaign).delete()
            Assessment.objects.filter(campaign=campaign).delete()
            Campaign.objects.filter(pk=campaign.pk).delete()


def make_action(
    campaign: Campaign,
    *,
    title: str,
    responsible=None,
    department=None,
    deadline: dt.date = DEADLINE,
    status: str = ActionStatus.NOT_STARTED,
) -> Action:
    assessment = campaign.assessments.get(unit__key=HAI_AN)
    programme, _created = Programme.objects.get_or_create(
        assessment=assessment, defaults={"title": "Chương trình hành động cải tiến 2021"}
    )
    number = programme.actions.count() + 1
    return Action.objects.create(
        programme=programme,
        number=number,
        title=title,
        responsible=responsible,
        department=department,
        deadline=deadline,
        status=status,
    )


def notices(action: Action, user=None) -> list[Notification]:
    """The notices about ``action`` (its title is in their parameters), oldest first."""
    rows = Notification.objects.filter(params__action=action.title).order_by("pk")
    if user is not None:
        rows = rows.filter(user=user)
    return list(rows)


def english(notice: Notification) -> str:
    return render(notice.message, notice.params, "en")


def run_days(first: dt.date, last: dt.date) -> dict[dt.date, dict]:
    """The job run once a day from ``first`` to ``last``; its summaries by day."""
    summaries = {}
    day = first
    while day <= last:
        summaries[day] = reminders_send_due(today=day, worker="test")
        day += dt.timedelta(days=1)
    return summaries
