"""Adapting a survey's questions (until its first real answer) and its printable QR poster.

The coordinator rewords a question, says whether it must be answered and what it measures in the framework (an
indicator, or a measured criterion that the closed survey's aggregate will feed), removes a question or adds one of
the unit's own (a scale, one or several choices, a number, free text). The services
(``services.surveys.survey_question_*``) decide and check; a refused form comes back with what was typed.
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tincay.catalogue.choices import CriterionType, VersionStatus
from tincay.catalogue.models import Criterion, Indicator
from tincay.common.errors import InvalidInput, add_to_form
from tincay.feedback import access
from tincay.feedback.choices import Aspect, QuestionKind, SurveyStatus
from tincay.feedback.models import Response, Survey, SurveyQuestion
from tincay.feedback.services.surveys import survey_question_add, survey_question_remove, survey_question_update
from tincay.feedback.views import _survey

MEASURES_HELP = gettext_lazy(
    "An indicator (3.1) to show the answers with it, or a measured criterion (3.1.5) that the closed survey "
    "gives its value; empty for none."
)


class QuestionForm(forms.Form):
    text_vi = forms.CharField(
        label=gettext_lazy("Question (Vietnamese)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    text_en = forms.CharField(label=gettext_lazy("Question (English)"), max_length=500, required=False)
    required = forms.BooleanField(label=gettext_lazy("Must be answered"), required=False)
    measures = forms.CharField(
        label=gettext_lazy("Measures (indicator or criterion)"), max_length=30, required=False, help_text=MEASURES_HELP
    )


class NewQuestionForm(QuestionForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind of question"), choices=QuestionKind.choices)
    factor_key = forms.ChoiceField(label=gettext_lazy("Factor"), required=False)
    aspect = forms.ChoiceField(label=gettext_lazy("Aspect"), choices=Aspect.choices, initial=Aspect.OTHER)
    options = forms.CharField(
        label=gettext_lazy("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Only for a choice question: from 2 to 12 options."),
    )
    field_order = ["kind", "text_vi", "text_en", "options", "factor_key", "aspect", "required", "measures"]

    def __init__(self, *args: Any, factors: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor_key"].choices = [("", _("None")), *factors]


def _factors(questions: list[SurveyQuestion]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for q in questions:
        if q.factor_key and q.factor_key not in seen:
            seen[q.factor_key] = q.factor_vi
    return list(seen.items())


def _codes(survey: Survey) -> list[tuple[str, str]]:
    """Codes a question may measure, for the field's suggestions: the indicators and the measured criteria."""
    scope = (
        {"version_id": survey.campaign.version_id} if survey.campaign_id else {"version__status": VersionStatus.ISSUED}
    )
    codes = dict(Indicator.objects.filter(**scope).order_by("order").values_list("code", "title_vi"))
    codes.update(
        Criterion.objects.filter(type=CriterionType.PERFORMANCE, **scope)
        .order_by("order")
        .values_list("code", "title_vi")
    )
    return sorted(codes.items(), key=lambda item: [int(part) for part in item[0].split(".")])


def _page(
    request: HttpRequest,
    survey: Survey,
    *,
    bound: tuple[str, QuestionForm] | None = None,
    new: NewQuestionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    questions = list(survey.questions.order_by("order", "pk"))
    locked = survey.status == SurveyStatus.CLOSED or Response.objects.filter(survey=survey, test=False).exists()
    can_adapt = access.can_manage_survey(request.user, survey) and not locked
    rows = []
    for q in questions:
        form = None
        if can_adapt:
            form = (
                bound[1]
                if bound and bound[0] == q.key
                else QuestionForm(
                    prefix=q.key,
                    initial={
                        "text_vi": q.text_vi,
                        "text_en": q.text_en,
                        "required": q.required,
                        "measures": q.measures,
                    },
                )
            )
        rows.append({"question": q, "form": form})
    context = {
        "survey": survey,
        "rows": rows,
        "locked": locked,
        "can_adapt": can_adapt,
        "new": (new or NewQuestionForm(prefix="new", factors=_factors(questions))) if can_adapt else None,
        "codes": _codes(survey) if can_adapt else [],
    }
    return render(request, "feedback/questions.html", context, status=status)


@login_required
def questions(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _survey(request, pk))


@login_required
@require_POST
def question_update(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    survey = _survey(request, pk)
    question = get_object_or_404(SurveyQuestion, survey=survey, key=key)
    form = QuestionForm(request.POST, prefix=key)
    if form.is_valid():
        data = form.cleaned_data
        try:
            survey_question_update(
                actor=request.user,
                question=question,
                text_vi=data["text_vi"],
                text_en=data["text_en"],
                required=data["required"],
                measures=data["measures"],
            )
        except InvalidInput as exc:
            add_to_form(form, exc)
            return _page(request, survey, bound=(key, form), status=exc.status)
        messages.success(request, _("Question saved."))
        return redirect(reverse("feedback:questions", args=[survey.pk]) + f"#q-{key}")
    return _page(request, survey, bound=(key, form), status=400)


@login_required
@require_POST
def question_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    survey = _survey(request, pk)
    question = get_object_or_404(SurveyQuestion, survey=survey, key=key)
    try:
        survey_question_remove(actor=request.user, question=question)
    except InvalidInput as exc:
        for message in (m for found in exc.errors.values() for m in found):
            messages.error(request, str(message))
    else:
        messages.success(request, _("Question removed."))
    return redirect("feedback:questions", pk=survey.pk)


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    factors = _factors(list(survey.questions.all()))
    form = NewQuestionForm(request.POST, prefix="new", factors=factors)
    if form.is_valid():
        data = form.cleaned_data
        lines = [line.strip() for line in data["options"].splitlines() if line.strip()]
        try:
            question = survey_question_add(
                actor=request.user,
                survey=survey,
                kind=data["kind"],
                text_vi=data["text_vi"],
                text_en=data["text_en"],
                options=lines,
                required=data["required"],
                measures=data["measures"],
                factor_key=data["factor_key"],
                aspect=data["aspect"],
            )
        except InvalidInput as exc:
            add_to_form(form, exc)
            return _page(request, survey, new=form, status=exc.status)
        messages.success(request, _("Question added."))
        return redirect(reverse("feedback:questions", args=[survey.pk]) + f"#q-{question.key}")
    return _page(request, survey, new=form, status=400)


@login_required
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """A page to print and put up at the one-stop counter: the unit, what is asked, the QR code of the public
    link (``?via=qr``, so that its answers count under the QR channel) and the link written out."""
    survey = _survey(request, pk)
    link = request.build_absolute_uri(reverse("survey:answer", args=[survey.public_code])) + "?via=qr"
    code = segno.make(link, error="m")
    svg = code.svg_inline(scale=8, border=2, omitsize=True, title=_("QR code of the survey"), svgclass="qr-code")
    svg = svg.replace("<svg ", '<svg role="img" ', 1)  # named by its <title>
    return render(request, "feedback/poster.html", {"survey": survey, "link": link, "svg": svg})
