"""Downloads of the exports (``reports.exports``) as XLSX or CSV: a campaign's results, the actions of its
programmes, a rollout's board.

Each scopes what it writes the way its page does: the results and the programmes through the heat map's scope
(``results_scope``: the campaign within the user's visibility, narrowed to a unit's subtree and a peer group),
the programmes also through ``improvement.access``, the board through ``rollout.access``. A campaign or rollout the
user does not see is not found (404); anonymous users are sent to log in.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tincay.assessments.services.scores import scores_refresh
from tincay.common.csv_export import csv_response
from tincay.common.text import printable
from tincay.improvement.access import programmes_visible_to
from tincay.reports import exports, selectors
from tincay.reports.access import ResultsScope, results_scope
from tincay.rollout.access import get_rollout_for_user
from tincay.rollout.board_export import board_table

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(table: exports.Table, stem: str, fmt: str) -> HttpResponse:
    """``table`` as the attachment ``<stem>.xlsx`` or ``<stem>.csv`` (``stem`` ASCII: codes, not titles)."""
    if fmt == "csv":
        return csv_response(f"{stem}.csv", table.header, exports.csv_rows(table))
    response = HttpResponse(exports.xlsx_bytes(table), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def _scope(request: HttpRequest, code: str) -> ResultsScope:
    scope = results_scope(request.user, code, request.GET.get("unit", ""), request.GET.get("group", ""))
    if scope is None:
        raise Http404(_("Campaign not found within your scope."))
    return scope


def _unit_not_found(scope: ResultsScope) -> HttpResponse:
    """A unit asked for that could not be found: a file of every unit instead would mislead."""
    return HttpResponseBadRequest(scope.unit_error, content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def campaign_results(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Units × indicators of the track asked for (final by default), as the heat map shows them."""
    scope = _scope(request, code)
    if scope.unit_error:
        return _unit_not_found(scope)
    scores_refresh(scope.assessments.filter(campaign=scope.campaign))
    track = selectors.chosen_track(request.GET.get("track"))
    table = exports.campaign_results(scope.campaign, scope.assessments, track)
    suffix = "" if track == selectors.DEFAULT_TRACK else f"-{track}"
    return _download(table, f"{scope.campaign.code}-ket-qua{suffix}", fmt)


@login_required
@require_GET
def programme_actions(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """Every action of the programmes the user sees in the campaign, narrowed as the heat map (unit, peer group)
    or as the coordination page (province)."""
    scope = _scope(request, code)
    if scope.unit_error:
        return _unit_not_found(scope)
    province = printable(request.GET.get("province", "")).strip()[:100]
    assessments = exports.within_unit(scope.assessments.filter(campaign=scope.campaign), province)
    programmes = exports.programmes_of(programmes_visible_to(request.user), assessments)
    table = exports.programme_actions(programmes, timezone.localdate())
    return _download(table, f"{scope.campaign.code}-chuong-trinh-hanh-dong", fmt)


@login_required
@require_GET
def rollout_board(request: HttpRequest, code: str) -> HttpResponse:
    """The rollout board as filtered (phase, stuck, name), as XLSX; its CSV is the rollout app's."""
    rollout = get_rollout_for_user(request.user, code)
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    table = board_table(request.user, rollout, request.GET)
    return _download(exports.rollout_board(table.header, table.rows), f"{rollout.code}-board", "xlsx")
