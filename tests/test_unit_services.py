"""The unit services guard the unit tree: only administrators (and commands on the server) write units and lineage
events; every rule refuses with a clear message under the model's field and stores nothing; a saved unit or event
is audited; moving a unit moves the paths of every unit below it."""

from __future__ import annotations

import datetime as dt

import pytest

from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.access import can_manage_units
from tincay.orgunits.loaders import event_key
from tincay.orgunits.models import AdminUnit, LineageEvent, LineageLink
from tincay.orgunits.selectors import lineage_closure
from tincay.orgunits.unit_services import lineage_event_record, unit_save

pytestmark = pytest.mark.usefixtures("english")

D = dt.date
START = D(2026, 7, 1)
END = D(2026, 6, 30)
NEW = "99001"


def _ward(**overrides):
    """The arguments of a new ward of Hải Phòng from 1 July 2026."""
    return {
        "key": NEW,
        "code": NEW,
        "name": "Phường Thử Nghiệm",
        "kind": "ward",
        "parent_key": "31",
        "valid_from": START,
        "valid_to": None,
    } | overrides


def _stored() -> tuple[int, int, int]:
    return AdminUnit.objects.count(), LineageEvent.objects.count(), AuditEvent.objects.count()


def _values(key: str) -> tuple:
    return AdminUnit.objects.filter(key=key).values_list("code", "name", "kind", "parent__key", "valid_to").get()


@pytest.mark.django_db
def test_an_administrator_creates_a_unit_with_its_level_path_and_audit(users):
    unit, changes = unit_save(actor=users["quantri"], **_ward(population=12500, is_pilot=True))
    assert (unit.level, unit.path, unit.parent.key, unit.population) == ("commune", f"31/{NEW}/", "31", 12500)
    assert changes["name"] == (None, "Phường Thử Nghiệm")
    assert changes["parent"] == (None, "31") and changes["valid_from"] == (None, START)
    assert "valid_to" not in changes  # a new unit's changes are the fields it has
    event = AuditEvent.objects.latest("id")
    assert (event.action, event.object_id, event.actor) == ("orgunits.unit_created", str(unit.pk), users["quantri"])
    assert event.after["parent"] == "31" and event.after["valid_from"] == "2026-07-01"


@pytest.mark.django_db
def test_saving_the_same_values_again_writes_nothing(users):
    unit_save(actor=users["quantri"], **_ward())
    before = _stored()
    unit, changes = unit_save(actor=users["quantri"], **_ward())
    assert changes == {} and unit.key == NEW
    assert _stored() == before


@pytest.mark.django_db
def test_an_update_returns_what_changed_with_before_and_after(users):
    unit_save(actor=users["quantri"], **_ward())
    _unit, changes = unit_save(actor=users["quantri"], **_ward(name="Phường Thử Nghiệm Mới", valid_to=D(2030, 6, 30)))
    assert changes == {"name": ("Phường Thử Nghiệm", "Phường Thử Nghiệm Mới"), "valid_to": (None, D(2030, 6, 30))}
    event = AuditEvent.objects.latest("id")
    assert event.action == "orgunits.unit_updated"
    assert event.before == {"name": "Phường Thử Nghiệm", "valid_to": None}
    assert event.after == {"name": "Phường Thử Nghiệm Mới", "valid_to": "2030-06-30"}


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"key": "99 001"}, "key", "letters, digits and dashes"),
        ({"key": "9" * 41}, "key", "at most 40"),
        ({"code": ""}, "code", "official code"),
        ({"code": "9" * 21}, "code", "at most 20"),
        ({"name": "  "}, "name", "unit's name"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"kind": "hamlet"}, "kind", "Choose the kind of unit"),
        ({"parent_key": "nowhere"}, "parent", "No unit has the key “nowhere”"),
        ({"parent_key": None}, "parent", "needs the unit above it"),
        ({"kind": "province"}, "parent", "has no unit above it"),
        ({"kind": "urban_district", "parent_key": "11413"}, "parent", "sits under a unit of a higher level"),
        ({"key": "11413", "parent_key": "11413"}, "parent", "cannot be its own parent"),
        ({"valid_to": D(2026, 6, 1)}, "valid_to", "before it starts"),
        ({"valid_from": D(2025, 1, 1)}, "valid_from", "starts on 01/07/2025: this unit cannot start before it"),
        ({"parent_key": "31-2025", "valid_from": None}, "valid_to", "ends on 30/06/2025"),
        ({"valid_from": "2026-07-01"}, "valid_from", "Enter a date"),
        ({"is_pilot": "có"}, "is_pilot", "yes or no"),
        ({"population": -1}, "population", "whole number"),
        ({"population": 2.5}, "population", "whole number"),
        ({"population": True}, "population", "whole number"),
    ],
)
@pytest.mark.django_db
def test_each_unit_rule_refuses_with_a_clear_message_and_stores_nothing(users, overrides, field, words):
    before = _stored()
    with pytest.raises(InvalidInput) as refused:
        unit_save(actor=users["quantri"], **_ward(**overrides))
    assert any(words in message for message in refused.value.messages_for(field)), refused.value.errors
    assert _stored() == before


@pytest.mark.django_db
def test_every_problem_of_a_unit_is_reported_at_once(users):
    with pytest.raises(InvalidInput) as refused:
        unit_save(actor=users["quantri"], **_ward(code="", name="", kind="hamlet", parent_key="nowhere", population=-5))
    assert {"code", "name", "kind", "parent", "population"} <= set(refused.value.errors)


@pytest.mark.django_db
def test_ending_a_unit_while_units_below_it_go_on_is_refused_naming_how_many(users):
    below = AdminUnit.objects.filter(parent__key="31", valid_to__isnull=True).count()
    hai_phong = AdminUnit.objects.get(key="31")
    before = _stored()
    with pytest.raises(InvalidInput) as refused:
        unit_save(
            actor=users["quantri"],
            key="31",
            code="31",
            name=hai_phong.name,
            kind=hai_phong.kind,
            parent_key=None,
            valid_from=hai_phong.valid_from,
            valid_to=END,
        )
    (message,) = refused.value.messages_for("valid_to")
    assert f"{below} units below it are still valid after 30/06/2026" in message
    assert _stored() == before


def _district_with_two_wards(admin) -> None:
    unit_save(actor=admin, **_ward(key="D99", code="D99", name="Quận Thử", kind="urban_district"))
    for key in ("99011", "99012"):
        unit_save(actor=admin, **_ward(key=key, code=key, name=f"Phường {key}", parent_key="D99"))


@pytest.mark.django_db
def test_moving_a_unit_moves_the_path_of_every_unit_below_it(users):
    admin = users["quantri"]
    _district_with_two_wards(admin)
    _unit, changes = unit_save(actor=admin, **_ward(key="D99", code="D99", name="Quận Thử", kind="urban_district",
                                                    parent_key="01"))  # fmt: skip
    assert changes == {"parent": ("31", "01")}
    paths = dict(AdminUnit.objects.filter(key__in=["D99", "99011", "99012"]).values_list("key", "path"))
    assert paths == {"D99": "01/D99/", "99011": "01/D99/99011/", "99012": "01/D99/99012/"}
    assert AuditEvent.objects.latest("id").after == {"parent": "01", "descendants_moved": 2}


@pytest.mark.django_db
def test_a_unit_keeps_a_level_above_the_units_below_it(users):
    admin = users["quantri"]
    _district_with_two_wards(admin)
    with pytest.raises(InvalidInput) as refused:
        unit_save(actor=admin, **_ward(key="D99", code="D99", name="Quận Thử", kind="ward"))
    assert "2 units below it are not of a lower level" in refused.value.messages_for("kind")[0]


@pytest.mark.parametrize("persona", ["dieuphoi", "xem", "congchuc", "lanhdao", "chamdiem"])
@pytest.mark.django_db
def test_only_administrators_write_units_and_lineage(users, persona):
    before = _stored()
    with pytest.raises(Refused):
        unit_save(actor=users[persona], **_ward())
    with pytest.raises(Refused):
        lineage_event_record(
            actor=users[persona], kind="rename", date=START, predecessor_keys=["11413"], successor_keys=["11311"]
        )
    assert not can_manage_units(users[persona])
    assert _stored() == before


@pytest.mark.django_db
def test_strangers_are_refused_and_commands_on_the_server_may_write(stranger):
    with pytest.raises(Refused):
        unit_save(actor=stranger, **_ward())
    unit, _changes = unit_save(actor="load_units", **_ward())
    assert unit.pk and AuditEvent.objects.latest("id").actor_label == "load_units"


# ------------------------------------------------------------------------------------------------ lineage


def _merge_2026(admin) -> None:
    """Phường Thành Đông (10507) and Phường Hải Dương (10525) end on 30 June 2026; a new ward starts the next day."""
    for key in ("10507", "10525"):
        unit = AdminUnit.objects.get(key=key)
        unit_save(actor=admin, key=key, code=unit.code, name=unit.name, kind=unit.kind, parent_key="31",
                  valid_from=unit.valid_from, valid_to=END)  # fmt: skip
    unit_save(actor=admin, **_ward())


@pytest.mark.django_db
def test_a_merge_is_recorded_with_its_links_and_audit_and_history_follows_it(users):
    admin = users["quantri"]
    _merge_2026(admin)
    event, created, changes = lineage_event_record(
        actor=admin, kind="merge", date=START, predecessor_keys=["10525", "10507"], successor_keys=[NEW]
    )
    assert created and event.natural_key == event_key("merge", START, ["10507", "10525"], [NEW])
    assert changes["predecessors"] == (None, ["10525", "10507"])
    links = set(LineageLink.objects.filter(event=event).values_list("unit__key", "role"))
    assert links == {("10507", "predecessor"), ("10525", "predecessor"), (NEW, "successor")}
    new = AdminUnit.objects.get(key=NEW)
    assert {unit.key for _depth, unit in lineage_closure(new, "predecessors")} == {"10507", "10525"}
    assert AuditEvent.objects.latest("id").action == "orgunits.lineage_event_created"


@pytest.mark.django_db
def test_recording_an_event_again_updates_only_its_legal_basis_and_notes(users):
    admin = users["quantri"]
    _merge_2026(admin)
    keys = {"kind": "merge", "date": START, "predecessor_keys": ["10507", "10525"], "successor_keys": [NEW]}
    lineage_event_record(actor=admin, **keys)
    before = _stored()
    event, created, changes = lineage_event_record(actor=admin, **keys)
    assert (created, changes) == (False, {}) and _stored() == before
    basis = "Nghị quyết 9999/NQ-UBTVQH15"
    event, created, changes = lineage_event_record(actor=admin, legal_basis=basis, legal_basis_confirmed=True, **keys)
    assert not created and changes == {"legal_basis": ("", basis), "legal_basis_confirmed": (False, True)}
    assert LineageEvent.objects.get(pk=event.pk).legal_basis == basis
    audit = AuditEvent.objects.latest("id")
    assert audit.action == "orgunits.lineage_event_updated" and audit.after["legal_basis"] == basis


@pytest.mark.django_db
def test_a_unit_may_go_on_after_others_merged_into_it(users):
    admin = users["quantri"]
    _merge_2026(admin)
    unit_save(actor=admin, **_ward(key="99002", code="99002", valid_from=D(2025, 7, 1)))
    _event, created, _changes = lineage_event_record(
        actor=admin, kind="merge", date=START, predecessor_keys=["10507", "99002"], successor_keys=["99002"]
    )
    assert created


@pytest.mark.parametrize(
    ("kind", "predecessors", "successors", "field", "words"),
    [
        ("split", ["11413-2025"], ["11413"], "successors", "name at least 2 units after the change (1 given)"),
        ("rename", ["11413-2025", "11311-2025"], ["11413"], "predecessors", "exactly one unit before"),
        ("reparent", ["11413-2025"], [], "successors", "exactly one unit after"),
        ("establish", ["11413-2025"], ["11413"], "predecessors", "leave this empty"),
        ("abolish", [], [], "predecessors", "Abolish: name the unit or units before the change (none given)."),
        ("merge", [], ["11413"], "predecessors", "Merge: name the unit or units before the change"),
        ("establish", [], [], "successors", "Establish: name the unit or units after the change"),
        ("merge", ["11413-2025"], ["11413", "11311"], "successors", "is a split"),
        ("merge", ["11413-2025", "nowhere"], ["11413"], "predecessors", "No unit has the key “nowhere”"),
        ("merge", ["11413-2025", "11413-2025"], ["11413"], "predecessors", "11413-2025 listed twice"),
        ("merge", ["11413", "11311-2025"], ["11413"], "predecessors", "did not exist on 30/06/2025"),
        ("merge", ["11560-2024", "11311-2025"], ["11413"], "predecessors", "did not exist on 30/06/2025"),
        ("merge", ["11311-2025"], ["11413-2025"], "successors", "does not exist on 01/07/2025"),
        ("fusion", ["11311-2025"], ["11413"], "kind", "Choose the kind of event"),
    ],
)
@pytest.mark.django_db
def test_each_lineage_rule_refuses_with_a_clear_message_and_stores_nothing(
    users, kind, predecessors, successors, field, words
):
    before = _stored()
    with pytest.raises(InvalidInput) as refused:
        lineage_event_record(
            actor=users["quantri"],
            kind=kind,
            date=D(2025, 7, 1),
            predecessor_keys=predecessors,
            successor_keys=successors,
        )
    assert any(words in message for message in refused.value.messages_for(field)), refused.value.errors
    assert _stored() == before


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"date": None}, "date", "Enter the date"),
        ({"date": "2025-07-01"}, "date", "Enter a date"),
        ({"legal_basis": "x" * 501}, "legal_basis", "at most 500"),
        ({"note_vi": "x" * 4001}, "note_vi", "at most 4000"),
        ({"note_en": 12}, "note_en", "Enter text"),
        ({"legal_basis_confirmed": True}, "legal_basis", "before marking it confirmed"),
        ({"legal_basis_confirmed": "có"}, "legal_basis_confirmed", "yes or no"),
        ({"predecessor_keys": "11311-2025"}, "predecessors", "list of unit keys"),
    ],
)
@pytest.mark.django_db
def test_each_lineage_value_is_checked(users, fields, field, words):
    arguments = {
        "kind": "merge",
        "date": D(2025, 7, 1),
        "predecessor_keys": ["11311-2025"],
        "successor_keys": ["11413"],
    }
    before = _stored()
    with pytest.raises(InvalidInput) as refused:
        lineage_event_record(actor=users["quantri"], **(arguments | fields))
    assert any(words in message for message in refused.value.messages_for(field)), refused.value.errors
    assert _stored() == before
