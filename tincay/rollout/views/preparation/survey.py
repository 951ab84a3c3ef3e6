"""Questionnaire editor, a unit's answers (drafts, submission, reopening) and the side-by-side comparison."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tincay.common.errors import InvalidInput
from tincay.common.i18n import localized
from tincay.common.numbers import show_number
from tincay.common.text import fold, printable
from tincay.rollout import access
from tincay.rollout.choices import QuestionKind
from tincay.rollout.models import Rollout, SurveyQuestion
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services
from tincay.rollout.views.preparation.lookups import entry_or_404, managed, rollout_or_404, show_errors

# ---------------------------------------------------------------------------------------------- questionnaire


class QuestionForm(forms.Form):
    text_vi = forms.CharField(label=gettext_lazy("Question (Vietnamese)"), required=False)
    text_en = forms.CharField(label=gettext_lazy("Question (English)"), required=False)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        required=False,
        help_text=gettext_lazy("A short stable name: lower-case letters without accents, digits, - and _."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind of answer"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "For one or several choices: one option per line, as key | Vietnamese | English "
            "(a line with only the Vietnamese text gets a key made from it)."
        ),
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required to submit"), required=False)
    profile_key = forms.CharField(
        label=gettext_lazy("Profile entry"),
        required=False,
        help_text=gettext_lazy("The entry of the unit's profile the submitted answer fills (leave empty for none)."),
    )
    help_vi = forms.CharField(
        label=gettext_lazy("Help (Vietnamese)"), required=False, widget=forms.Textarea({"rows": 2})
    )
    help_en = forms.CharField(label=gettext_lazy("Help (English)"), required=False, widget=forms.Textarea({"rows": 2}))

    @staticmethod
    def initial_from(question: SurveyQuestion) -> dict[str, Any]:
        lines = [" | ".join(p for p in (o["key"], o["vi"], o.get("en", "")) if p) for o in question.options]
        return {
            "text_vi": question.text_vi,
            "text_en": question.text_en,
            "key": question.key,
            "kind": question.kind,
            "options": "\n".join(lines),
            "required": question.required,
            "profile_key": question.profile_key,
            "help_vi": question.help_vi,
            "help_en": question.help_en,
        }


def _parse_options(text: str) -> list[dict[str, str]]:
    """Lines "key | Vietnamese | English", "key | Vietnamese" or just "Vietnamese" (key made from it)."""
    options = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        if len(parts) == 1:
            parts = [slugify(fold(parts[0]))[:60], parts[0]]
        options.append({"key": parts[0], "vi": parts[1], "en": " | ".join(parts[2:])})
    return options


def _question_args(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": data["key"],
        "text_vi": data["text_vi"],
        "text_en": data["text_en"],
        "help_vi": data["help_vi"],
        "help_en": data["help_en"],
        "kind": data["kind"],
        "options": _parse_options(data["options"]),
        "required": data["required"],
        "profile_key": data["profile_key"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def survey_editor(request: HttpRequest, code: str) -> HttpResponse:
    rollout = managed(request, code)
    form = QuestionForm(request.POST or None, initial={"required": True, "kind": QuestionKind.TEXT})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                actor=request.user, rollout=rollout, **_question_args(form.cleaned_data)
            )
        except InvalidInput as exc:
            status = show_errors(form, exc)
        else:
            messages.success(request, _("Question added: %(text)s") % {"text": question.text_vi})
            return redirect("rollout:survey_editor", code=rollout.code)
    questions = selectors.survey_questions(rollout)
    return render(
        request,
        "rollout/survey_editor.html",
        {
            "rollout": rollout,
            "questions": [(q, [selectors.option_label(o) for o in q.options]) for q in questions],
            "locked": services.questions_locked(rollout),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def survey_use_default(request: HttpRequest, code: str) -> HttpResponse:
    rollout = managed(request, code)
    try:
        created = services.questionnaire_use_default(actor=request.user, rollout=rollout)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(n)s default questions added.") % {"n": len(created)})
    return redirect("rollout:survey_editor", code=rollout.code)


def _question_or_404(rollout: Rollout, pk: int) -> SurveyQuestion:
    question = SurveyQuestion.objects.filter(rollout=rollout, pk=pk).first()
    if question is None:
        raise Http404(_("This question is not in the questionnaire."))
    return question


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = managed(request, code)
    question = _question_or_404(rollout, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_from(question))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.user, rollout=rollout, question=question, **_question_args(form.cleaned_data)
            )
        except InvalidInput as exc:
            status = show_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("rollout:survey_editor", code=rollout.code)
    return render(
        request,
        "rollout/survey_question.html",
        {"rollout": rollout, "question": question, "form": form, "locked": services.questions_locked(rollout)},
        status=status,
    )


@login_required
@require_POST
def question_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = managed(request, code)
    question = _question_or_404(rollout, pk)
    try:
        services.question_delete(actor=request.user, rollout=rollout, question=question)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Question deleted: %(text)s") % {"text": question.text_vi})
    return redirect("rollout:survey_editor", code=rollout.code)


@login_required
@require_POST
def question_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = managed(request, code)
    question = _question_or_404(rollout, pk)
    try:
        services.question_move(
            actor=request.user, rollout=rollout, question=question, direction=request.POST.get("direction", "")
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect(reverse("rollout:survey_editor", args=[rollout.code]) + f"#question-{question.pk}")


@login_required
def survey_compare(request: HttpRequest, code: str) -> HttpResponse:
    """The totals per question over every visible unit, and a page of units (filtered by name, submitted only)."""
    rollout = rollout_or_404(request, code)
    entries = access.entries_visible_to(request.user, rollout)
    name = printable(request.GET.get("q", "")).strip()[:100]
    submitted_only = request.GET.get("submitted") in ("1", "on", "true")
    query = urlencode({k: v for k, v in {"q": name, "submitted": "1" if submitted_only else ""}.items() if v})
    return render(
        request,
        "rollout/survey_compare.html",
        {
            "rollout": rollout,
            "comparison": selectors.survey_comparison(
                rollout, entries, page=request.GET.get("page"), name=name, submitted_only=submitted_only
            ),
            "filters": {"name": name, "submitted": submitted_only},
            "query": query,
            "can_manage": access.can_manage_rollout(request.user, rollout),
        },
    )


# ---------------------------------------------------------------------------------------------- a unit's answers

YES_NO = [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


def _field_name(question: SurveyQuestion) -> str:
    return f"q_{question.key}"


class SurveyAnswerForm(forms.Form):
    """One field per question; nothing is required here (drafts): the service checks answers on submit."""

    def __init__(self, *args: Any, questions: list[SurveyQuestion], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for q in questions:
            options = [(o["key"], selectors.option_label(o)) for o in q.options]
            label = localized(q, "text")
            help_text = localized(q, "help")
            if q.kind == QuestionKind.TEXT:
                field: forms.Field = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
            elif q.kind == QuestionKind.YES_NO:
                field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect)
            elif q.kind == QuestionKind.CHOICE:
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect)
            elif q.kind == QuestionKind.MULTI:
                field = forms.MultipleChoiceField(choices=options, widget=forms.CheckboxSelectMultiple)
            else:
                field = forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
            field.required = False
            field.label, field.help_text = label, help_text
            field.question = q  # type: ignore[attr-defined]
            self.fields[_field_name(q)] = field

    @staticmethod
    def initial_from(questions: list[SurveyQuestion], answers: dict[str, Any]) -> dict[str, Any]:
        initial = {}
        for q in questions:
            value = answers.get(q.key)
            if q.kind == QuestionKind.YES_NO and isinstance(value, bool):
                value = "yes" if value else "no"
            elif q.kind == QuestionKind.NUMBER and isinstance(value, int | float):
                value = show_number(value)
            initial[_field_name(q)] = value
        return initial

    def answers(self) -> dict[str, Any]:
        return {q.key: self.cleaned_data.get(_field_name(q)) for q in self.questions}

    def service_errors(self, error: InvalidInput) -> InvalidInput:
        keys = {q.key for q in self.questions}
        return InvalidInput({(f"q_{name}" if name in keys else name): msgs for name, msgs in error.errors.items()})


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why the unit must change its answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, code: str, key: str) -> HttpResponse:
    rollout = rollout_or_404(request, code)
    entry = entry_or_404(request, rollout, key)
    can_answer = access.can_answer_survey(request.user, entry)
    questions, answers = selectors.survey_of_entry(entry)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=SurveyAnswerForm.initial_from(questions, answers),
    )
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied(_("Only the unit's leader or focal point answer its survey."))
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.survey_answers_save(actor=request.user, entry=entry, answers=form.answers(), submit=submit)
            except InvalidInput as exc:
                status = show_errors(form, form.service_errors(exc))
            else:
                if submit:
                    messages.success(request, _("Survey submitted: the unit's profile is updated."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("rollout:survey_answer", code=rollout.code, key=entry.unit.key)
    return render(
        request,
        "rollout/survey_answer.html",
        {
            "rollout": rollout,
            "entry": entry,
            "form": form,
            "readonly": entry.survey_submitted_at is not None or not can_answer,
            "shown": [(q, selectors.answer_display(q, answers.get(q.key))) for q in questions],
            "can_answer": can_answer,
            "can_manage": access.can_manage_rollout(request.user, rollout),
            "reopen_form": ReopenForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_reopen(request: HttpRequest, code: str, key: str) -> HttpResponse:
    rollout = managed(request, code)
    entry = entry_or_404(request, rollout, key)
    form = ReopenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_reopen(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            status = show_errors(form, exc)
        else:
            messages.success(request, _("Survey reopened: the unit can change its answers and submit again."))
            return redirect("rollout:survey_answer", code=rollout.code, key=entry.unit.key)
    return render(
        request, "rollout/survey_reopen.html", {"rollout": rollout, "entry": entry, "form": form}, status=status
    )
