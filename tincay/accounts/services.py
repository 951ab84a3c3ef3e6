"""Writes about accounts: create, change, set a password, notify. Each checks who acts and what is given.

Every write validates its whole input (username, e-mail, names, active flag, password through Django's password
validators) and asks :mod:`tincay.accounts.access` whether the actor may make it, before a row is touched.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tincay.accounts import messages
from tincay.accounts.access import can_change_identity, can_create_account
from tincay.accounts.models import Notification
from tincay.accounts.roles import is_system
from tincay.audit import services as audit
from tincay.common.errors import NON_FIELD, ErrorCollector, Refused

User = get_user_model()
logger = logging.getLogger(__name__)
_FIELDS = ("username", "full_name", "email", "position", "phone", "is_active")
_TEXT_FIELDS = ("username", "full_name", "email", "position", "phone")
PASSWORD_MAX = 4096  # Django's own forms stop here too: hashing longer input only burns CPU


class AccountRefused(Refused):
    """This person may not create or change that account."""


def _snapshot(user: Any) -> dict[str, Any]:
    return {field: getattr(user, field) for field in _FIELDS}


def _max_length(name: str) -> int:
    return User._meta.get_field(name).max_length


def _messages(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _clean_fields(fields: Mapping[str, Any], *, user: Any, errors: ErrorCollector) -> dict[str, Any]:
    """Check every given account field against the model's columns and rules; return the cleaned values."""
    unknown = sorted(set(fields) - set(_FIELDS))
    if unknown:
        errors.add(
            NON_FIELD,
            _("These fields cannot be set on an account: %(names)s. Remove them and try again.")
            % {"names": ", ".join(unknown)},
        )
    clean: dict[str, Any] = {}
    for name in _TEXT_FIELDS:
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.add(name, _("Enter text here."))
            continue
        value = value.strip()
        limit = _max_length(name)
        if len(value) > limit:
            errors.add(
                name,
                _("Enter at most %(limit)d characters (this has %(count)d).") % {"limit": limit, "count": len(value)},
            )
            continue
        clean[name] = value
    if "username" in clean:
        _check_username(clean["username"], user=user, errors=errors)
    if clean.get("email"):
        clean["email"] = User.objects.normalize_email(clean["email"])
        try:
            validate_email(clean["email"])
        except ValidationError:
            errors.add("email", _("Enter a valid e-mail address, such as ten@donvi.gov.vn."))
    if "is_active" in fields:
        if not isinstance(fields["is_active"], bool):
            errors.add("is_active", _("The active flag must be true or false."))
        else:
            clean["is_active"] = fields["is_active"]
    return clean


def _check_username(username: str, *, user: Any, errors: ErrorCollector) -> None:
    if not username:
        errors.add("username", _("Choose a username."))
        return
    try:
        User.username_validator(username)
    except ValidationError as exc:
        errors.add("username", " ".join(_messages(exc)))
        return
    taken = User.objects.filter(username__iexact=username)
    if user is not None and user.pk is not None:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        errors.add("username", _("The username “%(name)s” is taken; choose another one.") % {"name": username})


def _check_password(password: Any, *, user: Any, errors: ErrorCollector) -> None:
    if not isinstance(password, str):
        errors.add("password", _("The password must be text."))
    elif len(password) > PASSWORD_MAX:
        errors.add("password", _("Enter at most %(limit)d characters.") % {"limit": PASSWORD_MAX})
    else:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            for message in _messages(exc):
                errors.add("password", message)


def account_errors(*, fields: Mapping[str, Any], password: Any = None, user: Any = None) -> dict[str, list[Any]]:
    """Every problem of these account fields (and password, when given), without writing anything.

    For services that create an account together with something else (a first role) and report all problems
    at once."""
    errors = ErrorCollector()
    clean = _clean_fields(fields, user=user, errors=errors)
    if password not in (None, ""):
        candidate = User(**{**(_snapshot(user) if user is not None else {}), **clean})
        _check_password(password, user=candidate, errors=errors)
    return errors.errors


def _refuse_identity(actor: Any, user: Any) -> None:
    if not can_change_identity(actor, user):
        raise AccountRefused(
            _(
                "You may change the details and password only of people whose roles all lie inside your scope, "
                "and never of administrators or coordinators. Ask an administrator to make this change."
            )
        )


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str | None = None, **fields: Any) -> Any:
    if not can_create_account(actor):
        raise AccountRefused(_("Only administrators and coordinators create accounts."))
    errors = ErrorCollector()
    clean = _clean_fields({"username": username, **fields}, user=None, errors=errors)
    user = User(**clean)
    if password not in (None, ""):
        _check_password(password, user=user, errors=errors)
    errors.raise_if_any()
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor=actor, action="accounts.user_created", obj=user, after=_snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor: Any, user: Any, **fields: Any) -> Any:
    """Change account fields. The old e-mail address is told when the address changes (after commit)."""
    # the stored state: a bound form may have changed ``user`` already
    stored = User.objects.select_for_update().get(pk=user.pk)
    _refuse_identity(actor, stored)
    errors = ErrorCollector()
    clean = _clean_fields(fields, user=stored, errors=errors)
    errors.raise_if_any()
    before = _snapshot(stored)
    for name, value in clean.items():
        setattr(stored, name, value)
    stored.save()
    for name in _FIELDS:
        setattr(user, name, getattr(stored, name))
    audit.record(actor=actor, action="accounts.user_updated", obj=stored, before=before, after=_snapshot(stored))
    if before["email"] and before["email"] != stored.email:
        _tell_old_address(actor=actor, user=stored, old=before["email"], new=stored.email)
    return stored


@transaction.atomic
def user_set_password(*, actor: Any, user: Any, password: str) -> None:
    stored = User.objects.select_for_update().get(pk=user.pk)
    _refuse_identity(actor, stored)
    errors = ErrorCollector()
    if password in (None, ""):
        errors.add("password", _("Enter a password."))
    else:
        _check_password(password, user=stored, errors=errors)
    errors.raise_if_any()
    stored.set_password(password)
    stored.save(update_fields=["password"])
    user.password = stored.password
    audit.record(actor=actor, action="accounts.password_set", obj=stored)


def _masked(address: str) -> str:
    """``ngoc.anh@haian.gov.vn`` → ``n***@haian.gov.vn``: enough to recognise, not enough to use."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _actor_label(actor: Any) -> str:
    if is_system(actor):
        return _("the system (%(command)s)") % {"command": actor}
    return f"{actor.display_name} ({actor.get_username()})"


def _tell_old_address(*, actor: Any, user: Any, old: str, new: str) -> None:
    """Mail the previous address in Vietnamese and English: who changed it, when, and to what (masked)."""
    when = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    parts, subjects = [], []
    for language in ("vi", "en"):
        with translation.override(language):
            subjects.append(_("TinCậy: the e-mail address of your account was changed"))
            parts.append(
                _(
                    "The e-mail address of the TinCậy account “%(username)s” was changed to %(new)s by %(actor)s "
                    "on %(when)s. Notices and password reset links now go to the new address. If you did not "
                    "expect this change, tell your administrator at once."
                )
                % {"username": user.get_username(), "new": _masked(new), "actor": _actor_label(actor), "when": when}
            )
    subject = subjects[0] if subjects[0] == subjects[1] else f"{subjects[0]} / {subjects[1]}"
    body = "\n\n---\n\n".join(dict.fromkeys(parts))
    transaction.on_commit(lambda: _send_quietly(body, [old], subject=subject))


def notifications_mark_read(*, user: Any) -> int:
    """Mark every unread notice of the signed-in person read (only their own: the query starts from them)."""
    return user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())


def notify(
    *,
    users: Any,
    text: str = "",
    url: str = "",
    message: str = "",
    params: Mapping[str, Any] | None = None,
    subject: str = "",
    in_app: bool = True,
    email: bool = True,
) -> int:
    """Tell people about something that concerns them: an in-app notice and an e-mail (after commit).

    Give ``message`` (an English msgid marked with ``gettext_noop``) and ``params`` so each reader sees the notice in
    their language (:mod:`tincay.accounts.messages`), and ``subject`` (a msgid with the same params) saying what
    happened and for which unit; the e-mail carries Vietnamese then English. ``text`` alone is a notice already
    written in one language (kept for older callers). ``in_app`` / ``email`` switch a channel off (reminder rules
    choose their channels).
    """
    users = [u for u in users if u is not None]
    stored = {key: messages.param(value) for key, value in (params or {}).items()}
    if message:
        text = messages.render(message, stored, "vi")
    if not text:
        raise ValueError("notify needs a message or a text")
    if in_app:
        Notification.objects.bulk_create(
            [Notification(user=u, text=text[:500], message=message[:500], params=stored, url=url) for u in users]
        )
    addresses = [u.email for u in users if u.email] if email else []
    if addresses:
        parts = messages.both(message, stored) if message else [text]
        titles = messages.both(subject, stored) if subject else []
        mail_subject = "TinCậy: " + " / ".join(titles) if titles else "TinCậy"
        body = "\n\n---\n\n".join(parts)
        if url:
            body += f"\n\n{url}"
        transaction.on_commit(lambda: _send_quietly(body, addresses, subject=mail_subject[:250]))
    return len(users)


def _send_quietly(body: str, addresses: list[str], *, subject: str = "TinCậy") -> None:
    """A notice must not fail the step that caused it: mail errors are logged, the in-app notice stays."""
    try:
        send_mail(subject, body, None, addresses)
    except Exception:
        logger.exception("notification e-mail to %s failed", addresses)
