"""Pages of phases 1–2: the questionnaire editor, a unit's survey, the side-by-side comparison, training sessions,
their attendance (by name, and the big code shown in the room) and the page where an official types the code.

The pages translate form input into the services' arguments and show their errors next to the fields; every rule
is in ``rollout.services.preparation``. Everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments.models import Document
from tincay.common.errors import InvalidInput, add_to_form
from tincay.common.i18n import localized
from tincay.common.numbers import show_number
from tincay.common.text import fold
from tincay.rollout import access
from tincay.rollout.choices import QuestionKind, TrainingLevel
from tincay.rollout.models import Rollout, RolloutUnit, SurveyQuestion, TrainingSession
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services

# ---------------------------------------------------------------------------------------------- lookups


def _rollout_or_404(request: HttpRequest, code: str) -> Rollout:
    rollout = access.get_rollout_for_user(request.user, code)
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    return rollout


def _managed(request: HttpRequest, code: str) -> Rollout:
    rollout = _rollout_or_404(request, code)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    return rollout


def _entry_or_404(request: HttpRequest, rollout: Rollout, key: str) -> RolloutUnit:
    entry = access.entries_visible_to(request.user, rollout).filter(unit__key=key).first()
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    entry.rollout = rollout
    return entry


def _session_or_404(request: HttpRequest, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession:
    sessions = TrainingSession.objects.filter(rollout=rollout, pk=pk)
    if not everything:
        visible = access.entries_visible_to(request.user, rollout).values("unit_id")
        sessions = sessions.filter(units__in=visible).distinct()
    session = sessions.first()
    if session is None:
        raise Http404(_("This training session does not exist or is not visible to you."))
    session.rollout = rollout
    return session


def _show(form: forms.Form, error: InvalidInput) -> int:
    add_to_form(form, error)
    return 403 if error.status == 403 else 200


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
    rollout = _managed(request, code)
    form = QuestionForm(request.POST or None, initial={"required": True, "kind": QuestionKind.TEXT})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                actor=request.user, rollout=rollout, **_question_args(form.cleaned_data)
            )
        except InvalidInput as exc:
            status = _show(form, exc)
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
    rollout = _managed(request, code)
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
    rollout = _managed(request, code)
    question = _question_or_404(rollout, pk)
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_from(question))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                actor=request.user, rollout=rollout, question=question, **_question_args(form.cleaned_data)
            )
        except InvalidInput as exc:
            status = _show(form, exc)
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
    rollout = _managed(request, code)
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
    rollout = _managed(request, code)
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
    rollout = _rollout_or_404(request, code)
    entries = access.entries_visible_to(request.user, rollout)
    return render(
        request,
        "rollout/survey_compare.html",
        {
            "rollout": rollout,
            "comparison": selectors.survey_comparison(rollout, entries),
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
    rollout = _rollout_or_404(request, code)
    entry = _entry_or_404(request, rollout, key)
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
                status = _show(form, form.service_errors(exc))
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
    rollout = _managed(request, code)
    entry = _entry_or_404(request, rollout, key)
    form = ReopenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_reopen(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Survey reopened: the unit can change its answers and submit again."))
            return redirect("rollout:survey_answer", code=rollout.code, key=entry.unit.key)
    return render(
        request, "rollout/survey_reopen.html", {"rollout": rollout, "entry": entry, "form": form}, status=status
    )


# ---------------------------------------------------------------------------------------------- training


class SessionForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False)
    held_on = forms.DateField(label=gettext_lazy("Date"), required=False, help_text="dd/mm/yyyy")
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=TrainingLevel.choices)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), required=False)
    place = forms.CharField(label=gettext_lazy("Place"), required=False)
    every_unit = forms.BooleanField(label=gettext_lazy("Every unit of the rollout"), required=False)
    units = forms.MultipleChoiceField(
        label=gettext_lazy("Units trained"), required=False, widget=forms.CheckboxSelectMultiple
    )
    materials = forms.MultipleChoiceField(
        label=gettext_lazy("Materials from the register"), required=False, widget=forms.CheckboxSelectMultiple
    )
    materials_note = forms.CharField(
        label=gettext_lazy("Materials (description or links)"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, units: list[Any], documents: list[Document], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit_objects = {u.key: u for u in units}
        self.document_objects = {str(d.pk): d for d in documents}
        self.fields["units"].choices = [(u.key, u.name) for u in units]
        self.fields["materials"].choices = [(str(d.pk), str(d)) for d in documents]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        keys = list(self.unit_objects) if data["every_unit"] else data["units"]
        return {
            "units": [self.unit_objects[k] for k in keys],
            "held_on": data["held_on"],
            "trainer": data["trainer"],
            "topic": data["topic"],
            "level": data["level"],
            "place": data["place"],
            "materials": [self.document_objects[k] for k in data["materials"]],
            "materials_note": data["materials_note"],
        }


def _session_form(request: HttpRequest, rollout: Rollout, session: TrainingSession | None = None) -> SessionForm:
    units = [
        e.unit for e in RolloutUnit.objects.filter(rollout=rollout).select_related("unit").order_by("unit__sort_key")
    ]
    chosen = list(session.materials.all()) if session else []
    register = Document.objects.filter(unit_id=rollout.owner_unit_id).order_by("-issued_on", "title")[:200]
    documents = list({d.pk: d for d in [*register, *chosen]}.values())
    initial: dict[str, Any] = {"level": TrainingLevel.BASIC}
    if session is not None:
        initial = {
            "topic": session.topic,
            "held_on": session.held_on,
            "level": session.level,
            "trainer": session.trainer,
            "place": session.place,
            "units": [u.key for u in session.units.all()],
            "materials": [str(d.pk) for d in chosen],
            "materials_note": session.materials_note,
        }
    return SessionForm(request.POST or None, units=units, documents=documents, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def training_list(request: HttpRequest, code: str) -> HttpResponse:
    rollout = _rollout_or_404(request, code)
    can_manage = access.can_manage_rollout(request.user, rollout)
    form = _session_form(request, rollout) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the rollout's coordinators change this."))
        if form.is_valid():
            try:
                session = services.training_session_create(actor=request.user, rollout=rollout, **form.arguments())
            except InvalidInput as exc:
                status = _show(form, exc)
            else:
                messages.success(request, _("Training session recorded."))
                return redirect("rollout:training_session", code=rollout.code, pk=session.pk)
    overview = selectors.training_overview(
        rollout, access.entries_visible_to(request.user, rollout), everything=can_manage
    )
    return render(
        request,
        "rollout/training_list.html",
        {"rollout": rollout, "overview": overview, "form": form, "can_manage": can_manage},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = _managed(request, code)
    session = _session_or_404(request, rollout, pk, everything=True)
    form = _session_form(request, rollout, session)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.training_session_update(actor=request.user, session=session, **form.arguments())
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            messages.success(request, _("Training session saved."))
            return redirect("rollout:training_session", code=rollout.code, pk=session.pk)
    return render(
        request, "rollout/training_edit.html", {"rollout": rollout, "session": session, "form": form}, status=status
    )


class AttendanceForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Full name"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    position = forms.CharField(label=gettext_lazy("Position"), required=False)
    username = forms.CharField(
        label=gettext_lazy("User name (if the person has an account)"),
        required=False,
        help_text=gettext_lazy("With a user name the person is counted once, also if they sign in with the code."),
    )

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit_objects = {u.key: u for u in units}
        self.fields["unit"].choices = [("", "—"), *((u.key, u.name) for u in units)]

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active account has this user name."))
        return user


@login_required
@require_http_methods(["GET", "POST"])
def training_session(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = _rollout_or_404(request, code)
    can_manage = access.can_manage_rollout(request.user, rollout)
    entries = access.entries_visible_to(request.user, rollout)
    session = _session_or_404(request, rollout, pk, everything=can_manage)
    visible = None if can_manage else set(entries.values_list("unit_id", flat=True))
    detail = selectors.session_detail(session, visible)
    form = AttendanceForm(request.POST or None, units=detail.units) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the rollout's coordinators change this."))
        if form.is_valid():
            try:
                attendee = services.attendance_add(
                    actor=request.user,
                    session=session,
                    name=form.cleaned_data["name"],
                    unit=form.unit_objects.get(form.cleaned_data["unit"]),
                    position=form.cleaned_data["position"],
                    user=form.cleaned_data["username"],
                )
            except InvalidInput as exc:
                status = _show(
                    form, InvalidInput({("username" if k == "user" else k): v for k, v in exc.errors.items()})
                )
            else:
                messages.success(request, _("%(name)s added to the attendance list.") % {"name": attendee.name})
                return redirect("rollout:training_session", code=rollout.code, pk=session.pk)
    now = timezone.now()
    return render(
        request,
        "rollout/training_session.html",
        {
            "rollout": rollout,
            "detail": detail,
            "session": session,
            "form": form,
            "can_manage": can_manage,
            "code_open": bool(session.code_open_until and session.code_open_until > now),
        },
        status=status,
    )


@login_required
@require_POST
def attendance_remove(request: HttpRequest, code: str, pk: int, attendance: int) -> HttpResponse:
    rollout = _managed(request, code)
    session = _session_or_404(request, rollout, pk, everything=True)
    row = session.attendance.filter(pk=attendance).first()
    if row is None:
        raise Http404(_("This person is not on the attendance list."))
    try:
        services.attendance_remove(actor=request.user, attendance=row, reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(name)s removed from the attendance list.") % {"name": row.name})
    return redirect("rollout:training_session", code=rollout.code, pk=session.pk)


class CodeForm(forms.Form):
    minutes = forms.CharField(
        label=gettext_lazy("Valid for (minutes)"),
        required=False,
        initial="15",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_code(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The code to project in the room, big; a form opens a new one."""
    rollout = _managed(request, code)
    session = _session_or_404(request, rollout, pk, everything=True)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_code_open(actor=request.user, session=session, minutes=form.cleaned_data["minutes"])
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            return redirect("rollout:training_code", code=rollout.code, pk=session.pk)
    now = timezone.now()
    return render(
        request,
        "rollout/training_code.html",
        {
            "rollout": rollout,
            "session": session,
            "form": form,
            "code_open": bool(session.code_open_until and session.code_open_until > now),
            "code_display": f"{session.attendance_code[:3]} {session.attendance_code[3:]}",
            "sign_in_url": request.build_absolute_uri(reverse("rollout:training_sign_in")),
            "attendees": session.attendance.count(),
        },
        status=status,
    )


@login_required
@require_POST
def training_code_close(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    rollout = _managed(request, code)
    session = _session_or_404(request, rollout, pk, everything=True)
    try:
        services.attendance_code_close(actor=request.user, session=session)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Attendance code closed."))
    return redirect("rollout:training_session", code=rollout.code, pk=session.pk)


class SignInForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Attendance code shown in the room"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def training_sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            attendance = services.attendance_sign_in(actor=request.user, code=form.cleaned_data["code"])
        except InvalidInput as exc:
            status = _show(form, exc)
        else:
            session = attendance.session
            messages.success(
                request,
                _("Your attendance is recorded: %(topic)s, %(date)s, for %(unit)s.")
                % {"topic": session.topic, "date": session.held_on.strftime("%d/%m/%Y"), "unit": attendance.unit.name},
            )
            return redirect("rollout:training_sign_in")
    return render(request, "rollout/training_sign_in.html", {"form": form}, status=status)
