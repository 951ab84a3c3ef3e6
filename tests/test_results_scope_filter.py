"""The unit filter of the results pages: a code or a name without diacritics; a unit that cannot be used keeps
what was typed and says why (in Vietnamese first), and nothing outside the user's scope is shown."""

import pytest

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
PAGES = ["", "ranking/", "analysis/", "timeliness/"]


@pytest.mark.parametrize("page", PAGES)
def test_a_name_without_diacritics_finds_the_unit(client_for, page):
    response = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/{page}", {"unit": "quan ngo quyen"})
    assert response.status_code == 200 and response.context["unit"].key == "304-2025"
    assert not response.context["scope_error"]


@pytest.mark.parametrize("page", PAGES)
def test_an_unknown_unit_keeps_the_input_and_explains(client_for, page):
    response = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/{page}", {"unit": "Xã Không Có"})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["unit"] is None
    assert 'value="Xã Không Có"' in html and 'aria-invalid="true"' in html
    assert "Không tìm thấy đơn vị có mã hoặc tên “Xã Không Có” trong phạm vi của bạn." in html


def test_a_name_shared_by_a_past_and_a_present_unit_finds_the_one_in_the_campaign(client_for):
    # "Ngô Quyền" is a district until 2025 (in the 2023 pilot) and a ward today (in no 2023 campaign).
    pilot = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/ranking/", {"unit": "ngo quyen"})
    assert pilot.context["unit"].key == "304-2025" and pilot.context["total"] == 2


def test_a_unit_outside_the_scope_is_not_found_even_by_name(client_for):
    response = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/", {"unit": "Hà Nội"})
    assert response.context["unit"] is None and response.context["scope_error"]


def test_several_matches_are_named_with_their_codes(client_for):
    response = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/", {"unit": "phuong"})
    error = response.context["scope_error"]
    assert response.context["unit"] is None and error.startswith("Có nhiều đơn vị khớp “phuong”: Phường ")
    assert error.count("(") == 5 and "Hãy nhập mã" in error


def test_the_api_answers_404_with_the_reason(client_for):
    from rest_framework.test import APIClient

    from tincay.accounts.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(username="dieuphoi"))
    response = client.get(f"/api/v1/results/campaigns/{PILOT}/ranking/", {"unit": "khong co"})
    assert response.status_code == 404 and "khong co" in response.json()["detail"]
