"""What roles a user holds and where: read once per request from their memberships.

Memberships are stored by tincay.orgunits; this module reads them through the ``user.memberships`` relation so
every app can ask "is this user a coordinator over that unit?" without importing orgunits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tincay.accounts.choices import Role

_CACHE_ATTR = "_tincay_scopes"


@dataclass(frozen=True)
class Scope:
    role: str
    unit_id: int | None  # None: the whole country
    path: str | None  # materialised path of the unit ("31/11413/"), None for the whole country
    subtree: bool

    def covers(self, path: str) -> bool:
        """Does this scope reach the unit whose path is ``path``?"""
        if self.path is None:
            return True
        return path == self.path or (self.subtree and path.startswith(self.path))


def user_scopes(user: Any) -> list[Scope]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = user.memberships.values_list("role", "unit_id", "unit__path", "subtree")
        cached = [Scope(role, unit_id, path, subtree or unit_id is None) for role, unit_id, path, subtree in rows]
        if user.is_superuser:
            cached.append(Scope(Role.ADMIN, None, None, True))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_scopes(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_system(actor: Any) -> bool:
    """A command running on the server (seed, loaders, imports), named by a string such as ``"seed_demo"``.

    Pages and the API always pass ``request.user``, so a string can only come from code on the server: services
    trust it for permission but still validate its input like anyone else's."""
    return isinstance(actor, str) and bool(actor)


def is_admin(user: Any) -> bool:
    return any(s.role == Role.ADMIN for s in user_scopes(user))


def has_role(user: Any, *roles: str) -> bool:
    return any(s.role in roles for s in user_scopes(user))


def roles_over(user: Any, path: str) -> set[str]:
    """Roles the user holds over the unit at ``path`` (directly or through a subtree or national scope)."""
    return {s.role for s in user_scopes(user) if s.covers(path)}
