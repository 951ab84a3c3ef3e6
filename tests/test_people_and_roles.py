"""Admins manage everyone; coordinators manage the people of their subtree and cannot grant admin roles."""

import pytest
from django.contrib.auth import get_user_model

from tincay.orgunits.models import AdminUnit, Membership

pytestmark = pytest.mark.django_db


def test_coordinator_creates_a_user_with_a_role_in_their_province(client_for):
    response = client_for("dieuphoi").post(
        "/people/new/",
        {
            "username": "congchuc2",
            "full_name": "Ngô Thị Mới",
            "email": "moi@haian.gov.vn",
            "position": "",
            "phone": "",
            "is_active": "on",
            "password": "Mat-khau-moi-2026",
            "role": "contributor",
            "unit_key": "11413",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="congchuc2")
    assert user.check_password("Mat-khau-moi-2026")
    assert Membership.objects.filter(user=user, unit__key="11413", role="contributor").exists()


def test_coordinator_cannot_grant_outside_their_province_nor_admin(client_for):
    client = client_for("dieuphoi")
    response = client.post(
        "/people/new/",
        {
            "username": "ngoaitinh",
            "full_name": "Người Ngoài",
            "email": "",
            "position": "",
            "phone": "",
            "is_active": "on",
            "password": "",
            "role": "contributor",
            "unit_key": "00004",
        },
    )
    assert response.status_code == 200
    assert "unit_key" in response.context["membership_form"].errors
    assert 'value="Người Ngoài"' in response.content.decode()
    roles = dict(response.context["membership_form"].fields["role"].choices)
    assert "admin" not in roles and "coordinator" not in roles
    assert not get_user_model().objects.filter(username="ngoaitinh").exists()


def test_coordinator_does_not_see_people_of_other_provinces(client_for, users):
    outsider = get_user_model().objects.create_user("hanoi", password="Ha-noi-2026-xx")
    Membership.objects.create(user=outsider, unit=AdminUnit.objects.get(key="01"), role="viewer")
    client = client_for("dieuphoi")
    assert client.get(f"/people/{outsider.pk}/").status_code == 404
    assert client.get(f"/people/{users['congchuc'].pk}/").status_code == 200


def test_role_can_be_granted_and_removed(client_for, users):
    client = client_for("quantri")
    target = users["xem"]
    assert client.post(f"/people/{target.pk}/roles/", {"role": "viewer", "unit_key": ""}).status_code == 302
    national = Membership.objects.get(user=target, unit__isnull=True, role="viewer")
    assert client.post(f"/people/{target.pk}/roles/{national.pk}/remove/").status_code == 302
    assert not Membership.objects.filter(pk=national.pk).exists()


def test_unit_roles_cannot_span_a_subtree(client_for, users):
    client = client_for("quantri")
    client.post(f"/people/{users['congchuc'].pk}/roles/", {"role": "focal_point", "unit_key": "31", "subtree": "on"})
    assert not Membership.objects.filter(user=users["congchuc"], role="focal_point", unit__key="31").exists()
