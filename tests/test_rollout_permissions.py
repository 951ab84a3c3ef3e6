"""Who sees and who changes the rollout tracker: role × unit over the pages and the POSTs.

The rollout belongs to Hải Phòng; its units are the personas' ward (own) and a sibling ward. Coordinators of Hải
Phòng and admins manage it; the viewer over Hải Phòng reads every unit; the ward's people read their own unit
only; the scorer and the council, and people without a role, do not see it (404)."""

from __future__ import annotations

import pytest
from rollout_board_fixtures import OWN, SIBLING, make_rollout

pytestmark = pytest.mark.django_db

# persona: (list, new, board, export, own entry, sibling entry)
READS = {
    "quantri": (200, 200, 200, 200, 200, 200),
    "dieuphoi": (200, 200, 200, 200, 200, 200),
    "xem": (200, 403, 200, 200, 200, 200),
    "lanhdao": (200, 403, 200, 200, 200, 404),
    "daumoi": (200, 403, 200, 200, 200, 404),
    "congchuc": (200, 403, 200, 200, 200, 404),
    "chamdiem": (200, 403, 404, 404, 404, 404),
    "thamdinh": (200, 403, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(READS))
def test_pages_by_role(users, client_for, persona):
    rollout = make_rollout(users)
    client = client_for(persona)
    urls = [
        "/rollout/",
        "/rollout/new/",
        f"/rollout/{rollout.code}/",
        f"/rollout/{rollout.code}/export.csv",
        f"/rollout/{rollout.code}/units/{OWN}/",
        f"/rollout/{rollout.code}/units/{SIBLING}/",
    ]
    got = tuple(client.get(url).status_code for url in urls)
    assert got == READS[persona]


def test_unit_people_see_only_their_own_unit_on_the_board(users, client_for):
    rollout = make_rollout(users)
    page = client_for("lanhdao").get(f"/rollout/{rollout.code}/").content.decode()
    assert "Hải An" in page and f"/units/{SIBLING}/" not in page
    page = client_for("xem").get(f"/rollout/{rollout.code}/").content.decode()
    assert f"/units/{OWN}/" in page and f"/units/{SIBLING}/" in page
    assert "Add units" not in page


def test_strangers_and_anonymous_see_nothing(users, client_for, stranger):
    rollout = make_rollout(users)
    client = client_for(None)
    assert client.get(f"/rollout/{rollout.code}/").status_code == 302
    client.force_login(stranger)
    assert client.get(f"/rollout/{rollout.code}/").status_code == 404
    assert "hp-thu" not in client.get("/rollout/").content.decode()


# persona: (move own, gate own, documents own, move sibling)
WRITES = {
    "quantri": (302, 302, 302, 302),
    "dieuphoi": (302, 302, 302, 302),
    "xem": (403, 403, 403, 403),
    "lanhdao": (403, 403, 302, 404),
    "daumoi": (403, 403, 302, 404),
    "congchuc": (403, 403, 403, 404),
    "chamdiem": (404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(WRITES))
def test_posts_by_role(users, client_for, persona):
    rollout = make_rollout(users)
    client = client_for(persona)
    base = f"/rollout/{rollout.code}/units"
    move = {"move-phase": "training", "move-on": "01/02/2026", "move-reason": "Tiếp tục."}
    gate = {"gate-gate": "training_held", "gate-met": "yes", "gate-reason": "Lớp tỉnh."}
    got = (
        client.post(f"{base}/{OWN}/move/", move).status_code,
        client.post(f"{base}/{OWN}/gate/", gate).status_code,
        client.post(f"{base}/{OWN}/documents/", {"documents-report_sent_on": "01/03/2026"}).status_code,
        client.post(f"{base}/{SIBLING}/move/", move).status_code,
    )
    assert got == WRITES[persona]


def test_adding_units_and_opening_rollouts_by_role(users, client_for):
    from tincay.orgunits.models import AdminUnit

    rollout = make_rollout(users)
    another = (
        AdminUnit.objects.filter(path__startswith="31/", level="commune", valid_to__isnull=True)
        .exclude(key__in=[OWN, SIBLING])
        .order_by("key")
        .first()
    )
    for persona, expected in (("xem", 403), ("lanhdao", 403), ("chamdiem", 404), ("dieuphoi", 302)):
        response = client_for(persona).post(
            f"/rollout/{rollout.code}/add-units/", {"unit_codes": another.key, "on": "01/02/2026"}
        )
        assert response.status_code == expected, persona
    response = client_for("dieuphoi").post(
        "/rollout/new/",
        {
            "code": "hp-2",
            "title_vi": "Đợt 2",
            "owner_unit": "31",
            "template": rollout.template_id,
            "starts_on": "01/01/2026",
        },
    )
    assert response.status_code == 302
    response = client_for("dieuphoi").post(
        "/rollout/new/",
        {
            "code": "hn-2",
            "title_vi": "Hà Nội",
            "owner_unit": "01",
            "template": rollout.template_id,
            "starts_on": "01/01/2026",
        },
    )
    assert response.status_code == 403
