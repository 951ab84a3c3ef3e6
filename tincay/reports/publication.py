"""Publication records (read only): when each result was published, who appraised it, and the corrections made
after publication, as the public portal and the internal snapshot page show them.

Public readers see a correction's date, criterion, level or value before and after, the final total before and
after, and the reason; never the council's comment nor who typed it (a crawl test checks the portal)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import Assessment, Campaign, CampaignMember, ResultCorrection
from tincay.assessments.selectors import correction_changes
from tincay.feedback.choices import SurveyStatus
from tincay.feedback.models import Survey
from tincay.reports.models import Snapshot


@dataclass
class PublicCorrection:
    corrected_at: dt.datetime
    unit_name: str
    unit_key: str
    criterion_code: str
    indicator: Any
    changes: list[tuple[str, str, str]]
    reason: str
    total_before: float | None
    total_after: float | None
    in_snapshot: dt.datetime | None  # the first snapshot that includes it, if any


@dataclass
class PublicationRecord:
    """Publication dates, the appraising council and the organiser of one campaign's published results."""

    campaign: Campaign
    first_published: dt.datetime | None
    last_published: dt.datetime | None
    units: int
    council: list[str] = field(default_factory=list)
    organiser: str = ""
    corrections: list[PublicCorrection] = field(default_factory=list)


def appraising_council(campaign: Campaign) -> list[str]:
    members = CampaignMember.objects.filter(campaign=campaign, role=CampaignRole.COUNCIL).select_related("user")
    return sorted(m.user.display_name for m in members)


def public_corrections(assessments: QuerySet[Assessment]) -> list[PublicCorrection]:
    """Corrections of the published assessments among ``assessments``, newest first (three queries)."""
    rows = list(
        ResultCorrection.objects.filter(assessment__in=assessments, assessment__state=State.PUBLISHED).select_related(
            "assessment__unit", "result__criterion__indicator"
        )
    )
    campaign_ids = {r.assessment.campaign_id for r in rows}
    snapshots: dict[int, list[dt.datetime]] = {}
    for campaign_id, created in (
        Snapshot.objects.filter(campaign_id__in=campaign_ids)
        .order_by("created_at")
        .values_list("campaign_id", "created_at")
    ):
        snapshots.setdefault(campaign_id, []).append(created)
    return [
        PublicCorrection(
            corrected_at=r.corrected_at,
            unit_name=r.assessment.unit.name,
            unit_key=r.assessment.unit.key,
            criterion_code=r.result.criterion.code,
            indicator=r.result.criterion.indicator,
            changes=correction_changes(r, public=True),
            reason=r.reason,
            total_before=r.total_before,
            total_after=r.total_after,
            in_snapshot=next((s for s in snapshots.get(r.assessment.campaign_id, []) if s >= r.corrected_at), None),
        )
        for r in rows
    ]


def publication_record(campaign: Campaign, assessments: QuerySet[Assessment]) -> PublicationRecord:
    """The record of ``assessments`` (published ones of ``campaign``: the caller passes what the public sees)."""
    published = assessments.filter(campaign=campaign, state=State.PUBLISHED)
    dates = sorted(d for d in published.values_list("published_at", flat=True) if d is not None)
    return PublicationRecord(
        campaign=campaign,
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        units=published.count(),
        council=appraising_council(campaign),
        organiser=campaign.owner_unit.name if campaign.owner_unit_id else "",
        corrections=public_corrections(published),
    )


def corrections_since(campaign: Campaign, since: dt.datetime | None) -> int:
    """How many corrections of the campaign's published results no snapshot includes yet."""
    corrections = ResultCorrection.objects.filter(assessment__campaign=campaign)
    return (corrections.filter(corrected_at__gt=since) if since else corrections).count()


def surveys_since(campaign: Campaign, latest: Snapshot | None) -> int:
    """How many closed surveys of the campaign the latest snapshot does not hold yet (a closed survey never reopens;
    none before the first snapshot, which comes with the first publication)."""
    if latest is None:
        return 0
    return max(Survey.objects.filter(campaign=campaign, status=SurveyStatus.CLOSED).count() - latest.surveys, 0)
