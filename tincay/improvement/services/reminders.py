"""Reminders as data (owned by the reminders part; this first cut fixes the interface the action services call)."""

from __future__ import annotations

from typing import Any


def reminders_reschedule(action: Any) -> None:
    """Bring the action's pending reminders in line with it after any change (new deadline, new person, finished,
    cancelled): pending reminders that no longer apply are cancelled, missing ones are scheduled. Call inside the
    service's transaction, after saving the action."""
