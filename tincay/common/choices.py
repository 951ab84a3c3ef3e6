"""Vocabulary shared by sibling apps (the catalogue and the unit tree): the kinds of Vietnamese units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CENTRAL_CITY = "central_city", _("Centrally governed city")
    PROVINCE = "province", _("Province")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    RURAL_DISTRICT = "rural_district", _("Rural district")
    TOWN = "town", _("Town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    WARD = "ward", _("Ward")
    COMMUNE = "commune", _("Commune")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")
