"""Pages of effectiveness: the outcomes of a programme's actions at the next campaign with the reviewers' verdicts,
and a unit's cycle across campaigns (diagnosis → areas to improve → actions → outcome), back through lineage.

The verdict form works without JavaScript: it posts to its own address and, when the service refuses, the whole
page comes back with what was typed and the messages next to the fields (400 bad input, 403 not a reviewer)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tincay.assessments.access import assessments_visible_to
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh
from tincay.common.errors import InvalidInput, add_to_form
from tincay.improvement import access
from tincay.improvement.choices import Outcome, Stage, Verdict
from tincay.improvement.models import Programme
from tincay.improvement.selectors import effectiveness as selectors
from tincay.improvement.services import effectiveness as services
from tincay.orgunits.access import get_unit_for_user


class VerdictForm(forms.Form):
    """Translates the reviewer's input; the service decides what is valid (the choice, the note's requirement)."""

    verdict = forms.CharField(
        label=gettext_lazy("Verdict"),
        required=False,
        widget=forms.RadioSelect(choices=Verdict.choices, attrs={"class": "form-check-input"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when the action was partly effective or not effective."),
    )


def _form_for(effect: selectors.ActionEffect) -> VerdictForm:
    verdict = effect.verdict
    initial = {"verdict": verdict.verdict, "note": verdict.note} if verdict else {"verdict": effect.suggestion or ""}
    return VerdictForm(initial=initial, prefix=f"a{effect.action.pk}")


def _programme_or_404(request: HttpRequest, pk: int) -> Programme:
    programme = access.get_programme_for_user(request.user, pk)
    if programme is None:
        raise Http404(_("This action programme does not exist or is not visible to you."))
    return programme


def _page(
    request: HttpRequest, programme: Programme, bound: dict[int, VerdictForm] | None = None, status: int = 200
) -> HttpResponse:
    visible = assessments_visible_to(request.user)
    nexts = selectors.next_assessments([programme.assessment], visible)
    scores_refresh(Assessment.objects.filter(pk__in=selectors.assessments_to_refresh([programme.assessment], nexts)))
    effect = selectors.programmes_effectiveness([programme], nexts)[programme.pk]
    following = effect.next_assessment
    can_record = following is not None and access.can_record_verdict(request.user, following)
    forms_by_action = {}
    if can_record:
        forms_by_action = {e.action.pk: (bound or {}).get(e.action.pk) or _form_for(e) for e in effect.actions}
    return render(
        request,
        "improvement/effectiveness.html",
        {
            "programme": programme,
            "assessment": programme.assessment,
            "effect": effect,
            "can_record": can_record,
            "forms": forms_by_action,
            "refused": {pk: form for pk, form in (bound or {}).items() if pk not in forms_by_action},
            "rule": selectors.SUGGESTION_RULE,
            "outcomes": Outcome,
        },
        status=status,
    )


@login_required
def programme_effectiveness(request: HttpRequest, pk: int) -> HttpResponse:
    """Each action of the programme: its criteria and indicators before → after, the outcome, the verdict."""
    return _page(request, _programme_or_404(request, pk))


@login_required
@require_POST
def verdict_record(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    """Record or replace the verdict on one action; refused input comes back on the page, nothing lost."""
    programme = _programme_or_404(request, pk)
    action = programme.actions.filter(pk=action_id).first()
    if action is None:
        raise Http404(_("This action is not part of the programme."))
    form = VerdictForm(request.POST, prefix=f"a{action.pk}")
    form.is_valid()  # the form only translates: every rule is the service's
    try:
        services.verdict_record(
            actor=request.user,
            action=action,
            verdict=request.POST.get(form.add_prefix("verdict")),
            note=request.POST.get(form.add_prefix("note")),
        )
    except InvalidInput as exc:
        add_to_form(form, exc)
        return _page(request, programme, bound={action.pk: form}, status=exc.status)
    messages.success(request, _("Verdict recorded for action %(number)s.") % {"number": action.number})
    return redirect(reverse("improvement:effectiveness", args=[programme.pk]) + f"#action-{action.pk}")


@login_required
def unit_cycle(request: HttpRequest, key: str) -> HttpResponse:
    """The unit's cycle per campaign, with the cycles of the units it came from under their names as they stood."""
    unit = get_unit_for_user(request.user, key)
    if unit is None:
        raise Http404(_("Unit not found, or outside what your roles allow you to see."))
    visible = assessments_visible_to(request.user)
    items = list(selectors.cycle_assessments(unit, visible))
    nexts = selectors.next_assessments(items, visible)
    scores_refresh(Assessment.objects.filter(pk__in=selectors.assessments_to_refresh(items, nexts)))
    steps = selectors.unit_cycle(unit, items, nexts)
    context: dict[str, Any] = {
        "unit": unit,
        "steps": steps,
        "stages": [("short", Stage.SHORT.label), ("medium", Stage.MEDIUM.label), ("", _("Stage not set"))],
        "outcomes": Outcome,
        "verdicts": Verdict,
    }
    return render(request, "improvement/cycle.html", context)
