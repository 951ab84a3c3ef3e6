"""The people of a campaign on its board: the team with its ties to assessed units, units lacking a focal point
or a leader, the team's history, and taking a member off the team (with a confirmation page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tincay.assessments import access, staffing
from tincay.assessments.models import Campaign
from tincay.assessments.services import campaigns as campaign_services
from tincay.common.errors import InvalidInput


def board_people(campaign: Campaign, rows: list[Any], *, can_manage: bool) -> dict[str, Any]:
    """Context for the board's team section: members (each with ``ties``: names of campaign units they belong
    to), and for the people who manage the campaign, the staffing gaps and the team's history."""
    members = list(campaign.members.select_related("user").prefetch_related("units").order_by("role", "pk"))
    units = [r.assessment.unit for r in rows]
    gaps, ties = staffing.board_staffing(members, units, with_gaps=can_manage)
    for member in members:
        member.ties = ", ".join(ties.get(member.pk, []))
    return {
        "members": members,
        "staffing_gaps": gaps,
        "team_history": staffing.team_history(campaign, units, members) if can_manage else [],
    }


def appointment_warnings(request: HttpRequest, campaign: Campaign, user: Any) -> None:
    """After an appointment: warn (the service already refuses the units they belong to) when the person belongs to
    a unit assessed in this campaign."""
    units = staffing.units_held_by(user, [a.unit for a in campaign.assessments.select_related("unit")])
    if units:
        messages.warning(
            request,
            _(
                "%(name)s belongs to %(units)s, which take part in this campaign: they cannot score or appraise "
                "those units, and their work on the others may be questioned as not impartial. Consider someone "
                "from outside the assessed units."
            )
            % {"name": user.display_name, "units": ", ".join(u.name for u in units)},
        )


def new_units_warnings(request: HttpRequest, units: list[Any]) -> None:
    """After units join a campaign: name those without a focal point or a leader (they cannot submit or approve
    their self-assessment until someone holds the role)."""
    gaps = staffing.staffing_gaps(units)
    if gaps:
        messages.warning(request, _missing_people_text(gaps))


def _missing_people_text(gaps: list[staffing.StaffingGap]) -> str:
    names = "; ".join(f"{g.unit.name} ({g.missing_text})" for g in gaps[:10]) + (" …" if len(gaps) > 10 else "")
    return _(
        "Some units have nobody in a role the self-assessment needs: %(units)s. Grant the roles on the Users and "
        "roles page, or the unit cannot submit or approve its self-assessment."
    ) % {"units": names}


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    """GET: confirm taking this member off the team; POST: the service decides and records it."""
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("This campaign does not exist or is not visible to you."))
    member = campaign.members.select_related("user").prefetch_related("units").filter(pk=member_id).first()
    if request.method == "POST":
        try:
            removed = campaign_services.campaign_member_remove(
                actor=request.user, campaign=campaign, member_id=member_id, reason=request.POST.get("reason", "")
            )
        except InvalidInput as exc:
            if member is None or exc.status == 403:
                messages.error(request, exc.message)
                return redirect("assessments:board", code=code)
            return render(
                request,
                "assessments/member_remove.html",
                {"campaign": campaign, "member": member, "error": exc.message, "reason": request.POST.get("reason")},
                status=exc.status,
            )
        messages.success(
            request,
            _("%(name)s was taken off the team (%(role)s).")
            % {"name": removed.user.display_name, "role": removed.get_role_display()},
        )
        return redirect("assessments:board", code=code)
    if member is None:
        messages.error(
            request, _("This person is not (or no longer) on this campaign's team; reload the page to see the team.")
        )
        return redirect("assessments:board", code=code)
    if not access.can_manage_campaign(request.user, campaign):
        messages.error(request, _("Only the campaign's coordinators can change its scoring team and council."))
        return redirect("assessments:board", code=code)
    return render(request, "assessments/member_remove.html", {"campaign": campaign, "member": member})
