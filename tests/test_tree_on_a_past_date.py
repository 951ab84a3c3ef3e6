"""The unit tree as it stood on a past date, with the pre-2025 tree loaded: 1 June 2023 shows the 63 provinces,
each opening to its districts, Hải Phòng with its 2023 districts (Huyện Thuỷ Nguyên, not the city it became on
1 January 2025) and no unit that did not exist yet; 1 July 2025 shows the two-tier tree. Where the sources give
no start date, the page says which list the unit comes from."""

import datetime as dt
import re

import pytest

from tincay.orgunits.models import AdminUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("legacy_units")]
JUNE_2023 = "01/06/2023"
HAI_PHONG_2023 = "31-2025"
DISTRICTS_2023 = {"Huyện Thuỷ Nguyên", "Quận Hải An", "Quận Hồng Bàng", "Quận Ngô Quyền", "Huyện Tiên Lãng"}


def _tree(client, date):
    return client.get("/units/", {"date": date})


def _children(client, key, date):
    return client.get(f"/units/{key}/children/", {"date": date}, headers={"HX-Request": "true"})


def test_the_country_in_2023_is_63_provinces_that_all_open(client_for):
    page = _tree(client_for("quantri"), JUNE_2023)
    roots = list(page.context["page"].paginator.object_list)
    assert len(roots) == 63 and {u.level for u in roots} == {"province"}
    assert all(u.child_count > 0 for u in roots)
    assert 'hx-get="/units/31-2025/children/?date=01/06/2023"' in page.content.decode()


def test_hai_phong_opens_to_its_2023_districts_only(client_for):
    fragment = _children(client_for("quantri"), HAI_PHONG_2023, JUNE_2023)
    districts = list(fragment.context["units"])
    names = {u.name for u in districts}
    assert names >= DISTRICTS_2023 and len(districts) == 15 and {u.level for u in districts} == {"district"}
    assert "Thành phố Thuỷ Nguyên" not in names  # a city from 1 January 2025
    assert all(u.child_count > 0 for u in districts if u.name != "Huyện Bạch Long Vĩ")  # an island without communes


def test_no_unit_created_later_stands_on_the_2023_date(client_for):
    client = client_for("quantri")
    thuy_nguyen = _children(client, "311-2024", JUNE_2023)
    assert {u.name for u in thuy_nguyen.context["units"]} == {"Xã Thuỷ Sơn", "Xã Thuỷ Đường", "Thị trấn Núi Đèo"}
    html = _children(client, "303-2025", JUNE_2023).content.decode()
    assert "Phường Hoàng Văn Thụ" in html
    on_2023 = AdminUnit.objects.filter(AdminUnit.valid_on(dt.date(2023, 6, 1)))
    # The wards of Thành phố Thuỷ Nguyên (from 1 January 2025) and the units created after the list of
    # 4 January 2025 (Phường Mộc Lỵ, Sơn La) are absent; today's units too.
    assert not on_2023.filter(parent__key="311-2025").exists()
    assert not on_2023.filter(key__in=["11530-2025", "03980-2025", "311-2025"]).exists()
    assert not on_2023.filter(valid_to__isnull=True).exists()


def test_the_2023_page_says_which_list_the_units_come_from(client_for):
    client = client_for("quantri")
    page = _tree(client, JUNE_2023)
    assert page.context["list_dates"] == [dt.date(2025, 1, 4)]
    assert re.search(r'role="note">[^<]*04/01/2025', page.content.decode())
    assert _tree(client, "").context["list_dates"] == []
    district = client.get("/units/306-2025/").content.decode()  # Quận Hải An: no start date in the sources
    assert re.search(r'<p class="small">[^<]*04/01/2025', district)
    ward = client.get("/units/11500-2025/")  # Xã Bạch Đằng of Thành phố Thuỷ Nguyên: not before 01/01/2025
    assert "01/01/2025" in ward.content.decode() and ward.context["unit"].listed_on == dt.date(2025, 1, 4)


def test_on_1_july_2025_the_tree_has_two_tiers(client_for):
    client = client_for("quantri")
    roots = list(_tree(client, "01/07/2025").context["page"].paginator.object_list)
    assert len(roots) == 34 and all(u.valid_to is None and u.child_count > 0 for u in roots)
    communes = list(_children(client, "31", "01/07/2025").context["units"])
    assert len(communes) > 100 and {u.level for u in communes} == {"commune"}
    assert "Phường Hải An" in {u.name for u in communes}


def test_the_coordinator_of_hai_phong_sees_the_2023_city_opening_to_its_districts(client_for):
    client = client_for("dieuphoi")
    roots = list(_tree(client, JUNE_2023).context["page"].paginator.object_list)
    assert {u.key for u in roots} == {HAI_PHONG_2023, "30-2025"}  # Hải Dương merged into Hải Phòng in 2025
    assert all(u.child_count > 0 for u in roots)
    names = {u.name for u in _children(client, HAI_PHONG_2023, JUNE_2023).context["units"]}
    assert names >= DISTRICTS_2023 and "Thành phố Thuỷ Nguyên" not in names


def test_a_bad_date_on_the_children_fragment_shows_the_units_of_the_parents_period(client_for):
    fragment = _children(client_for("quantri"), HAI_PHONG_2023, "31/02/2023")
    assert fragment.status_code == 200 and "Thành phố Thuỷ Nguyên" in fragment.content.decode()


def test_loading_everything_again_changes_nothing(capsys):
    from django.core.management import call_command

    call_command("load_units", "--legacy")
    out = capsys.readouterr().out
    assert out.count("0 created, 0 updated") == 3
