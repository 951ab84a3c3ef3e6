"""The pre-2025 benchmark set: the tree before the 2025 reform at the size of the issue (63 provinces, 705
districts, 10,599 communes) and one campaign over every commune, scored.

The real pre-2025 tree we ship (``load_units --legacy``, as it stood on 30 June 2025) has 696 districts and
10,061 communes; the issue's figures are those of 2021, before the 2023–2025 mergers. The difference is made up
with synthetic units named "Đơn vị mô phỏng …" (bench database only), so the benchmark runs at the issue's size
without inventing anything in the product's data.
"""

from __future__ import annotations

import random

from django.db import transaction

from bench.assessments import DEADLINES, LEVELS, _insert_results
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services.campaigns import applicable_criteria
from tincay.assessments.services.scores import campaign_rescore_bulk
from tincay.catalogue.selectors import version_by_ref
from tincay.orgunits.choices import Kind, Level
from tincay.orgunits.loaders import LEGACY_END
from tincay.orgunits.models import AdminUnit

DISTRICTS, COMMUNES = 705, 10_599
CAMPAIGN = "bench-legacy-2024"


def _legacy(level: str):
    return AdminUnit.objects.filter(level=level, valid_to=LEGACY_END)


def _add(level: str, kind: str, prefix: str, name: str, parents: list[AdminUnit], count: int) -> None:
    units = []
    for n in range(count):
        unit = AdminUnit(
            key=f"{prefix}{n:05d}-2025",
            code=f"{prefix}{n:05d}",
            name=f"{name} {n + 1}",
            level=level,
            kind=kind,
            parent=parents[n % len(parents)],
            valid_to=LEGACY_END,
            source="bench",
        )
        unit.refresh_derived()
        units.append(unit)
    AdminUnit.objects.bulk_create(units, batch_size=2000)


def _top_up() -> None:
    """Synthetic districts and communes until the tree has the issue's size."""
    provinces = list(_legacy(Level.PROVINCE).order_by("key"))
    missing = DISTRICTS - _legacy(Level.DISTRICT).count()
    _add(Level.DISTRICT, Kind.RURAL_DISTRICT, "BD", "Huyện mô phỏng", provinces, missing)
    districts = list(AdminUnit.objects.filter(source="bench", level=Level.DISTRICT).select_related("parent"))
    missing = COMMUNES - _legacy(Level.COMMUNE).count()
    _add(Level.COMMUNE, Kind.COMMUNE, "BC", "Xã mô phỏng", districts, missing)


def generate(rng: random.Random) -> Campaign:
    """The tree at full size and campaign ``bench-legacy-2024`` over all its communes, results filled, scored."""
    with transaction.atomic():
        _top_up()
        communes = list(_legacy(Level.COMMUNE).order_by("key"))
        version = version_by_ref("tcvn-iso-18091", "2020")
        criteria = {kind: applicable_criteria(version.pk, kind) for kind in {u.kind for u in communes}}
        campaign = Campaign.objects.create(
            code=CAMPAIGN, title_vi="Bench trước 2025", year=2024, version=version, **DEADLINES
        )
        Assessment.objects.bulk_create(
            [Assessment(campaign=campaign, unit=u, state="published") for u in communes], batch_size=2000
        )
        by_unit = dict(campaign.assessments.values_list("unit_id", "pk"))
        _insert_results(
            (by_unit[unit.pk], criterion.pk, level, level, level)
            for unit in communes
            for criterion in criteria[unit.kind]
            for level in (rng.choice(LEVELS),)
        )
    campaign_rescore_bulk(campaign.pk)
    return campaign


def sizes() -> dict[str, int]:
    return {level: _legacy(level).count() for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)}
