"""Writes about units: memberships, departments, peer groups, new people with their first role.

Each is atomic and audited, validates its whole input and asks :mod:`tincay.orgunits.access` whether the actor
may make it before touching a row; pages and commands only translate input and show the errors.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tincay.accounts import services as account_services
from tincay.accounts.choices import NATIONAL_ROLES, SUBTREE_ROLES, Role
from tincay.accounts.roles import forget_scopes
from tincay.audit import services as audit
from tincay.common.errors import NON_FIELD, ErrorCollector, InvalidInput, Refused, text_input
from tincay.orgunits import access
from tincay.orgunits.access import forget_reach
from tincay.orgunits.choices import Kind
from tincay.orgunits.models import AdminUnit, Department, Membership, PeerGroup

REASON_MAX = 2000
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class MembershipError(InvalidInput):
    """A role, department or peer group change refused with a message for the user."""


class UnitRefused(Refused):
    """This person may not make that change to roles, departments or peer groups."""


def _raise(errors: ErrorCollector) -> None:
    if errors:
        raise MembershipError(errors.errors)


def _grant_errors(
    *, role: Any, unit: Any, subtree: Any, department: Any, user: Any = None, errors: ErrorCollector
) -> None:
    """Every problem of a role grant's input (field names of the membership form)."""
    if user is not None and (not hasattr(user, "memberships") or getattr(user, "pk", None) is None):
        errors.add(NON_FIELD, _("Choose an existing account."))
    if not isinstance(role, str) or role not in Role.values:
        errors.add("role", _("Choose one of the listed roles."))
        role = None
    if unit is not None and not isinstance(unit, AdminUnit):
        errors.add("unit_key", _("Choose a unit by its code."))
        return
    if not isinstance(subtree, bool):
        errors.add("subtree", _("“Also every unit below it” must be true or false."))
        subtree = False
    if unit is None and role is not None and role not in NATIONAL_ROLES:
        errors.add(
            "unit_key",
            _("Only administrators, coordinators and viewers can hold a role for the whole country. Choose a unit."),
        )
    if unit is not None and unit.valid_to is not None:
        errors.add("unit_key", _("%(unit)s no longer exists; choose one of today's units.") % {"unit": unit.name})
    if subtree and role is not None and role not in SUBTREE_ROLES:
        errors.add("subtree", _("This role applies to one unit only, not to a whole subtree. Untick the box."))
    if department is not None and (
        not isinstance(department, Department) or department.unit_id != getattr(unit, "pk", None)
    ):
        errors.add("department", _("The department must belong to the chosen unit."))


def _refuse_grant(actor: Any, role: str, unit: AdminUnit | None) -> None:
    if not access.can_grant(actor, role, unit):
        if unit is None:
            raise UnitRefused({"unit_key": _("Choose a unit: only administrators grant roles for the whole country.")})
        if role in (Role.ADMIN, Role.COORDINATOR):
            raise UnitRefused({"role": _("Only administrators grant the administrator and coordinator roles.")})
        raise UnitRefused(
            {"unit_key": _("%(unit)s lies outside your scope; choose a unit you coordinate.") % {"unit": unit.name}}
        )


def _grant(*, actor: Any, user: Any, role: str, unit: AdminUnit | None, subtree: bool, department: Any) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"subtree": subtree, "department": department}
    )
    if not created and (membership.subtree != subtree or membership.department_id != getattr(department, "pk", None)):
        membership.subtree, membership.department = subtree, department
        membership.save()
    forget_scopes(user)
    forget_reach(user)
    audit.record(
        actor=actor,
        action="orgunits.membership_granted",
        obj=membership,
        after={"user": user.username, "role": role, "unit": getattr(unit, "key", None), "subtree": subtree},
    )
    return membership


@transaction.atomic
def membership_grant(
    *,
    actor: Any,
    user: Any,
    role: str,
    unit: AdminUnit | None,
    subtree: bool = False,
    department: Department | None = None,
) -> Membership:
    """Give ``user`` a role in ``unit`` (or nationally). Coordinators: not admin/coordinator, inside their scope."""
    errors = ErrorCollector()
    _grant_errors(role=role, unit=unit, subtree=subtree, department=department, user=user, errors=errors)
    _raise(errors)
    _refuse_grant(actor, role, unit)
    if not access.can_manage_person(actor, user):
        raise UnitRefused(
            _("%(name)s holds no role inside your scope; ask an administrator to grant this role.")
            % {"name": user.get_username()}
        )
    return _grant(actor=actor, user=user, role=role, unit=unit, subtree=subtree, department=department)


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership, reason: str = "") -> None:
    errors = ErrorCollector()
    reason = text_input(errors, "reason", reason, limit=REASON_MAX)
    _raise(errors)
    stored = (
        Membership.objects.select_related("user", "unit").select_for_update(of=("self",)).filter(pk=membership.pk)
    ).first()
    if stored is None:
        raise MembershipError(_("This role has already been removed. Reload the page."))
    membership = stored
    if not access.can_revoke(actor, membership):
        raise UnitRefused(
            _(
                "You may remove only roles you could grant: not administrator or coordinator, "
                "and only on units inside your scope. Ask an administrator."
            )
        )
    before = {
        "user": membership.user.username,
        "role": membership.role,
        "unit": getattr(membership.unit, "key", None),
        "subtree": membership.subtree,
    }
    membership_id = membership.pk
    membership.delete()
    forget_scopes(membership.user)
    forget_reach(membership.user)
    audit.record(
        actor=actor,
        action="orgunits.membership_revoked",
        object_type="orgunits.membership",
        object_id=str(membership_id),
        object_repr=f"{before['user']} {before['role']}",
        before=before,
        reason=reason,
    )


@transaction.atomic
def person_create(
    *,
    actor: Any,
    username: str,
    role: str,
    unit: AdminUnit | None,
    subtree: bool = False,
    department: Department | None = None,
    password: str | None = None,
    **fields: Any,
) -> tuple[Any, Membership]:
    """A new account with its first role, in one step, so that a coordinator's new colleague is in their scope
    from the start (an account without any role belongs to no coordinator). Every problem of both is reported
    at once; nothing is stored unless both are right."""
    errors = ErrorCollector()
    _grant_errors(role=role, unit=unit, subtree=subtree, department=department, errors=errors)
    for field, messages in account_services.account_errors(
        fields={"username": username, **fields}, password=password
    ).items():
        for message in messages:
            errors.add(field, message)
    _raise(errors)
    _refuse_grant(actor, role, unit)
    user = account_services.user_create(actor=actor, username=username, password=password, **fields)
    membership = _grant(actor=actor, user=user, role=role, unit=unit, subtree=subtree, department=department)
    return user, membership


def _department_input(errors: ErrorCollector, unit: Any, name: Any, short_name: Any) -> tuple[str, str]:
    if not isinstance(unit, AdminUnit):
        errors.add(NON_FIELD, _("Choose a unit for the department."))
    elif unit.valid_to is not None:
        errors.add(NON_FIELD, _("%(unit)s no longer exists; add departments to today's units.") % {"unit": unit.name})
    name = text_input(errors, "name", name, limit=Department._meta.get_field("name").max_length, required=True)
    short_name = text_input(errors, "short_name", short_name, limit=Department._meta.get_field("short_name").max_length)
    return name, short_name


def _refuse_department(actor: Any, unit: AdminUnit) -> None:
    if not access.can_manage_unit(actor, unit):
        raise UnitRefused(
            _("Only administrators and the coordinators over %(unit)s manage its departments.") % {"unit": unit.name}
        )


@transaction.atomic
def department_create(*, actor: Any, unit: AdminUnit, name: str, short_name: str = "") -> Department:
    errors = ErrorCollector()
    name, short_name = _department_input(errors, unit, name, short_name)
    _raise(errors)
    _refuse_department(actor, unit)
    if Department.objects.filter(unit=unit, name=name).exists():
        raise MembershipError({"name": _("This unit already has a department named “%(name)s”.") % {"name": name}})
    department = Department.objects.create(unit=unit, name=name, short_name=short_name)
    audit.record(
        actor=actor,
        action="orgunits.department_created",
        obj=department,
        after={"unit": unit.key, "name": name},
    )
    return department


@transaction.atomic
def department_ensure(*, actor: Any, unit: AdminUnit, name: str, short_name: str = "") -> Department:
    errors = ErrorCollector()
    clean_name, _short = _department_input(errors, unit, name, short_name)
    _raise(errors)
    _refuse_department(actor, unit)
    existing = Department.objects.filter(unit=unit, name=clean_name).first()
    return existing or department_create(actor=actor, unit=unit, name=name, short_name=short_name)


def _peergroup_input(errors: ErrorCollector, data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, required in (
        ("code", True),
        ("name_vi", True),
        ("name_en", False),
        ("description_vi", False),
        ("description_en", False),
    ):
        limit = PeerGroup._meta.get_field(field).max_length or 5000
        clean[field] = text_input(errors, field, data[field], limit=limit, required=required)
    if clean["code"] and not _SLUG.match(clean["code"]):
        errors.add("code", _("Use letters, digits, dashes and underscores only."))
    kinds = data["rule_kinds"]
    if not isinstance(kinds, (list, tuple)) or not all(isinstance(kind, str) for kind in kinds):
        errors.add("rule_kinds", _("Give a list of unit kinds."))
        kinds = []
    unknown = [kind for kind in kinds if kind not in Kind.values]
    if unknown:
        errors.add(
            "rule_kinds",
            _("Unknown unit kinds: %(kinds)s. Use %(choices)s.")
            % {"kinds": ", ".join(unknown), "choices": ", ".join(Kind.values)},
        )
    clean["rule_kinds"] = list(dict.fromkeys(kinds))
    return clean


@transaction.atomic
def peergroup_ensure(
    *,
    actor: Any,
    code: str,
    name_vi: str,
    name_en: str,
    rule_kinds: list[str],
    description_vi: str = "",
    description_en: str = "",
) -> PeerGroup:
    """Create or update a peer group and refresh its members from its rule (today's units of those kinds)."""
    errors = ErrorCollector()
    clean = _peergroup_input(
        errors,
        {
            "code": code,
            "name_vi": name_vi,
            "name_en": name_en,
            "rule_kinds": rule_kinds,
            "description_vi": description_vi,
            "description_en": description_en,
        },
    )
    _raise(errors)
    if not access.can_manage_peer_groups(actor):
        raise UnitRefused(_("Only administrators manage peer groups."))
    code = clean.pop("code")
    group, created = PeerGroup.objects.update_or_create(code=code, defaults=clean)
    members = AdminUnit.objects.filter(kind__in=clean["rule_kinds"], valid_to__isnull=True)
    before = set(group.units.values_list("pk", flat=True))
    after = set(members.values_list("pk", flat=True))
    if before != after:
        group.units.set(after)
        audit.record(
            actor=actor,
            action="orgunits.peergroup_refreshed",
            obj=group,
            before={"count": len(before)},
            after={"count": len(after)},
        )
    elif created:
        audit.record(actor=actor, action="orgunits.peergroup_created", obj=group, after={"count": len(after)})
    return group
