"""Pages of the rollout tracker: the list of rollouts, opening one, the province board (units × phases) and its
CSV export, and one unit's entry (phase history, gates, moving and skipping phases, gates by hand, documents).

The pages translate form input into the services' arguments (``rollout.services.phases``) and show their errors
next to the fields, keeping what was typed; every rule is in the services. Everything works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tincay.assessments.access import campaigns_visible_to
from tincay.assessments.models import Document
from tincay.common.csv_export import csv_response
from tincay.common.errors import InvalidInput, add_to_form
from tincay.common.i18n import localized
from tincay.orgunits.models import AdminUnit
from tincay.rollout import access
from tincay.rollout.board_export import board_table
from tincay.rollout.gates import gate_label
from tincay.rollout.models import PhaseTemplate, Rollout
from tincay.rollout.selectors import board as selectors
from tincay.rollout.services import phases as services

DATE_HELP = "dd/mm/yyyy"

# ---------------------------------------------------------------------------------------------- forms


class RolloutForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60, help_text=gettext_lazy("e.g. hai-phong-2026"))
    title_vi = forms.CharField(label=gettext_lazy("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=gettext_lazy("Title (English)"), max_length=300, required=False)
    owner_unit = forms.CharField(
        label=gettext_lazy("Coordinating unit (code)"),
        max_length=40,
        help_text=gettext_lazy("The province (or district) whose units take part, e.g. 31 for Hải Phòng."),
    )
    template = forms.ChoiceField(label=gettext_lazy("Phase template"))
    campaign = forms.ChoiceField(label=gettext_lazy("Assessment campaign"), required=False)
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), help_text=DATE_HELP)
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), required=False, help_text=DATE_HELP)
    stuck_after_days = forms.IntegerField(
        label=gettext_lazy("Stuck after (days)"),
        required=False,
        help_text=gettext_lazy("Empty: the template's threshold."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [
            (t.pk, f"{t.title_vi} (v{t.version})") for t in PhaseTemplate.objects.order_by("code", "-version")
        ]
        self.fields["campaign"].choices = [("", _("— none —"))] + [
            (c.code, localized(c, "title")) for c in campaigns_visible_to(user).order_by("-year", "code")[:200]
        ]


class AddUnitsForm(forms.Form):
    unit_codes = forms.CharField(
        label=gettext_lazy("Unit codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Codes separated by spaces or commas."),
    )
    all_communes = forms.BooleanField(
        label=gettext_lazy("Every commune-level unit of today below the coordinating unit"), required=False
    )
    on = forms.DateField(label=gettext_lazy("Start of the first phase"), help_text=DATE_HELP)


def _phase_choices(board_phases: list) -> list[tuple[str, str]]:
    return [(p.key, f"{p.order}. {localized(p, 'title')}") for p in board_phases]


class MoveForm(forms.Form):
    prefix = "move"  # the entry page shows several forms: a prefix each keeps their ids (and labels) apart
    phase = forms.ChoiceField(label=gettext_lazy("Phase"))
    on = forms.DateField(label=gettext_lazy("Date"), help_text=DATE_HELP)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Required to go back, or to go on while gates are not met."),
    )

    def __init__(self, *args: Any, phases: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = _phase_choices(phases)


class SkipForm(MoveForm):
    prefix = "skip"
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class GateForm(forms.Form):
    prefix = "gate"
    gate = forms.ChoiceField(label=gettext_lazy("Gate"))
    met = forms.TypedChoiceField(
        label=gettext_lazy("Met?"),
        choices=[("yes", gettext_lazy("Met")), ("no", gettext_lazy("Not met"))],
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    document = forms.ChoiceField(label=gettext_lazy("Document from the unit's register"), required=False)

    def __init__(self, *args: Any, gates: list, documents: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gate"].choices = gates
        self.fields["document"].choices = _document_choices(documents)


def _document_choices(documents: list) -> list[tuple[str, str]]:
    return [("", _("— none —"))] + [
        (str(d.pk), f"{d.title}" + (f" ({d.number})" if d.number else "")) for d in documents
    ]


class DocumentsForm(forms.Form):
    prefix = "documents"
    steering_decision = forms.ChoiceField(label=gettext_lazy("Steering committee decision"), required=False)
    support_team_document = forms.ChoiceField(label=gettext_lazy("Support team decision"), required=False)
    report_document = forms.ChoiceField(label=gettext_lazy("Final report"), required=False)
    report_sent_on = forms.DateField(label=gettext_lazy("Final report sent on"), required=False, help_text=DATE_HELP)

    def __init__(self, *args: Any, documents: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in services.DOCUMENT_FIELDS:
            self.fields[name].choices = _document_choices(documents)


# ---------------------------------------------------------------------------------------------- lookups


def _rollout_or_404(request: HttpRequest, code: str) -> Rollout:
    rollout = access.get_rollout_for_user(request.user, code)
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    return rollout


def _refused(error: InvalidInput) -> None:
    if error.status == 403:
        raise PermissionDenied(error.message)


# ---------------------------------------------------------------------------------------------- list and new


@login_required
def rollout_index(request: HttpRequest) -> HttpResponse:
    rollouts = access.rollouts_visible_to(request.user).order_by("-starts_on", "code")
    return render(
        request,
        "rollout/index.html",
        {"rollouts": rollouts, "can_create": access.can_create_rollout(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def rollout_new(request: HttpRequest) -> HttpResponse:
    if not access.can_create_rollout(request.user):
        raise PermissionDenied(_("Only administrators and coordinators open rollouts."))
    initial = {
        "starts_on": timezone.localdate(),
        "template": PhaseTemplate.objects.order_by("code", "-version").first(),
    }
    if initial["template"]:
        initial["template"] = initial["template"].pk
    form = RolloutForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = AdminUnit.objects.filter(key=data["owner_unit"].strip()).first()
        try:
            if owner is None:
                raise InvalidInput({"owner_unit": [_("No unit has this code: check it.")]})
            rollout = services.rollout_create(
                actor=request.user,
                code=data["code"],
                title_vi=data["title_vi"],
                title_en=data["title_en"],
                owner_unit=owner,
                template=PhaseTemplate.objects.filter(pk=data["template"]).first(),
                campaign=campaigns_visible_to(request.user).filter(code=data["campaign"]).first()
                if data["campaign"]
                else None,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                stuck_after_days=data["stuck_after_days"],
            )
        except InvalidInput as exc:
            _refused(exc)
            add_to_form(form, exc)
        else:
            messages.success(request, _("Rollout opened: now add its units."))
            return redirect("rollout:board", code=rollout.code)
    return render(request, "rollout/new.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------- the board


def _board_page(
    request: HttpRequest, rollout: Rollout, add_form: AddUnitsForm | None = None, status: int = 200
) -> HttpResponse:
    phases = selectors.template_phases(rollout.template_id)
    filters = selectors.Filters.read(request.GET, phases)
    board = selectors.rollout_board(request.user, rollout, filters, page=request.GET.get("page"), phases=phases)
    can_manage = access.can_manage_rollout(request.user, rollout)
    if can_manage and add_form is None:
        add_form = AddUnitsForm(initial={"on": timezone.localdate()})
    return render(
        request,
        "rollout/board.html",
        {
            "rollout": rollout,
            "board": board,
            "can_manage": can_manage,
            "add_form": add_form if can_manage else None,
            "query": filters.query(),
        },
        status=status,
    )


@login_required
def rollout_board(request: HttpRequest, code: str) -> HttpResponse:
    return _board_page(request, _rollout_or_404(request, code))


@login_required
@require_POST
def rollout_add_units(request: HttpRequest, code: str) -> HttpResponse:
    rollout = _rollout_or_404(request, code)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    form = AddUnitsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        codes = [c.strip() for c in data["unit_codes"].replace(",", " ").split() if c.strip()]
        try:
            added = services.rollout_add_units_by_key(
                actor=request.user, rollout=rollout, keys=codes, all_communes=data["all_communes"], on=data["on"]
            )
        except InvalidInput as exc:
            _refused(exc)
            add_to_form(form, InvalidInput({("unit_codes" if k == "units" else k): v for k, v in exc.errors.items()}))
        else:
            messages.success(request, _("%(count)s units added to the rollout.") % {"count": len(added)})
            return redirect("rollout:board", code=rollout.code)
    return _board_page(request, rollout, form, status=400)


@login_required
def rollout_export(request: HttpRequest, code: str) -> HttpResponse:
    """The board as filtered, every row, as CSV (the XLSX of the same rows is in reports)."""
    rollout = _rollout_or_404(request, code)
    table = board_table(request.user, rollout, request.GET)
    return csv_response(f"{rollout.code}-board.csv", table.header, table.rows)


# ---------------------------------------------------------------------------------------------- one unit


def _entry_page(
    request: HttpRequest, rollout: Rollout, key: str, bound: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    view = selectors.entry_view(request.user, rollout, key)
    if view is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    phases = [pg.phase for pg in view.phases]
    can_manage = access.can_manage_rollout(request.user, rollout)
    can_documents = access.can_record_unit_documents(request.user, view.row.entry)
    today = timezone.localdate()
    gate_choices = [
        (g["key"], str(gate.label)) for pg in view.phases for g, gate in zip(pg.phase.gates, pg.gates, strict=True)
    ]
    entry = view.row.entry
    forms_: dict[str, forms.Form] = {}
    if can_manage:
        forms_["move"] = MoveForm(phases=phases, initial={"on": today})
        forms_["skip"] = SkipForm(phases=phases, initial={"on": today})
        forms_["gate"] = GateForm(gates=gate_choices, documents=view.documents)
    if can_documents:
        forms_["documents"] = DocumentsForm(
            documents=view.documents,
            initial={
                "steering_decision": entry.steering_decision_id or "",
                "support_team_document": entry.support_team_document_id or "",
                "report_document": entry.report_document_id or "",
                "report_sent_on": entry.report_sent_on,
            },
        )
    forms_.update(bound or {})
    return render(
        request,
        "rollout/entry.html",
        {
            "rollout": rollout,
            "view": view,
            "entry": entry,
            "row": view.row,
            "can_manage": can_manage,
            "can_documents": can_documents,
            "forms": forms_,
            "threshold": selectors.threshold_days(rollout),
        },
        status=status,
    )


@login_required
def rollout_entry(request: HttpRequest, code: str, key: str) -> HttpResponse:
    return _entry_page(request, _rollout_or_404(request, code), key)


def _entry_for_post(request: HttpRequest, code: str, key: str) -> tuple[Rollout, Any]:
    rollout = _rollout_or_404(request, code)
    entry = access.get_entry_for_user(request.user, rollout, key)
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    return rollout, entry


def _post(request: HttpRequest, code: str, key: str, name: str, form: forms.Form, call) -> HttpResponse:
    rollout, entry = _entry_for_post(request, code, key)
    if form.is_valid():
        try:
            call(entry, form.cleaned_data)
        except InvalidInput as exc:
            _refused(exc)
            add_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("rollout:entry", code=rollout.code, key=key)
    return _entry_page(request, rollout, key, {name: form}, status=400)


@login_required
@require_POST
def entry_move(request: HttpRequest, code: str, key: str) -> HttpResponse:
    rollout = _rollout_or_404(request, code)
    form = MoveForm(request.POST, phases=selectors.template_phases(rollout.template_id))
    return _post(
        request,
        code,
        key,
        "move",
        form,
        lambda entry, d: services.phase_enter(
            actor=request.user, entry=entry, phase=d["phase"], on=d["on"], reason=d["reason"]
        ),
    )


@login_required
@require_POST
def entry_skip(request: HttpRequest, code: str, key: str) -> HttpResponse:
    rollout = _rollout_or_404(request, code)
    form = SkipForm(request.POST, phases=selectors.template_phases(rollout.template_id))
    return _post(
        request,
        code,
        key,
        "skip",
        form,
        lambda entry, d: services.phase_skip(
            actor=request.user, entry=entry, phase=d["phase"], on=d["on"], reason=d["reason"]
        ),
    )


def _documents_of(entry: Any) -> list:
    return list(Document.objects.filter(unit_id=entry.unit_id).order_by("-issued_on", "title")[:500])


def _document(entry: Any, raw: str) -> Any:
    if not raw:
        return None
    return Document.objects.filter(pk=raw).first() if raw.isdigit() else None


@login_required
@require_POST
def entry_gate(request: HttpRequest, code: str, key: str) -> HttpResponse:
    rollout, entry = _entry_for_post(request, code, key)
    gates = [(g["key"], gate_label(g)) for p in selectors.template_phases(rollout.template_id) for g in p.gates]
    form = GateForm(request.POST, gates=gates, documents=_documents_of(entry))
    return _post(
        request,
        code,
        key,
        "gate",
        form,
        lambda entry, d: services.gate_record(
            actor=request.user,
            entry=entry,
            gate=d["gate"],
            met=d["met"],
            reason=d["reason"],
            document=_document(entry, d["document"]),
        ),
    )


@login_required
@require_POST
def entry_documents(request: HttpRequest, code: str, key: str) -> HttpResponse:
    _rollout, entry = _entry_for_post(request, code, key)
    form = DocumentsForm(request.POST, documents=_documents_of(entry))
    return _post(
        request,
        code,
        key,
        "documents",
        form,
        lambda entry, d: services.unit_documents_record(
            actor=request.user,
            entry=entry,
            steering_decision=_document(entry, d["steering_decision"]),
            support_team_document=_document(entry, d["support_team_document"]),
            report_document=_document(entry, d["report_document"]),
            report_sent_on=d["report_sent_on"],
        ),
    )
