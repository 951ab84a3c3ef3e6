"""Name lookups rank every match, not the first few: with the pre-2025 tree loaded, "hoang van thu" (nine units
in five provinces) on the Hải Phòng 2023 pilot is Hải Phòng's pilot ward, not a commune of Lạng Sơn."""

import pytest

from tincay.assessments.models import Campaign
from tincay.common.text import fold, strip_unit_prefix
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import name_rank, units_by_name

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legacy_units")]
PILOT = "thi-diem-hai-phong-2023"
HOANG_VAN_THU_2023 = "11320-2025"  # Phường Hoàng Văn Thụ, Quận Hồng Bàng, Hải Phòng (a 2023 pilot unit)


def test_every_match_is_ranked_the_one_assessed_in_the_campaign_first(users):
    matches = units_by_name("hoang van thu", actor=users["quantri"], campaign=Campaign.objects.get(code=PILOT))
    assert len(matches) >= 9 and matches[0].key == HOANG_VAN_THU_2023
    assert name_rank(matches[0]) < name_rank(matches[1])
    assert {u.parent.parent.name for u in matches[1:] if u.parent.parent} >= {"Tỉnh Lạng Sơn", "Thành phố Hà Nội"}


def test_without_a_campaign_the_exact_name_of_today_comes_first(users):
    matches = units_by_name("hoang van thu", actor=users["quantri"])
    assert matches[0].valid_to is None and matches[0].name == "Xã Hoàng Văn Thụ"
    assert all(m.name.endswith("Hoàng Văn Thụ") for m in matches)


def test_units_inside_the_scope_come_before_the_others(users):
    matches = units_by_name("hoang van thu", actor=users["dieuphoi"], units=AdminUnit.objects.all())
    assert matches[0].key == HOANG_VAN_THU_2023 and matches[0].rank_scope == 0
    assert all(m.rank_scope == 1 for m in matches[1:])


def test_exact_names_come_before_longer_ones_and_ranks_never_go_back(users):
    matches = units_by_name("hai an", actor=users["quantri"], limit=None)
    ranks = [name_rank(m) for m in matches]
    assert ranks == sorted(ranks) and matches[0].name == "Phường Hải An"
    exact = [m for m in matches if m.rank_exact == 0]
    assert {fold(strip_unit_prefix(m.name)) for m in exact} == {"hai an"}
    assert len(exact) < len(matches)  # "Hải Anh", "Hải An Mới" … rank after every exact "Hải An"
    assert units_by_name("   ", actor=users["quantri"]) == []


@pytest.mark.parametrize("who", ["quantri", "dieuphoi"])
def test_results_filter_picks_hai_phongs_unit_and_shows_its_result(client_for, who):
    response = client_for(who).get(f"/results/campaigns/{PILOT}/ranking/", {"unit": "hoang van thu"})
    assert response.status_code == 200 and not response.context["scope_error"]
    assert response.context["unit"].key == HOANG_VAN_THU_2023 and response.context["total"] == 1


def test_a_name_shared_by_a_past_and_a_present_unit_still_finds_the_one_in_the_campaign(client_for):
    response = client_for("quantri").get(f"/results/campaigns/{PILOT}/ranking/", {"unit": "ngo quyen"})
    assert response.context["unit"].key == "304-2025" and response.context["total"] == 2


def test_equally_good_matches_are_named_not_guessed(client_for):
    response = client_for("quantri").get(f"/results/campaigns/{PILOT}/", {"unit": "phuong"})
    assert response.context["unit"] is None and response.context["scope_error"].count("(") == 5
