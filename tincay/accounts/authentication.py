"""The API's token authentication: ``Authorization: Token <key>``, checked against the hashed keys.

It subclasses DRF's ``TokenAuthentication`` only for the header's name and the OpenAPI description
(drf-spectacular documents the scheme for subclasses); the key itself is checked by ``tokens.api_token_authenticate``
and ``rest_framework.authtoken`` (plain-text keys, no expiry) is not installed.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from tincay.accounts import tokens


class ApiTokenAuthentication(authentication.TokenAuthentication):
    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the header as “Authorization: Token <key>”: the word Token, one space, then the key.")
            )
        try:
            key = parts[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(
                _("This API token is not valid. Create a new one on your profile page.")
            ) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        try:
            return tokens.api_token_authenticate(key)
        except tokens.TokenRefused as refused:
            raise exceptions.AuthenticationFailed(refused.message) from None
