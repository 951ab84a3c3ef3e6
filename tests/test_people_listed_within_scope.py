"""A coordinator's lists of people and roles reach the units its role covers, as the services' guard does
(``Scope.covers``): a role held in a province without its subtree lists the province's people, not its communes'."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tincay.accounts.choices import Role
from tincay.orgunits import services as unit_services
from tincay.orgunits.access import can_manage_unit, memberships_manageable_by, users_manageable_by
from tincay.orgunits.models import AdminUnit, Membership

SEED = "test-seed"
User = get_user_model()


@pytest.fixture
def coordinators(db):
    """Two coordinators of Hải Phòng (key 31), one without and one with its subtree, and a person in each level."""
    city, ward = AdminUnit.objects.get(key="31"), AdminUnit.objects.get(key="11413")
    assert ward.path.startswith(city.path) and ward.path != city.path
    made = {}
    for username, subtree in (("dp.thanhpho", False), ("dp.cayduoi", True)):
        unit_services.person_create(actor=SEED, username=username, role=Role.CONTRIBUTOR, unit=city)
        made[username] = User.objects.get(username=username)
        unit_services.membership_grant(
            actor=SEED, user=made[username], role=Role.COORDINATOR, unit=city, subtree=subtree
        )
    unit_services.person_create(actor=SEED, username="cb.thanhpho", role=Role.CONTRIBUTOR, unit=city)
    unit_services.person_create(actor=SEED, username="cb.phuong", role=Role.CONTRIBUTOR, unit=ward)
    return made


@pytest.mark.parametrize(("username", "reaches_ward"), [("dp.thanhpho", False), ("dp.cayduoi", True)])
def test_the_lists_hold_exactly_the_memberships_in_units_the_coordinator_manages(coordinators, username, reaches_ward):
    coordinator = coordinators[username]
    listed = set(memberships_manageable_by(coordinator).values_list("pk", flat=True))
    for membership in Membership.objects.filter(unit__isnull=False).select_related("unit"):
        assert (membership.pk in listed) == can_manage_unit(coordinator, membership.unit), membership
    people = set(users_manageable_by(coordinator, User).values_list("username", flat=True))
    assert "cb.thanhpho" in people
    assert ("cb.phuong" in people) is reaches_ward


@pytest.mark.parametrize(("username", "reaches_ward"), [("dp.thanhpho", False), ("dp.cayduoi", True)])
def test_the_people_page_and_a_persons_page_follow_the_same_reach(coordinators, client, username, reaches_ward):
    client.force_login(coordinators[username])
    page = client.get(reverse("orgunits:people"))
    assert page.status_code == 200
    assert ("cb.phuong" in page.content.decode()) is reaches_ward
    ward_person = User.objects.get(username="cb.phuong")
    assert client.get(reverse("orgunits:person", args=[ward_person.pk])).status_code == (200 if reaches_ward else 404)
