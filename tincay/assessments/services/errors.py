from __future__ import annotations

from typing import Any


class AssessmentError(ValueError):
    """A change refused with a message for the user."""


class ConflictError(AssessmentError):
    """Someone saved the same criterion since this form was loaded; ``current`` holds their version."""

    def __init__(self, message: str, current: dict[str, Any]):
        super().__init__(message)
        self.current = current
