from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import forms as auth_forms
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


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, which also reaches accounts created without a password: a coordinator's new colleague
    (the people page, or a people import) sets their first password through "Forgot password". Django leaves such
    accounts out because elsewhere they may log in another way; here there is no other way."""

    def get_users(self, email: str):  # type: ignore[no-untyped-def]
        model = get_user_model()
        field = model.get_email_field_name()
        active = model._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
        return (user for user in active if _same_address(email, getattr(user, field)))


def _same_address(first: str, second: str) -> bool:
    """As Django compares them: case-folded after NFKC normalisation."""
    return unicodedata.normalize("NFKC", first).casefold() == unicodedata.normalize("NFKC", second).casefold()
