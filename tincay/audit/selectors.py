from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.models import QuerySet

from tincay.audit import chain, checkpoints, guards
from tincay.audit.keys import configured_keyring
from tincay.audit.models import AuditEvent

GUARDS_MISSING = "guards_missing"


def _chain_rows(batch_size: int = 2000) -> Iterator[dict[str, Any]]:
    for row in AuditEvent.objects.order_by("id").values().iterator(chunk_size=batch_size):
        row["created_at"] = row["created_at"].isoformat()
        yield row


def audit_chain_verify() -> chain.Finding | None:
    """The first problem in the chain itself (edited, deleted, rewritten, unknown key), or None."""
    walk = chain.verify(_chain_rows(), configured_keyring())
    return walk.findings[0] if walk.findings else None


@dataclass
class TrailCheck:
    """The whole verification: the chain, the latest checkpoint compared with it, and the database guards."""

    walk: chain.Walk
    checkpoint: checkpoints.Checkpoint | None
    findings: list[chain.Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.findings


def audit_trail_check(*, storage: Storage | None = None) -> TrailCheck:
    keyring = configured_keyring()
    checkpoint, findings = checkpoints.latest(storage=storage or default_storage, keyring=keyring)
    walk = chain.verify(_chain_rows(), keyring, probe_id=checkpoint.last_id if checkpoint else None)
    findings = [*walk.findings, *findings]
    if checkpoint is not None:
        findings += checkpoints.compare(checkpoint, walk)
    if guards.present(connection) is False:
        findings.append(chain.Finding(GUARDS_MISSING))
    return TrailCheck(walk=walk, checkpoint=checkpoint, findings=findings)


def events_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related("actor")
