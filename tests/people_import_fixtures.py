"""Helpers shared by the tests of the people import (no tests here): a row in the file's columns, and a snapshot of
every account and membership to compare before and after."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tincay.orgunits.models import Membership
from tincay.reports.imports.people import HEADER

__all__ = ["HEADER", "person_row", "stored_people"]


def person_row(username: str, unit: str = "", role: str = "", **cells: Any) -> list[Any]:
    """A row in the columns of the people file: ``full_name``, ``email``, ``position``, ``phone``, ``subtree``,
    ``department``; the rest (the unit's name) empty."""
    return [
        username,
        cells.get("full_name", ""),
        cells.get("email", ""),
        cells.get("position", ""),
        cells.get("phone", ""),
        unit,
        "",
        role,
        cells.get("subtree", ""),
        cells.get("department", ""),
    ]


def stored_people() -> tuple[list[tuple], list[tuple]]:
    """Every account's details and password, every membership, in a fixed order."""
    users = list(
        get_user_model()
        .objects.order_by("username")
        .values_list("username", "full_name", "email", "position", "phone", "password", "is_active")
    )
    memberships = list(
        Membership.objects.order_by("user__username", "unit__key", "role").values_list(
            "user__username", "unit__key", "role", "subtree", "department__name"
        )
    )
    return users, memberships
