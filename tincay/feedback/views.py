"""The coordinator's survey pages: the surveys of the units one sees, a new survey from a template, one survey's
state (its public link, how many answers came in by channel, open and close, one-use slips to print) and, once
closed, its results.

The services decide who may change what (``services.surveys``); these pages translate the forms, call them and
show their errors with what was typed kept. Results exist for nobody before the survey closes.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments.access import campaigns_visible_to
from tincay.assessments.models import Campaign
from tincay.common.errors import InvalidInput, add_to_form
from tincay.feedback import access
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.models import SurveyTemplate
from tincay.feedback.selectors.compare import survey_comparison
from tincay.feedback.selectors.results import results_for_user, survey_channels
from tincay.feedback.services.measures import measured_from
from tincay.feedback.services.surveys import (
    survey_create,
    survey_status_set,
    survey_tokens_issue,
    survey_tokens_register,
)
from tincay.orgunits.access import get_unit_for_user

PAGE_SIZE = 50


class SurveyForm(forms.Form):
    unit_key = forms.CharField(label=gettext_lazy("Unit code"), max_length=40)
    template = forms.ModelChoiceField(label=gettext_lazy("Template"), queryset=SurveyTemplate.objects.all())
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=gettext_lazy("None (a survey of its own)"),
        help_text=gettext_lazy(
            "In a campaign, the closed survey gives its value to the criteria its questions measure in the unit's "
            "assessment."
        ),
    )
    title_vi = forms.CharField(label=gettext_lazy("Title (Vietnamese)"), max_length=300, required=False)
    min_responses = forms.IntegerField(
        label=gettext_lazy("Fewest answers before a figure is shown"),
        initial=10,
        help_text=gettext_lazy("Figures from fewer answers are hidden, so that no one can be recognised."),
    )


class TokensForm(forms.Form):
    count = forms.IntegerField(label=gettext_lazy("Number of slips"), initial=50)


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    """The surveys of the units the person sees, newest first, with their answers so far (not their results)."""
    found = access.surveys_visible_to(request.user).annotate(
        answers=Count("responses", filter=Q(responses__test=False))
    )
    page = Paginator(found.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feedback/surveys.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, initial={"template": SurveyTemplate.objects.filter(code="sipas").first()})
    form.fields["campaign"].queryset = campaigns_visible_to(request.user).order_by("-year", "code")
    status = 200
    if request.method == "POST" and form.is_valid():
        unit = get_unit_for_user(request.user, form.cleaned_data["unit_key"].strip())
        if unit is None:
            form.add_error("unit_key", _("No unit with this code within your scope."))
        else:
            try:
                survey = survey_create(
                    actor=request.user,
                    unit=unit,
                    template=form.cleaned_data["template"],
                    campaign=form.cleaned_data["campaign"],
                    title_vi=form.cleaned_data["title_vi"],
                    min_responses=form.cleaned_data["min_responses"],
                )
            except InvalidInput as exc:
                add_to_form(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The survey is ready as a draft: try it in test mode, then open it."))
                return redirect("feedback:survey", pk=survey.pk)
    return render(request, "feedback/survey_new.html", {"form": form}, status=status)


def _survey(request: HttpRequest, pk: int):
    survey = access.get_survey_for_user(request.user, pk)
    if survey is None:
        raise Http404(_("Survey not found within your scope."))
    return survey


def _channels(survey) -> list[tuple[Any, int]]:
    _total, counts = survey_channels(survey)
    return [(label, counts.get(value, 0)) for value, label in Channel.choices]


@login_required
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    return _survey_page(request, _survey(request, pk))


def _survey_page(request: HttpRequest, found: Any, *, dossiers: str = "", status: int = 200) -> HttpResponse:
    channels = _channels(found)
    link = request.build_absolute_uri(reverse("survey:answer", args=[found.public_code]))
    context = {
        "survey": found,
        "channels": channels,
        "total": sum(n for _label, n in channels),
        "link": link,
        "can_manage": access.can_manage_survey(request.user, found),
        "can_read_responses": access.can_read_responses(request.user, found),
        "next": _next_states(found),
        "results": results_for_user(request.user, found),
        "measured": measured_from(found) if found.status == SurveyStatus.CLOSED else [],
        "tokens_form": TokensForm(),
        "dossiers": dossiers,
    }
    return render(request, "feedback/survey.html", context, status=status)


def _next_states(found) -> list[tuple[str, Any]]:
    order = {
        SurveyStatus.DRAFT: [SurveyStatus.TEST, SurveyStatus.OPEN],
        SurveyStatus.TEST: [SurveyStatus.OPEN, SurveyStatus.DRAFT],
        SurveyStatus.OPEN: [SurveyStatus.CLOSED],
        SurveyStatus.CLOSED: [],
    }
    return [(state.value, state.label) for state in order[SurveyStatus(found.status)]]


@login_required
@require_POST
def survey_state(request: HttpRequest, pk: int) -> HttpResponse:
    found = _survey(request, pk)
    try:
        survey_status_set(
            actor=request.user, survey=found, status=request.POST.get("status"), reason=request.POST.get("reason", "")
        )
    except InvalidInput as exc:
        for message in (m for messages_ in exc.errors.values() for m in messages_):
            messages.error(request, str(message))
    else:
        state = _survey(request, pk).get_status_display().lower()
        messages.success(request, _("The survey is now %(status)s.") % {"status": state})
    return redirect("feedback:survey", pk=found.pk)


@login_required
@require_POST
def survey_tokens(request: HttpRequest, pk: int) -> HttpResponse:
    """New one-use slips, shown once to print (only their SHA-256 is kept)."""
    found = _survey(request, pk)
    form = TokensForm(request.POST)
    codes: list[str] = []
    if form.is_valid():
        try:
            codes = survey_tokens_issue(actor=request.user, survey=found, count=form.cleaned_data["count"])
        except InvalidInput as exc:
            add_to_form(form, exc)
    if not codes:
        for message in (str(e) for errors in form.errors.values() for e in errors):
            messages.error(request, message)
        return redirect("feedback:survey", pk=found.pk)
    link = request.build_absolute_uri(reverse("survey:answer", args=[found.public_code])) + "?via=token"
    return render(request, "feedback/tokens.html", {"survey": found, "codes": codes, "link": link})


@login_required
def survey_compare(request: HttpRequest, pk: int) -> HttpResponse:
    """A closed survey beside the unit's earlier surveys (through lineage) and the other units' of its campaign."""
    found = _survey(request, pk)
    comparison = survey_comparison(request.user, found)
    if comparison is None:
        raise Http404(_("Results are shown only once the survey is closed."))
    return render(request, "feedback/compare.html", {"survey": found, "c": comparison})


@login_required
@require_POST
def survey_dossiers(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the dossier codes of cases handled at the counter as one-use codes (one per line)."""
    found = _survey(request, pk)
    lines = [line.strip() for line in request.POST.get("codes", "").splitlines() if line.strip()]
    try:
        count = survey_tokens_register(actor=request.user, survey=found, codes=lines)
    except InvalidInput as exc:
        for message in (m for found_messages in exc.errors.values() for m in found_messages):
            messages.error(request, str(message))
        return _survey_page(request, found, dossiers=request.POST.get("codes", ""), status=exc.status)
    messages.success(
        request,
        ngettext(
            "%(n)d dossier code registered: its holder can answer once with it.",
            "%(n)d dossier codes registered: each holder can answer once with their code.",
            count,
        )
        % {"n": count},
    )
    return redirect("feedback:survey", pk=found.pk)
