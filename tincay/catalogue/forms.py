from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tincay.catalogue.choices import CriterionType, Direction, Rollup
from tincay.catalogue.models import Criterion
from tincay.catalogue.scheme import normalise_scheme
from tincay.catalogue.services import CRITERION_EDITABLE
from tincay.common.choices import UnitKind
from tincay.common.numbers import NumberField

_TEXTAREA = forms.Textarea(attrs={"rows": 3})


class DeriveForm(forms.Form):
    code = forms.SlugField(
        label=_("New version code"),
        max_length=60,
        help_text=_("Lower-case letters, digits and dashes, e.g. hai-phong-2026."),
    )
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    owner_unit = forms.TypedChoiceField(label=_("Owned by"), coerce=str, required=False)

    def __init__(self, *args: Any, owner_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = owner_choices


class VersionForm(forms.Form):
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    notes_vi = forms.CharField(label=_("Notes (Vietnamese)"), required=False, widget=_TEXTAREA)
    notes_en = forms.CharField(label=_("Notes (English)"), required=False, widget=_TEXTAREA)
    effective_date = forms.DateField(label=_("Effective date"), required=False, help_text=_("dd/mm/yyyy"))
    level_red = NumberField(label=_("Value of red"), min_value=0, max_value=1)
    level_yellow = NumberField(label=_("Value of yellow"), min_value=0, max_value=1)
    level_green = NumberField(label=_("Value of green"), min_value=0, max_value=1)
    rollup = forms.ChoiceField(label=_("Roll-up rule"), choices=Rollup.choices)
    threshold_yellow = NumberField(label=_("Indicator is yellow from"), min_value=0, max_value=1)
    threshold_green = NumberField(label=_("Indicator is green from"), min_value=0, max_value=1)
    scale = NumberField(label=_("Total scale"), min_value=1)
    classes = forms.CharField(
        label=_("Classification bands"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One band per line, best first: code; Vietnamese label; English label; minimum total or all_green. "
            "The last band must start at 0."
        ),
    )

    @staticmethod
    def initial_from(version: Any) -> dict[str, Any]:
        sc = version.scoring
        return {
            "title_vi": version.title_vi,
            "title_en": version.title_en,
            "notes_vi": version.notes_vi,
            "notes_en": version.notes_en,
            "effective_date": version.effective_date,
            "level_red": sc["levels"]["red"],
            "level_yellow": sc["levels"]["yellow"],
            "level_green": sc["levels"]["green"],
            "rollup": sc["rollup"],
            "threshold_yellow": sc["indicator_thresholds"]["yellow"],
            "threshold_green": sc["indicator_thresholds"]["green"],
            "scale": sc["scale"],
            "classes": "\n".join(
                "; ".join(
                    [
                        c["code"],
                        c["label"]["vi"],
                        c["label"]["en"],
                        "all_green" if c.get("all_green") else str(c.get("min")),
                    ]
                )
                for c in sc["classes"]
            ),
        }

    def clean_classes(self) -> list[dict[str, Any]]:
        classes = []
        for number, line in enumerate(self.cleaned_data["classes"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(";")]
            if len(parts) != 4:
                raise forms.ValidationError(
                    _("Line %(n)s: write four parts separated by “;”: code; Vietnamese; English; minimum."),
                    params={"n": number},
                )
            code, label_vi, label_en, rule = parts
            entry: dict[str, Any] = {"code": code, "label": {"vi": label_vi, "en": label_en}}
            if rule == "all_green":
                entry["all_green"] = True
            else:
                try:
                    entry["min"] = float(rule.replace(",", "."))
                except ValueError:
                    raise forms.ValidationError(
                        _("Line %(n)s: the minimum must be a number or all_green."), params={"n": number}
                    ) from None
            classes.append(entry)
        return classes

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        scheme = {
            "levels": {
                "red": data["level_red"],
                "yellow": data["level_yellow"],
                "green": data["level_green"],
            },
            "rollup": data["rollup"],
            "indicator_thresholds": {"yellow": data["threshold_yellow"], "green": data["threshold_green"]},
            "scale": data["scale"],
            "na_policy": "exclude_renormalise",
            "na_requires_reason": True,
            "classes": data["classes"],
        }
        normalised, problems = normalise_scheme(scheme)
        for _path, message in problems:
            self.add_error(None, message)
        data["scoring"] = normalised
        return data


class CriterionForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(
        label=_("Applies to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked when the criterion applies to every kind of unit."),
    )

    class Meta:
        model = Criterion
        fields = list(CRITERION_EDITABLE)  # one list for the form and the service
        field_classes = {  # numbers typed as Vietnamese write them (87,5)
            name: NumberField for name in ("weight", "max_points", "threshold_yellow", "threshold_green")
        }
        widgets = {
            name: _TEXTAREA
            for name in (
                "description_vi",
                "description_en",
                "guidance_vi",
                "guidance_en",
                "level_red_vi",
                "level_red_en",
                "level_yellow_vi",
                "level_yellow_en",
                "level_green_vi",
                "level_green_en",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applies_to"].choices = UnitKind.choices
        self.fields["weight"].help_text = _("Relative weight inside the indicator; 1 for ordinary criteria.")

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is None or weight <= 0:
            raise forms.ValidationError(_("The weight must be greater than 0."))
        return weight

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("type") == CriterionType.PERFORMANCE:
            yellow, green = data.get("threshold_yellow"), data.get("threshold_green")
            direction = data.get("direction")
            if not data.get("measure_unit_vi"):
                self.add_error("measure_unit_vi", _("A performance criterion needs a unit of measure, e.g. %."))
            if not direction:
                self.add_error("direction", _("A performance criterion needs a direction."))
            if yellow is None or green is None:
                self.add_error("threshold_green", _("A performance criterion needs both thresholds."))
            elif direction == Direction.HIGHER_IS_BETTER and not yellow < green:
                self.add_error("threshold_green", _("When higher is better, green must be above yellow."))
            elif direction == Direction.LOWER_IS_BETTER and not yellow > green:
                self.add_error("threshold_green", _("When lower is better, green must be below yellow."))
        return data


class IndicatorForm(forms.Form):
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_vi = forms.CharField(label=_("Description (Vietnamese)"), required=False, widget=_TEXTAREA)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=_TEXTAREA)
    sdgs = forms.CharField(
        label=_("SDGs"), required=False, max_length=100, help_text=_("Goal numbers 1–17, separated by commas.")
    )
    iso9001 = forms.CharField(
        label=_("ISO 9001:2015 clauses"), required=False, max_length=200, help_text=_("E.g. 5.1, 7.4, 9.1")
    )

    @staticmethod
    def initial_from(indicator: Any) -> dict[str, Any]:
        return {
            "title_vi": indicator.title_vi,
            "title_en": indicator.title_en,
            "description_vi": indicator.description_vi,
            "description_en": indicator.description_en,
            "sdgs": ", ".join(str(n) for n in indicator.sdgs),
            "iso9001": ", ".join(indicator.iso9001),
        }

    def clean_sdgs(self) -> list[int]:
        numbers = []
        for part in self.cleaned_data["sdgs"].replace(";", ",").split(","):
            if not part.strip():
                continue
            if not part.strip().isdigit() or not 1 <= int(part) <= 17:
                raise forms.ValidationError(
                    _("“%(value)s” is not an SDG number (1–17)."), params={"value": part.strip()}
                )
            numbers.append(int(part))
        return sorted(set(numbers))

    def clean_iso9001(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data["iso9001"].replace(";", ",").split(",") if part.strip()]


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Excel workbook (.xlsx)"))

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("The workbook is larger than 10 MB."))
        head = upload.read(4)
        upload.seek(0)
        if head != b"PK\x03\x04":
            raise forms.ValidationError(_("This is not an Excel .xlsx workbook."))
        return upload
