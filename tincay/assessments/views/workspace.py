"""One assessment: overview with actions, indicator pages with the three tracks, saving as you go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BoundField, Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tincay.accounts import freshness
from tincay.assessments import access, selectors, workflow
from tincay.assessments.choices import DocumentKind, State
from tincay.assessments.forms import TRACK_FORMS, AssignmentForm, TransitionForm
from tincay.assessments.models import Assessment, Clarification, CriterionResult
from tincay.assessments.services import assignments, transitions
from tincay.assessments.services import results as result_services
from tincay.assessments.services.errors import ConflictError
from tincay.assessments.views import controls, saving
from tincay.audit.scopes import unit_scope
from tincay.common.errors import InvalidInput, add_to_form


def visible_or_404(request: HttpRequest, pk: int) -> Assessment:
    assessment = access.get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404(_("This assessment does not exist or is not visible to you."))
    return assessment


def assessment_or_404(request: HttpRequest, pk: int) -> tuple[Assessment, workflow.Actor]:
    assessment = visible_or_404(request, pk)
    return assessment, access.actor_for(request.user, assessment)


def editable_track(actor: workflow.Actor, state: str) -> str | None:
    return next((t for t in workflow.TRACKS if workflow.can_edit(actor, state, t)), None)


def _shown(assessment: Assessment) -> list[str]:
    """What the assessment's pages show: its unit's data (``tincay.audit.scopes``)."""
    return [unit_scope(assessment.unit_id)]


@freshness.kept
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = visible_or_404(request, pk)  # a page the browser holds was answered by freshness.kept
    return freshness.revalidated(request, _shown(assessment), lambda: _detail(request, assessment))


def _detail(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    actor = access.actor_for(request.user, assessment)
    overview = selectors.assessment_overview(assessment)  # the results read once, passed on to the blockers
    actions = [
        (t, transitions.blockers(actor, assessment, t.action, reason="-", results=overview.rows))
        for t in workflow.actions_for(actor, assessment.state)
    ]
    can_assign = access.can_assign_indicators(request.user, assessment)
    unit = assessment.unit
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "actor": actor,
            "pillars": overview.pillars,
            "scores": overview.scores.results,
            "class_labels": selectors.class_labels(assessment.campaign.version.scoring),
            "actions": actions,
            "history": assessment.transitions.select_related("actor"),
            "track": editable_track(actor, assessment.state),
            "assign_form": AssignmentForm(
                departments=unit.departments.filter(is_active=True),
                people=access.assignable_people(unit),
            )
            if can_assign
            else None,
            "answered": overview.answered,
            "total": len(overview.rows),
        },
    )


@freshness.kept
@login_required
def indicator_page(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    assessment = visible_or_404(request, pk)  # a page the browser holds was answered by freshness.kept
    return freshness.revalidated(request, _shown(assessment), lambda: _indicator(request, assessment, code))


def _indicator(request: HttpRequest, assessment: Assessment, code: str) -> HttpResponse:
    return indicator_response(request, assessment, access.actor_for(request.user, assessment), code)


def indicator_response(
    request: HttpRequest,
    assessment: Assessment,
    actor: workflow.Actor,
    code: str,
    *,
    bound: Any = None,
    bound_id: int | None = None,
    conflict: saving.Conflict | None = None,
    upload: Any = None,
    upload_id: int | None = None,
    status: int = 200,
) -> HttpResponse:
    """The indicator page; after a refused plain POST, ``bound`` keeps what the person typed for ``bound_id``
    (with the conflict when another person saved meanwhile), ``upload`` the evidence form for ``upload_id``."""
    pillars = selectors.workspace(assessment, indicator_code=code)
    if not pillars:
        raise Http404
    block = pillars[0].indicators[0]
    track = editable_track(actor, assessment.state)
    # the same decision as the services' guard (access.can_write_result), with the assignment already at hand
    can_edit = track is not None and access.may_write_indicator(request.user, actor, track, block.assignment)
    forms = {r.pk: _form_for(track, r) for r in block.results} if can_edit else {}
    if bound is not None and bound_id in forms:
        forms[bound_id] = bound
    attach = can_edit and track == "self"
    documents = list(assessment.unit.documents.order_by("-issued_on", "title")) if attach else []
    codes = list(assessment.campaign.version.indicators.order_by("order").values_list("code", flat=True))
    position = codes.index(code)
    return render(
        request,
        "assessments/indicator.html",
        {
            "assessment": assessment,
            "actor": actor,
            "item": block,
            "pillar": pillars[0].pillar,
            "track": track,
            "can_edit": can_edit,
            "forms": forms,
            "form_fields": {pk: _field_rows(form, track) for pk, form in forms.items()},
            "documents": documents,
            "document_options": _partial("assessments/_document_options.html", {"documents": documents})
            if documents
            else "",
            "can_ask": workflow.can_edit(actor, assessment.state, "scorer"),
            "today": timezone.localdate(),
            "can_answer": workflow.can_edit(actor, assessment.state, "self")
            and assessment.state == State.CLARIFICATION,
            "previous_code": codes[position - 1] if position else None,
            "next_code": codes[position + 1] if position + 1 < len(codes) else None,
            "conflict": conflict,
            "conflict_id": bound_id if conflict else None,
            "measures": {r.pk: saving.measure(r.criterion, getattr(r, f"{track}_value", None)) for r in block.results}
            if can_edit
            else {},
            "uploads": {upload_id: upload} if upload is not None else {},
            "upload_fields": _upload_fields(block.results, upload, upload_id) if attach else {},
        },
        status=status,
    )


@dataclass(frozen=True)
class FieldRow:
    """One visible field of a criterion's save form, with what the page asks about it decided once."""

    field: BoundField
    column: str  # the grid column: narrow for a choice or a value, the whole row otherwise
    checkbox: bool
    measured: bool  # the track's measured value: the thresholds and the level go below it


def _field_rows(form: Form, track: str | None) -> list[FieldRow]:
    rows = []
    for field in form.visible_fields():
        checkbox = field.widget_type == "checkbox"
        narrow = getattr(field.field.widget, "input_type", None) == "select" or field.name[-5:] == "value"
        rows.append(FieldRow(field, "col-sm-4" if narrow else "col-12", checkbox, field.name == f"{track}_value"))
    return rows


_PK = "__pk__"  # where a criterion's pk goes in the fields rendered once for all (as a formset's ``__prefix__``)


def _partial(template: str, context: dict[str, Any]) -> SafeString:
    """A partial rendered once for the whole page, without the template file's closing newline."""
    rendered = render_to_string(template, context).removesuffix("\n")  # escaped by the template engine
    return mark_safe(rendered)  # noqa: S308  # nosec B308 B703


def _upload_fields(results: list[CriterionResult], upload: Any, upload_id: int | None) -> dict[int, SafeString]:
    """The fields of each criterion's "Attach evidence" form. Empty, they differ only by the criterion's pk in the
    ids, so they are rendered once; the refused upload (``upload`` for ``upload_id``) keeps what was typed."""
    empty = _partial("assessments/_upload_fields.html", {"up": None, "pk": _PK, "kinds": DocumentKind.choices})
    # the empty fields hold no typed data: only the engine's escaped HTML, with an integer put in
    fields = {r.pk: mark_safe(empty.replace(_PK, str(r.pk))) for r in results}  # noqa: S308  # nosec B308 B703
    if upload_id in fields:
        context = {"up": upload, "pk": upload_id, "kinds": DocumentKind.choices}
        fields[upload_id] = _partial("assessments/_upload_fields.html", context)
    return fields


def _form_for(track: str | None, result: CriterionResult, data: Any = None) -> Any:
    if track is None:
        return None
    initial = {name: getattr(result, name) for name in result_services.TRACK_FIELDS[track]}
    initial["revision"] = result.revision
    form = TRACK_FORMS[track](data, initial=initial, prefix=f"r{result.pk}", renderer=controls.RENDERER)
    if result.criterion.type != "performance":
        form.fields.pop(f"{track}_value", None)  # only measured criteria take a value
    return form


@login_required
@require_POST
def result_save(request: HttpRequest, pk: int, result_id: int, track: str) -> HttpResponse:
    """Autosave (HTMX) or plain POST of one track of one criterion. Typed text is never thrown away.

    The form only translates what was typed (numbers written the local way, the N/A box); the service decides.
    A refused save answers 400 (bad values), 403 (not yours) or 409 (saved meanwhile by someone else), with the
    message in the save status and on the fields (htmx) or on the fields of the re-rendered page (plain POST).
    "Keep mine" after a conflict posts ``keep`` = the revision the conflict showed: the same save over it."""
    assessment, actor = assessment_or_404(request, pk)
    result = assessment.results.select_related("criterion__indicator", "updated_by").filter(pk=result_id).first()
    if result is None or track not in workflow.TRACKS:
        raise Http404
    form = _form_for(track, result, request.POST)
    context: dict[str, Any] = {
        "result": result,
        "track": track,
        "assessment": assessment,
        "form": form,
        "code": result.criterion.indicator.code,
    }
    status = 200
    if not form.is_valid():
        context["error"] = " ".join(str(e) for errors in form.errors.values() for e in errors)
        status = 400
    else:
        data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
        data.update(_posted_outside_form(track, form, request.POST))
        try:
            context["result"] = result_services.result_save(
                user=request.user,
                result=result,
                track=track,
                data=_blank_levels(data),
                revision=request.POST["keep"] if "keep" in request.POST else form.cleaned_data["revision"],
            )
            context["saved"] = True
        except ConflictError as conflict:
            context.update(
                conflict=saving.conflict(form, conflict.current, data), current=conflict.current, message=str(conflict)
            )
            status = 409
        except InvalidInput as exc:
            add_to_form(form, exc)
            context["error"] = exc.message
            status = exc.status
    shown = getattr(context["result"], f"{track}_value", None) if context.get("saved") else None
    context["measure"] = saving.measure(result.criterion, shown)  # the level of the value now stored
    if request.htmx:
        return render(request, "assessments/_save_status.html", context, status=status)
    if context.get("saved"):
        messages.success(request, _("Saved."))
    else:
        messages.error(request, context.get("message") or context.get("error", ""))
    code = result.criterion.indicator.code
    if status == 200:
        return redirect(reverse("assessments:indicator", args=[assessment.pk, code]) + f"#c-{result.pk}")
    if "conflict" in context:  # keep what was typed, with the stored revision so that saving again keeps it
        posted = request.POST.copy()
        posted[f"r{result.pk}-revision"] = str(context["current"]["revision"])
        form = _form_for(track, result, posted)
        form.is_valid()
    return indicator_response(
        request,
        assessment,
        actor,
        code,
        bound=form,
        bound_id=result.pk,
        conflict=context.get("conflict"),
        status=status,
    )


def _posted_outside_form(track: str, form: Any, post: QueryDict) -> dict[str, str]:
    """Fields of the track that were posted but that the form does not show (a value on a management
    criterion, points): passed on as typed so that the service refuses or accepts them, never dropped silently."""
    names = set(result_services.TRACK_FIELDS[track]) - set(form.fields)
    return {name: post[f"{form.prefix}-{name}"] for name in names if f"{form.prefix}-{name}" in post}


def _blank_levels(data: dict[str, Any]) -> dict[str, Any]:
    return {k: ("" if k.endswith("_level") and not v else v) for k, v in data.items()}


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _actor = assessment_or_404(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            transitions.assessment_transition(
                user=request.user,
                assessment=assessment,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except workflow.TransitionRefused as refused:
            for reason in refused.reasons:
                messages.error(request, reason)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Done: %(step)s.") % {"step": workflow.BY_ACTION[form.cleaned_data["action"]].label}
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, _actor = assessment_or_404(request, pk)
    try:
        assignment = assignments.assignment_set(
            user=request.user,
            assessment=assessment,
            indicator_code=request.POST.get("indicator", ""),
            department_id=request.POST.get("department", ""),
            assignee_id=request.POST.get("assignee", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Indicator %(code)s assigned.") % {"code": assignment.indicator.code})
    return redirect("assessments:detail", pk=assessment.pk)


@login_required
@require_POST
def clarification_ask(request: HttpRequest, pk: int, result_id: int) -> HttpResponse:
    assessment, _actor = assessment_or_404(request, pk)
    result = assessment.results.select_related("criterion__indicator", "assessment").filter(pk=result_id).first()
    if result is None:
        raise Http404
    try:
        transitions.clarification_ask(user=request.user, result=result, question=request.POST.get("question", ""))
        messages.success(request, _("Question added. Send all questions with “Send clarification questions”."))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(reverse("assessments:indicator", args=[pk, result.criterion.indicator.code]) + f"#c-{result.pk}")


@login_required
@require_POST
def clarification_answer(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    assessment, _actor = assessment_or_404(request, pk)
    item = (
        Clarification.objects.select_related("result__criterion__indicator", "result__assessment")
        .filter(pk=item_id, result__assessment=assessment)
        .first()
    )
    if item is None:
        raise Http404
    try:
        transitions.clarification_answer(user=request.user, item=item, answer=request.POST.get("answer", ""))
        messages.success(request, _("Answer saved."))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(
        reverse("assessments:indicator", args=[pk, item.result.criterion.indicator.code]) + f"#c-{item.result.pk}"
    )


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Council view: criteria where the unit's own level and the scorer's differ most come first."""
    assessment, actor = assessment_or_404(request, pk)
    rank = {"red": 0, "yellow": 1, "green": 2}
    rows = list(selectors.results_with_details(assessment).select_related("criterion__indicator"))

    def gap(r: CriterionResult) -> int:
        if r.na or r.self_level not in rank or r.scorer_level not in rank:  # unset, or a stored value out of rules
            return -1
        return abs(rank[r.self_level] - rank[r.scorer_level])

    rows.sort(key=lambda r: (-gap(r), r.criterion.order))
    for r in rows:
        r.gap = gap(r)
    return render(
        request,
        "assessments/review.html",
        {
            "assessment": assessment,
            "rows": rows,
            "scores": selectors.assessment_scores(assessment, rows),
            "class_labels": selectors.class_labels(assessment.campaign.version.scoring),
            "can_finalise": workflow.can_edit(actor, assessment.state, "final"),
            "forms": {r.pk: _form_for("final", r) for r in rows}
            if workflow.can_edit(actor, assessment.state, "final")
            else {},
        },
    )
