from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from tincay.audit import chain
from tincay.audit.models import AuditEvent


def _chain_rows(batch_size: int = 2000) -> Iterator[dict[str, Any]]:
    for row in AuditEvent.objects.order_by("id").values().iterator(chunk_size=batch_size):
        row["created_at"] = row["created_at"].isoformat()
        yield row


def audit_chain_verify() -> chain.BrokenLink | None:
    return chain.verify(_chain_rows())


def events_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).select_related("actor")
