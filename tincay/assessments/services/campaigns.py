"""Opening a campaign: units, deadlines, scoring team and council; one assessment per unit, baseline carried."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tincay.assessments.choices import CampaignRole
from tincay.assessments.models import Assessment, Campaign, CampaignMember, CriterionResult, EvidenceLink
from tincay.assessments.services.errors import AssessmentError
from tincay.audit import services as audit
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.models import Criterion

DEADLINES = ("self_assessment_due", "scoring_due", "appraisal_due", "publication_due")


def applicable_criteria(version_id: int, kind: str) -> list[Criterion]:
    """Criteria of a version that apply to a unit kind (empty applies_to = every kind)."""
    criteria = Criterion.objects.filter(version_id=version_id).only("pk", "applies_to", "code").order_by("order")
    return [c for c in criteria if not c.applies_to or kind in c.applies_to]


def _check_deadlines(data: Mapping[str, Any]) -> None:
    dates = [data[name] for name in DEADLINES]
    if any(not isinstance(d, dt.date) for d in dates):
        raise AssessmentError(_("Every deadline needs a date."))
    if dates != sorted(dates):
        raise AssessmentError(_("Deadlines must follow each other: self-assessment, scoring, appraisal, publication."))


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    code: str,
    title_vi: str,
    title_en: str = "",
    version: Any,
    owner_unit: Any,
    year: int,
    deadlines: Mapping[str, dt.date],
    units: Iterable[Any],
    baseline: Campaign | None = None,
    is_demo: bool = False,
) -> Campaign:
    if version.status != VersionStatus.ISSUED:
        raise AssessmentError(_("A campaign needs an issued indicator set; issue the version first."))
    if Campaign.objects.filter(code=code).exists():
        raise AssessmentError(_("A campaign with code “%(code)s” already exists.") % {"code": code})
    _check_deadlines(deadlines)
    campaign = Campaign.objects.create(
        code=code,
        title_vi=title_vi,
        title_en=title_en,
        version=version,
        owner_unit=owner_unit,
        year=year,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "pk", None) else None,
        **dict(deadlines),
    )
    units = list(units)
    if not units:
        raise AssessmentError(_("Choose at least one participating unit."))
    campaign_add_units(actor=actor, campaign=campaign, units=units, baseline=baseline)
    audit.record(
        actor=actor,
        action="assessments.campaign_created",
        obj=campaign,
        after={"version": version.ref, "units": len(units), **{k: str(v) for k, v in deadlines.items()}},
    )
    return campaign


@transaction.atomic
def campaign_add_units(
    *, actor: Any, campaign: Campaign, units: Iterable[Any], baseline: Campaign | None = None
) -> int:
    """Create the assessments (and their empty results) of units not yet in the campaign."""
    present = set(campaign.assessments.values_list("unit_id", flat=True))
    new_units = [u for u in units if u.pk not in present]
    assessments = Assessment.objects.bulk_create([Assessment(campaign=campaign, unit=u) for u in new_units])
    if assessments and assessments[0].pk is None:
        assessments = list(campaign.assessments.filter(unit__in=new_units))
    by_kind: dict[str, list[Criterion]] = {}
    results = []
    for assessment in assessments:
        kind = assessment.unit.kind
        criteria = by_kind.setdefault(kind, applicable_criteria(campaign.version_id, kind))
        results += [CriterionResult(assessment=assessment, criterion=c) for c in criteria]
    CriterionResult.objects.bulk_create(results, batch_size=2000)
    if baseline is not None:
        for assessment in assessments:
            _carry_baseline(assessment, baseline)
    if new_units:
        audit.record(
            actor=actor,
            action="assessments.campaign_units_added",
            obj=campaign,
            after={"units": [u.key for u in new_units]},
        )
    return len(new_units)


def _carry_baseline(assessment: Assessment, baseline: Campaign) -> None:
    """Start from the unit's previous assessment: evidence links carried by criterion code, statuses reset."""
    previous = baseline.assessments.filter(
        Q(unit=assessment.unit) | Q(unit__lineage_links__event__links__unit=assessment.unit)
    ).first()
    if previous is None:
        return
    assessment.baseline = previous
    assessment.save(update_fields=["baseline"])
    result_by_code = {r.criterion.code: r.pk for r in assessment.results.select_related("criterion")}
    links = EvidenceLink.objects.filter(result__assessment=previous).select_related("result__criterion")
    EvidenceLink.objects.bulk_create(
        [
            EvidenceLink(result_id=result_by_code[link.result.criterion.code], document_id=link.document_id)
            for link in links
            if link.result.criterion.code in result_by_code
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def campaign_set_member(
    *, actor: Any, campaign: Campaign, user: Any, role: str, units: Iterable[Any] = ()
) -> CampaignMember:
    """Appoint a scorer (with their units) or a council member."""
    if role not in CampaignRole.values:
        raise AssessmentError(_("Unknown campaign role."))
    member, _created = CampaignMember.objects.get_or_create(campaign=campaign, user=user, role=role)
    units = list(units)
    if role == CampaignRole.SCORER:
        member.units.set(units)
    forget_actor(user)
    audit.record(
        actor=actor,
        action="assessments.campaign_member_set",
        obj=campaign,
        after={"user": user.username, "role": role, "units": [u.key for u in units]},
    )
    return member


def forget_actor(user: Any) -> None:
    if hasattr(user, "_tincay_actor_cache"):
        delattr(user, "_tincay_actor_cache")
