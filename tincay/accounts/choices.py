from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles of DESIGN.md §1, held through memberships (user, unit, role)."""

    ADMIN = "admin", _("System administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    FOCAL_POINT = "focal_point", _("Focal point")
    CONTRIBUTOR = "contributor", _("Contributor")
    SCORER = "scorer", _("Scorer")
    COUNCIL = "council", _("Appraisal council member")
    VIEWER = "viewer", _("Viewer")


# Roles that may be held over a whole subtree and over the whole country (unit left empty).
SUBTREE_ROLES = {Role.ADMIN, Role.COORDINATOR, Role.VIEWER, Role.SCORER, Role.COUNCIL}
NATIONAL_ROLES = {Role.ADMIN, Role.VIEWER, Role.COORDINATOR}


class TokenState(models.TextChoices):
    """What an API token can do now (computed from its dates, never stored)."""

    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class TokenRevokedReason(models.TextChoices):
    """Why an API token stopped working before its expiry."""

    OWNER = "owner", _("revoked by its owner")
    PASSWORD_CHANGED = "password_changed", _("the password was changed")
    REPLACED = "replaced", _("replaced by a new token of the same name")
