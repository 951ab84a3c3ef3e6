"""Demo campaigns: the Hải Phòng 2023 pilot (12 units, published) and a 2026 campaign in progress.

Results are invented but plausible (seeded random, the same on every run) and clearly labelled as demo data.
Everything goes through the services, so the audit trail and the workflow history are real.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.assessments import scoring
from tincay.assessments.choices import CampaignRole, State
from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services import campaigns, evidence, imports, results, transitions
from tincay.catalogue.models import Criterion
from tincay.catalogue.selectors import version_by_ref
from tincay.demo.constants import BASE_VERSION, DEADLINES_2026, DEMO_PASSWORD, REVISION, not_applicable_reason
from tincay.demo.documents import DOCUMENTS, DemoDocument
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


def _band(criterion: Criterion, level: str) -> tuple[float, float]:
    """The range of values a performance criterion's thresholds give ``level`` (a percentage stays in 0..100)."""
    yellow, green = float(criterion.threshold_yellow), float(criterion.threshold_green)
    if criterion.direction == "lower_is_better":
        step = yellow - green
        return {
            "green": (max(0.0, green - step), green),
            "yellow": (green, yellow),
            "red": (yellow, yellow + step),
        }[level]
    step = max(10.0, green - yellow)
    top = 100.0 if criterion.measure_unit_vi.strip() == "%" else green + step
    return {"green": (green, top), "yellow": (yellow, green), "red": (max(0.0, yellow - step), yellow)}[level]


def _level_of(criterion: Criterion, value: Decimal) -> str:
    yellow, green, number = float(criterion.threshold_yellow), float(criterion.threshold_green), float(value)
    if criterion.direction == "lower_is_better":
        return "green" if number <= green else "yellow" if number <= yellow else "red"
    return "green" if number >= green else "yellow" if number >= yellow else "red"


def measured_value(criterion: Criterion, level: str, rng: random.Random) -> Decimal:
    """A plausible measured value of a performance criterion that its thresholds rate ``level`` (the measurement
    wins over a typed level, so the two must agree): whole numbers for counts of days, one decimal otherwise."""
    low, high = _band(criterion, level)
    places = 0 if "ngày" in criterion.measure_unit_vi else 1
    value = Decimal(str(round(low + (high - low) * rng.uniform(0.15, 0.85), places)))
    if _level_of(criterion, value) != level:  # a narrow band rounded onto its edge
        value = Decimal(str(high if criterion.direction == "lower_is_better" else low))  # the band's closed end
    return value


def _values_for(criterion: Criterion, levels: dict[str, str], rng: random.Random) -> dict[str, Decimal]:
    """One measurement per distinct level: the scorer keeps the unit's figure when they agree on the level."""
    values: dict[str, Decimal] = {}
    by_level: dict[str, Decimal] = {}
    for track in reversed(scoring.TRACKS):  # the final figure first; the others keep it when their level agrees
        level = levels.get(track)
        if level:
            by_level.setdefault(level, measured_value(criterion, level, rng))
            values[f"{track}_value"] = by_level[level]
    return values


def _pilot_rows(assessment: Assessment, rng: random.Random) -> dict[str, dict[str, Any]]:
    """Self, scorer and final levels for every criterion of one pilot unit, with comments where they differ; a
    measured value on every performance criterion; N/A only where the demo's list says the criterion cannot apply."""
    strength = rng.uniform(0.2, 0.9)
    rows = {}
    for result in assessment.results.select_related("criterion"):
        code = result.criterion.code
        if reason := not_applicable_reason(code, assessment.unit.key):
            rows[code] = {"na": True, "na_reason": reason}
            continue
        scorer = _level(rng, strength)
        own = _shift(scorer, 1) if rng.random() < SELF_BIAS else scorer
        final = scorer if rng.random() < 0.85 else _shift(scorer, rng.choice((-1, 1)))
        measured = {}
        if result.criterion.type == "performance":
            measured = _values_for(result.criterion, {"self": own, "scorer": scorer, "final": final}, rng)
        rows[code] = {
            "self_level": own,
            "scorer_level": scorer,
            "final_level": final,
            **measured,
            "narrative": "Dữ liệu mẫu: mô tả hiện trạng do đơn vị tự đánh giá.",
            "no_evidence_reason": "Dữ liệu mẫu nhập lại từ hồ sơ giấy năm 2023.",
            "scorer_comment": "Tổ chấm điểm hạ một mức: minh chứng chưa đầy đủ." if own != scorer else "",
            "final_comment": "Hội đồng điều chỉnh sau khi xem xét giải trình." if final != scorer else "",
        }
    return rows


def _import_in_two(actor: Any, assessment: Assessment, rows: dict[str, dict[str, Any]], **state: Any) -> None:
    """Import the rows without measured values, then those with: the import writes every column of its rows for
    every row, so keeping the value columns to the performance rows keeps seed_demo as fast as before."""
    measured = {code: row for code, row in rows.items() if any(name.endswith("_value") for name in row)}
    rest = {code: row for code, row in rows.items() if code not in measured}
    if rest:
        imports.assessment_import_results(user=actor, assessment=assessment, rows=rest)
    if measured or state:
        imports.assessment_import_results(user=actor, assessment=assessment, rows=measured or rest, **state)


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
        version=version_by_ref(*BASE_VERSION),  # the 2023 pilot used the 2020 base set; it keeps it
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
        _import_in_two(
            actor,
            assessment,
            _pilot_rows(assessment, rng),
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
        version=version_by_ref(*REVISION),  # new campaigns use the revised base set
        owner_unit=city,
        deadlines=dict(DEADLINES_2026),
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


def _register(user: Any, unit: AdminUnit) -> list[tuple[DemoDocument, Any]]:
    """The unit's demo documents (real PDF files) entered in its evidence register."""
    entries = []
    for spec in (d for d in DOCUMENTS if d.unit_key == unit.key):
        upload = SimpleUploadedFile(spec.file_name, spec.read_bytes(), content_type="application/pdf")
        data = {
            "title": spec.title,
            "number": spec.number,
            "issued_on": spec.issued_on,
            "issuer": spec.issuer,
            "kind": spec.kind,
            "visibility": spec.visibility,
        }
        entries.append((spec, evidence.document_create(user=user, unit=unit, data=data, upload=upload)))
    return entries


def _link_documents(user: Any, assessment: Assessment, entries: list[tuple[DemoDocument, Any]]) -> None:
    by_code = {r.criterion.code: r for r in assessment.results.select_related("criterion", "assessment")}
    for spec, document in entries:
        for code in spec.criteria:
            if code in by_code:
                evidence.evidence_link(user=user, result=by_code[code], document=document)


# Figures the demo's evidence documents report (tincay/demo/documents.py), so the value and its proof agree.
REPORTED: dict[tuple[str, str], Decimal] = {
    ("11311", "3.9.6"): Decimal("84.8"),  # Báo cáo 212/BC-UBND: 39 of 46 cases settled
    ("11311", "1.6.6"): Decimal("96.9"),  # Báo cáo 215/BC-UBND: 405 of 418 births registered on time
}


def _fill_hai_an(assessment: Assessment, people: dict[str, Any]) -> None:
    """Phường Hải An is part-way through: pillar 1 answered by the focal point (with measured values), three
    documents in the register linked to the criteria they prove."""
    user = people["daumoi"]
    rng = random.Random("tincay-demo-hai-an-2026")  # noqa: S311 - demo data
    for result in (
        assessment.results.select_related("criterion")
        .filter(criterion__code__startswith="1.")
        .order_by("criterion__order")[:40]
    ):
        level = _level(rng, 0.6)
        data: dict[str, Any] = {"self_level": level, "narrative": "Dữ liệu mẫu: đơn vị đang cập nhật."}
        if result.criterion.type == "performance":
            data["self_value"] = measured_value(result.criterion, level, rng)
        results.result_save(user=user, result=result, track="self", revision=result.revision, data=data)
    _link_documents(user, assessment, _register(user, assessment.unit))


def _send_hong_bang_for_scoring(actor: Any, assessment: Assessment) -> None:
    focal, leader = _extra_people(actor, assessment.unit)
    rng = random.Random("tincay-demo-hong-bang-2026")  # noqa: S311 - demo data
    documented = {code for d in DOCUMENTS if d.unit_key == assessment.unit.key for code in d.criteria}
    rows: dict[str, dict[str, Any]] = {}
    for result in assessment.results.select_related("criterion"):
        criterion = result.criterion
        if reason := not_applicable_reason(criterion.code, assessment.unit.key):
            rows[criterion.code] = {"na": True, "na_reason": reason}
            continue
        row: dict[str, Any] = {"self_level": _level(rng, 0.7), "narrative": "Dữ liệu mẫu."}
        if criterion.code not in documented:
            row["no_evidence_reason"] = "Dữ liệu mẫu: tài liệu lưu bản giấy tại Văn phòng."
        if criterion.type == "performance":
            value = REPORTED.get((assessment.unit.key, criterion.code))
            value = value if value is not None else measured_value(criterion, row["self_level"], rng)
            row.update(self_value=value, self_level=_level_of(criterion, value))
        rows[criterion.code] = row
    _import_in_two(actor, assessment, rows)  # the seed command imports
    _link_documents(actor, assessment, _register(actor, assessment.unit))
    for user, action in ((focal, "submit"), (leader, "approve_submission")):
        assessment.refresh_from_db()
        transitions.assessment_transition(user=user, assessment=assessment, action=action)
