"""Demo campaigns: the Hải Phòng 2023 pilot (12 units, published) and a 2026 campaign in progress.

Results are invented but plausible (seeded random, the same on every run) and clearly labelled as demo data.
Everything goes through the services, so the audit trail and the workflow history are real.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services import campaigns, evidence, imports, results, transitions
from tincay.catalogue.selectors import version_by_ref
from tincay.demo.constants import DEMO_PASSWORD
from tincay.orgunits import services as unit_services
from tincay.orgunits.models import AdminUnit
from tincay.reports.services import snapshot_create

PILOT_CODE = "thi-diem-hai-phong-2023"
CURRENT_CODE = "hai-phong-2026"
LEVELS = ("red", "yellow", "green")
SELF_BIAS = 0.25  # units rate themselves a little greener than the scorers do


def _level(rng: random.Random, strength: float) -> str:
    x = rng.random() * 0.6 + strength * 0.6
    return "green" if x > 0.7 else "yellow" if x > 0.35 else "red"


def _shift(level: str, steps: int) -> str:
    return LEVELS[max(0, min(2, LEVELS.index(level) + steps))]


def _pilot_rows(assessment: Assessment, rng: random.Random) -> dict[str, dict[str, Any]]:
    """Self, scorer and final levels for every criterion of one pilot unit, with comments where they differ."""
    strength = rng.uniform(0.2, 0.9)
    rows = {}
    for result in assessment.results.select_related("criterion"):
        code = result.criterion.code
        if rng.random() < 0.03:
            rows[code] = {"na": True, "na_reason": "Địa bàn không có đối tượng này (dữ liệu mẫu)."}
            continue
        scorer = _level(rng, strength)
        own = _shift(scorer, 1) if rng.random() < SELF_BIAS else scorer
        final = scorer if rng.random() < 0.85 else _shift(scorer, rng.choice((-1, 1)))
        rows[code] = {
            "self_level": own,
            "scorer_level": scorer,
            "final_level": final,
            "narrative": "Dữ liệu mẫu: mô tả hiện trạng do đơn vị tự đánh giá.",
            "no_evidence_reason": "Dữ liệu mẫu nhập lại từ hồ sơ giấy năm 2023.",
            "scorer_comment": "Tổ chấm điểm hạ một mức: minh chứng chưa đầy đủ." if own != scorer else "",
            "final_comment": "Hội đồng điều chỉnh sau khi xem xét giải trình." if final != scorer else "",
        }
    return rows


def seed_pilot_campaign(actor: Any, scorer: Any, council: Any) -> Campaign:
    existing = Campaign.objects.filter(code=PILOT_CODE).first()
    if existing is not None:
        return existing
    pilots = list(AdminUnit.objects.filter(is_pilot=True).order_by("level", "sort_key"))
    campaign = campaigns.campaign_create(
        actor=actor,
        code=PILOT_CODE,
        is_demo=True,
        year=2023,
        title_vi="Thí điểm áp dụng TCVN ISO 18091:2020 tại Hải Phòng năm 2023 (dữ liệu mẫu)",
        title_en="Hải Phòng 2023 pilot of TCVN ISO 18091:2020 (demo data)",
        version=version_by_ref("tcvn-iso-18091", "2020"),
        owner_unit=AdminUnit.objects.get(key="31-2025"),
        deadlines={
            "self_assessment_due": dt.date(2023, 6, 30),
            "scoring_due": dt.date(2023, 8, 31),
            "appraisal_due": dt.date(2023, 10, 31),
            "publication_due": dt.date(2023, 12, 15),
        },
        units=pilots,
    )
    campaigns.campaign_set_member(actor=actor, campaign=campaign, user=scorer, role=CampaignRole.SCORER, units=pilots)
    campaigns.campaign_set_member(actor=actor, campaign=campaign, user=council, role=CampaignRole.COUNCIL)
    for assessment in campaign.assessments.select_related("unit").order_by("unit__key"):
        rng = random.Random(f"tincay-demo-{assessment.unit.key}")  # noqa: S311 - demo data, not security
        imports.assessment_import_results(
            user=actor,
            assessment=assessment,
            rows=_pilot_rows(assessment, rng),
            final_state=State.PUBLISHED,
            reason="Dữ liệu mẫu: kết quả thí điểm 2023 nhập lại từ hồ sơ giấy.",
        )
    snapshot_create(actor=actor, campaign=campaign)
    return campaign


def _extra_people(actor: Any, unit: AdminUnit) -> tuple[Any, Any]:
    user_model = get_user_model()
    people = []
    for username, name, role in (
        ("daumoi.hongbang", "Ngô Thị Bàng", Role.FOCAL_POINT),
        ("lanhdao.hongbang", "Đinh Văn Hồng", Role.UNIT_LEADER),
    ):
        user = user_model.objects.filter(username=username).first() or account_services.user_create(
            actor=actor,
            username=username,
            password=DEMO_PASSWORD,
            full_name=name,
            email=f"{username}@demo.local",
        )
        if not user.memberships.filter(unit=unit, role=role).exists():
            unit_services.membership_grant(actor=actor, user=user, role=role, unit=unit)
        people.append(user)
    return people[0], people[1]


def seed_current_campaign(actor: Any, people: dict[str, Any]) -> Campaign:
    existing = Campaign.objects.filter(code=CURRENT_CODE).first()
    if existing is not None:
        return existing
    city = AdminUnit.objects.get(key="31")
    units = list(AdminUnit.objects.filter(key__in=["11413", "11311", "11329", "11560", "11761"]).order_by("sort_key"))
    campaign = campaigns.campaign_create(
        actor=people["dieuphoi"],
        code=CURRENT_CODE,
        is_demo=True,
        year=2026,
        title_vi="Kỳ đánh giá chính quyền địa phương tin cậy năm 2026 (dữ liệu mẫu)",
        title_en="Reliable local government assessment 2026 (demo data)",
        version=version_by_ref("tcvn-iso-18091", "2020"),
        owner_unit=city,
        deadlines={
            "self_assessment_due": dt.date(2026, 12, 15),
            "scoring_due": dt.date(2027, 1, 31),
            "appraisal_due": dt.date(2027, 2, 28),
            "publication_due": dt.date(2027, 3, 31),
        },
        units=units,
        baseline=Campaign.objects.filter(code=PILOT_CODE).first(),
    )
    hai_an, hong_bang = units[[u.key for u in units].index("11413")], units[[u.key for u in units].index("11311")]
    campaigns.campaign_set_member(
        actor=actor, campaign=campaign, user=people["chamdiem"], role=CampaignRole.SCORER, units=[hai_an, hong_bang]
    )
    campaigns.campaign_set_member(actor=actor, campaign=campaign, user=people["thamdinh"], role=CampaignRole.COUNCIL)
    _fill_hai_an(campaign.assessments.get(unit=hai_an), people)
    _send_hong_bang_for_scoring(actor, campaign.assessments.get(unit=hong_bang))
    return campaign


def _fill_hai_an(assessment: Assessment, people: dict[str, Any]) -> None:
    """Phường Hải An is part-way through: pillar 1 answered by the focal point, one decision in the register."""
    user = people["daumoi"]
    decision = evidence.document_create(
        user=user,
        unit=assessment.unit,
        data={
            "title": "Quyết định thành lập Ban chỉ đạo áp dụng TCVN ISO 18091:2020 (dữ liệu mẫu)",
            "number": "125/QĐ-UBND",
            "issued_on": dt.date(2026, 3, 2),
            "issuer": "UBND phường Hải An",
            "kind": "decision",
            "url": "https://example.invalid/haian/125-qd-ubnd",
            "visibility": "internal",
        },
    )
    rng = random.Random("tincay-demo-hai-an-2026")  # noqa: S311 - demo data
    for result in (
        assessment.results.select_related("criterion")
        .filter(criterion__code__startswith="1.")
        .order_by("criterion__order")[:40]
    ):
        results.result_save(
            user=user,
            result=result,
            track="self",
            revision=result.revision,
            data={
                "self_level": _level(rng, 0.6),
                "narrative": "Dữ liệu mẫu: đơn vị đang cập nhật.",
            },
        )
        if result.criterion.code.startswith("1.1."):
            evidence.evidence_link(user=user, result=result, document=decision)


def _send_hong_bang_for_scoring(actor: Any, assessment: Assessment) -> None:
    focal, leader = _extra_people(actor, assessment.unit)
    rng = random.Random("tincay-demo-hong-bang-2026")  # noqa: S311 - demo data
    rows = {
        r.criterion.code: {
            "self_level": _level(rng, 0.7),
            "narrative": "Dữ liệu mẫu.",
            "no_evidence_reason": "Dữ liệu mẫu: tài liệu lưu bản giấy tại Văn phòng.",
        }
        for r in assessment.results.select_related("criterion")
    }
    imports.assessment_import_results(user=actor, assessment=assessment, rows=rows)  # the seed command imports
    for user, action in ((focal, "submit"), (leader, "approve_submission")):
        assessment.refresh_from_db()
        transitions.assessment_transition(user=user, assessment=assessment, action=action)
