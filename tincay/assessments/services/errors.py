from __future__ import annotations

from typing import Any

from tincay.common.errors import InvalidInput, Refused


class AssessmentError(InvalidInput):
    """A change to a campaign, an assessment or its evidence refused with a message for the user."""


class NotYours(Refused, AssessmentError):
    """The person may see this but not change it (an indicator not assigned to them, another unit's register)."""


class ConflictError(AssessmentError):
    """Someone saved the same criterion since this form was loaded; ``current`` holds their version."""

    status = 409

    def __init__(self, message: Any, current: dict[str, Any]):
        super().__init__(message)
        self.current = current
