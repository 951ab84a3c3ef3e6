"""Who may create and change whose account. The account services ask here; the people pages ask the same.

Changing an account's e-mail or password is as good as taking the account over (a reset link goes to the new
address), so a coordinator may change only the accounts that could not reach further than the coordinator
already does: people whose every role lies inside the coordinator's scope and who are neither administrators nor
coordinators. Memberships are read through the ``user.memberships`` relation, as ``roles.py`` does, so accounts
never imports orgunits.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from tincay.accounts.choices import Role
from tincay.accounts.roles import Scope, is_admin, is_system, user_scopes

# Roles whose holders only an administrator may touch: they manage other people themselves.
PROTECTED_ROLES = (Role.ADMIN, Role.COORDINATOR)


def _coordinator_scopes(actor: Any) -> list[Scope]:
    return [s for s in user_scopes(actor) if s.role == Role.COORDINATOR]


def can_create_account(actor: Any) -> bool:
    """Administrators, coordinators (for their new colleagues) and server-side commands create accounts."""
    return is_system(actor) or is_admin(actor) or bool(_coordinator_scopes(actor))


def can_change_identity(actor: Any, target: Any) -> bool:
    """May ``actor`` change the username, e-mail, name, position, phone, password or active flag of ``target``?

    Administrators and commands always may. A coordinator only when the target is no superuser or staff member,
    holds no administrator or coordinator role anywhere, and every one of the target's memberships lies inside
    one of the coordinator's scopes. An account without any role belongs to nobody's scope: administrators only.
    """
    if is_system(actor) or is_admin(actor):
        return True
    scopes = _coordinator_scopes(actor)
    if not scopes or target is None or getattr(target, "pk", None) is None:
        return False
    if target.is_superuser or target.is_staff:
        return False
    memberships = list(target.memberships.values_list("role", "unit__path"))
    if not memberships:
        return False
    return all(role not in PROTECTED_ROLES and _covered(scopes, path) for role, path in memberships)


def _covered(scopes: list[Scope], path: str | None) -> bool:
    if path is None:  # a national role: only a national scope reaches it
        return any(scope.path is None for scope in scopes)
    return any(scope.covers(path) for scope in scopes)


def people_pickable_by(actor: Any, user_model: Any) -> Any:
    """Active people ``actor`` may choose by name (a scorer or council member to appoint, a person to manage):
    administrators everyone; coordinators the people holding a role on a unit their scopes reach (everyone for
    a national coordinator); nobody else. The services still decide whether the choice is allowed."""
    active = user_model.objects.filter(is_active=True)
    if is_admin(actor):
        return active
    scopes = _coordinator_scopes(actor)
    if any(scope.path is None for scope in scopes):
        return active
    if not scopes:
        return active.none()
    reach = Q(pk__in=[])
    for scope in scopes:
        reach |= Q(memberships__unit__path=scope.path)
        if scope.subtree:
            reach |= Q(memberships__unit__path__startswith=scope.path)
    return active.filter(pk__in=user_model.objects.filter(reach).values("pk"))
