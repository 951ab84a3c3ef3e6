"""Vietnam's units today (34 provinces, 3,321 communes) and the 2023 Hải Phòng pilot structure."""

import pytest
from django.core.management import call_command

from tincay.orgunits.models import AdminUnit, LineageEvent

pytestmark = pytest.mark.django_db


def test_todays_tree_has_34_provinces_and_3321_communes():
    today = AdminUnit.objects.filter(valid_to__isnull=True)
    assert today.filter(level="province").count() == 34
    assert today.filter(level="commune").count() == 3321
    assert not today.filter(level="district").exists()
    assert not today.filter(level="commune", parent__isnull=True).exists()


def test_pilot_units_of_2023_are_loaded_with_history():
    pilots = AdminUnit.objects.filter(is_pilot=True)
    assert pilots.filter(level="district").count() == 6
    assert pilots.filter(level="commune").count() == 6
    dang_lam = AdminUnit.objects.get(key="11413-2025")
    assert dang_lam.name == "Phường Đằng Lâm" and dang_lam.parent.name == "Quận Hải An"
    assert dang_lam.parent.parent.name == "Thành phố Hải Phòng" and dang_lam.parent.parent.valid_to is not None


def test_unknown_legal_basis_is_flagged_not_invented():
    merge = LineageEvent.objects.filter(links__unit__key="11413-2025", kind="merge").get()
    assert merge.legal_basis_confirmed is False


def test_loading_units_twice_changes_nothing(capsys):
    before = AdminUnit.objects.count(), LineageEvent.objects.count()
    call_command("load_units")
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out
    assert (AdminUnit.objects.count(), LineageEvent.objects.count()) == before


def test_full_legacy_tree_loads_with_lineage_and_is_idempotent(capsys):
    call_command("load_units", "--legacy")
    legacy = AdminUnit.objects.filter(valid_to__isnull=False)
    assert legacy.filter(level="province").count() == 63
    assert legacy.filter(level="district").count() >= 690
    assert legacy.filter(level="commune").count() >= 10000
    # curated pilot history wins over the bulk mapping: Đằng Lâm has exactly one merge event
    assert LineageEvent.objects.filter(links__unit__key="11413-2025", kind="merge").count() == 1
    capsys.readouterr()
    call_command("load_units", "--legacy")
    assert "legacy: 0 created, 0 updated" in capsys.readouterr().out
