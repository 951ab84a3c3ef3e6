"""Rows for the tests of phases 1–2 (preliminary survey, training): a rollout coordinated by Hải Phòng over the
demo ward (Phường Hải An, where lanhdao, daumoi and congchuc work) and another commune of the city.

Rollout and RolloutUnit rows are made with the ORM (the rollout services are another part's); the questionnaire
and sessions go through this part's services.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tincay.orgunits.models import AdminUnit
from tincay.rollout.choices import PhaseKey
from tincay.rollout.models import PhaseTemplate, Rollout, RolloutUnit

HAI_PHONG = "31"
HAI_AN = "11413"


def other_commune() -> AdminUnit:
    """A commune of today's Hải Phòng other than the demo ward."""
    return (
        AdminUnit.objects.filter(parent__key=HAI_PHONG, valid_to__isnull=True)
        .exclude(key=HAI_AN)
        .order_by("sort_key")
        .first()
    )


def make_rollout(code: str = "hp-thu-nghiem", *, extra: int = 0) -> Rollout:
    """A rollout over the demo ward and another commune of Hải Phòng (plus ``extra`` more communes)."""
    template, _created = PhaseTemplate.objects.get_or_create(
        code="preparation-tests", version=1, defaults={"title_vi": "Mẫu năm giai đoạn (kiểm thử)"}
    )
    rollout = Rollout.objects.create(
        code=code,
        title_vi="Triển khai thử nghiệm TCVN ISO 18091 tại Hải Phòng",
        title_en="TCVN ISO 18091 pilot rollout in Hải Phòng",
        owner_unit=AdminUnit.objects.get(key=HAI_PHONG),
        template=template,
        starts_on=dt.date(2026, 3, 1),
    )
    units = [AdminUnit.objects.get(key=HAI_AN), other_commune()]
    if extra:
        units += list(
            AdminUnit.objects.filter(parent__key=HAI_PHONG, valid_to__isnull=True)
            .exclude(pk__in=[u.pk for u in units])
            .order_by("sort_key")[:extra]
        )
    RolloutUnit.objects.bulk_create(
        [
            RolloutUnit(rollout=rollout, unit=u, current_phase=PhaseKey.PREPARATION, phase_since=dt.date(2026, 3, 1))
            for u in units
        ]
    )
    return rollout


def entry_of(rollout: Rollout, key: str = HAI_AN) -> RolloutUnit:
    return RolloutUnit.objects.select_related("rollout", "unit").get(rollout=rollout, unit__key=key)


def full_answers() -> dict[str, Any]:
    """Answers to every default question, typed the way the page sends them."""
    return {
        "iso9001-status": "electronic",
        "iso9001-year": "2021",
        "it-systems": ["one-stop-shop", "document-management", "portal"],
        "staff-total": "1250",
        "staff-quality": "3",
        "quality-training": "yes",
        "existing-plans": ["par-plan", "iso-plan"],
        "par-index-score": "87,5",
        "difficulties": "Thiếu nhân lực chuyên trách.",
        "expectations": "Nâng cao chất lượng phục vụ người dân.",
    }
