"""Who sees which results: a campaign's assessments narrowed to a unit's subtree or a peer group, within the
user's own visibility (the assessments app decides that)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_admin
from tincay.assessments import access
from tincay.assessments.models import Assessment, Campaign
from tincay.common.text import printable
from tincay.orgunits.access import get_unit_for_user, units_visible_to
from tincay.orgunits.models import AdminUnit, PeerGroup
from tincay.orgunits.selectors import name_rank, units_by_name
from tincay.reports.models import GeneratedFile


@dataclass
class ResultsScope:
    campaign: Campaign
    assessments: QuerySet[Assessment]  # visible to the user, narrowed; not yet filtered on the campaign
    unit: AdminUnit | None
    group: PeerGroup | None
    unit_query: str = ""  # what the user typed, kept when it could not be used
    unit_error: str = ""


def find_unit(user: Any, text: str, campaign: Campaign | None = None) -> tuple[AdminUnit | None, str]:
    """A unit within the user's scope by code, or by name without needing diacritics ("hai phong"). Every
    match is ranked (``units_by_name``: assessed in ``campaign``, inside the user's scope, exact name, today's
    unit); the best is taken when it ranks strictly above the next, else a message names the candidates."""
    unit = get_unit_for_user(user, text)
    if unit is not None:
        return unit, ""
    matches = units_by_name(text, actor=user, units=units_visible_to(user), campaign=campaign, limit=6)
    if not matches:
        return None, _("No unit with the code or name “%(text)s” within your scope.") % {"text": text}
    if len(matches) == 1 or name_rank(matches[0]) < name_rank(matches[1]):
        return matches[0], ""
    names = ", ".join(f"{u.name} ({u.key})" for u in matches[:5])
    return None, _("Several units match “%(text)s”: %(names)s. Type the code of the one you want.") % {
        "text": text,
        "names": names,
    }


def results_scope(user: Any, code: str, unit_text: str = "", group_code: str = "") -> ResultsScope | None:
    """None when the campaign is not visible to the user. A unit that cannot be found within the user's scope
    leaves the scope un-narrowed, with ``unit_error`` saying why and ``unit_query`` keeping what was typed."""
    campaign = access.campaigns_visible_to(user).filter(code=code).first()
    if campaign is None:
        return None
    assessments = access.assessments_visible_to(user)
    unit, error, text = None, "", " ".join(printable(unit_text).split())
    group_code = printable(group_code).strip()
    if text:
        unit, error = find_unit(user, text, campaign)
        if unit is not None:
            assessments = assessments.filter(unit__path__startswith=unit.path)
    group = PeerGroup.objects.filter(code=group_code).first() if group_code else None
    if group is not None:
        assessments = assessments.filter(unit__peer_groups=group)
    return ResultsScope(campaign, assessments, unit, group, unit_query=text, unit_error=error)


def can_cut_snapshot(user: Any, campaign: Campaign) -> bool:
    """A new open-data snapshot (after a correction) is cut by the campaign's coordinators (and administrators)."""
    return access.can_manage_campaign(user, campaign)


def generated_files_of(user: Any) -> QuerySet[GeneratedFile]:
    """The documents a person asked for, newest first."""
    if not getattr(user, "is_authenticated", False):
        return GeneratedFile.objects.none()
    return GeneratedFile.objects.filter(requested_by=user).select_related("assessment__unit", "campaign")


def get_generated_file_for_user(user: Any, pk: Any) -> GeneratedFile | None:
    """A generated document, for the person who asked for it (or an administrator) while they still see what it is
    about; None otherwise (the page answers 404: a file's existence is not told to others)."""
    if not getattr(user, "is_authenticated", False) or not str(pk).isdigit():
        return None
    generated = GeneratedFile.objects.select_related("assessment", "campaign").filter(pk=int(pk)).first()
    if generated is None or (generated.requested_by_id != user.pk and not is_admin(user)):
        return None
    if generated.assessment_id is not None:
        visible = access.assessments_visible_to(user).filter(pk=generated.assessment_id).exists()
    else:
        visible = access.campaigns_visible_to(user).filter(pk=generated.campaign_id).exists()
    return generated if visible else None
