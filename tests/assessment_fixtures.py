"""Helpers shared by the assessment tests: a campaign over four units with everything answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection

from tincay.assessments.choices import CampaignRole, ClarificationStatus
from tincay.assessments.models import Assessment, Campaign, CampaignMember, Clarification
from tincay.assessments.services import campaigns
from tincay.catalogue.selectors import version_by_ref
from tincay.orgunits.models import AdminUnit

# own unit of the ward personas, its parent (the city), a sibling ward, a ward of another province
UNITS = {"own": "11413", "parent": "31", "sibling": "11311", "other": "00004"}
DEADLINES = {
    "self_assessment_due": dt.date(2026, 12, 1),
    "scoring_due": dt.date(2027, 1, 1),
    "appraisal_due": dt.date(2027, 2, 1),
    "publication_due": dt.date(2027, 3, 1),
}


def make_campaign(users, code: str = "ma-tran", units: dict[str, str] | None = None) -> Campaign:
    """Campaign over the four units; chamdiem scores Hải An only, thamdinh sits on the council.

    The administrator opens it (the Hà Nội ward lies outside the coordinator's scope); the coordinator, whose
    scope reaches the organising unit, appoints the team."""
    keys = units or UNITS
    unit_objs = list(AdminUnit.objects.filter(key__in=keys.values()))
    campaign = campaigns.campaign_create(
        actor=users["quantri"],
        code=code,
        title_vi="Kỳ kiểm thử",
        version=version_by_ref("tcvn-iso-18091", "2020"),
        owner_unit=AdminUnit.objects.get(key="31"),
        year=2026,
        deadlines=DEADLINES,
        units=unit_objs,
    )
    campaigns.campaign_set_member(
        actor=users["dieuphoi"],
        campaign=campaign,
        user=users["chamdiem"],
        role=CampaignRole.SCORER,
        units=[u for u in unit_objs if u.key == UNITS["own"]],
    )
    council = users["thamdinh"]
    if council.memberships.filter(unit__in=unit_objs).exists():
        # thamdinh holds a membership on Hải Phòng (a campaign unit here), so today the appointment is refused
        # (maker ≠ checker at appointment). The permission matrix still needs the guard at action time, for a
        # membership granted after the appointment: record the appointment as it stood before that membership.
        CampaignMember.objects.create(campaign=campaign, user=council, role=CampaignRole.COUNCIL)
    else:
        campaigns.campaign_set_member(
            actor=users["dieuphoi"], campaign=campaign, user=council, role=CampaignRole.COUNCIL
        )
    return campaign


def complete(assessment, *, submitted_by=None) -> None:
    """Every criterion answered on all tracks with an explanation instead of evidence; questions answered."""
    assessment.results.update(
        self_level="yellow",
        scorer_level="yellow",
        final_level="green",
        no_evidence_reason="Tài liệu lưu bản giấy.",
        final_comment="Đã xem xét.",
    )
    if submitted_by is not None:
        assessment.submitted_by = submitted_by
        assessment.save(update_fields=["submitted_by"])


def open_question(assessment, asked_by, answered: bool = False) -> Clarification:
    result = assessment.results.first()
    return Clarification.objects.create(
        result=result,
        question="Đề nghị bổ sung quyết định?",
        asked_by=asked_by,
        answer="Đã bổ sung." if answered else "",
        status=ClarificationStatus.OPEN,
    )


@contextmanager
def module_campaign(django_db_blocker, code: str, units: dict[str, str] | None = None) -> Iterator[Campaign]:
    """A campaign shared by a whole test module (each test's own writes roll back), removed at the end.

    Use it in a module-scoped fixture: ``with module_campaign(django_db_blocker, "ma", {"own": "11413"}) as c:``."""
    with django_db_blocker.unblock():
        users = {u.username: u for u in get_user_model().objects.all()}
        campaign = make_campaign(users, code=code, units=units)
        try:
            yield campaign
        finally:
            Assessment.objects.filter(campaign=campaign).delete()
            Campaign.objects.filter(pk=campaign.pk).delete()


@contextmanager
def checks_off() -> Iterator[None]:
    """Let a test store what the CHECK constraints refuse, as databases older than the constraints hold it.

    SQLite only (``PRAGMA ignore_check_constraints``); on PostgreSQL the tests keep to values the constraints
    allow but today's rules refuse (a percentage of 250, points above the maximum)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def percent_result(assessment):
    """A result of a percentage criterion (higher is better) whose green threshold lies in 80–87 and yellow at or
    below 80: "87,5" is green there, and 80 is not."""
    return (
        assessment.results.select_related("criterion__indicator")
        .filter(
            criterion__type="performance",
            criterion__measure_unit_vi="%",
            criterion__direction="higher_is_better",
            criterion__threshold_green__gt=80,
            criterion__threshold_green__lte=87,
            criterion__threshold_yellow__lte=80,
        )
        .first()
    )
