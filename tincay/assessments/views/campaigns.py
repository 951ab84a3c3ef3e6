"""Campaign pages: list, open a new campaign, the board of every unit's state, team, bulk publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.accounts.choices import Role
from tincay.assessments import access, selectors
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.forms import CampaignForm
from tincay.assessments.models import Campaign
from tincay.assessments.services import campaigns as campaign_services
from tincay.assessments.services.errors import AssessmentError
from tincay.assessments.views import team
from tincay.catalogue.access import versions_visible_to
from tincay.catalogue.choices import VersionStatus
from tincay.common.errors import InvalidInput, add_to_form
from tincay.common.text import printable
from tincay.orgunits.access import units_reached_by
from tincay.orgunits.models import AdminUnit, PeerGroup
from tincay.orgunits.selectors import units_on


def _campaign_or_404(request: HttpRequest, code: str) -> Campaign:
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404(_("This campaign does not exist or is not visible to you."))
    return campaign


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = access.campaigns_visible_to(request.user).order_by("-year", "code")
    return render(
        request,
        "assessments/campaign_list.html",
        {
            "campaigns": campaigns,
            "can_create": access.can_create_campaign(request.user),
        },
    )


def _selected_units(request: HttpRequest, data: dict) -> list[AdminUnit]:
    allowed = units_on(units_reached_by(request.user, {Role.ADMIN, Role.COORDINATOR}), None)
    chosen = AdminUnit.objects.none()
    if data["parent_unit"]:
        below = allowed.filter(path__startswith=f"{data['parent_unit'].strip()}/", level="commune")
        if data["kinds"]:
            below = below.filter(kind__in=data["kinds"])
        if data["peer_group"]:
            below = below.filter(peer_groups__code=data["peer_group"])
        chosen |= below
    elif data["peer_group"]:
        chosen |= allowed.filter(peer_groups__code=data["peer_group"])
    codes = [c.strip() for c in data["unit_codes"].replace(",", " ").split() if c.strip()]
    if codes:
        found = allowed.filter(key__in=codes)
        missing = set(codes) - set(found.values_list("key", flat=True))
        if missing:
            raise AssessmentError(
                _("These codes are not today's units within your scope: %(codes)s")
                % {"codes": ", ".join(sorted(missing))}
            )
        chosen |= found
    return list(chosen.distinct().order_by("sort_key"))


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request: HttpRequest) -> HttpResponse:
    if not access.can_create_campaign(request.user):
        raise Http404
    versions = versions_visible_to(request.user).filter(status=VersionStatus.ISSUED).order_by("-issued_at")
    form = CampaignForm(
        request.POST or None,
        versions=versions,
        peer_groups=PeerGroup.objects.all(),
        baselines=access.campaigns_visible_to(request.user),
        # a unit chosen on the search-then-pick page (without JavaScript) comes back in the query string
        initial={k: request.GET[k][:2000] for k in ("parent_unit", "unit_codes") if k in request.GET},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            units = _selected_units(request, data)
            owner = next(
                iter(s.unit for s in request.user.memberships.filter(role=Role.COORDINATOR).select_related("unit")),
                None,
            )
            campaign = campaign_services.campaign_create(
                actor=request.user,
                code=data["code"],
                title_vi=data["title_vi"],
                title_en=data["title_en"],
                version=versions.get(pk=data["version"]),
                owner_unit=owner,
                year=data["year"],
                deadlines={k: data[k] for k in campaign_services.DEADLINES},
                units=units,
                baseline=access.campaigns_visible_to(request.user).filter(code=data["baseline"]).first()
                if data["baseline"]
                else None,
            )
        except InvalidInput as exc:
            add_to_form(form, _campaign_form_errors(exc))
        else:
            messages.success(request, _("Campaign opened with %(n)s units.") % {"n": campaign.assessments.count()})
            team.new_units_warnings(request, units)
            return redirect("assessments:board", code=campaign.code)
    return render(request, "assessments/campaign_form.html", {"form": form})


def _campaign_form_errors(error: InvalidInput) -> InvalidInput:
    """The service names the units ``units``; on the form they were chosen in ``unit_codes``."""
    return InvalidInput({("unit_codes" if name == "units" else name): msgs for name, msgs in error.errors.items()})


@login_required
def campaign_board(request: HttpRequest, code: str) -> HttpResponse:
    """The state of every unit, narrowed (province, state, name, late) and paged: a national campaign's board costs
    what a small one does."""
    campaign = _campaign_or_404(request, code)
    filters = _board_filters(request)
    board = selectors.campaign_board_page(
        campaign, access.assessments_visible_to(request.user), filters, request.GET.get("page")
    )
    can_manage = access.can_manage_campaign(request.user, campaign)
    by_state = {value: n for value, _label, n in board.counts}
    return render(
        request,
        "assessments/board.html",
        {
            "campaign": campaign,
            "rows": board.rows,
            "board": board,
            "filters": filters,
            "query": urlencode(filters.as_query()),
            "states": [(value, label) for value, label, _n in board.counts],
            "counts": board.counts,
            "can_manage": can_manage,
            "can_publish": can_manage or campaign.members.filter(user=request.user, role=CampaignRole.COUNCIL).exists(),
            **team.board_people(campaign, board.rows, can_manage=can_manage),
            "approved": by_state.get(State.APPROVED, 0),
            "published": by_state.get(State.PUBLISHED, 0),
        },
    )


def _board_filters(request: HttpRequest) -> selectors.BoardFilters:
    """The board's filters as typed; an unknown province or state narrows nothing (the form shows all)."""
    province_key = printable(request.GET.get("province", "")).strip()
    state = request.GET.get("state", "")
    return selectors.BoardFilters(
        province=AdminUnit.objects.filter(key=province_key).first() if province_key else None,
        state=state if state in State.values else "",
        query=" ".join(printable(request.GET.get("q", "")).split())[:100],
        late=request.GET.get("late") == "1",
    )


@login_required
@require_POST
def campaign_member(request: HttpRequest, code: str) -> HttpResponse:
    campaign = _campaign_or_404(request, code)
    user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
    if user is None:
        messages.error(request, _("Give an existing user name and a role."))
        return redirect("assessments:board", code=code)
    keys = request.POST.get("units", "").replace(",", " ").split()
    units = list(AdminUnit.objects.filter(key__in=keys))
    if missing := set(keys) - {u.key for u in units}:
        messages.error(request, _("Unknown unit codes: %(codes)s") % {"codes": ", ".join(sorted(missing))})
        return redirect("assessments:board", code=code)
    try:
        campaign_services.campaign_set_member(
            actor=request.user, campaign=campaign, user=user, role=request.POST.get("role", ""), units=units
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s appointed.") % {"name": user.display_name})
        team.appointment_warnings(request, campaign, user)
    return redirect("assessments:board", code=code)
