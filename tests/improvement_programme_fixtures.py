"""Helpers of the action programme tests: a campaign whose assessments have final results, and a programme of it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth import get_user_model

from tests.assessment_fixtures import module_campaign
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Campaign, Document
from tincay.improvement.models import Programme
from tincay.improvement.services import actions, programmes
from tincay.orgunits.models import Department

HAI_AN = "11413"
SIBLING = "11311"
ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị"
CULTURE = "Phòng Văn hóa - Xã hội"


@contextmanager
def final_campaign(django_db_blocker: Any, code: str) -> Iterator[Campaign]:
    """A campaign over Hải An and a sibling ward, both approved (final results), cleaned up at the end."""
    with module_campaign(django_db_blocker, code, {"own": HAI_AN, "sibling": SIBLING}) as campaign:
        with django_db_blocker.unblock():
            Assessment.objects.filter(campaign=campaign).update(state=State.APPROVED)
        try:
            yield campaign
        finally:
            with django_db_blocker.unblock():
                Programme.objects.filter(assessment__campaign=campaign).delete()


def own_assessment(campaign: Campaign) -> Assessment:
    return Assessment.objects.select_related("unit", "campaign__version").get(campaign=campaign, unit__key=HAI_AN)


def sibling_assessment(campaign: Campaign) -> Assessment:
    return Assessment.objects.select_related("unit", "campaign__version").get(campaign=campaign, unit__key=SIBLING)


def department(assessment: Assessment, name: str = ECONOMY) -> Department:
    return Department.objects.get(unit=assessment.unit, name=name)


def document(assessment: Assessment, title: str = "Kế hoạch cải cách hành chính") -> Document:
    return Document.objects.create(unit=assessment.unit, title=title, url="https://example.org/ke-hoach")


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def criterion(assessment: Assessment, type_: str = "management") -> Any:
    return assessment.campaign.version.criteria.filter(type=type_).select_related("indicator").order_by("order").first()


def fields(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    """A complete, valid action of the assessment's programme (``extra`` replaces fields)."""
    crit = criterion(assessment)
    data = {
        "title": "Rà soát quy trình tiếp nhận hồ sơ",
        "description": "Rà soát và chuẩn hóa quy trình.",
        "starts_on": dt.date(2026, 1, 5),
        "deadline": dt.date(2026, 12, 31),
        "budget_vnd": 1_500_000,
        "budget_source": "state",
        "budget_note": "",
        "expected_result": "Quy trình được ban hành.",
        "status": "in_progress",
        "progress": 40,
        "weight": 2,
        "indicators": [crit.indicator],
        "criteria": [crit],
    }
    if "department" not in extra:
        data["department"] = department(assessment)
    if "responsible" not in extra:
        data["responsible"] = user("congchuc")
    data.update(extra)
    return data


def make_programme(
    assessment: Assessment, *, n_actions: int = 0, approve: bool = False, actor: str = "daumoi", **extra: Any
) -> Programme:
    """A programme of ``assessment`` with ``n_actions`` valid actions (``extra`` changes their fields)."""
    programme = programmes.programme_create(
        actor=user(actor), assessment=assessment, title="Chương trình hành động 2026", summary="Cải thiện."
    )
    for i in range(n_actions):
        programme.refresh_from_db()
        actions.action_create(
            actor=user(actor),
            programme=programme,
            revision=programme.revision,
            **fields(assessment, **{"title": f"Hành động {i + 1}", **extra}),
        )
    programme.refresh_from_db()
    if approve:
        programmes.programme_approve(
            actor=user("quantri" if actor == "quantri" else "lanhdao"), programme=programme, revision=programme.revision
        )
        programme.refresh_from_db()
    return programme
