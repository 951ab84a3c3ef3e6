from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _


class UserForm(forms.ModelForm):
    class Meta:
        model = get_user_model()
        fields = ["username", "full_name", "email", "position", "phone", "is_active"]
        help_texts = {"username": _("Letters, digits and @/./+/-/_ only.")}


class NewUserForm(UserForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=True),
        required=False,
        help_text=_("Leave empty to let the person set one through “Forgot password”."),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data.get("password", "")
        if password:
            validate_password(password)
        return password


class ApiTokenForm(forms.Form):
    """Comfort only: ``tokens.api_token_issue`` checks the name again."""

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, e.g. “province report script”."),
    )
