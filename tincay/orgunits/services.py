"""Writes about units: memberships, departments, peer groups. Each is atomic and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tincay.accounts.choices import NATIONAL_ROLES, SUBTREE_ROLES
from tincay.accounts.roles import forget_scopes
from tincay.audit import services as audit
from tincay.common.errors import InvalidInput
from tincay.orgunits.access import forget_reach
from tincay.orgunits.models import AdminUnit, Department, Membership, PeerGroup


class MembershipError(InvalidInput):
    """A role, department or peer group change refused with a message for the user."""


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
    if unit is None and role not in NATIONAL_ROLES:
        raise MembershipError(_("Only administrators, coordinators and viewers can hold a role for the whole country."))
    if unit is not None and unit.valid_to is not None:
        raise MembershipError(_("%(unit)s no longer exists; choose one of today's units.") % {"unit": unit.name})
    if subtree and role not in SUBTREE_ROLES:
        raise MembershipError(_("This role applies to one unit only, not to a whole subtree."))
    if department is not None and department.unit_id != getattr(unit, "pk", None):
        raise MembershipError(_("The department must belong to the chosen unit."))
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
def membership_revoke(*, actor: Any, membership: Membership, reason: str = "") -> None:
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
def department_create(*, actor: Any, unit: AdminUnit, name: str, short_name: str = "") -> Department:
    if Department.objects.filter(unit=unit, name=name).exists():
        raise MembershipError(_("This unit already has a department named “%(name)s”.") % {"name": name})
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
    existing = Department.objects.filter(unit=unit, name=name).first()
    return existing or department_create(actor=actor, unit=unit, name=name, short_name=short_name)


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
    group, created = PeerGroup.objects.update_or_create(
        code=code,
        defaults={
            "name_vi": name_vi,
            "name_en": name_en,
            "rule_kinds": rule_kinds,
            "description_vi": description_vi,
            "description_en": description_en,
        },
    )
    members = AdminUnit.objects.filter(kind__in=rule_kinds, valid_to__isnull=True)
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
