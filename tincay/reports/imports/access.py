"""Who imports into a campaign, and whose import runs a person may see.

An administrator imports for every unit; a coordinator for the units their scope reaches (the assessment rule
``access.can_import_results``, which the assessment service applies again to every unit of a file). Imports
outside a campaign (people, units, lineage) are allowed by each kind's ``may_import``; a run belongs to the
person who checked it (administrators see every run)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin
from tincay.assessments.models import Assessment, Campaign
from tincay.orgunits.access import units_reached_by
from tincay.reports.models import ImportRun


def assessments_importable_by(user: Any, campaign: Campaign) -> QuerySet[Assessment]:
    """The campaign's assessments whose results the user may import (the same answer as
    ``access.can_import_results`` for each, in one query)."""
    base = campaign.assessments.all()
    if not getattr(user, "is_authenticated", False):
        return base.none()
    if is_admin(user):
        return base
    return base.filter(unit__in=units_reached_by(user, {Role.COORDINATOR}))


def can_import_into(user: Any, campaign: Campaign) -> bool:
    """Administrators, and coordinators whose scope reaches at least one unit of the campaign."""
    return assessments_importable_by(user, campaign).exists()


def get_import_run_for_user(user: Any, campaign: Campaign | None, pk: int) -> ImportRun | None:
    """An import of the campaign (or, with ``campaign`` None, one outside any campaign), seen by the person who
    checked it (and by administrators)."""
    runs = ImportRun.objects.filter(campaign=campaign) if campaign is not None else _general_runs()
    run = runs.filter(pk=pk).select_related("requested_by").first()
    if run is None or not getattr(user, "is_authenticated", False):
        return None
    return run if run.requested_by_id == user.pk or is_admin(user) else None


def import_runs_of(user: Any, campaign: Campaign | None) -> QuerySet[ImportRun]:
    """The user's own imports of the campaign (or outside any campaign), newest first."""
    runs = ImportRun.objects.filter(campaign=campaign) if campaign is not None else _general_runs()
    return runs.filter(requested_by=user).order_by("-requested_at", "-id")


def _general_runs() -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(campaign__isnull=True)
