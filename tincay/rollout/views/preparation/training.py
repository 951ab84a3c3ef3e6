"""Training sessions, attendance by name, the code shown in the room and the page where an official types it."""

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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments.models import Document
from tincay.common.errors import InvalidInput
from tincay.rollout import access
from tincay.rollout.choices import TrainingLevel
from tincay.rollout.models import Rollout, RolloutUnit, TrainingSession
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services
from tincay.rollout.views.preparation.lookups import managed, rollout_or_404, session_or_404, show_errors


class SessionForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), required=False)
    held_on = forms.DateField(label=gettext_lazy("Date held"), required=False, help_text="dd/mm/yyyy")
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
    rollout = rollout_or_404(request, code)
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
                status = show_errors(form, exc)
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
    rollout = managed(request, code)
    session = session_or_404(request, rollout, pk, everything=True)
    form = _session_form(request, rollout, session)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.training_session_update(actor=request.user, session=session, **form.arguments())
        except InvalidInput as exc:
            status = show_errors(form, exc)
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
    rollout = rollout_or_404(request, code)
    can_manage = access.can_manage_rollout(request.user, rollout)
    entries = access.entries_visible_to(request.user, rollout)
    session = session_or_404(request, rollout, pk, everything=can_manage)
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
                status = show_errors(
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
    rollout = managed(request, code)
    session = session_or_404(request, rollout, pk, everything=True)
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
    rollout = managed(request, code)
    session = session_or_404(request, rollout, pk, everything=True)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_code_open(actor=request.user, session=session, minutes=form.cleaned_data["minutes"])
        except InvalidInput as exc:
            status = show_errors(form, exc)
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
    rollout = managed(request, code)
    session = session_or_404(request, rollout, pk, everything=True)
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
            status = show_errors(form, exc)
        else:
            session = attendance.session
            messages.success(
                request,
                _("Your attendance is recorded: %(topic)s, %(date)s, for %(unit)s.")
                % {"topic": session.topic, "date": session.held_on.strftime("%d/%m/%Y"), "unit": attendance.unit.name},
            )
            return redirect("rollout:training_sign_in")
    return render(request, "rollout/training_sign_in.html", {"form": form}, status=status)
