from django.db import models
from django.utils.translation import gettext_lazy as _

from tincay.common.choices import UnitKind


class Level(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


Kind = UnitKind  # shared with the catalogue (applicability of criteria)


LEVEL_OF_KIND = {
    Kind.CENTRAL_CITY: Level.PROVINCE,
    Kind.PROVINCE: Level.PROVINCE,
    Kind.URBAN_DISTRICT: Level.DISTRICT,
    Kind.RURAL_DISTRICT: Level.DISTRICT,
    Kind.TOWN: Level.DISTRICT,
    Kind.PROVINCIAL_CITY: Level.DISTRICT,
    Kind.WARD: Level.COMMUNE,
    Kind.COMMUNE: Level.COMMUNE,
    Kind.TOWNSHIP: Level.COMMUNE,
    Kind.SPECIAL_ZONE: Level.COMMUNE,
}


class EventKind(models.TextChoices):
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename")
    REPARENT = "reparent", _("Re-parent")
    ABOLISH = "abolish", _("Abolish")
    ESTABLISH = "establish", _("Establish")


class LinkRole(models.TextChoices):
    PREDECESSOR = "predecessor", _("Predecessor")
    SUCCESSOR = "successor", _("Successor")
