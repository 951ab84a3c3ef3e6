from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tincay.accounts.choices import Role
from tincay.common.pick import picker_attrs
from tincay.orgunits.models import AdminUnit, Department


class UnitSearchForm(forms.Form):
    q = forms.CharField(label=_("Search units"), required=False, max_length=100)
    date = forms.DateField(label=_("As on date"), required=False, help_text=_("dd/mm/yyyy; empty for today"))


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    unit_key = forms.CharField(
        label=_("Unit code"),
        required=False,
        max_length=40,
        help_text=_("Official code of today's unit, e.g. 31 for Hải Phòng; empty for the whole country."),
    )
    subtree = forms.BooleanField(label=_("Also every unit below it"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args: Any, roles: list[str], units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = units
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["department"].queryset = Department.objects.filter(unit__in=units.values("pk"))
        self.fields["unit_key"].widget.attrs.update(picker_attrs(reverse("orgunits:pick_units") + "?scope=manage"))

    def clean_unit_key(self) -> AdminUnit | None:
        key = self.cleaned_data["unit_key"].strip()
        if not key:
            return None
        unit = self.units.filter(key=key, valid_to__isnull=True).first()
        if unit is None:
            raise forms.ValidationError(
                _("No unit of today with code “%(key)s” within your scope. Check the code in the unit browser."),
                params={"key": key},
            )
        return unit


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("Department name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=60, required=False)
