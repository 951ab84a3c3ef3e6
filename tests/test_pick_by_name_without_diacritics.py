"""Units and people are chosen by name, typed without diacritics ("hoang van thu" finds "Xã Hoàng Văn Thụ",
"nguyen" finds "Nguyễn"), among only those the user may choose: a Hải Phòng coordinator finds no unit or person
of another province; people without a managing role find nobody. Without JavaScript the same search is a page
whose "Choose" links return to the form with the code filled in."""

import pytest
from django.contrib.auth import get_user_model

from tincay.accounts.choices import Role
from tincay.orgunits.models import AdminUnit, Membership

pytestmark = pytest.mark.django_db

UNITS = "/pick/units/"
PEOPLE = "/accounts/pick/people/"


def _values(response) -> list[str]:
    assert response.status_code == 200
    return [row["value"] for row in response.json()["results"]]


def test_a_unit_is_found_by_its_name_without_diacritics(client_for):
    found = client_for("quantri").get(UNITS, {"q": "hoang van thu", "format": "json"}).json()["results"]
    assert [(r["value"], r["label"]) for r in found] == [("06172", "Xã Hoàng Văn Thụ")]
    assert "Lạng Sơn" in found[0]["detail"]  # the parent tells same-named units apart


def test_the_coordinator_finds_only_units_of_their_scope(client_for):
    coordinator = client_for("dieuphoi")
    assert _values(coordinator.get(UNITS, {"q": "hoang van thu", "format": "json"})) == []
    assert _values(coordinator.get(UNITS, {"q": "bach dang", "scope": "manage", "format": "json"})) == ["11473"]
    assert "01708" in _values(client_for("quantri").get(UNITS, {"q": "bach dang", "format": "json"}))


def test_managing_scope_leaves_out_what_a_unit_person_only_sees(client_for):
    focal_point = client_for("daumoi")
    assert _values(focal_point.get(UNITS, {"q": "hai an", "format": "json"})) == ["11413"]
    assert _values(focal_point.get(UNITS, {"q": "hai an", "scope": "manage", "format": "json"})) == []


def test_only_todays_units_are_offered(client_for):
    # the 2023 pilot ward Đằng Lâm ended in 2025: a campaign or a role takes units in force
    assert not AdminUnit.objects.filter(
        key__in=_values(client_for("quantri").get(UNITS, {"q": "dang lam", "format": "json"})), valid_to__isnull=False
    ).exists()


def test_a_person_is_found_by_name_without_diacritics(client_for):
    assert _values(client_for("quantri").get(PEOPLE, {"q": "nguyen van quan", "format": "json"})) == ["quantri"]
    assert _values(client_for("dieuphoi").get(PEOPLE, {"q": "hoang van cong", "format": "json"})) == ["congchuc"]


def test_the_coordinator_finds_only_people_of_their_scope(client_for):
    outsider = get_user_model().objects.create_user(
        "hanoi.nguyen", full_name="Nguyễn Thị Hà", password="x-Mat-khau-2026"
    )
    Membership.objects.create(user=outsider, unit=AdminUnit.objects.get(key="00004"), role=Role.FOCAL_POINT)
    coordinator = _values(client_for("dieuphoi").get(PEOPLE, {"q": "nguyen", "format": "json"}))
    assert "hanoi.nguyen" not in coordinator and "quantri" not in coordinator
    assert "hanoi.nguyen" in _values(client_for("quantri").get(PEOPLE, {"q": "nguyen", "format": "json"}))


def test_inactive_people_are_not_offered(client_for, users):
    get_user_model().objects.filter(username="congchuc").update(is_active=False)
    assert _values(client_for("dieuphoi").get(PEOPLE, {"q": "hoang van cong", "format": "json"})) == []


@pytest.mark.parametrize("persona", ["daumoi", "congchuc", "chamdiem", "xem"])
def test_people_without_a_managing_role_find_nobody(client_for, persona):
    assert _values(client_for(persona).get(PEOPLE, {"q": "hoang", "format": "json"})) == []


def test_anonymous_visitors_are_sent_to_log_in(client_for):
    for url in (UNITS, PEOPLE):
        response = client_for(None).get(url, {"q": "hai", "format": "json"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query", ["", " ", "x" * 5000, "%", "'; drop table x; --", "\x00"])
def test_odd_searches_answer_calmly(client_for, query):
    for url in (UNITS, PEOPLE):
        response = client_for("quantri").get(url, {"q": query, "format": "json"})
        assert response.status_code == 200 and isinstance(response.json()["results"], list)


def test_without_javascript_the_pick_page_returns_to_the_form(client_for):
    page = client_for("dieuphoi").get(
        UNITS,
        {
            "q": "bach dang",
            "scope": "manage",
            "field": "unit_codes",
            "multiple": "1",
            "current": "11413",
            "next": "/campaigns/new/?x=1",
        },
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Phường Bạch Đằng" in html
    assert 'href="/campaigns/new/?x=1&amp;unit_codes=11413%2C+11473"' in html
    form = client_for("dieuphoi").get("/campaigns/new/", {"unit_codes": "11413, 11473"}).content.decode()
    assert "11413, 11473" in form


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_pick_page_never_returns_elsewhere(client_for, target):
    html = client_for("dieuphoi").get(PEOPLE, {"q": "hoang", "field": "username", "next": target}).content.decode()
    assert 'href="https://evil' not in html and 'href="//evil' not in html and 'href="javascript:' not in html
    assert "Back to the form" not in html and "Quay lại" not in html


def test_the_forms_carry_the_pickers(client_for, users):
    coordinator = client_for("dieuphoi")
    assert 'data-picker="/pick/units/?scope=manage"' in coordinator.get("/campaigns/new/").content.decode()
    person = coordinator.get(f"/people/{users['congchuc'].pk}/").content.decode()
    assert 'data-picker="/pick/units/?scope=manage"' in person and "tincay/picker.js" in person
