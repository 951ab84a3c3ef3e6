from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tincay.assessments.choices import DocumentKind, Level, Visibility
from tincay.common.choices import UnitKind
from tincay.common.i18n import localized
from tincay.common.numbers import NumberField
from tincay.common.pick import picker_attrs

_TEXT = forms.Textarea(attrs={"rows": 2})
LEVEL_CHOICES = [("", _("— not set —")), *Level.choices]


class CampaignForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60, help_text=_("e.g. hai-phong-2026"))
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    version = forms.ChoiceField(label=_("Indicator set (issued version)"))
    year = forms.IntegerField(label=_("Year"), min_value=2015, max_value=2100)
    self_assessment_due = forms.DateField(label=_("Self-assessment due"), help_text="dd/mm/yyyy")
    scoring_due = forms.DateField(label=_("Scoring due"), help_text="dd/mm/yyyy")
    appraisal_due = forms.DateField(label=_("Appraisal due"), help_text="dd/mm/yyyy")
    publication_due = forms.DateField(label=_("Publication due"), help_text="dd/mm/yyyy")
    parent_unit = forms.CharField(
        label=_("Units below"),
        max_length=40,
        required=False,
        help_text=_("Code of a province: every unit below it of the kinds ticked takes part."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(k, UnitKind(k).label) for k in ("ward", "commune", "special_zone")],
    )
    peer_group = forms.ChoiceField(label=_("Or a peer group"), required=False)
    unit_codes = forms.CharField(
        label=_("And these units"),
        required=False,
        widget=_TEXT,
        help_text=_("Codes separated by commas or spaces, e.g. 11413, 11311."),
    )
    baseline = forms.ChoiceField(label=_("Start from the previous campaign"), required=False)

    def __init__(self, *args: Any, versions: Any, peer_groups: Any, baselines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].choices = [(str(v.pk), f"{localized(v, 'title')} ({v.ref})") for v in versions]
        self.fields["peer_group"].choices = [("", "—"), *[(g.code, localized(g, "name")) for g in peer_groups]]
        self.fields["baseline"].choices = [("", "—"), *[(c.code, localized(c, "title")) for c in baselines]]
        units_url = reverse("orgunits:pick_units") + "?scope=manage"
        self.fields["parent_unit"].widget.attrs.update(picker_attrs(units_url))
        self.fields["unit_codes"].widget.attrs.update(picker_attrs(units_url, multiple=True))


class SelfResultForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    self_level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    self_value = NumberField(label=_("Measured value"), required=False, max_digits=14, decimal_places=4)
    na = forms.BooleanField(label=_("Not applicable to our unit"), required=False)
    na_reason = forms.CharField(label=_("Why not applicable"), required=False, widget=_TEXT)
    narrative = forms.CharField(
        label=_("What exists and how it works"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    no_evidence_reason = forms.CharField(label=_("If there is no evidence, explain why"), required=False, widget=_TEXT)


class ScorerResultForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    scorer_level = forms.ChoiceField(label=_("Scorer's level"), choices=LEVEL_CHOICES, required=False)
    scorer_value = NumberField(label=_("Verified value"), required=False, max_digits=14, decimal_places=4)
    scorer_comment = forms.CharField(label=_("Scorer's comment"), required=False, widget=_TEXT)


class FinalResultForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput)
    final_level = forms.ChoiceField(label=_("Final level"), choices=LEVEL_CHOICES, required=False)
    final_value = NumberField(label=_("Final value"), required=False, max_digits=14, decimal_places=4)
    final_comment = forms.CharField(
        label=_("Reason (required when it differs from the scorer)"), required=False, widget=_TEXT
    )


TRACK_FORMS = {"self": SelfResultForm, "scorer": ScorerResultForm, "final": FinalResultForm}


class CorrectionForm(FinalResultForm):
    """A published final result corrected with a reason (the service requires the reason and checks the rest)."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. Shown on the public page with the date of the correction."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["final_comment"].label = _(
            "Council's comment (internal; required when the final level differs from the scorer's)"
        )


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    number = forms.CharField(label=_("Number/symbol"), max_length=100, required=False, help_text=_("e.g. 125/QĐ-UBND"))
    issued_on = forms.DateField(label=_("Date of issue"), required=False, help_text="dd/mm/yyyy")
    issuer = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices, initial=DocumentKind.DECISION)
    file = forms.FileField(label=_("File"), required=False, help_text=_("PDF, Word, Excel, OpenDocument or an image."))
    url = forms.URLField(label=_("Or a link"), required=False, max_length=1000)
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, help_text=_("dd/mm/yyyy; empty if it does not expire")
    )
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.INTERNAL)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("file") and not data.get("url"):
            raise forms.ValidationError(_("Attach a file or give a link."))
        return data


class TransitionForm(forms.Form):
    action = forms.CharField(max_length=40)
    reason = forms.CharField(label=_("Reason"), required=False, widget=_TEXT)


class AssignmentForm(forms.Form):
    indicator = forms.CharField(max_length=20)
    department = forms.ChoiceField(label=_("Department"), required=False)
    assignee = forms.ChoiceField(label=_("Person"), required=False)

    def __init__(self, *args: Any, departments: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "—"), *[(str(d.pk), d.name) for d in departments]]
        self.fields["assignee"].choices = [("", "—"), *[(str(u.pk), u.display_name) for u in people]]
