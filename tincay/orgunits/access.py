"""Which units a user may see and manage. Views and the API ask here; nothing else filters by permission.

A user sees the units of their memberships (and the whole subtree where the membership says so), and the
historical units those units came from (their predecessors through lineage events), so history follows units.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tincay.accounts.access import PROTECTED_ROLES
from tincay.accounts.choices import Role
from tincay.accounts.roles import Scope, is_admin, is_system, user_scopes
from tincay.orgunits.choices import LinkRole
from tincay.orgunits.models import AdminUnit, LineageLink, Membership

_MAX_LINEAGE_DEPTH = 6
_REACH_CACHE = "_tincay_reach_cache"
MANAGER_ROLES = {Role.ADMIN, Role.COORDINATOR}


def _scope_filter(scopes: list[Scope], to_unit: str = "") -> Q:
    """What ``Scope.covers`` reaches, as a filter: the unit, and the units below it only over a subtree.
    ``to_unit``: the lookup from the filtered model to its unit (``"unit__"`` for memberships)."""
    q = Q(pk__in=[])
    for scope in scopes:
        q |= Q(**{f"{to_unit}path": scope.path})
        if scope.subtree:
            q |= Q(**{f"{to_unit}path__startswith": scope.path})
    return q


def _predecessor_ids(visible: QuerySet[AdminUnit]) -> set[int]:
    """Ids of every unit that, through lineage events, leads to a unit in ``visible``."""
    found: set[int] = set()
    frontier_q = Q(unit__in=visible.values("pk"))
    for _depth in range(_MAX_LINEAGE_DEPTH):
        events = LineageLink.objects.filter(frontier_q, role=LinkRole.SUCCESSOR).values("event_id")
        new = set(
            LineageLink.objects.filter(event_id__in=events, role=LinkRole.PREDECESSOR)
            .exclude(unit_id__in=found)
            .values_list("unit_id", flat=True)
        )
        if not new:
            break
        found |= new
        frontier_q = Q(unit_id__in=new)
    return found


def units_visible_to(user: Any) -> QuerySet[AdminUnit]:
    return units_reached_by(user)


def units_reached_by(user: Any, roles: set[str] | None = None) -> QuerySet[AdminUnit]:
    """Units the user's scopes (optionally only those of ``roles``) reach, with their historical predecessors.

    The lineage walk runs once per user object and set of roles (a request), then the result is reused.
    """
    scopes = [s for s in user_scopes(user) if roles is None or s.role in roles]
    if not scopes:
        return AdminUnit.objects.none()
    if any(scope.path is None for scope in scopes):
        return AdminUnit.objects.all()
    cache = user.__dict__.setdefault(_REACH_CACHE, {})
    key = frozenset(roles) if roles is not None else None
    if key not in cache:
        cache[key] = _predecessor_ids(AdminUnit.objects.filter(_scope_filter(scopes)))
    predecessors = cache[key]
    if not predecessors:
        return AdminUnit.objects.filter(_scope_filter(scopes))
    return AdminUnit.objects.filter(_scope_filter(scopes) | Q(pk__in=predecessors))


def forget_reach(user: Any) -> None:
    user.__dict__.pop(_REACH_CACHE, None)


def get_unit_for_user(user: Any, key: str) -> AdminUnit | None:
    return units_visible_to(user).select_related("parent").filter(key=key).first()


def _manager_scopes(user: Any) -> list[Scope]:
    return [s for s in user_scopes(user) if s.role in MANAGER_ROLES]


def can_manage_unit(user: Any, unit: AdminUnit) -> bool:
    """Admins, the coordinators over a unit and server-side commands manage its departments and memberships."""
    return is_system(user) or any(scope.covers(unit.path) for scope in _manager_scopes(user))


def can_manage_units(user: Any) -> bool:
    """Units and their lineage are the country's reference data: administrators and commands only."""
    return is_system(user) or is_admin(user)


def can_manage_peer_groups(user: Any) -> bool:
    """Peer groups compare units across the whole country: administrators and commands only."""
    return is_system(user) or is_admin(user)


def can_grant(user: Any, role: str, unit: AdminUnit | None) -> bool:
    """Admins grant any role anywhere; a coordinator grants roles but admin and coordinator on units it covers."""
    if is_system(user) or is_admin(user):
        return True
    if role in PROTECTED_ROLES or unit is None:
        return False
    return can_manage_unit(user, unit)


def can_revoke(user: Any, membership: Membership) -> bool:
    """The same rule as granting, read from the membership being removed."""
    return can_grant(user, membership.role, membership.unit)


def can_manage_person(user: Any, target: Any) -> bool:
    """May ``user`` grant roles to ``target``? Admins anyone; a coordinator the people holding a role it covers.

    Superusers and staff accounts are left to administrators. Changing a person's e-mail or password asks
    ``tincay.accounts.access.can_change_identity``, which is stricter.
    """
    if is_system(user) or is_admin(user):
        return True
    if not can_manage_people(user) or target is None or target.pk is None:
        return False
    if target.is_superuser or target.is_staff:
        return False
    paths = target.memberships.filter(unit__isnull=False).values_list("unit__path", flat=True)
    scopes = _manager_scopes(user)
    return any(scope.covers(path) for path in paths for scope in scopes)


def can_manage_people(user: Any) -> bool:
    return bool(_manager_scopes(user))


def grantable_roles(user: Any) -> list[str]:
    """Admins grant every role; coordinators grant every role but admin and coordinator."""
    if is_admin(user):
        return list(Role.values)
    if can_manage_people(user):
        return [r for r in Role.values if r not in (Role.ADMIN, Role.COORDINATOR)]
    return []


def memberships_manageable_by(user: Any) -> QuerySet[Membership]:
    """The memberships in the units ``user`` manages (``can_manage_unit``); every one for an administrator."""
    memberships = Membership.objects.select_related("user", "unit", "department")
    scopes = _manager_scopes(user)
    if any(scope.path is None for scope in scopes):
        return memberships
    return memberships.filter(_scope_filter(scopes, "unit__"))


def users_manageable_by(user: Any, user_model: Any) -> QuerySet:
    """Admins manage everyone; coordinators the people holding a membership in their subtree."""
    if is_admin(user):
        return user_model.objects.all()
    if not can_manage_people(user):
        return user_model.objects.none()
    return user_model.objects.filter(pk__in=memberships_manageable_by(user).values("user_id"))
