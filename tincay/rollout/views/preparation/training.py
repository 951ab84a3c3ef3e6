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
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import provinces_of
from tincay.rollout import access
from tincay.rollout.choices import TrainingLevel
from tincay.rollout.models import Rollout, RolloutUnit, TrainingSession
from tincay.rollout.selectors import preparation as selectors
from tincay.rollout.services import preparation as services
from tincay.rollout.views.preparation.lookups import managed, rollout_or_404, session_or_404, show_errors

CHECKBOX_LIMIT = 60  # up to this many units of a rollout, a session's units are ticked in a list; beyond, typed


class SessionForm(forms.Form):
    """A session's fields. Its units: ticked in a list for a rollout of up to ``CHECKBOX_LIMIT`` units; for a larger
    one (a province's or the country's communes) every unit, a province's units or unit codes typed, so that the
    page never lists thousands of boxes. Codes are resolved here; whether the units are in the rollout is the
    service's to check."""

    topic = forms.CharField(label=gettext_lazy("Topic"), required=False)
    held_on = forms.DateField(label=gettext_lazy("Date held"), required=False, help_text="dd/mm/yyyy")
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=TrainingLevel.choices)
    trainer = forms.CharField(label=gettext_lazy("Trainer"), required=False)
    place = forms.CharField(label=gettext_lazy("Place"), required=False)
    every_unit = forms.BooleanField(label=gettext_lazy("Every unit of the rollout"), required=False)
    units = forms.MultipleChoiceField(
        label=gettext_lazy("Units trained"), required=False, widget=forms.CheckboxSelectMultiple
    )
    province = forms.ChoiceField(label=gettext_lazy("Every unit of the rollout in a province"), required=False)
    unit_codes = forms.CharField(
        label=gettext_lazy("Codes of the units trained"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=gettext_lazy("Separated by spaces or commas; added to the province's units when one is chosen."),
    )
    materials = forms.MultipleChoiceField(
        label=gettext_lazy("Materials from the register"), required=False, widget=forms.CheckboxSelectMultiple
    )
    materials_note = forms.CharField(
        label=gettext_lazy("Materials (description or links)"), required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, *args: Any, rollout: Rollout, documents: list[Document], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.entries = RolloutUnit.objects.filter(rollout=rollout)
        self.document_objects = {str(d.pk): d for d in documents}
        self.fields["materials"].choices = [(str(d.pk), str(d)) for d in documents]
        self.few = self.entries.count() <= CHECKBOX_LIMIT
        if self.few:
            units = [e.unit for e in self.entries.select_related("unit").order_by("unit__sort_key")]
            self.unit_objects = {u.key: u for u in units}
            self.fields["units"].choices = [(u.key, u.name) for u in units]
            del self.fields["province"], self.fields["unit_codes"]
        else:
            self.provinces = {p.key: p for p in provinces_of(self.entries)}
            self.fields["province"].choices = [("", "—"), *((p.key, p.name) for p in self.provinces.values())]
            del self.fields["units"]

    def _chosen_units(self, data: dict[str, Any]) -> list[Any]:
        if data["every_unit"]:
            return [e.unit for e in self.entries.select_related("unit").order_by("unit__sort_key")]
        if self.few:
            return [self.unit_objects[k] for k in data["units"]]
        chosen: dict[str, Any] = {}
        province = self.provinces.get(data["province"])
        if province is not None:
            in_province = self.entries.filter(unit__path__startswith=province.path).select_related("unit")
            chosen.update((e.unit.key, e.unit) for e in in_province.order_by("unit__sort_key"))
        codes = [c for c in data["unit_codes"].replace(",", " ").split() if c not in chosen]
        found = {u.key: u for u in AdminUnit.objects.filter(key__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                {"unit_codes": _("No unit has these codes: %(codes)s") % {"codes": ", ".join(unknown[:20])}}
            )
        chosen.update((c, found[c]) for c in codes)
        return list(chosen.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            data["chosen_units"] = self._chosen_units(data)
        return data

    def service_errors(self, error: InvalidInput) -> InvalidInput:
        """The service names the units ``units``; on a large rollout's form they were typed in ``unit_codes``."""
        if self.few:
            return error
        return InvalidInput({("unit_codes" if k == "units" else k): v for k, v in error.errors.items()})

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "units": data["chosen_units"],
            "held_on": data["held_on"],
            "trainer": data["trainer"],
            "topic": data["topic"],
            "level": data["level"],
            "place": data["place"],
            "materials": [self.document_objects[k] for k in data["materials"]],
            "materials_note": data["materials_note"],
        }


def _session_form(request: HttpRequest, rollout: Rollout, session: TrainingSession | None = None) -> SessionForm:
    chosen = list(session.materials.all()) if session else []
    register = Document.objects.filter(unit_id=rollout.owner_unit_id).order_by("-issued_on", "title")[:200]
    documents = list({d.pk: d for d in [*register, *chosen]}.values())
    initial: dict[str, Any] = {"level": TrainingLevel.BASIC}
    if session is not None:
        keys = list(session.units.order_by("sort_key").values_list("key", flat=True))
        initial = {
            "topic": session.topic,
            "held_on": session.held_on,
            "level": session.level,
            "trainer": session.trainer,
            "place": session.place,
            "units": keys,
            "unit_codes": " ".join(keys),
            "materials": [str(d.pk) for d in chosen],
            "materials_note": session.materials_note,
        }
    return SessionForm(request.POST or None, rollout=rollout, documents=documents, initial=initial)


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
                status = show_errors(form, form.service_errors(exc))
            else:
                messages.success(request, _("Training session recorded."))
                return redirect("rollout:training_session", code=rollout.code, pk=session.pk)
    untrained_only = request.GET.get("untrained") == "1"
    overview = selectors.training_overview(
        rollout,
        access.entries_visible_to(request.user, rollout),
        everything=can_manage,
        page=request.GET.get("page"),
        untrained_only=untrained_only,
    )
    return render(
        request,
        "rollout/training_list.html",
        {
            "rollout": rollout,
            "overview": overview,
            "form": form,
            "can_manage": can_manage,
            "untrained_only": untrained_only,
            "query": "untrained=1" if untrained_only else "",
        },
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
            status = show_errors(form, form.service_errors(exc))
        else:
            messages.success(request, _("Training session saved."))
            return redirect("rollout:training_session", code=rollout.code, pk=session.pk)
    return render(
        request, "rollout/training_edit.html", {"rollout": rollout, "session": session, "form": form}, status=status
    )


SELECT_LIMIT = 200  # up to this many units of a session, the attendee's unit is picked from a list; beyond, typed


class AttendanceForm(forms.Form):
    """An attendee typed by the organiser. The unit is picked from the session's units, or typed by its code for a
    session of more than ``SELECT_LIMIT`` units; whether the session trains it is the service's to check."""

    name = forms.CharField(label=gettext_lazy("Full name"), required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Unit"))
    position = forms.CharField(label=gettext_lazy("Position"), required=False)
    username = forms.CharField(
        label=gettext_lazy("User name (if the person has an account)"),
        required=False,
        help_text=gettext_lazy("With a user name the person is counted once, also if they sign in with the code."),
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any):
        super().__init__(*args, **kwargs)
        units = list(session.units.order_by("sort_key")[: SELECT_LIMIT + 1])
        if len(units) <= SELECT_LIMIT:
            self.fields["unit"].choices = [("", "—"), *((u.key, u.name) for u in units)]
        else:
            self.fields["unit"] = forms.CharField(
                label=gettext_lazy("Unit code"), help_text=gettext_lazy("The code of one of the units trained.")
            )

    def clean_unit(self) -> Any:
        key = self.cleaned_data["unit"].strip()
        unit = AdminUnit.objects.filter(key=key).first()
        if unit is None:
            raise forms.ValidationError(_("No unit has this code: check it."))
        return unit

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
    visible = None if can_manage else entries.values("unit_id")
    detail = selectors.session_detail(session, visible, page=request.GET.get("page"))
    form = AttendanceForm(request.POST or None, session=session) if can_manage else None
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
                    unit=form.cleaned_data["unit"],
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
