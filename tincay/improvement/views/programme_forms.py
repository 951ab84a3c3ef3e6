"""Forms of the programme pages: they translate what was typed (dates dd/mm/yyyy, money "1.500.000", numbers
"87,5") into values for the services, which decide. Choices offer what the services accept; the services check again.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tincay.common.i18n import localized
from tincay.common.numbers import NumberField, NumberFormatError, read_number
from tincay.improvement.choices import ActionStatus, BudgetSource

_TEXT = forms.Textarea(attrs={"rows": 3})
_DATE = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}, format="%d/%m/%Y")
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
_CURRENCY = re.compile(r"\s*(₫|đ|đồng|vnd|vnđ)\s*$", re.IGNORECASE)
OPEN_STATUSES = [(s.value, s.label) for s in ActionStatus if s != ActionStatus.CANCELLED]


class MoneyField(forms.CharField):
    """Đồng typed the Vietnamese way: "1.500.000", "1500000", "1.500.000 ₫"; whole numbers only."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        text = _CURRENCY.sub("", str(value or "")).strip()
        if not text:
            return None
        if _THOUSANDS.match(text):  # "1.500" is one thousand five hundred đồng: money has no decimals
            return int(text.replace(".", ""))
        try:
            number = read_number(text)
        except NumberFormatError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
        if number != number.to_integral_value():
            raise forms.ValidationError(_("Enter whole đồng, e.g. 1.500.000."), code="invalid")
        return int(number)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}".replace(",", ".")
        return value


class ProgrammeForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(label=_("Summary"), required=False, widget=_TEXT)


class ApproveForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Approval note"), required=False, widget=_TEXT)


class CancelForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Why is the action cancelled?"), widget=_TEXT)


def _documents_choices(documents: Any) -> list[tuple[str, str]]:
    return [(str(d.pk), f"{d}{' · ' + d.issued_on.strftime('%d/%m/%Y') if d.issued_on else ''}") for d in documents]


class ActionForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=500)
    description = forms.CharField(label=_("Tasks and solutions"), required=False, widget=_TEXT)
    department = forms.ChoiceField(label=_("Owner department"), required=False)
    responsible = forms.ChoiceField(label=_("Person responsible"), required=False)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=_DATE, help_text="dd/mm/yyyy")
    deadline = forms.DateField(label=_("Deadline"), widget=_DATE, help_text="dd/mm/yyyy")
    budget_vnd = MoneyField(label=_("Budget (đồng)"), required=False, help_text=_("e.g. 1.500.000"))
    budget_source = forms.ChoiceField(label=_("Budget source"), required=False)
    budget_note = forms.CharField(label=_("Budget note"), required=False, max_length=300)
    expected_result = forms.CharField(label=_("Expected result"), required=False, widget=_TEXT)
    target_value = NumberField(
        label=_("Target value"),
        required=False,
        max_digits=14,
        decimal_places=4,
        help_text=_("Only where a linked criterion is measured (a performance criterion)."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=OPEN_STATUSES)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        required=False,
        help_text=_("Leave empty to take the status's default: not started 0, in progress 50, done 100."),
    )
    weight = forms.IntegerField(
        label=_("Weight in the programme's progress"), initial=1, help_text=_("1 unless this action counts more.")
    )
    areas = forms.MultipleChoiceField(label=_("Areas to improve"), required=False, widget=forms.CheckboxSelectMultiple)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    criteria = forms.MultipleChoiceField(
        label=_("Criteria"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    documents = forms.MultipleChoiceField(
        label=_("Evidence from the unit's register"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        f = self.fields
        f["department"].choices = [("", "—"), *[(str(d.pk), d.name) for d in options["departments"]]]
        f["responsible"].choices = [("", "—"), *[(str(u.pk), u.display_name) for u in options["people"]]]
        f["budget_source"].choices = [("", "—"), *BudgetSource.choices]
        f["areas"].choices = [
            (str(a.pk), f"{a} · {localized(a.criterion or a.indicator, 'title')}") for a in options["areas"]
        ]
        f["indicators"].choices = [(str(i.pk), f"{i.code}. {localized(i, 'title')}") for i in options["indicators"]]
        f["criteria"].choices = [(str(c.pk), f"{c.code}. {localized(c, 'title')}") for c in options["criteria"]]
        f["documents"].choices = _documents_choices(options["documents"])

    def service_fields(self) -> dict[str, Any]:
        """The typed values for the service. A new status with the progress left as it was loaded takes the new
        status's default progress (the service's rule for a progress not given)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "revision"}
        for name in ("department", "responsible"):
            data[name] = data[name] or None
        if data.get("status") != self.initial.get("status") and data.get("progress") == self.initial.get("progress"):
            data["progress"] = None
        return data


class ProgressForm(forms.Form):
    on = forms.DateField(label=_("Date"), widget=_DATE, help_text="dd/mm/yyyy")
    title = forms.CharField(label=_("What was done (shown to citizens)"), max_length=300)
    note = forms.CharField(label=_("Note"), required=False, widget=_TEXT)
    status = forms.ChoiceField(label=_("Status after this update"), choices=OPEN_STATUSES)
    progress = forms.IntegerField(
        label=_("Progress (%)"), required=False, help_text=_("Leave empty to take the status's default.")
    )
    documents = forms.MultipleChoiceField(
        label=_("Evidence from the unit's register"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].choices = _documents_choices(documents)


def initial_of(action: Any) -> dict[str, Any]:
    """An action's stored values as a form's initial data."""
    data = {
        name: getattr(action, name)
        for name in (
            "title",
            "description",
            "starts_on",
            "deadline",
            "budget_vnd",
            "budget_source",
            "budget_note",
            "expected_result",
            "status",
            "progress",
            "weight",
        )
    }
    data["target_value"] = action.target_value if isinstance(action.target_value, Decimal) else None
    data["department"] = str(action.department_id or "")
    data["responsible"] = str(action.responsible_id or "")
    for name in ("areas", "indicators", "criteria", "documents"):
        data[name] = [str(o.pk) for o in getattr(action, name).all()]
    return data
