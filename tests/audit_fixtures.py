"""Helpers for the audit tests: events to play with, a private checkpoint folder, and tampering as a DB owner would.

Tampering goes through raw SQL with the guard triggers lifted for the statement and put back afterwards (an owner
covering their tracks), inside the test's transaction, so the triggers are back for the next test either way.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from tincay.audit import chain, guards, services
from tincay.audit.models import AuditEvent
from tincay.audit.selectors import _chain_rows


@pytest.fixture(autouse=True)
def checkpoint_folder(settings, tmp_path):
    """Checkpoints go to this test's own folder (never to var/media, never shared between tests)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT / "audit" / "checkpoints"


def record_events(n: int, actor: Any = "kiem_thu") -> list[AuditEvent]:
    return [
        services.record(
            actor=actor,
            action="test.action",
            object_type="test",
            object_id=str(i),
            before={"n": i},
            after={"n": i + 1},
            reason="kiểm thử",
        )
        for i in range(n)
    ]


def as_owner(sql: str, params: list[Any] | None = None) -> None:
    """Run one statement on the audit table with the triggers lifted, then put them back."""
    guards.uninstall(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
    finally:
        guards.install(connection)


def rows_from(event_id: int) -> list[dict[str, Any]]:
    return [row for row in _chain_rows() if row["id"] >= event_id]


def rewrite_from(event_id: int, make_hash: Callable[[str, dict[str, Any]], str], **changes: Any) -> None:
    """Change event ``event_id`` and recompute every hash from it to the end with ``make_hash(prev, row)``,
    as someone who holds the database but not the key would."""
    rows = rows_from(event_id)
    prev = rows[0]["prev_hash"]
    for row in rows:
        if row["id"] == event_id:
            row.update(changes)
        row["prev_hash"], row["hash"] = prev, make_hash(prev, row)
        as_owner(
            "UPDATE audit_auditevent SET reason = %s, key_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [row["reason"], row["key_id"], row["prev_hash"], row["hash"], row["id"]],
        )
        prev = row["hash"]


def sha256_of(prev: str, row: dict[str, Any]) -> str:
    """What the old, unkeyed code computed (with the key id kept in the content)."""
    return hashlib.sha256(chain._payload(prev, row, row["key_id"])).hexdigest()


def hmac_with(secret: bytes) -> Callable[[str, dict[str, Any]], str]:
    def make(prev: str, row: dict[str, Any]) -> str:
        return hmac.new(secret, chain._payload(prev, row, row["key_id"]), hashlib.sha256).hexdigest()

    return make
