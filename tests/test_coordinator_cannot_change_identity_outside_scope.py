"""A coordinator changes e-mail, name, password or active flag only of accounts wholly inside their scope.

The attack of issue 8: the coordinator of Hải Phòng edits the e-mail of an account that also coordinates another
province, resets its password through that address and takes the other province over. The account service
refuses it (whatever the path), stores nothing and sends no mail; the old address is told of a legitimate change.
"""

import pytest
from django.contrib.auth import get_user_model

from tincay.accounts import services
from tincay.accounts.access import can_change_identity
from tincay.audit.models import AuditEvent
from tincay.common.errors import Refused
from tincay.orgunits.models import AdminUnit, Membership

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "Mot-mat-khau-dai-2026"

CHANGES = {
    "email": {"email": "ke-tan-cong@example.com"},
    "full_name": {"full_name": "Tên đã bị đổi"},
    "is_active": {"is_active": False},
    "username": {"username": "bi-doi-ten"},
}


def _person(username: str, *roles: tuple[str, str, bool]) -> object:
    user = User.objects.create_user(username, email=f"{username}@haiphong.gov.vn", password=PASSWORD)
    for role, key, subtree in roles:
        Membership.objects.create(user=user, role=role, unit=AdminUnit.objects.get(key=key), subtree=subtree)
    return user


@pytest.fixture
def two_provinces():
    """Holds a contributor role in a Hải Phòng ward and coordinates Hà Nội."""
    return _person("hai-tinh", ("contributor", "11413", False), ("coordinator", "01", True))


@pytest.fixture
def also_outside():
    """Any role outside the scope is enough: a contributor here and a viewer in Hà Nội."""
    return _person("ngoai-tinh", ("contributor", "11413", False), ("viewer", "01", False))


@pytest.fixture
def ward_official():
    return _person("cong-chuc-phuong", ("contributor", "11413", False), ("focal_point", "11413", False))


def _stored(user) -> tuple:
    row = User.objects.get(pk=user.pk)
    return row.username, row.email, row.full_name, row.is_active, row.password


@pytest.mark.parametrize("target_name", ["two_provinces", "also_outside"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_coordinator_is_refused_on_an_account_with_roles_outside_the_scope(
    request, users, mailoutbox, django_capture_on_commit_callbacks, target_name, change
):
    target = request.getfixturevalue(target_name)
    before, events = _stored(target), AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Refused) as refused:
        services.user_update(actor=users["dieuphoi"], user=target, **CHANGES[change])
    assert "administrator" in refused.value.message.lower() or "quản trị" in refused.value.message.lower()
    assert _stored(target) == before
    assert AuditEvent.objects.count() == events
    assert mailoutbox == []


@pytest.mark.parametrize("target_name", ["two_provinces", "also_outside"])
def test_coordinator_cannot_set_the_password_of_such_an_account(request, users, target_name):
    target = request.getfixturevalue(target_name)
    with pytest.raises(Refused):
        services.user_set_password(actor=users["dieuphoi"], user=target, password="Mat-khau-cua-ke-gian-2026")
    assert User.objects.get(pk=target.pk).check_password(PASSWORD)


@pytest.mark.parametrize("target", ["quantri", "dieuphoi", "second_coordinator", "superuser"])
def test_coordinator_is_refused_on_administrators_and_coordinators(users, target):
    others = {
        "second_coordinator": lambda: _person("dieuphoi2", ("coordinator", "11413", False)),
        "superuser": lambda: _person("goc", ("viewer", "11413", False)),
    }
    account = users[target] if target in users else others[target]()
    if target == "superuser":
        User.objects.filter(pk=account.pk).update(is_superuser=True)
        account.refresh_from_db()
    before = _stored(account)
    assert not can_change_identity(users["dieuphoi"], account)
    with pytest.raises(Refused):
        services.user_update(actor=users["dieuphoi"], user=account, email="chiem-quyen@example.com")
    with pytest.raises(Refused):
        services.user_set_password(actor=users["dieuphoi"], user=account, password="Mat-khau-cua-ke-gian-2026")
    assert _stored(account) == before


def test_an_account_without_any_role_is_for_administrators_only(users):
    lonely = _person("khong-vai-tro")
    assert not can_change_identity(users["dieuphoi"], lonely)
    assert can_change_identity(users["quantri"], lonely)
    assert can_change_identity("seed_demo", lonely)


@pytest.mark.parametrize("persona", ["lanhdao", "congchuc", "xem", "chamdiem"])
def test_people_without_a_coordinator_role_change_nobody(users, ward_official, persona):
    with pytest.raises(Refused):
        services.user_update(actor=users[persona], user=ward_official, full_name="Không được")


def test_coordinator_changes_a_ward_official_and_the_old_address_is_told(
    users, ward_official, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(
            actor=users["dieuphoi"], user=ward_official, email="moi.dia.chi@haian.gov.vn", full_name="Tên mới"
        )
    stored = User.objects.get(pk=ward_official.pk)
    assert (stored.email, stored.full_name) == ("moi.dia.chi@haian.gov.vn", "Tên mới")
    assert len(mailoutbox) == 1
    notice = mailoutbox[0]
    assert notice.to == ["cong-chuc-phuong@haiphong.gov.vn"]
    assert "dieuphoi" in notice.body and "m***@haian.gov.vn" in notice.body
    assert "moi.dia.chi@haian.gov.vn" not in notice.body
    assert "changed" in notice.body  # the English half, whatever the active language


def test_coordinator_sets_a_ward_officials_password_and_deactivates_them(users, ward_official, mailoutbox):
    services.user_set_password(actor=users["dieuphoi"], user=ward_official, password="Mat-khau-moi-cua-phuong-2026")
    services.user_update(actor=users["dieuphoi"], user=ward_official, is_active=False)
    stored = User.objects.get(pk=ward_official.pk)
    assert stored.check_password("Mat-khau-moi-cua-phuong-2026") and not stored.is_active
    assert can_change_identity(users["dieuphoi"], stored), "an inactive official can be reactivated"
    assert mailoutbox == []  # no e-mail change, no notice


def test_an_unchanged_address_sends_no_notice(users, ward_official, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_update(actor=users["quantri"], user=ward_official, email=ward_official.email, phone="0225 1234")
    assert mailoutbox == []


def _page_data(user, **changes) -> dict:
    data = {
        "user-username": user.username,
        "user-full_name": user.full_name,
        "user-email": user.email,
        "user-position": "",
        "user-phone": "",
        "user-is_active": "on",
    }
    data.update({f"user-{k}": v for k, v in changes.items()})
    return data


def test_the_page_does_not_offer_the_form_and_refuses_a_forged_post(
    client_for, two_provinces, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for("dieuphoi")
    page = client.get(f"/people/{two_provinces.pk}/")
    assert page.status_code == 200 and not page.context["can_edit"]
    assert b'name="user-email"' not in page.content
    before = _stored(two_provinces)
    with django_capture_on_commit_callbacks(execute=True):
        forged = client.post(f"/people/{two_provinces.pk}/", _page_data(two_provinces, email="ke-gian@example.com"))
    assert forged.status_code == 403
    assert forged.context["form"].non_field_errors()
    assert _stored(two_provinces) == before and mailoutbox == []
    assert client.get("/people/").status_code == 200


def test_the_page_saves_a_ward_official(client_for, ward_official, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for("dieuphoi")
    page = client.get(f"/people/{ward_official.pk}/")
    assert page.status_code == 200 and b'name="user-email"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(f"/people/{ward_official.pk}/", _page_data(ward_official, email="dia.chi.moi@haian.gov.vn"))
    assert saved.status_code == 302
    assert User.objects.get(pk=ward_official.pk).email == "dia.chi.moi@haian.gov.vn"
    assert [m.to for m in mailoutbox] == [["cong-chuc-phuong@haiphong.gov.vn"]]
