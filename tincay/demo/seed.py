"""Demo data built through the services: the Hải Phòng pilot units, one user per role, departments."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management import call_command

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.audit import services as audit
from tincay.catalogue import services as catalogue_services
from tincay.catalogue.selectors import version_by_ref
from tincay.demo import campaigns as demo_campaigns
from tincay.demo import feedback as demo_feedback
from tincay.demo import improvement as demo_improvement
from tincay.demo import rollout as demo_rollout
from tincay.demo.constants import DEMO_PASSWORD, POPULATIONS, REVISION
from tincay.orgunits import services as unit_services
from tincay.orgunits.models import AdminUnit

HAI_PHONG = "31"
BASE_REF = REVISION  # the local draft starts from the revised base set
LOCAL_VERSION = "hai-phong-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    position: str
    role: str
    unit: str | None  # "city", "ward" or None (whole country)
    subtree: bool = False
    department: str | None = None


DEMO_USERS = [
    DemoUser("quantri", "Nguyễn Văn Quản", "Quản trị hệ thống", Role.ADMIN, None),
    DemoUser("dieuphoi", "Trần Thị Điều", "Chuyên viên Chi cục TCĐLCL Hải Phòng", Role.COORDINATOR, "city", True),
    DemoUser("lanhdao", "Phạm Văn Lãnh", "Chủ tịch UBND phường", Role.UNIT_LEADER, "ward"),
    DemoUser("daumoi", "Lê Thị Đầu", "Công chức Văn phòng HĐND và UBND", Role.FOCAL_POINT, "ward"),
    DemoUser(
        "congchuc",
        "Hoàng Văn Công",
        "Công chức phòng Kinh tế, Hạ tầng và Đô thị",
        Role.CONTRIBUTOR,
        "ward",
        department="Phòng Kinh tế, Hạ tầng và Đô thị",
    ),
    DemoUser("chamdiem", "Vũ Thị Chấm", "Thành viên tổ chấm điểm", Role.SCORER, "city", True),
    DemoUser("thamdinh", "Đỗ Văn Thẩm", "Thành viên hội đồng thẩm định", Role.COUNCIL, "city", True),
    DemoUser("xem", "Bùi Thị Xem", "Văn phòng UBND thành phố", Role.VIEWER, "city", True),
]
WARD_DEPARTMENTS = [
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công",
]
PEER_GROUPS = [
    ("phuong", "Phường (đô thị)", "Urban wards", ["ward"]),
    ("xa", "Xã (nông thôn)", "Rural communes", ["commune"]),
    ("dac-khu", "Đặc khu", "Special zones", ["special_zone"]),
    (
        "tinh-thanh",
        "Tỉnh, thành phố",
        "Provinces and centrally governed cities",
        ["province", "central_city"],
    ),
]


def demo_ward() -> AdminUnit:
    """Today's Phường Hải An, the successor of the 2023 pilot ward Đằng Lâm."""
    ward = AdminUnit.objects.filter(parent__key=HAI_PHONG, name="Phường Hải An", valid_to__isnull=True).first()
    if ward is None:
        raise RuntimeError("Phường Hải An is not loaded; run load_units first")
    return ward


def set_populations(actor: str) -> None:
    """Give the demo units their (rounded, demo) populations, recorded in the audit trail. There is no service
    for a unit's population yet: the unit lists carry none, and this is demo data."""
    units = AdminUnit.objects.filter(key__in=POPULATIONS).only("pk", "key", "name", "population")
    for unit in units:
        population = POPULATIONS[unit.key]
        if unit.population == population:
            continue
        before = unit.population
        AdminUnit.objects.filter(pk=unit.pk).update(population=population)
        audit.record(
            actor=actor,
            action="orgunits.population_set",
            obj=unit,
            before={"population": before},
            after={"population": population},
            reason="Dữ liệu mẫu: dân số làm tròn.",
        )


def seed(stdout=None, *, surveys: bool = True) -> list[DemoUser]:
    call_command("load_framework", stdout=stdout)
    call_command("load_units", stdout=stdout)
    call_command("load_survey_templates", stdout=stdout)  # shipped by migration; again after a flush
    actor = "seed_demo"
    for code, name_vi, name_en, kinds in PEER_GROUPS:
        unit_services.peergroup_ensure(actor=actor, code=code, name_vi=name_vi, name_en=name_en, rule_kinds=kinds)
    city = AdminUnit.objects.get(key=HAI_PHONG)
    ward = demo_ward()
    departments = {
        name: unit_services.department_ensure(actor=actor, unit=ward, name=name) for name in WARD_DEPARTMENTS
    }
    user_model = get_user_model()
    for spec in DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            user = account_services.user_create(
                actor=actor,
                username=spec.username,
                password=DEMO_PASSWORD,
                full_name=spec.full_name,
                position=spec.position,
                email=f"{spec.username}@demo.local",
            )
        unit = {"city": city, "ward": ward, None: None}[spec.unit]
        if not user.memberships.filter(role=spec.role, unit=unit).exists():
            unit_services.membership_grant(
                actor=actor,
                user=user,
                role=spec.role,
                unit=unit,
                subtree=spec.subtree,
                department=departments.get(spec.department) if spec.department else None,
            )
    base = version_by_ref(*BASE_REF)
    if base is not None and version_by_ref(BASE_REF[0], LOCAL_VERSION) is None:
        catalogue_services.version_derive(
            source=base,
            actor=actor,
            code=LOCAL_VERSION,
            title_vi="Bộ chỉ số TCVN ISO 18091:2020 áp dụng tại Hải Phòng (dự thảo 2026)",
            title_en="TCVN ISO 18091:2020 indicator set for Hải Phòng (2026 draft)",
            owner_unit=city,
        )
    set_populations(actor)
    people = {u.username: u for u in user_model.objects.filter(username__in=[d.username for d in DEMO_USERS])}
    pilot = demo_campaigns.seed_pilot_campaign(actor, people["chamdiem"], people["thamdinh"])
    current = demo_campaigns.seed_current_campaign(actor, people)
    if surveys:
        demo_feedback.seed_surveys(people["dieuphoi"], current, pilot)
    demo_improvement.seed_pilot_programmes(actor, pilot)  # before the rollout: its gates read the programmes
    demo_rollout.seed_pilot_rollout(actor, pilot)
    demo_rollout.seed_current_rollout(actor, current, people)
    demo_rollout.seed_hue_rollout(actor)
    return DEMO_USERS
