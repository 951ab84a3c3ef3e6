"""Pages of action programmes: the list, one programme (actions, roll-up, groupings, update log), the forms of the
programme and its actions, an action's page with its progress log, approval with its confirmation, versions and
their differences.

Views translate what was typed and render the services' errors next to the fields (what was typed is kept); the
services decide. Not visible → 404; visible but not allowed → 403; a stale form → 409 with the conflict message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments.access import get_assessment_for_user
from tincay.common.errors import InvalidInput, add_to_form
from tincay.improvement import access, rules
from tincay.improvement.choices import ActionStatus, ProgrammeStatus
from tincay.improvement.models import Action, Programme
from tincay.improvement.selectors import programmes as selectors
from tincay.improvement.selectors import reminders as reminder_selectors
from tincay.improvement.services import actions as action_services
from tincay.improvement.services import programmes as programme_services
from tincay.improvement.views.programme_forms import (
    ActionForm,
    ApproveForm,
    CancelForm,
    ProgrammeForm,
    ProgressForm,
    initial_of,
)


def _programme_or_404(request: HttpRequest, pk: int) -> Programme:
    programme = access.get_programme_for_user(request.user, pk)
    if programme is None:
        raise Http404(_("This action programme does not exist or is not visible to you."))
    return programme


def _action_or_404(request: HttpRequest, pk: int) -> Action:
    action = access.get_action_for_user(request.user, pk)
    if action is None:
        raise Http404(_("This action does not exist or is not visible to you."))
    return action


def _status(error: InvalidInput) -> int:
    return error.status if error.status in (403, 409) else 400


def _refused(form: Any, error: InvalidInput) -> int:
    add_to_form(form, error)
    return _status(error)


# --- lists and the programme page ---------------------------------------------------------------------------------


@login_required
def programme_index(request: HttpRequest) -> HttpResponse:
    """The programmes the user may see, newest first, with progress, a page at a time; the assessments whose
    programme they may start."""
    page = Paginator(selectors.programmes_query(request.user), selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "improvement/programme_list.html",
        {
            "page": page,
            "rows": selectors.programme_rows(page.object_list),
            "creatable": selectors.creatable_for(request.user),
            "rule": rules.ROLLUP_RULE,
            "can_coordinate": access.can_view_coordination(request.user),
            "can_manage_reminders": access.can_manage_reminder_rules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_for_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme of an assessment: shown when it exists, else the form that starts it."""
    assessment = get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404(_("This assessment does not exist or is not visible to you."))
    existing = Programme.objects.filter(assessment=assessment).values_list("pk", flat=True).first()
    if existing:
        return redirect("improvement:programme", pk=existing)
    can_edit = access.can_edit_programme(request.user, assessment)
    final = assessment.state in access.FINAL_STATES
    form = ProgrammeForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": _("Action programme %(year)s of %(unit)s")
            % {"year": assessment.campaign.year, "unit": assessment.unit.name}
        },
    )
    status = 200 if can_edit else 403
    if request.method == "POST":
        if form.is_valid():
            try:
                programme = programme_services.programme_create(
                    actor=request.user,
                    assessment=assessment,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Action programme created: add its actions."))
                return redirect("improvement:programme", pk=programme.pk)
        else:
            status = 400
    return render(
        request,
        "improvement/programme_start.html",
        {"assessment": assessment, "form": form, "can_edit": can_edit, "final": final},
        status=status,
    )


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    assessment = programme.assessment
    page = selectors.programme_page(programme)
    return render(
        request,
        "improvement/programme.html",
        {
            "programme": programme,
            "assessment": assessment,
            "page": page,
            "can_edit": access.can_edit_programme(request.user, assessment),
            "can_approve": access.can_approve_programme(request.user, assessment),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not access.can_edit_programme(request.user, programme.assessment):
        raise PermissionDenied(_("Only the unit's focal point and leader change its action programme."))
    initial = {"title": programme.title, "summary": programme.summary, "revision": programme.revision}
    form = ProgrammeForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                programme_services.programme_update(
                    actor=request.user,
                    programme=programme,
                    revision=form.cleaned_data["revision"],
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Programme saved."))
                return redirect("improvement:programme", pk=pk)
        else:
            status = 400
    return render(request, "improvement/programme_form.html", {"programme": programme, "form": form}, status=status)


# --- approval and versions ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def programme_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what is approved (every action) and what changed since the last approval. POST: approve."""
    programme = _programme_or_404(request, pk)
    if not access.can_approve_programme(request.user, programme.assessment):
        raise PermissionDenied(_("Only the unit leader approves the action programme."))
    form = ApproveForm(request.POST if request.method == "POST" else None, initial={"revision": programme.revision})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                version = programme_services.programme_approve(
                    actor=request.user,
                    programme=programme,
                    revision=form.cleaned_data["revision"],
                    note=form.cleaned_data["note"],
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(
                    request,
                    _("Programme approved as version %(number)s: this is what the public sees.")
                    % {"number": version.number},
                )
                return redirect("improvement:programme", pk=pk)
        else:
            status = 400
    return render(
        request,
        "improvement/programme_approve.html",
        {
            "programme": programme,
            "assessment": programme.assessment,
            "page": selectors.programme_page(programme),
            "step": selectors.draft_step(programme),
            "form": form,
        },
        status=status,
    )


@login_required
def programme_versions(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    draft = selectors.draft_step(programme) if programme.status != ProgrammeStatus.APPROVED else None
    return render(
        request,
        "improvement/version_list.html",
        {"programme": programme, "steps": selectors.version_steps(programme), "draft": draft},
    )


@login_required
def programme_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    step = selectors.version_step(programme, number)
    if step is None:
        raise Http404(_("This version does not exist."))
    return render(request, "improvement/version_diff.html", {"programme": programme, "step": step})


@login_required
def programme_draft_diff(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    return render(
        request, "improvement/version_diff.html", {"programme": programme, "step": selectors.draft_step(programme)}
    )


# --- actions ------------------------------------------------------------------------------------------------------


def _action_form(request: HttpRequest, programme: Programme, action: Action | None) -> ActionForm:
    options = selectors.action_options(programme, action)
    if action is None:
        initial: dict[str, Any] = {"status": ActionStatus.NOT_STARTED, "weight": 1}
    else:
        initial = initial_of(action)
    initial["revision"] = programme.revision
    return ActionForm(request.POST if request.method == "POST" else None, initial=initial, options=options)


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme_or_404(request, pk)
    if not access.can_edit_programme(request.user, programme.assessment):
        raise PermissionDenied(_("Only the unit's focal point and leader add actions to its programme."))
    form = _action_form(request, programme, None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action = action_services.action_create(
                    actor=request.user,
                    programme=programme,
                    revision=form.cleaned_data["revision"],
                    **form.service_fields(),
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Action %(number)s added.") % {"number": action.number})
                return redirect("improvement:programme", pk=pk)
        else:
            status = 400
    return render(
        request, "improvement/action_form.html", {"programme": programme, "action": None, "form": form}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    programme = action.programme
    if not access.can_edit_programme(request.user, programme.assessment):
        raise PermissionDenied(_("Only the unit's focal point and leader change the actions of its programme."))
    form = _action_form(request, programme, action)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action_services.action_update(
                    actor=request.user, action=action, revision=form.cleaned_data["revision"], **form.service_fields()
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Action %(number)s saved.") % {"number": action.number})
                return redirect("improvement:action", pk=pk)
        else:
            status = 400
    return render(
        request,
        "improvement/action_form.html",
        {"programme": programme, "action": action, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    programme = action.programme
    if not access.can_edit_programme(request.user, programme.assessment):
        raise PermissionDenied(_("Only the unit's focal point and leader cancel actions of its programme."))
    form = CancelForm(request.POST if request.method == "POST" else None, initial={"revision": programme.revision})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                action_services.action_cancel(
                    actor=request.user,
                    action=action,
                    revision=form.cleaned_data["revision"],
                    reason=form.cleaned_data["reason"],
                )
            except InvalidInput as exc:
                status = _refused(form, exc)
            else:
                messages.success(request, _("Action %(number)s cancelled.") % {"number": action.number})
                return redirect("improvement:programme", pk=programme.pk)
        else:
            status = 400
    return render(
        request,
        "improvement/action_cancel.html",
        {"programme": programme, "action": action, "form": form},
        status=status,
    )


def _action_page(request: HttpRequest, action: Action, form: ProgressForm | None, status: int = 200) -> HttpResponse:
    programme = action.programme
    can_post = access.can_post_progress(request.user, action) and action.status != ActionStatus.CANCELLED
    if form is None and can_post:
        form = ProgressForm(
            initial={"on": timezone.localdate(), "status": action.status}, documents=selectors.register_of(programme)
        )
    return render(
        request,
        "improvement/action.html",
        {
            "programme": programme,
            "assessment": programme.assessment,
            "page": selectors.action_page(action),
            "form": form if can_post else None,
            "can_edit": access.can_edit_programme(request.user, programme.assessment),
            "action_reminders": reminder_selectors.action_reminders(action),
        },
        status=status,
    )


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(request, _action_or_404(request, pk), None)


@login_required
@require_POST
def progress_new(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    if not access.can_post_progress(request.user, action):
        raise PermissionDenied(
            _("Only the person responsible, the owner department, the focal point and the leader post progress.")
        )
    form = ProgressForm(request.POST, documents=selectors.register_of(action.programme))
    if not form.is_valid():
        return _action_page(request, action, form, 400)
    try:
        action_services.progress_post(
            actor=request.user,
            action=action,
            on=form.cleaned_data["on"],
            title=form.cleaned_data["title"],
            note=form.cleaned_data["note"],
            progress=form.cleaned_data["progress"],
            status=form.cleaned_data["status"],
            document_ids=form.cleaned_data["documents"],
        )
    except InvalidInput as exc:
        return _action_page(request, action, form, _refused(form, exc))
    messages.success(request, _("Progress recorded."))
    return redirect("improvement:action", pk=pk)
