"""A NUL or another control character typed or sent in a search or filter answers calmly on every database
(PostgreSQL refuses NUL in text: found by the picker's odd-search test in CI's PostgreSQL pass)."""

from __future__ import annotations

import pytest

from tincay.common.text import fold, printable

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
ODD = ["\x00", "hai\x00an", "\x1b[2J", "dang\tlam\n"]


def test_control_characters_become_spaces_before_a_search():
    assert printable("hai\x00an") == "hai an" and fold("Đằng\x00Lâm") == "dang lam"
    assert fold("\x00") == ""


@pytest.mark.parametrize("odd", ODD)
@pytest.mark.parametrize(
    "url, field",
    [
        ("/pick/units/", "q"),
        ("/accounts/pick/people/", "q"),
        ("/units/", "q"),
        (f"/results/campaigns/{PILOT}/", "unit"),
        (f"/results/campaigns/{PILOT}/", "group"),
        (f"/results/campaigns/{PILOT}/ranking/", "group"),
        ("/public/tim-kiem/", "q"),
        ("/api/v1/units/", "search"),
    ],
)
def test_searches_and_filters_answer_calmly(client_for, url, field, odd):
    response = client_for("quantri").get(url, {field: odd})
    assert response.status_code in (200, 400), (url, field, response.status_code)
