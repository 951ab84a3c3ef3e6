"""Who may see and change which framework versions. Views, the API and the services ask here; nothing else decides.

Server-side commands (a string actor, see ``accounts.roles.is_system``) load and change versions freely; their
input is still checked by the services.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tincay.accounts.choices import Role
from tincay.accounts.roles import Scope, is_admin, is_system, user_scopes
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.models import FrameworkVersion


def _coordinator_scopes(user: Any) -> list[Scope]:
    return [s for s in user_scopes(user) if s.role == Role.COORDINATOR]


def versions_visible_to(user: Any) -> QuerySet[FrameworkVersion]:
    """Issued and retired versions are public; drafts only for admins and the coordinators who own them."""
    versions = FrameworkVersion.objects.select_related("framework")
    if is_admin(user):
        return versions
    visible = ~Q(status=VersionStatus.DRAFT)
    for scope in _coordinator_scopes(user):
        if scope.path is None:
            visible |= Q(status=VersionStatus.DRAFT)
        else:
            visible |= Q(owner_unit__path=scope.path) | Q(owner_unit__path__startswith=scope.path)
    return versions.filter(visible)


def get_version_for_user(user: Any, framework_code: str, version_code: str) -> FrameworkVersion | None:
    return (
        versions_visible_to(user)
        .select_related("derived_from__framework", "owner_unit", "issued_by")
        .filter(framework__code=framework_code, code=version_code)
        .first()
    )


def can_derive(user: Any) -> bool:
    return is_system(user) or is_admin(user) or bool(_coordinator_scopes(user))


def can_own(user: Any, unit: Any) -> bool:
    """May ``user`` make a draft owned by ``unit`` (None: a national version)? The rule of ``can_edit_version``."""
    if is_system(user) or is_admin(user):
        return True
    if unit is None:
        return any(s.path is None for s in _coordinator_scopes(user))
    return any(s.covers(unit.path) for s in _coordinator_scopes(user))


def derive_owners(user: Any) -> list[Any]:
    """Units a user may own a derived version for; None stands for a national version (no owner unit)."""
    if is_admin(user):
        return [None]
    memberships = user.memberships.filter(role=Role.COORDINATOR).select_related("unit").order_by("unit__sort_key")
    return [m.unit for m in memberships]


def can_edit_version(user: Any, version: FrameworkVersion) -> bool:
    if version.status != VersionStatus.DRAFT:
        return False
    return can_own(user, version.owner_unit if version.owner_unit_id else None)
