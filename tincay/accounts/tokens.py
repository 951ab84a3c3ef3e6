"""API tokens: issue, list, revoke, and check a key presented to the API.

A key is 256 random bits; only its SHA-256 is stored, with its first characters for recognising it in a list.
A copy of the database therefore gives nobody a usable key, and a slow or keyed hash would add nothing for keys
that cannot be guessed (a key mixed with ``TINCAY_SECRET_KEY`` would also die with every rotation of that key).

A token stops working at its expiry (``TINCAY_API_TOKEN_DAYS``), when its owner revokes it, and when the owner's
password changes on any path (change, reset, set by an administrator, ``manage.py changepassword``): Django
calls the ``password_changed`` hook of :class:`RevokeApiTokensOnPasswordChange` on each of them, and only on a
real change — re-hashing a password with more iterations on login (every Django upgrade) keeps the tokens.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tincay.accounts.choices import TokenRevokedReason
from tincay.accounts.models import ApiToken
from tincay.accounts.roles import is_system
from tincay.audit import services as audit
from tincay.audit.scopes import user_scope
from tincay.common.errors import InvalidInput, Refused

KEY_PREFIX = "tc_"
SHOWN_CHARS = len(KEY_PREFIX) + 8  # stored and shown: enough to tell one's tokens apart, useless for guessing
MAX_ACTIVE_PER_PERSON = 20
NAME_MAX = ApiToken._meta.get_field("name").max_length
_LAST_USED_STEP = timedelta(minutes=1)  # last_used_at is written at most once a minute per token
_PASSWORD_CHANGE = "password_change"  # noqa: S105 -- the audit actor label, not a password


class TokenRefused(Exception):
    """A key the API must refuse; ``message`` says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once to its owner, never stored


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    """A person's tokens, newest first (revoked and expired ones too, so the owner sees what stopped working)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def _may_manage(actor: Any, owner: Any) -> bool:
    if is_system(actor):
        return True
    return bool(getattr(actor, "is_authenticated", False)) and actor.pk == owner.pk


def _snapshot(token: ApiToken) -> dict[str, Any]:
    return {
        "user": token.user.get_username(),
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
        "revoked_reason": token.revoked_reason,
    }


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise InvalidInput({"name": _("Give the token a name as text, e.g. the integration that will use it.")})
    name = name.strip()
    if not name:
        raise InvalidInput({"name": _("Give the token a name, e.g. the integration that will use it.")})
    if len(name) > NAME_MAX:
        raise InvalidInput(
            {
                "name": _("Shorten the name to %(max)d characters (it has %(count)d).")
                % {"max": NAME_MAX, "count": len(name)}
            }
        )
    return name


def _revoke(token: ApiToken, *, actor: Any, reason: str, now: Any) -> None:
    token.revoked_at = now
    token.revoked_reason = reason
    token.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(
        actor=actor,
        action="accounts.api_token_revoked",
        obj=token,
        after=_snapshot(token),
        reason=str(TokenRevokedReason(reason).label),
    )


@transaction.atomic
def api_token_issue(*, actor: Any, user: Any, name: Any) -> IssuedToken:
    """Create a token for ``user`` (only for oneself). A live token of the same name is replaced."""
    if not _may_manage(actor, user):
        raise Refused(_("You can create API tokens only for yourself."))
    name = _check_name(name)
    if not user.is_active:
        raise Refused(_("This account is disabled; it cannot have API tokens."))
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()  # one issue at a time per person
    now = timezone.now()
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if live.exclude(name=name).count() >= MAX_ACTIVE_PER_PERSON:
        raise InvalidInput(
            {
                "name": _(
                    "You already have %(max)d active API tokens. Revoke one you no longer use on your profile page, "
                    "then create this one."
                )
                % {"max": MAX_ACTIVE_PER_PERSON}
            }
        )
    for old in live.filter(name=name).select_related("user"):
        _revoke(old, actor=actor, reason=TokenRevokedReason.REPLACED, now=now)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:SHOWN_CHARS],
        key_hash=hash_key(key),
        created_at=now,
        expires_at=now + timedelta(days=settings.TINCAY_API_TOKEN_DAYS),
    )
    audit.record(actor=actor, action="accounts.api_token_issued", obj=token, after=_snapshot(token))
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """The owner stops a token now. Revoking a token that no longer works changes nothing."""
    if not _may_manage(actor, token.user):
        raise Refused(_("This API token is not yours; only its owner can revoke it."))
    token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if token.revoked_at is None:
        _revoke(token, actor=actor, reason=TokenRevokedReason.OWNER, now=timezone.now())
    return token


@transaction.atomic
def api_tokens_revoke_for_password_change(*, user: Any) -> int:
    """Every token of ``user`` that still works stops working: its holder knew the old password's account."""
    now = timezone.now()
    count = 0
    for token in ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).select_related("user"):
        _revoke(token, actor=_PASSWORD_CHANGE, reason=TokenRevokedReason.PASSWORD_CHANGED, now=now)
        count += 1
    return count


class RevokeApiTokensOnPasswordChange:
    """Listed in ``AUTH_PASSWORD_VALIDATORS`` for Django's ``password_changed`` hook; it rejects no password. It also
    moves the person's change mark (``tincay.accounts.freshness``).

    Django calls the hook when a user is saved after ``set_password`` — the change and reset pages, the people
    pages, services and commands alike — and not when it only re-hashes the same password."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke_for_password_change(user=user)
            # the pages their browsers hold are checked in full again: a session of the old password is signed out
            audit.changed([user_scope(user.pk)])

    def get_help_text(self) -> str:
        return _("Changing your password revokes your API tokens.")


def api_token_authenticate(key: str) -> tuple[Any, ApiToken]:
    """The person a key stands for, or :class:`TokenRefused` saying why not."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        raise TokenRefused(_("This API token is not valid. Create a new one on your profile page."))
    if token.revoked_at is not None:
        raise TokenRefused(
            _("This API token was revoked (%(reason)s). Create a new one on your profile page.")
            % {"reason": TokenRevokedReason(token.revoked_reason).label}
        )
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenRefused(
            _("This API token expired on %(date)s. Create a new one on your profile page.")
            % {"date": date_format(timezone.localtime(token.expires_at), "SHORT_DATE_FORMAT")}
        )
    if not token.user.is_active:
        raise TokenRefused(_("The account of this API token is disabled. Ask an administrator."))
    if token.last_used_at is None or now - token.last_used_at >= _LAST_USED_STEP:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token.user, token
