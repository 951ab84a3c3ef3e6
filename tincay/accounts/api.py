"""``POST /api/v1/auth/token/``: a user name and password in, a new named API token out (mounted by tincay.api).

The log-in goes through ``authenticate(request, ...)``, so the lockout after failed attempts (django-axes) holds
here as on the login page, and a scoped throttle (``TINCAY_API_TOKEN_RATE``) limits requests per address.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.accounts import tokens
from tincay.accounts.lockout import lockout_response
from tincay.accounts.throttles import TokenEndpointThrottle
from tincay.common.errors import InvalidInput

DEFAULT_NAME = "API"


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, write_only=True)
    name = serializers.CharField(
        max_length=tokens.NAME_MAX,
        required=False,
        default=DEFAULT_NAME,
        help_text="Name of the token (e.g. the integration using it). A live token of the same name is replaced.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(self.fields) - {"csrfmiddlewaretoken"})
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [_("Unknown field: remove it. Send username, password and optionally name.")]
                    for name in unknown
                }
            )
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The key, shown only in this answer. Send it as `Authorization: Token <key>`."
    )
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The key's first characters, as the profile page lists them.")
    expires_at = serializers.DateTimeField()


class TokenObtain(APIView):
    authentication_classes = ()
    permission_classes = (permissions.AllowAny,)
    throttle_classes = (TokenEndpointThrottle,)
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_create",
        summary="Create an API token",
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Bad input, or a wrong user name or password."),
            429: OpenApiResponse(description="Locked after too many failed log-ins, or too many requests."),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return lockout_response(django_request, None, {"username": data["username"]})  # type: ignore[return-value]
            raise InvalidInput(_("The user name or the password is wrong. Check both and try again."))
        issued = tokens.api_token_issue(actor=user, user=user, name=data["name"])
        body = {
            "token": issued.key,
            "name": issued.token.name,
            "prefix": issued.token.prefix,
            "expires_at": issued.token.expires_at,
        }
        return Response(TokenSerializer(body).data, headers={"Cache-Control": "no-store"})
