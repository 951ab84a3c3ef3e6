"""Opening a campaign: units, deadlines, scoring team and council; one assessment per unit, baseline carried."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.choices import Role
from tincay.accounts.roles import is_admin, is_system
from tincay.assessments import access, workflow
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import Assessment, Campaign, CampaignMember, CriterionResult, EvidenceLink
from tincay.assessments.services import publication
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.assessments.services.transitions import make_transition
from tincay.audit import services as audit
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.models import Criterion, FrameworkVersion
from tincay.common.errors import ErrorCollector
from tincay.common.text import grouped
from tincay.orgunits.access import units_reached_by
from tincay.orgunits.models import AdminUnit

DEADLINES = ("self_assessment_due", "scoring_due", "appraisal_due", "publication_due")
YEARS = (2015, 2100)
CODE_LIMIT = 60
TITLE_LIMIT = 300
SLUG = re.compile(r"[-a-zA-Z0-9_]+")


def applicable_criteria(version_id: int, kind: str) -> list[Criterion]:
    """Criteria of a version that apply to a unit kind (empty applies_to = every kind)."""
    criteria = Criterion.objects.filter(version_id=version_id).only("pk", "applies_to", "code").order_by("order")
    return [c for c in criteria if not c.applies_to or kind in c.applies_to]


def _text(errors: ErrorCollector, name: str, raw: Any, limit: int, *, required: bool = False) -> str:
    if raw is not None and not isinstance(raw, str):
        errors.add(name, _("Enter text."))
        return ""
    text = (raw or "").strip()
    if required and not text:
        errors.add(name, _("This field is required."))
    elif len(text) > limit:
        errors.add(name, _("Shorten this to at most %(limit)s characters.") % {"limit": limit})
    return text


def _date(raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw.strip())
        except ValueError:
            return None
    return None


def _check_deadlines(errors: ErrorCollector, deadlines: Any) -> dict[str, dt.date]:
    if not isinstance(deadlines, Mapping):
        errors.add("deadlines", _("Give the four deadlines as dates."))
        return {}
    for name in set(deadlines) - set(DEADLINES):
        errors.add(str(name), _("Unknown deadline: remove it."))
    dates = {}
    for name in DEADLINES:
        value = _date(deadlines.get(name))
        if value is None:
            errors.add(name, _("Enter a real date as dd/mm/yyyy."))
        else:
            dates[name] = value
    if len(dates) == len(DEADLINES) and list(dates.values()) != sorted(dates.values()):
        errors.add(
            "deadlines",
            _("Deadlines must follow each other: self-assessment, scoring, appraisal, publication."),
        )
    return dates


def _year(errors: ErrorCollector, raw: Any) -> int | None:
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if isinstance(raw, bool) or not isinstance(raw, int) or not YEARS[0] <= raw <= YEARS[1]:
        errors.add("year", _("Enter a year between %(low)s and %(high)s.") % {"low": YEARS[0], "high": YEARS[1]})
        return None
    return raw


def _units_in_scope(actor: Any) -> QuerySet[AdminUnit]:
    if is_system(actor):
        return AdminUnit.objects.all()
    return units_reached_by(actor, {Role.ADMIN, Role.COORDINATOR})


def _check_units(errors: ErrorCollector, actor: Any, units: Any, on: dt.date) -> list[AdminUnit]:
    """The units exist, were in force on ``on`` (today's units for a campaign running now) and lie within the
    actor's scope (a command may use any unit)."""
    try:
        given = list(units)
    except TypeError:
        given = None
    if not given or not all(isinstance(u, AdminUnit) for u in given):
        errors.add("units", _("Choose at least one participating unit."))
        return []
    pks = {u.pk for u in given}
    found = {u.pk: u for u in AdminUnit.objects.filter(pk__in=pks).filter(AdminUnit.valid_on(on))}
    if missing := [u for u in given if u.pk not in found]:
        errors.add(
            "units",
            _("These units were not in force on %(date)s: %(units)s. Choose today's units.")
            % {"date": on.strftime("%d/%m/%Y"), "units": _names(missing)},
        )
    reached = set(_units_in_scope(actor).filter(pk__in=pks).values_list("pk", flat=True))
    if outside := [u for u in given if u.pk not in reached]:
        errors.add(
            "units",
            _("These units are outside your scope: %(units)s. Choose units you coordinate.")
            % {"units": _names(outside)},
        )
    unique = {u.pk: found.get(u.pk, u) for u in given}
    return list(unique.values())


def _names(units: Iterable[AdminUnit]) -> str:
    names = [f"{u.name} ({u.key})" for u in units]
    return ", ".join(names[:10]) + (" …" if len(names) > 10 else "")


def _reference_date(deadlines: Mapping[str, dt.date]) -> dt.date:
    """Units must be in force when the self-assessment is due, or today for a campaign still running."""
    today = timezone.localdate()
    due = deadlines.get("self_assessment_due")
    return min(due, today) if due else today


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    code: Any,
    title_vi: Any,
    title_en: Any = "",
    version: Any,
    owner_unit: Any,
    year: Any,
    deadlines: Any,
    units: Iterable[Any],
    baseline: Campaign | None = None,
    is_demo: bool = False,
) -> Campaign:
    """Open a campaign: every input checked together (InvalidInput names each field), then one assessment per
    unit with empty results, the baseline's evidence carried. Admins and coordinators open campaigns over the
    units of their scope; a server command may open any."""
    if not is_system(actor) and not access.can_create_campaign(actor):
        raise NotYours(_("Only an administrator or a coordinator can open a campaign."))
    errors = ErrorCollector()
    code = _text(errors, "code", code, CODE_LIMIT, required=True)
    if code and "code" not in errors.errors:
        if not SLUG.fullmatch(code):
            errors.add("code", _("Use only letters without diacritics, digits, hyphens and underscores."))
        elif Campaign.objects.filter(code=code).exists():
            errors.add("code", _("A campaign with code “%(code)s” already exists.") % {"code": code})
    title_vi = _text(errors, "title_vi", title_vi, TITLE_LIMIT, required=True)
    title_en = _text(errors, "title_en", title_en, TITLE_LIMIT)
    year = _year(errors, year)
    if not isinstance(version, FrameworkVersion) or version.status != VersionStatus.ISSUED:
        errors.add("version", _("A campaign needs an issued indicator set; issue the version first."))
    dates = _check_deadlines(errors, deadlines)
    unit_list = _check_units(errors, actor, units, _reference_date(dates))
    if owner_unit is not None and not isinstance(owner_unit, AdminUnit):
        errors.add("owner_unit", _("Choose the organising unit."))
    elif not _may_own(actor, owner_unit):
        errors.add("owner_unit", _("The organising unit must be one you coordinate."))
    if baseline is not None and (
        not isinstance(baseline, Campaign)
        or (not is_system(actor) and not access.campaigns_visible_to(actor).filter(pk=baseline.pk).exists())
    ):
        errors.add("baseline", _("Choose a previous campaign you can see."))
    if not isinstance(is_demo, bool):
        errors.add("is_demo", _("Say yes or no (true or false)."))
    if errors:
        raise AssessmentError(errors.errors)
    campaign = Campaign.objects.create(
        code=code,
        title_vi=title_vi,
        title_en=title_en,
        version=version,
        owner_unit=owner_unit,
        year=year,
        is_demo=is_demo,
        created_by=None if is_system(actor) else actor,
        **dates,
    )
    _add_units(campaign, unit_list, baseline)
    audit.record(actor=actor, action="assessments.campaign_units_added", obj=campaign, after=_units_after(unit_list))
    audit.record(
        actor=actor,
        action="assessments.campaign_created",
        obj=campaign,
        after={"version": version.ref, "units": len(unit_list), **{k: str(v) for k, v in dates.items()}},
    )
    return campaign


def _may_own(actor: Any, owner_unit: AdminUnit | None) -> bool:
    """Admins and commands may organise from any unit (or none); a coordinator from a unit they coordinate."""
    if is_system(actor) or is_admin(actor):
        return True
    return owner_unit is not None and units_reached_by(actor, {Role.COORDINATOR}).filter(pk=owner_unit.pk).exists()


def _units_after(units: list[AdminUnit]) -> dict[str, Any]:
    return {"units": [u.key for u in units]}


def _checkers_belonging(campaign: Campaign, units: list[AdminUnit]) -> list[str]:
    """Messages for each council member, or scorer assigned to the unit, who holds a membership on one of
    ``units`` (maker ≠ checker)."""
    problems = []
    pks = {u.pk for u in units}
    by_pk = {u.pk: u for u in units}
    for member in campaign.members.select_related("user").prefetch_related("units"):
        own = set(member.user.memberships.filter(unit_id__in=pks).values_list("unit_id", flat=True))
        if member.role == CampaignRole.SCORER:
            own &= {u.pk for u in member.units.all()}
        for pk in sorted(own):
            problems.append(
                _("%(name)s (%(role)s of this campaign) belongs to %(unit)s; appoint someone else first.")
                % {"name": member.user.display_name, "role": member.get_role_display(), "unit": by_pk[pk].name}
            )
    return problems


@transaction.atomic
def campaign_add_units(
    *, actor: Any, campaign: Campaign, units: Iterable[Any], baseline: Campaign | None = None
) -> int:
    """Create the assessments (and their empty results) of units not yet in the campaign, after checking the
    units (in force, within scope) and that no council member or assigned scorer belongs to one of them."""
    if not is_system(actor) and not access.can_manage_campaign(actor, campaign):
        raise NotYours(_("Only the campaign's coordinators can add units to it."))
    errors = ErrorCollector()
    on = min(campaign.self_assessment_due, timezone.localdate())
    unit_list = _check_units(errors, actor, units, on)
    for problem in _checkers_belonging(campaign, unit_list) if not errors else []:
        errors.add("units", problem)
    if errors:
        raise AssessmentError(errors.errors)
    new_units = _add_units(campaign, unit_list, baseline)
    if new_units:
        audit.record(
            actor=actor, action="assessments.campaign_units_added", obj=campaign, after=_units_after(new_units)
        )
    return len(new_units)


def _add_units(campaign: Campaign, units: list[AdminUnit], baseline: Campaign | None) -> list[AdminUnit]:
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
    return new_units


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
    *, actor: Any, campaign: Campaign, user: Any, role: Any, units: Iterable[Any] = ()
) -> CampaignMember:
    """Appoint a scorer (with the campaign's units they score) or a council member. Maker ≠ checker is
    decided here, at appointment: nobody scores a unit they hold a membership on, and nobody sits on the
    council of a campaign one of whose units they belong to."""
    if not is_system(actor) and not access.can_manage_campaign(actor, campaign):
        raise NotYours(_("Only the campaign's coordinators can appoint its scorers and council."))
    errors = ErrorCollector()
    if role not in CampaignRole.values:
        errors.add("role", _("Choose a role: scorer or council member."))
    if not isinstance(user, get_user_model()) or not user.is_active:
        errors.add("user", _("Choose an active user."))
    try:
        unit_list = list(units)
    except TypeError:
        unit_list = [None]
    if not all(isinstance(u, AdminUnit) for u in unit_list):
        errors.add("units", _("Choose units of this campaign."))
        unit_list = []
    campaign_units = set(campaign.assessments.values_list("unit_id", flat=True))
    if outside := [u for u in unit_list if u.pk not in campaign_units]:
        errors.add("units", _("These units do not take part in this campaign: %(units)s") % {"units": _names(outside)})
    if role == CampaignRole.COUNCIL and unit_list:
        errors.add("units", _("Council members appraise the whole campaign: leave the units empty."))
    if not errors:
        watched = unit_list if role == CampaignRole.SCORER else list(AdminUnit.objects.filter(pk__in=campaign_units))
        belongs = AdminUnit.objects.filter(pk__in=[u.pk for u in watched], memberships__user=user).distinct()
        for unit in belongs.order_by("sort_key")[:10]:
            errors.add(
                "units" if role == CampaignRole.SCORER else "user",
                _("%(name)s belongs to %(unit)s, so they cannot score or appraise it; choose someone else.")
                % {"name": user.display_name, "unit": unit.name},
            )
    if errors:
        raise AssessmentError(errors.errors)
    member, _created = CampaignMember.objects.get_or_create(campaign=campaign, user=user, role=role)
    if role == CampaignRole.SCORER:
        member.units.set(unit_list)
    forget_actor(user)
    audit.record(
        actor=actor,
        action="assessments.campaign_member_set",
        obj=campaign,
        after={"user": user.username, "name": user.display_name, "role": role, "units": [u.key for u in unit_list]},
    )
    return member


@transaction.atomic
def campaign_publish(*, user: Any, campaign: Campaign) -> int:
    """Publish every approved assessment of the campaign that this person may publish, then freeze one new
    open-data snapshot of the campaign, all in one transaction; returns how many were published."""
    council = campaign.members.filter(user=user, role=CampaignRole.COUNCIL).exists() if not is_system(user) else False
    if not is_system(user) and not council and not access.can_manage_campaign(user, campaign):
        raise NotYours(_("Only the campaign's coordinators and council publish its results."))
    published = 0
    approved = campaign.assessments.filter(state=State.APPROVED).select_related("unit__parent", "campaign")
    for assessment in approved:
        if "publish" not in {
            t.action for t in workflow.actions_for(access.actor_for(user, assessment), State.APPROVED)
        }:
            continue
        try:
            make_transition(user=user, assessment=assessment, action="publish")
        except workflow.TransitionRefused:
            continue
        published += 1
    if published:
        publication.freeze_snapshot(actor=user, campaign=campaign)
    return published


def forget_actor(user: Any) -> None:
    if hasattr(user, "_tincay_actor_cache"):
        delattr(user, "_tincay_actor_cache")


REASON_LIMIT = 2_000


@transaction.atomic
def campaign_member_remove(*, actor: Any, campaign: Campaign, member_id: Any, reason: Any = "") -> CampaignMember:
    """Take a scorer or a council member off the campaign's team (the coordinators who manage the campaign, or a
    command). The person loses the campaign role at once; their past work (scores, questions, history) stays.
    ``member_id`` must name a team member of this campaign; the removal is recorded in the audit trail with what
    the member held and why."""
    if not is_system(actor) and not access.can_manage_campaign(actor, campaign):
        raise NotYours(_("Only the campaign's coordinators can change its scoring team and council."))
    errors = ErrorCollector()
    member = None
    if isinstance(member_id, bool) or not isinstance(member_id, int | str) or not str(member_id).strip().isdigit():
        errors.add("member", _("Choose a member of this campaign's team."))
    else:
        member = (
            CampaignMember.objects.select_for_update()
            .select_related("user")
            .filter(campaign=campaign, pk=int(str(member_id).strip()))
            .first()
        )
        if member is None:
            errors.add(
                "member",
                _("This person is not (or no longer) on this campaign's team; reload the page to see the team."),
            )
    if reason is None:
        reason = ""
    if not isinstance(reason, str):
        errors.add("reason", _("Enter text."))
    elif len(reason.strip()) > REASON_LIMIT:
        errors.add("reason", _("Shorten this to at most %(limit)s characters.") % {"limit": grouped(REASON_LIMIT)})
    if errors or member is None:
        raise AssessmentError(errors.errors)
    before = {
        "user": member.user.username,
        "name": member.user.display_name,
        "role": member.role,
        "units": sorted(member.units.values_list("key", flat=True)),
    }
    removed = CampaignMember(pk=member.pk, campaign=campaign, user=member.user, role=member.role)
    member.delete()
    forget_actor(removed.user)
    audit.record(
        actor=actor,
        action="assessments.campaign_member_removed",
        obj=campaign,
        before=before,
        after=None,
        reason=reason.strip(),
    )
    return removed
