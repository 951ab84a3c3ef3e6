"""The account services check every field they are given, whoever calls them (page, command, seed).

Too long, wrong type, a bad e-mail, a weak password, a taken username, a field that is not an account's:
a clear error on the field, nothing stored, and the people pages still answer.
"""

import pytest
from django.contrib.auth import get_user_model

from tincay.accounts import services
from tincay.common.errors import InvalidInput, Refused

pytestmark = pytest.mark.django_db
User = get_user_model()

BAD_FIELDS = [
    ("username", "x" * 151),
    ("username", "có dấu cách"),
    ("username", "quantri"),
    ("username", "QUANTRI"),
    ("username", ""),
    ("username", 12345),
    ("full_name", "Nguyễn " * 40),
    ("full_name", ["danh", "sách"]),
    ("position", "p" * 201),
    ("phone", "0" * 31),
    ("phone", 225123456),
    ("email", "khong-phai-email"),
    ("email", "a@b"),
    ("email", "x" * 250 + "@a.vn"),
    ("email", {"dia_chi": "a@b.vn"}),
    ("is_active", "yes"),
    ("is_active", 1),
    ("is_active", None),
]
WEAK_PASSWORDS = ["123", "1234567890123", "password123", "nguoi-moi-2026"[:9], "x" * 5000, 20262026]


@pytest.fixture
def official(users):
    return users["congchuc"]


def _stored(user) -> tuple:
    row = User.objects.get(pk=user.pk)
    return row.username, row.email, row.full_name, row.position, row.phone, row.is_active, row.password


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_user_update_refuses_bad_values(users, official, field, value):
    before = _stored(official)
    with pytest.raises(InvalidInput) as error:
        services.user_update(actor=users["quantri"], user=official, **{field: value})
    assert not isinstance(error.value, Refused)
    assert error.value.messages_for(field), error.value.errors
    assert _stored(official) == before


@pytest.mark.parametrize(("field", "value"), [f for f in BAD_FIELDS if f[0] != "username"])
def test_user_create_refuses_bad_values(users, field, value):
    count = User.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.user_create(actor=users["quantri"], username="nguoi-moi", password=None, **{field: value})
    assert error.value.messages_for(field), error.value.errors
    assert User.objects.count() == count


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_weak_or_malformed_passwords_are_refused(users, official, password):
    count = User.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.user_create(actor=users["quantri"], username="nguoi-moi", password=password)
    assert error.value.messages_for("password")
    assert User.objects.count() == count
    before = _stored(official)
    with pytest.raises(InvalidInput):
        services.user_set_password(actor=users["quantri"], user=official, password=password)
    assert _stored(official) == before


def test_a_password_like_the_username_is_refused(users):
    with pytest.raises(InvalidInput) as error:
        services.user_create(actor=users["quantri"], username="hoangvancong2026", password="hoangvancong2026")
    assert error.value.messages_for("password")


@pytest.mark.parametrize("field", ["is_superuser", "is_staff", "password", "last_login", "groups"])
def test_fields_that_are_not_account_details_are_refused(users, official, field):
    before = _stored(official)
    with pytest.raises(InvalidInput) as error:
        services.user_update(actor=users["quantri"], user=official, **{field: True})
    assert field in error.value.message
    assert _stored(official) == before and not User.objects.get(pk=official.pk).is_superuser


def test_every_problem_is_reported_at_once(users):
    with pytest.raises(InvalidInput) as error:
        services.user_create(
            actor=users["quantri"], username="x" * 200, password="123", email="sai", phone="0" * 40, is_active="on"
        )
    assert set(error.value.errors) == {"username", "password", "email", "phone", "is_active"}


def test_values_are_trimmed_and_the_domain_lowercased(users):
    user = services.user_create(
        actor=users["quantri"], username="  nguoimoi ", password=None, email="Ten@HaiAn.Gov.VN", full_name=" Tên "
    )
    assert (user.username, user.email, user.full_name) == ("nguoimoi", "Ten@haian.gov.vn", "Tên")
    assert not user.has_usable_password()


@pytest.mark.parametrize("persona", ["lanhdao", "xem", None])
def test_only_administrators_and_coordinators_create_accounts(users, persona):
    actor = users[persona] if persona else ""
    with pytest.raises(Refused):
        services.user_create(actor=actor, username="nguoi-moi", password=None)
    assert not User.objects.filter(username="nguoi-moi").exists()


def test_anonymous_is_not_a_system_actor(users):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Refused):
        services.user_update(actor=AnonymousUser(), user=users["congchuc"], full_name="Ẩn danh")


PAGE_CASES = [
    ("email", "khong-phai-email"),
    ("full_name", "N" * 201),
    ("username", "có dấu cách"),
    ("username", "quantri"),
    ("phone", "0" * 31),
]


@pytest.mark.parametrize(("field", "value"), PAGE_CASES)
def test_the_person_page_shows_the_error_and_keeps_what_was_typed(client_for, official, field, value):
    data = {
        "user-username": official.username,
        "user-full_name": "Tên đang gõ dở",
        "user-email": official.email,
        "user-position": "",
        "user-phone": "",
        "user-is_active": "on",
        f"user-{field}": value,
    }
    before = _stored(official)
    client = client_for("dieuphoi")
    response = client.post(f"/people/{official.pk}/", data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    if field != "full_name":
        assert "Tên đang gõ dở" in response.content.decode()
    assert _stored(official) == before
    assert client.get("/people/").status_code == 200
    assert client.get(f"/people/{official.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("password", "123"), ("email", "sai@"), ("username", "congchuc"), ("full_name", "N" * 201)],
)
def test_the_new_person_page_shows_the_error_and_creates_nothing(client_for, field, value):
    data = {
        "username": "nguoi-moi",
        "full_name": "Người Mới Gõ",
        "email": "moi@haian.gov.vn",
        "position": "",
        "phone": "",
        "is_active": "on",
        "password": "Mat-khau-moi-2026",
        "role": "contributor",
        "unit_key": "11413",
        field: value,
    }
    count = User.objects.count()
    response = client_for("dieuphoi").post("/people/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert User.objects.count() == count
