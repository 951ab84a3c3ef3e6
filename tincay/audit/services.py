"""Writing audit events. Every service that changes data calls :func:`record` explicitly.

Each event is signed with the current audit key (``TINCAY_AUDIT_KEYS``, parsed once): an append costs
the same queries as before keys existed (on PostgreSQL the advisory lock, then the last hash, then the insert), and
one more for the change marks of the pages it touches (``tincay.audit.scopes``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from tincay.audit import chain, checkpoints
from tincay.audit.checkpoints import Checkpoint
from tincay.audit.keys import configured_keyring
from tincay.audit.models import AuditEvent, ChangeMark
from tincay.audit.scopes import scopes_of
from tincay.audit.selectors import TrailCheck, audit_trail_check

_LOCK_KEY = 18091  # advisory lock id that serialises appends on PostgreSQL


def _lock() -> None:
    """The append lock, held to the end of the transaction (SQLite has one writer at a time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _last_hash() -> str:
    _lock()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or chain.GENESIS


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    reason: str = "",
    scopes: Iterable[str] = (),
) -> AuditEvent:
    """Append one event, linked to the previous one by its hash and signed with the current key, and move the
    change marks of the scopes it touches: ``scopes``, else the object's (``tincay.audit.scopes``)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    fields: dict[str, Any] = {
        # In UTC, as the database gives it back to the verifier (a clock set to local time would not verify).
        "created_at": timezone.now().astimezone(UTC).isoformat(),
        "actor_id": actor_obj.pk if actor_obj else None,
        "actor_label": (actor_obj.get_username() if actor_obj else str(actor or "system"))[:200],
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "object_repr": object_repr,
        "before": chain.canonical_roundtrip(before),
        "after": chain.canonical_roundtrip(after),
        "reason": reason,
    }
    keyring = configured_keyring()
    key_id = keyring.current_id
    touched = tuple(scopes) or scopes_of(obj)  # before the lock: an object may read its unit
    prev_hash = _last_hash()
    event = AuditEvent(
        created_at=fields["created_at"],
        actor=actor_obj,
        actor_label=fields["actor_label"],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=fields["before"],
        after=fields["after"],
        reason=reason,
        prev_hash=prev_hash,
        hash=chain.keyed_hash(keyring.secrets[key_id], key_id, prev_hash, fields),
        key_id=key_id,
    )
    event.save()
    _move_marks(touched)
    return event


def _move_marks(scopes: Iterable[str]) -> None:
    """A new mark for each scope. Called under the append lock: marks are written one transaction at a time, so
    two writers never wait on each other's mark row (and never deadlock on them)."""
    ChangeMark.objects.bulk_create(
        [ChangeMark(scope=scope, mark=secrets.token_hex(16)) for scope in sorted(set(scopes))],
        update_conflicts=True,
        unique_fields=["scope"],
        update_fields=["mark"],
    )


@transaction.atomic
def changed(scopes: Iterable[str]) -> None:
    """Move the marks of a write that has no audit event of its own (a reference-data loader, say)."""
    _lock()
    _move_marks(scopes)


def audit_checkpoint_write(
    *, storage: Storage | None = None, now: datetime | None = None
) -> tuple[TrailCheck, Checkpoint | None]:
    """Verify the trail, then record its head as a new checkpoint file; a trail that fails writes nothing.

    A checkpoint vouches for the chain up to its head, so taking one over a broken chain would launder the damage.
    """
    check = audit_trail_check(storage=storage)
    if not check.intact:
        return check, None
    written = checkpoints.write(
        walk=check.walk,
        keyring=configured_keyring(),
        storage=storage or default_storage,
        now=now or timezone.now(),
    )
    return check, written
