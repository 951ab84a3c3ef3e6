"""Units join a rollout by their keys or as every commune of today under the coordinating unit (the board's
form); the service resolves them, refuses what is not a list of keys, and names unknown keys."""

from __future__ import annotations

import datetime as dt

import pytest
from rollout_board_fixtures import OWN, SIBLING, make_rollout

from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import RolloutUnit
from tincay.rollout.services import phases

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
ON = dt.date(2026, 2, 1)


def test_all_communes_adds_every_commune_of_today_not_yet_in(users):
    rollout = make_rollout(users)
    added = phases.rollout_add_units_by_key(actor=users["dieuphoi"], rollout=rollout, all_communes=True, on=ON)
    communes = AdminUnit.objects.filter(path__startswith=rollout.owner_unit.path, level="commune", valid_to=None)
    assert len(added) == communes.count() - 2  # Hải An and its sibling were in already
    assert set(RolloutUnit.objects.filter(rollout=rollout).values_list("unit__key", flat=True)) == set(
        communes.values_list("key", flat=True)
    )


def test_keys_are_resolved_and_unknown_ones_named(users):
    rollout = make_rollout(users, keys=(OWN,))
    with pytest.raises(InvalidInput) as caught:
        phases.rollout_add_units_by_key(actor=users["dieuphoi"], rollout=rollout, keys=[SIBLING, "khong-co"], on=ON)
    assert "khong-co" in " ".join(caught.value.messages_for("units"))
    assert RolloutUnit.objects.filter(rollout=rollout).count() == 1
    added = phases.rollout_add_units_by_key(actor=users["dieuphoi"], rollout=rollout, keys=[SIBLING], on=ON)
    assert [e.unit.key for e in added] == [SIBLING]


@pytest.mark.parametrize("keys", ["11311", 11311, None, {"k": 1}])
def test_what_is_not_a_list_of_keys_is_refused(users, keys):
    rollout = make_rollout(users, keys=(OWN,))
    with pytest.raises(InvalidInput):
        phases.rollout_add_units_by_key(actor=users["dieuphoi"], rollout=rollout, keys=keys, on=ON)
    with pytest.raises(InvalidInput):
        phases.rollout_add_units_by_key(actor=users["dieuphoi"], rollout=rollout, all_communes="yes", on=ON)
    assert RolloutUnit.objects.filter(rollout=rollout).count() == 1


@pytest.mark.parametrize("who", ["lanhdao", "xem"])
def test_only_the_coordinators_add_units(users, who):
    rollout = make_rollout(users, keys=(OWN,))
    with pytest.raises(Refused):
        phases.rollout_add_units_by_key(actor=users[who], rollout=rollout, all_communes=True, on=ON)
    assert RolloutUnit.objects.filter(rollout=rollout).count() == 1
