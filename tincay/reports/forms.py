"""The form asking for a document: which document, the format, and what the requester may set (number, date,
signer, recipients, their own text). It only translates input; ``generation.document_request`` checks it whole."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tincay.reports.documents import KINDS


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document to make"))
    fmt = forms.ChoiceField(
        label=_("Format"),
        choices=[("docx", _("Word (DOCX), editable")), ("pdf", "PDF")],
        initial="docx",
        widget=forms.RadioSelect,
    )
    number = forms.CharField(
        label=_("Document number"), required=False, help_text=_("Leave empty for the office to number it at issue.")
    )
    day = forms.CharField(label=_("Date"), required=False, help_text=_("dd/mm/yyyy; today when empty."))
    signer_name = forms.CharField(label=_("Signer's full name"), required=False)
    signer_title = forms.CharField(
        label=_("Signer's title"),
        required=False,
        help_text=_("For example CHỦ TỊCH, PHÓ CHỦ TỊCH; the usual one when empty."),
    )
    authority = forms.CharField(
        label=_("Authority line"), required=False, help_text=_("For example TM. ỦY BAN NHÂN DÂN or KT. CHỦ TỊCH.")
    )
    recipients = forms.CharField(
        label=_("Recipients"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; the usual ones when empty. “Lưu: VT” is always added."),
    )
    problems = forms.CharField(
        label=_("Problems and difficulties"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Self-assessment report only; the red indicators are listed when empty."),
    )
    proposals = forms.CharField(label=_("Proposals"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, subject: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, k.label) for k in KINDS.values() if k.subject == subject]
        if subject == "campaign":
            del self.fields["problems"]
