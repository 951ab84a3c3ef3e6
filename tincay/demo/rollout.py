"""Demo rollouts: the Hải Phòng 2023 pilot through the five phases, its 2026 successor rollout, and the Thừa Thiên
Huế 2023 pilot.

Built through the rollout services with the system actor (or a demo person where the unit has one), replayed on the
days things happened (:func:`tincay.demo.improvement.on_day`). Where the demo register holds no document for a gate
(the 2023 units' paper decisions), the gate is recorded by hand with the reason.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from tincay.assessments.models import Campaign, Document
from tincay.assessments.services import evidence
from tincay.audit import services as audit
from tincay.common.errors import InvalidInput
from tincay.demo.improvement import DEMO, odt, on_day
from tincay.orgunits.models import AdminUnit
from tincay.rollout.choices import GateKey, PhaseKey, TrainingLevel
from tincay.rollout.models import PhaseTemplate, Rollout, RolloutUnit
from tincay.rollout.services import phases as phase_services
from tincay.rollout.services import preparation
from tincay.rollout.services.templates import phase_template_load

PILOT_ROLLOUT = "trien-khai-hai-phong-2023"
CURRENT_ROLLOUT = "trien-khai-hai-phong-2026"
HUE_ROLLOUT = "thi-diem-thua-thien-hue-2023"
HUE_KEY = "46"  # Thành phố Huế (Tỉnh Thừa Thiên Huế until 2025), the only Huế unit the demo loads
PAPER = (
    "Quyết định thành lập Ban chỉ đạo và Tổ giúp việc ban hành tháng 3/2023, lưu bản giấy tại Văn phòng HĐND và "
    f"UBND; sổ đăng ký tài liệu chưa có bản quét {DEMO}."
)
REPORTING_REASON = (
    "Kết quả thí điểm đã báo cáo UBND thành phố và Bộ Khoa học và Công nghệ; các hành động trung hạn tiếp tục "
    f"thực hiện trong năm 2024 {DEMO}."
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh"]
MIDDLE = ["Văn", "Thị", "Đức", "Thu", "Minh", "Thanh", "Ngọc", "Quang", "Hải", "Thùy"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương",
         "Quân", "Sơn", "Tâm", "Thảo", "Trung", "Tuấn", "Yến"]  # fmt: skip


def _template() -> PhaseTemplate:
    """The five-phase template: loaded by a migration, loaded again here when a test emptied the database."""
    return PhaseTemplate.objects.filter(code="five-phases", version=1).first() or phase_template_load()[0]


def _enter(actor: Any, entry: RolloutUnit, phase: str, on: dt.date, reason: str = "") -> RolloutUnit:
    """Enter ``phase``; when the service asks for a reason (a gate the data does not show as met), give ``reason``."""
    with on_day(on):
        try:
            return phase_services.phase_enter(actor=actor, entry=entry, phase=phase, on=on)
        except InvalidInput:
            if not reason:
                raise
            return phase_services.phase_enter(actor=actor, entry=entry, phase=phase, on=on, reason=reason)


def _mark_demo(actor: Any, rollout: Rollout) -> None:
    """Flag the rollout as demo data (``rollout_create`` takes no such flag yet), recorded in the audit trail."""
    Rollout.objects.filter(pk=rollout.pk).update(is_demo=True)
    audit.record(
        actor=actor, action="rollout.marked_demo", obj=rollout, before={"is_demo": False}, after={"is_demo": True}
    )


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _answers(unit: AdminUnit, rng: random.Random, *, complete: bool = True) -> dict[str, Any]:
    district = unit.level in ("district", "province")
    answers: dict[str, Any] = {
        "iso9001-status": rng.choice(["certified", "certified", "electronic"]),
        "iso9001-year": rng.choice([2016, 2017, 2018, 2019, 2020]),
        "it-systems": sorted(
            {"one-stop-shop", "document-management", "public-service-portal"}
            | set(rng.sample(["e-office", "portal", "feedback", "iso-software"], 2))
        ),
        "staff-total": rng.randint(70, 140) if district else rng.randint(18, 26),
        "staff-quality": rng.randint(2, 4) if district else 1,
        "quality-training": rng.random() < 0.5,
        "existing-plans": sorted({"par-plan", "iso-plan"} | set(rng.sample(["digital-transformation", "sipas"], 1))),
        "difficulties": "Số liệu phân tán ở nhiều phòng, bộ phận; công chức kiêm nhiệm nhiều việc, chưa quen đo "
        f"lường kết quả theo chỉ số {DEMO}.",
        "expectations": "Có bộ công cụ tự đánh giá thống nhất, xác định được điểm yếu để xây dựng chương trình hành "
        f"động và so sánh với các đơn vị cùng loại {DEMO}.",
    }
    if not complete:
        return {k: answers[k] for k in ("iso9001-status", "it-systems", "staff-total")}
    return answers


def _train(actor: Any, rollout: Rollout, units: list[AdminUnit], sessions: list[dict[str, Any]], seed: str) -> None:
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    for spec in sessions:
        people = spec.pop("people")
        with on_day(spec["held_on"]):
            session = preparation.training_session_create(actor=actor, rollout=rollout, units=units, **spec)
            for unit in units:
                named = people.get(unit.key) or [(_person(rng), position) for position in people["*"]]
                for name, position in named:
                    user = name if not isinstance(name, str) else None
                    preparation.attendance_add(
                        actor=actor,
                        session=session,
                        name="" if user else name,
                        unit=unit,
                        position=position,
                        user=user,
                    )


@transaction.atomic
def seed_pilot_rollout(actor: Any, campaign: Campaign) -> Rollout:
    """The 12 pilot units through the five phases, March–December 2023."""
    existing = Rollout.objects.filter(code=PILOT_ROLLOUT).first()
    if existing is not None:
        return existing
    start = dt.date(2023, 3, 1)
    with on_day(start):
        rollout = phase_services.rollout_create(
            actor=actor,
            code=PILOT_ROLLOUT,
            title_vi=f"Triển khai thí điểm TCVN ISO 18091:2020 tại Hải Phòng năm 2023 {DEMO}",
            title_en="Hải Phòng 2023 pilot rollout of TCVN ISO 18091:2020 (demo data)",
            owner_unit=AdminUnit.objects.get(key="31-2025"),
            template=_template(),
            campaign=campaign,
            starts_on=start,
            ends_on=dt.date(2023, 8, 31),
        )
        _mark_demo(actor, rollout)
        units = list(AdminUnit.objects.filter(is_pilot=True).order_by("level", "sort_key"))
        entries = phase_services.rollout_add_units(actor=actor, rollout=rollout, units=units, on=start)
        preparation.questionnaire_use_default(actor=actor, rollout=rollout)
    rng = random.Random("tincay-demo-rollout-2023")  # noqa: S311 - demo data
    for i, entry in enumerate(entries):
        with on_day(dt.date(2023, 3, 13 + i % 10)):
            for gate in (GateKey.STEERING_DECISION, GateKey.SUPPORT_TEAM):
                phase_services.gate_record(actor=actor, entry=entry, gate=gate, met=True, reason=PAPER)
            preparation.survey_answers_save(actor=actor, entry=entry, answers=_answers(entry.unit, rng), submit=True)
        _enter(actor, entry, PhaseKey.TRAINING, dt.date(2023, 4, 3 + i % 5))
    _train(
        actor,
        rollout,
        units,
        [
            {
                "held_on": dt.date(2023, 4, 12),
                "trainer": "Chuyên gia Tổng cục Tiêu chuẩn Đo lường Chất lượng",
                "topic": f"Giới thiệu TCVN ISO 18091:2020 và bộ chỉ số đánh giá chính quyền địa phương tin cậy {DEMO}",
                "level": TrainingLevel.BASIC,
                "place": "Hội trường Sở Khoa học và Công nghệ Hải Phòng",
                "people": {"*": ["Phó Chủ tịch UBND", "Công chức đầu mối"]},
            },
            {
                "held_on": dt.date(2023, 4, 26),
                "trainer": "Chuyên gia Tổng cục Tiêu chuẩn Đo lường Chất lượng; Chi cục TCĐLCL Hải Phòng",
                "topic": f"Hướng dẫn tự đánh giá, thu thập minh chứng và chấm điểm theo 39 chỉ số {DEMO}",
                "level": TrainingLevel.IN_DEPTH,
                "place": "Hội trường Sở Khoa học và Công nghệ Hải Phòng",
                "people": {"*": ["Thành viên Tổ giúp việc", "Công chức đầu mối"]},
            },
        ],
        "tincay-demo-training-2023",
    )
    for i, entry in enumerate(entries):
        _enter(actor, entry, PhaseKey.SELF_ASSESSMENT, dt.date(2023, 5, 2 + i % 8))
        _enter(
            actor,
            entry,
            PhaseKey.ACTION_PROGRAMME,
            dt.date(2023, 7, 3) + dt.timedelta(days=i * 4),
            f"Tự đánh giá đã nộp tháng 6/2023 trên hồ sơ giấy, nhập lại vào hệ thống sau {DEMO}.",
        )
        _enter(actor, entry, PhaseKey.REPORTING, dt.date(2023, 12, 11 + i % 5), REPORTING_REASON)
        with on_day(dt.date(2023, 12, 22)):
            phase_services.unit_documents_record(actor=actor, entry=entry, report_sent_on=dt.date(2023, 12, 22))
    return rollout


def _register_document(actor: Any, unit: AdminUnit, spec: dict[str, Any]) -> Document:
    """A register entry with a small OpenDocument text file of the demo document (generated, the same bytes on every
    run, so a re-seed shares the stored file)."""
    existing = Document.objects.filter(unit=unit, number=spec["number"], title=spec["title"]).first()
    if existing is not None:
        return existing
    upload = SimpleUploadedFile(
        spec.pop("file_name"), odt(spec["title"], spec.pop("body")), "application/vnd.oasis.opendocument.text"
    )
    with on_day(spec["issued_on"]):
        return evidence.document_create(user=actor, unit=unit, data=spec, upload=upload)


HUE_PLAN = {
    "file_name": "hue-ke-hoach-thi-diem-2023.odt",
    "title": f"Kế hoạch thí điểm áp dụng TCVN ISO 18091:2020 tại hai huyện năm 2023 {DEMO}",
    "number": "KH-THIDIEM-2023 (mẫu)",
    "issued_on": dt.date(2023, 3, 20),
    "issuer": "UBND tỉnh Thừa Thiên Huế (nay là UBND thành phố Huế)",
    "kind": "plan",
    "visibility": "public",
    "body": [
        "Mục đích: thí điểm áp dụng TCVN ISO 18091:2020 tại hai đơn vị cấp huyện trong năm 2023 theo năm giai đoạn: "
        "chuẩn bị và khảo sát sơ bộ; đào tạo; tự đánh giá có hướng dẫn; xây dựng và thực hiện chương trình hành "
        "động; báo cáo kết quả.",
        "Nguồn công khai chỉ nêu Thừa Thiên Huế thí điểm tại hai huyện năm 2023, không nêu tên huyện. Danh mục đơn "
        "vị hành chính trước năm 2025 không được nạp trong dữ liệu mẫu, nên kế hoạch này không gắn với đơn vị cụ "
        "thể nào.",
    ],
}
HUE_SUMMARY = {
    "file_name": "hue-bao-cao-tong-ket-thi-diem-2023.odt",
    "title": f"Báo cáo tổng kết thí điểm áp dụng TCVN ISO 18091:2020 năm 2023 {DEMO}",
    "number": "BC-TONGKET-2023 (mẫu)",
    "issued_on": dt.date(2023, 12, 20),
    "issuer": "UBND tỉnh Thừa Thiên Huế (nay là UBND thành phố Huế)",
    "kind": "report",
    "visibility": "public",
    "body": [
        "Hai đơn vị thí điểm đã hoàn thành tự đánh giá theo bộ chỉ số, xác định các chủ điểm cần cải thiện và xây "
        "dựng chương trình hành động; kết quả báo cáo Bộ Khoa học và Công nghệ.",
        "Văn bản là dữ liệu mẫu minh họa: nội dung và số hiệu không phải của văn bản thật.",
    ],
}


@transaction.atomic
def seed_hue_rollout(actor: Any) -> Rollout | None:
    """The Thừa Thiên Huế 2023 pilot: the sources name no district and the demo loads no pre-2025 Huế unit, so the
    rollout carries its plan and summing-up documents and no unit (nothing is invented)."""
    existing = Rollout.objects.filter(code=HUE_ROLLOUT).first()
    if existing is not None:
        return existing
    owner = AdminUnit.objects.filter(key=HUE_KEY).first()
    if owner is None:
        return None
    start = dt.date(2023, 3, 20)
    with on_day(start):
        rollout = phase_services.rollout_create(
            actor=actor,
            code=HUE_ROLLOUT,
            title_vi=(
                "Thí điểm TCVN ISO 18091:2020 tại hai huyện của Thừa Thiên Huế năm 2023 (dữ liệu mẫu; nguồn không "
                "nêu tên huyện, chưa gắn đơn vị)"
            ),
            title_en="Thừa Thiên Huế 2023 pilot in two districts (demo data; the sources do not name the districts)",
            owner_unit=owner,
            template=_template(),
            starts_on=start,
            ends_on=dt.date(2023, 12, 31),
        )
        _mark_demo(actor, rollout)
    plan = _register_document(actor, owner, dict(HUE_PLAN, body=list(HUE_PLAN["body"])))
    summary = _register_document(actor, owner, dict(HUE_SUMMARY, body=list(HUE_SUMMARY["body"])))
    # No service sets a rollout's plan and summing-up documents yet: set here, recorded in the audit trail.
    Rollout.objects.filter(pk=rollout.pk).update(plan_document=plan, summary_document=summary)
    audit.record(
        actor=actor,
        action="rollout.documents_set",
        obj=rollout,
        before={"plan_document": None, "summary_document": None},
        after={"plan_document": plan.pk, "summary_document": summary.pk},
        reason=f"Kế hoạch và báo cáo tổng kết thí điểm {DEMO}.",
    )
    rollout.refresh_from_db()
    return rollout


# --- 2026: the successors of the pilot units, in the current campaign ----------------------------------------------

CURRENT_START = dt.date(2026, 3, 2)
STUCK_AFTER = 120  # days: a self-assessment lasts months; a unit still in preparation after that is flagged


@transaction.atomic
def seed_current_rollout(actor: Any, campaign: Campaign, people: dict[str, Any]) -> Rollout:
    """Phường Hải An in phase 3 (self-assessment), the others in earlier phases, Phường Thủy Nguyên stuck in
    preparation since March 2026."""
    existing = Rollout.objects.filter(code=CURRENT_ROLLOUT).first()
    if existing is not None:
        return existing
    units = {a.unit.key: a.unit for a in campaign.assessments.select_related("unit")}
    with on_day(CURRENT_START):
        rollout = phase_services.rollout_create(
            actor=people["dieuphoi"],
            code=CURRENT_ROLLOUT,
            title_vi=f"Triển khai TCVN ISO 18091:2020 tại các phường, xã của Hải Phòng năm 2026 {DEMO}",
            title_en="Rolling out TCVN ISO 18091:2020 in Hải Phòng's wards and communes, 2026 (demo data)",
            owner_unit=AdminUnit.objects.get(key="31"),
            template=_template(),
            campaign=campaign,
            starts_on=CURRENT_START,
            ends_on=dt.date(2027, 3, 31),
            stuck_after_days=STUCK_AFTER,
        )
        _mark_demo(actor, rollout)
        first = [units[k] for k in ("11413", "11311", "11329", "11560") if k in units]
        entries = {
            e.unit.key: e
            for e in phase_services.rollout_add_units(actor=actor, rollout=rollout, units=first, on=CURRENT_START)
        }
        preparation.questionnaire_use_default(actor=actor, rollout=rollout)
    rng = random.Random("tincay-demo-rollout-2026")  # noqa: S311 - demo data
    hai_an = entries.get("11413")
    if hai_an is not None:
        decision = Document.objects.filter(unit=hai_an.unit, number="125/QĐ-UBND").first()
        with on_day(dt.date(2026, 3, 4)):
            if decision is not None:
                phase_services.unit_documents_record(
                    actor=people["daumoi"], entry=hai_an, steering_decision=decision, support_team_document=decision
                )
        with on_day(dt.date(2026, 3, 20)):
            preparation.survey_answers_save(
                actor=people["daumoi"], entry=hai_an, answers=_answers(hai_an.unit, rng), submit=True
            )
    for key in ("11311", "11329"):
        entry = entries.get(key)
        if entry is None:
            continue
        with on_day(dt.date(2026, 3, 25)):
            for gate in (GateKey.STEERING_DECISION, GateKey.SUPPORT_TEAM):
                phase_services.gate_record(
                    actor=actor,
                    entry=entry,
                    gate=gate,
                    met=True,
                    reason=f"Quyết định thành lập Ban chỉ đạo và Tổ giúp việc đã ban hành, chưa vào sổ đăng ký {DEMO}.",
                )
            preparation.survey_answers_save(actor=actor, entry=entry, answers=_answers(entry.unit, rng), submit=True)
    trained = [e for k, e in entries.items() if k in ("11413", "11311")]
    for entry in trained:
        _enter(actor, entry, PhaseKey.TRAINING, dt.date(2026, 4, 6))
    if trained:
        hai_an_people = {
            "11413": [(people[u], people[u].position) for u in ("lanhdao", "daumoi", "congchuc") if u in people],
        }
        _train(
            actor,
            rollout,
            [e.unit for e in trained],
            [
                {
                    "held_on": dt.date(2026, 4, 15),
                    "trainer": "Chi cục Tiêu chuẩn Đo lường Chất lượng Hải Phòng",
                    "topic": f"TCVN ISO 18091:2020 và bộ chỉ số sửa đổi năm 2026 cho phường, xã {DEMO}",
                    "level": TrainingLevel.BASIC,
                    "place": "Trung tâm Hội nghị thành phố Hải Phòng",
                    "people": {"*": ["Chủ tịch UBND", "Công chức đầu mối"], **hai_an_people},
                },
                {
                    "held_on": dt.date(2026, 5, 20),
                    "trainer": "Chuyên gia Ủy ban Tiêu chuẩn Đo lường Chất lượng Quốc gia",
                    "topic": f"Thực hành tự đánh giá, đo lường chỉ số hiệu quả và minh chứng {DEMO}",
                    "level": TrainingLevel.IN_DEPTH,
                    "place": "Trung tâm Hội nghị thành phố Hải Phòng",
                    "people": {"*": ["Thành viên Tổ giúp việc", "Công chức đầu mối"], **hai_an_people},
                },
            ],
            "tincay-demo-training-2026",
        )
        for entry in trained:
            _enter(actor, entry, PhaseKey.SELF_ASSESSMENT, dt.date(2026, 9, 1))
    if "11329" in entries:
        _enter(actor, entries["11329"], PhaseKey.TRAINING, dt.date(2026, 10, 5))
    late = units.get("11761")
    if late is not None:  # joined in the autumn; its survey is still a draft
        with on_day(dt.date(2026, 10, 26)):
            (entry,) = phase_services.rollout_add_units(
                actor=actor, rollout=rollout, units=[late], on=dt.date(2026, 10, 26)
            )
        with on_day(dt.date(2026, 11, 9)):
            preparation.survey_answers_save(actor=actor, entry=entry, answers=_answers(late, rng, complete=False))
    return rollout
