"""Granting and removing roles, departments and peer groups: the orgunits services decide, on every path.

A coordinator grants roles other than admin and coordinator, on today's units inside their scope, to people it
manages; removes only such roles; bad input (unknown role, historical unit, subtree for a one-unit role, a
department of another unit) is refused with a clear message and nothing is stored.
"""

import pytest
from django.contrib.auth import get_user_model

from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits import services
from tincay.orgunits.models import AdminUnit, Department, Membership, PeerGroup

pytestmark = pytest.mark.django_db
User = get_user_model()


def _unit(key: str) -> AdminUnit:
    return AdminUnit.objects.get(key=key)


@pytest.fixture
def hanoi_official():
    user = User.objects.create_user("hanoi-cc", password="Ha-noi-2026-xx")
    Membership.objects.create(user=user, unit=_unit("01"), role="contributor")
    return user


def _memberships() -> set:
    return set(Membership.objects.values_list("user_id", "unit_id", "role", "subtree", "department_id"))


REFUSED_GRANTS = [
    ("contributor", "01", "congchuc"),  # a unit outside Hải Phòng
    ("admin", "11413", "congchuc"),  # a role only administrators grant
    ("coordinator", "11413", "congchuc"),
    ("viewer", None, "congchuc"),  # a national role
    ("contributor", "11413", "hanoi"),  # a person with no role in the scope
    ("contributor", "11413", "quantri"),  # an administrator without roles in the scope
]


@pytest.mark.parametrize(("role", "key", "who"), REFUSED_GRANTS)
def test_coordinator_grant_outside_the_scope_is_refused(users, hanoi_official, role, key, who):
    target = hanoi_official if who == "hanoi" else users[who]
    before = _memberships()
    with pytest.raises(Refused) as refused:
        services.membership_grant(actor=users["dieuphoi"], user=target, role=role, unit=_unit(key) if key else None)
    assert refused.value.message
    assert _memberships() == before


def test_coordinator_grants_inside_the_scope(users):
    membership = services.membership_grant(
        actor=users["dieuphoi"], user=users["congchuc"], role="viewer", unit=_unit("31"), subtree=True
    )
    assert (membership.role, membership.unit.key, membership.subtree) == ("viewer", "31", True)


def test_coordinator_cannot_remove_roles_outside_the_scope_or_of_coordinators(users, hanoi_official):
    outside = hanoi_official.memberships.get()
    coordinator = users["dieuphoi"].memberships.get(role="coordinator")
    admin = users["quantri"].memberships.get(role="admin")
    before = _memberships()
    for membership in (outside, coordinator, admin):
        with pytest.raises(Refused):
            services.membership_revoke(actor=users["dieuphoi"], membership=membership)
    assert _memberships() == before
    inside = users["congchuc"].memberships.first()
    services.membership_revoke(actor=users["dieuphoi"], membership=inside, reason="Chuyển công tác")
    assert not Membership.objects.filter(pk=inside.pk).exists()


@pytest.mark.parametrize("persona", ["lanhdao", "xem", "chamdiem"])
def test_people_who_manage_nobody_grant_nothing(users, persona):
    before = _memberships()
    with pytest.raises(Refused):
        services.membership_grant(actor=users[persona], user=users["congchuc"], role="viewer", unit=_unit("11413"))
    with pytest.raises(Refused):
        services.membership_revoke(actor=users[persona], membership=users["congchuc"].memberships.first())
    assert _memberships() == before


def _other_department() -> Department:
    return Department.objects.create(unit=_unit("31"), name="Sở Nội vụ (kiểm thử)")


BAD_GRANTS = [
    ({"role": "purple"}, "role"),
    ({"role": None}, "role"),
    ({"role": ["viewer"]}, "role"),
    ({"unit": "11413"}, "unit_key"),
    ({"unit": "historical"}, "unit_key"),
    ({"unit": None}, "unit_key"),  # a contributor for the whole country
    ({"subtree": True}, "subtree"),  # a contributor over a subtree
    ({"subtree": "yes"}, "subtree"),
    ({"department": "other"}, "department"),
    ({"department": "Văn phòng"}, "department"),
]


@pytest.mark.parametrize(("change", "field"), BAD_GRANTS)
@pytest.mark.parametrize("persona", ["quantri", "dieuphoi", "seed_demo"])
def test_bad_grants_are_explained_and_nothing_is_stored(users, persona, change, field):
    actor = users.get(persona, persona)
    arguments = {"role": "contributor", "unit": _unit("11413"), "subtree": False, "department": None, **change}
    if change.get("unit") == "historical":
        arguments["unit"] = _unit("11413-2025")
    if change.get("department") == "other":
        arguments["department"] = _other_department()
    before = _memberships()
    with pytest.raises(InvalidInput) as error:
        services.membership_grant(actor=actor, user=users["xem"], **arguments)
    assert not isinstance(error.value, Refused)
    assert error.value.messages_for(field), error.value.errors
    assert _memberships() == before


def test_a_new_person_and_the_first_role_are_stored_together_or_not_at_all(users):
    count = User.objects.count()
    with pytest.raises(Refused):
        services.person_create(
            actor=users["dieuphoi"], username="ngoai-tinh", role="contributor", unit=_unit("01"), password=None
        )
    with pytest.raises(InvalidInput) as error:
        services.person_create(
            actor=users["dieuphoi"],
            username="sai-nhieu",
            email="sai",
            role="contributor",
            unit=_unit("11413"),
            subtree=True,
            password="123",
        )
    assert {"email", "password", "subtree"} <= set(error.value.errors)
    assert User.objects.count() == count
    user, membership = services.person_create(
        actor=users["dieuphoi"], username="dung", role="contributor", unit=_unit("11413"), password=None
    )
    assert membership.user == user and membership.unit.key == "11413"


def test_page_grant_outside_the_scope_is_refused_by_the_service(client_for, users):
    """A coordinator of Hải Phòng who also views Hà Nội sees Hà Nội's units, so the form accepts the code;
    the service refuses it."""
    Membership.objects.create(user=users["dieuphoi"], unit=_unit("01"), role="viewer")
    client = client_for("dieuphoi")
    target = users["congchuc"]
    before = _memberships()
    response = client.post(f"/people/{target.pk}/roles/", {"role": "contributor", "unit_key": "01"})
    assert response.status_code == 403
    assert response.context["membership_form"].errors.get("unit_key")
    assert _memberships() == before
    assert client.get(f"/people/{target.pk}/").status_code == 200


def test_page_bad_grant_keeps_what_was_typed(client_for, users):
    target = users["congchuc"]
    response = client_for("quantri").post(
        f"/people/{target.pk}/roles/", {"role": "focal_point", "unit_key": "31", "subtree": "on"}
    )
    assert response.status_code == 200
    assert response.context["membership_form"].errors.get("subtree")
    assert 'value="31"' in response.content.decode()


def test_page_removal_outside_the_scope_is_not_offered_nor_done(client_for, users, hanoi_official):
    client = client_for("dieuphoi")
    outside = hanoi_official.memberships.get()
    assert client.post(f"/people/{hanoi_official.pk}/roles/{outside.pk}/remove/").status_code == 404
    coordinator = users["dieuphoi"].memberships.get(role="coordinator")
    client.post(f"/people/{users['dieuphoi'].pk}/roles/{coordinator.pk}/remove/")
    assert Membership.objects.filter(pk__in=[outside.pk, coordinator.pk]).count() == 2
    page = client.get(f"/people/{users['dieuphoi'].pk}/")
    assert page.status_code == 200 and coordinator.pk not in page.context["manageable"]


@pytest.mark.parametrize(
    ("persona", "key", "allowed"),
    [("dieuphoi", "11413", True), ("dieuphoi", "01", False), ("lanhdao", "11413", False), ("seed_demo", "01", True)],
)
def test_departments_are_added_by_the_units_managers(users, persona, key, allowed):
    actor = users.get(persona, persona)
    if allowed:
        assert services.department_create(actor=actor, unit=_unit(key), name="Phòng Thử nghiệm").pk
    else:
        with pytest.raises(Refused):
            services.department_create(actor=actor, unit=_unit(key), name="Phòng Thử nghiệm")
        assert not Department.objects.filter(name="Phòng Thử nghiệm").exists()


@pytest.mark.parametrize(
    ("name", "short_name", "field"),
    [("", "", "name"), ("P" * 201, "", "name"), ("Phòng", "S" * 61, "short_name"), (42, "", "name")],
)
def test_bad_department_input_is_refused(users, name, short_name, field):
    count = Department.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.department_create(actor=users["quantri"], unit=_unit("11413"), name=name, short_name=short_name)
    assert error.value.messages_for(field)
    assert Department.objects.count() == count


def test_department_page_of_a_viewer_adds_nothing(client_for):
    response = client_for("xem").post("/units/11413/departments/", {"name": "Phòng của người xem"})
    assert response.status_code == 302
    assert not Department.objects.filter(name="Phòng của người xem").exists()
    assert client_for("xem").get("/units/11413/", follow=True).status_code == 200


@pytest.mark.parametrize(
    ("persona", "changes", "error"),
    [
        ("dieuphoi", {}, Refused),
        ("quantri", {"rule_kinds": ["ward", "planet"]}, InvalidInput),
        ("quantri", {"rule_kinds": "ward"}, InvalidInput),
        ("quantri", {"code": "có dấu"}, InvalidInput),
        ("quantri", {"name_vi": ""}, InvalidInput),
        ("seed_demo", {"name_vi": "T" * 201}, InvalidInput),
    ],
)
def test_peer_groups_are_for_administrators_with_valid_rules(users, persona, changes, error):
    arguments = {"code": "thu-nghiem", "name_vi": "Nhóm thử", "name_en": "Test group", "rule_kinds": ["ward"]}
    with pytest.raises(error):
        services.peergroup_ensure(actor=users.get(persona, persona), **{**arguments, **changes})
    assert not PeerGroup.objects.filter(code__in=["thu-nghiem", "có dấu"]).exists()
    assert services.peergroup_ensure(actor=users["quantri"], **arguments).units.exists()
