"""Publication as a record: every publication freezes the campaign's open-data snapshot in the same transaction.

The snapshot (``reports.Snapshot``: the published results as CSV and JSON with their SHA-256) is built by the
reports app, which sits above this one and may not be imported from here. Reports hands its builder over at
start-up (``ReportsConfig.ready`` → ``register_snapshot_freezer``); publishing calls ``freeze_snapshot``, which
fails loudly when no builder is registered, so a publication can never happen without its snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from tincay.assessments.models import Campaign

SnapshotFreezer = Callable[..., Any]
_freezer: list[SnapshotFreezer] = []


def register_snapshot_freezer(freezer: SnapshotFreezer) -> None:
    """Called once by the reports app: ``freezer(actor=..., campaign=...)`` makes and returns a new snapshot.
    The publisher's permission has been checked by the publishing service; the freezer does not check it again."""
    _freezer[:] = [freezer]


def freeze_snapshot(*, actor: Any, campaign: Campaign) -> Any:
    """A new open-data snapshot of the campaign's published results (inside the caller's transaction)."""
    if not _freezer:
        raise ImproperlyConfigured("no open-data snapshot builder registered: is tincay.reports installed?")
    return _freezer[0](actor=actor, campaign=campaign)
