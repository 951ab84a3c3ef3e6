from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from tincay.accounts.models import Notification
from tincay.audit import services as audit

User = get_user_model()
logger = logging.getLogger(__name__)
_FIELDS = ("username", "full_name", "email", "position", "phone", "is_active")


def _snapshot(user: Any) -> dict[str, Any]:
    return {field: getattr(user, field) for field in _FIELDS}


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str | None = None, **fields: Any) -> Any:
    user = User(username=username, **{k: v for k, v in fields.items() if k in _FIELDS})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor=actor, action="accounts.user_created", obj=user, after=_snapshot(user))
    return user


@transaction.atomic
def user_update(*, actor: Any, user: Any, **fields: Any) -> Any:
    before = _snapshot(User.objects.get(pk=user.pk))  # the stored state: a bound form may have changed ``user``
    for name, value in fields.items():
        if name in _FIELDS:
            setattr(user, name, value)
    user.save()
    audit.record(actor=actor, action="accounts.user_updated", obj=user, before=before, after=_snapshot(user))
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: Any, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="accounts.password_set", obj=user)


def notify(*, users: Any, text: str, url: str = "") -> int:
    """Tell people about something that concerns them: an in-app notice and an e-mail (after commit)."""
    users = [u for u in users if u is not None]
    Notification.objects.bulk_create([Notification(user=u, text=text[:500], url=url) for u in users])
    addresses = [u.email for u in users if u.email]
    if addresses:
        body = f"{text}\n\n{url}" if url else text
        transaction.on_commit(lambda: _send_quietly(body, addresses))
    return len(users)


def _send_quietly(body: str, addresses: list[str]) -> None:
    """A notice must not fail the step that caused it: mail errors are logged, the in-app notice stays."""
    try:
        send_mail("TinCậy", body, None, addresses)
    except Exception:
        logger.exception("notification e-mail to %s failed", addresses)
