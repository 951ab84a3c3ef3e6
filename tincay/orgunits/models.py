"""Administrative units as an effective-dated tree, their lineage, departments, peer groups, memberships."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tincay.accounts.choices import Role
from tincay.common.models import TimeStampedModel
from tincay.common.text import fold, strip_unit_prefix, vi_sort_key
from tincay.orgunits.choices import EventKind, Kind, Level, LinkRole


class AdminUnit(models.Model):
    """One administrative unit during one period of its existence.

    ``key`` is unique: today's units use their official code; units that ended use ``<code>-<year ended>`` (codes
    are reused after reforms). ``path`` is the chain of keys from the root, for subtree queries.
    """

    key = models.CharField(_("key"), max_length=40, unique=True)
    code = models.CharField(_("official code"), max_length=20, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, db_index=True)
    # The sources give no start date for most units before 2025: they come from a list of a given day. Then
    # ``listed_on`` is that day and ``valid_from`` only the earliest possible start (or null when nothing bounds
    # it); the views say "as listed on …" for dates before it (docs/architecture.md, "Units with history").
    listed_on = models.DateField(_("as listed on"), null=True, blank=True)
    is_pilot = models.BooleanField(_("ISO 18091 pilot unit"), default=False)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    search_text = models.CharField(max_length=300, db_index=True, editable=False)
    sort_key = models.CharField(max_length=600, db_index=True, editable=False)
    source = models.CharField(_("data source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["sort_key"]
        indexes = [models.Index(fields=["parent", "sort_key"]), models.Index(fields=["level", "valid_to"])]

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        return strip_unit_prefix(self.name)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None

    @property
    def start_known(self) -> bool:
        """True when ``valid_from`` is the day the unit began, not a bound."""
        return self.valid_from is not None and self.listed_on is None

    def shown_as_listed_on(self, date: dt.date | None) -> bool:
        """On ``date``, is the unit shown only because the list of ``listed_on`` has it (its start unknown)?"""
        return date is not None and self.listed_on is not None and date < self.listed_on

    def refresh_derived(self) -> None:
        """Recompute the search text, sort key and path from name, code and parent."""
        self.search_text = f"{fold(self.name)} {self.code}"[:300]
        self.sort_key = vi_sort_key(self.short_name)[:600]
        self.path = f"{self.parent.path if self.parent else ''}{self.key}/"

    @staticmethod
    def valid_on(date) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=date)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=date)
        )


class LineageEvent(TimeStampedModel):
    """A dated change of the territory: merge, split, rename, re-parent, abolish, establish."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("effective date"), db_index=True)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    legal_basis_confirmed = models.BooleanField(_("legal basis confirmed"), default=False)
    note_vi = models.TextField(_("note (Vietnamese)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    source = models.CharField(_("data source"), max_length=100, blank=True)
    natural_key = models.CharField(max_length=200, unique=True, editable=False)
    units = models.ManyToManyField(AdminUnit, through="LineageLink", related_name="lineage_events")

    class Meta:
        verbose_name = _("lineage event")
        verbose_name_plural = _("lineage events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class LineageLink(models.Model):
    event = models.ForeignKey(LineageEvent, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="lineage_links")
    role = models.CharField(max_length=20, choices=LinkRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "unit", "role"], name="lineage_link_unique")]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.role} of event {self.event_id}"


class Department(TimeStampedModel):
    """A specialised office inside a unit (phòng ban chuyên môn) that contributes evidence."""

    unit = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name


class PeerGroup(TimeStampedModel):
    """Units compared with each other (urban wards, rural communes, special zones, size classes)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    rule_kinds = models.JSONField(_("unit kinds included automatically"), default=list, blank=True)
    units = models.ManyToManyField(AdminUnit, related_name="peer_groups", blank=True)

    class Meta:
        verbose_name = _("peer group")
        verbose_name_plural = _("peer groups")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name_vi


class Membership(TimeStampedModel):
    """A user holds a role in a unit, or over its whole subtree; no unit means the whole country."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    subtree = models.BooleanField(_("applies to the whole subtree"), default=False)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(unit__isnull=True), name="membership_unique_national"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit or _('whole country')}"
