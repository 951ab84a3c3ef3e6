"""The rollout board downloads as XLSX with the rows of its CSV (built once, written twice): one row per unit the
reader sees with the five phases' states in words, the date a date and the days a number, a formula-looking name
kept as text, the board's filters honoured; the number of queries does not grow with units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.assessment_fixtures import module_campaign
from tests.export_helpers import csv_values, same_rows, sheet, xlsx_values
from tests.rollout_board_fixtures import OWN, SIBLING, START, make_rollout
from tincay.orgunits.models import AdminUnit
from tincay.rollout.models import RolloutUnit
from tincay.rollout.services import phases

pytestmark = pytest.mark.django_db
PHASES = ["preparation", "training", "self_assessment", "action_programme", "reporting"]


def urls(rollout) -> tuple[str, str]:
    return f"/results/rollouts/{rollout.code}/board.xlsx", f"/rollout/{rollout.code}/export.csv"


def test_the_xlsx_has_the_rows_of_the_csv(users, client_for):
    rollout = make_rollout(users)
    AdminUnit.objects.filter(key=SIBLING).update(name="@cmd|' /C calc'!A0")
    client = client_for("dieuphoi")
    xlsx_url, csv_url = urls(rollout)
    response = client.get(xlsx_url)
    assert response["Content-Disposition"] == f'attachment; filename="{rollout.code}-board.xlsx"'
    xlsx, csv = xlsx_values(response), csv_values(client.get(csv_url))
    assert same_rows(xlsx, csv)
    assert len(xlsx) == 3 and len(xlsx[0]) == 10 + 5  # the header, two units; ten columns then the five phases
    assert "@cmd|' /C calc'!A0" in [row[1] for row in xlsx]  # text, never run


def test_headers_in_vietnamese_dates_as_dates_and_phases_in_words(users, client_for):
    rollout = make_rollout(users)
    rows = xlsx_values(client_for("dieuphoi").get(urls(rollout)[0]))
    assert rows[0][:3] == ["Mã đơn vị", "Đơn vị", "Đơn vị cấp trên"]
    own = next(row for row in rows[1:] if row[0] == OWN)
    assert isinstance(own[5], dt.datetime) and own[5].date() == START
    assert isinstance(own[6], int) and isinstance(own[4], int)
    with translation.override("vi"):
        assert own[10] == translation.gettext("current")  # the first phase, in words
    assert own[11:] == [None] * 4  # phases to come: empty


def test_the_board_filters_are_honoured(users, client_for):
    rollout = make_rollout(users)
    RolloutUnit.objects.filter(rollout=rollout, unit__key=OWN).update(current_phase="training")
    xlsx_url, csv_url = urls(rollout)
    client = client_for("dieuphoi")
    narrowed = xlsx_values(client.get(xlsx_url, {"phase": "training"}))
    assert [row[0] for row in narrowed[1:]] == [OWN]
    assert same_rows(narrowed, csv_values(client.get(csv_url, {"phase": "training"})))


# persona → what the board's XLSX answers (as its page and CSV, tests/test_rollout_permissions.py)
READS = {
    "quantri": 200,
    "dieuphoi": 200,
    "xem": 200,
    "lanhdao": 200,
    "daumoi": 200,
    "congchuc": 200,
    "chamdiem": 404,
    "thamdinh": 404,
}


@pytest.mark.parametrize("persona", sorted(READS))
def test_role_by_scope(users, client_for, persona):
    rollout = make_rollout(users)
    response = client_for(persona).get(urls(rollout)[0])
    assert response.status_code == READS[persona]
    if response.status_code == 200:
        units = {row[0] for row in xlsx_values(response)[1:]}
        assert units == ({OWN} if persona in ("lanhdao", "daumoi", "congchuc") else {OWN, SIBLING})


def test_strangers_get_not_found_and_anonymous_must_log_in(users, client_for, stranger):
    rollout = make_rollout(users)
    assert client_for(None).get(urls(rollout)[0]).status_code == 302
    client = client_for(None)
    client.force_login(stranger)
    assert client.get(urls(rollout)[0]).status_code == 404
    assert client_for("quantri").get("/results/rollouts/khong-co/board.xlsx").status_code == 404


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "xuat-trien-khai", {"own": OWN, "sibling": SIBLING}) as made:
        yield made


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _spread(rollout) -> None:
    """Units over every phase, so that every phase's gates are computed."""
    for i, pk in enumerate(RolloutUnit.objects.filter(rollout=rollout).order_by("pk").values_list("pk", flat=True)):
        RolloutUnit.objects.filter(pk=pk).update(current_phase=PHASES[i % 5])


def test_queries_do_not_grow_with_units(users, client_for, campaign):
    communes = AdminUnit.objects.filter(path__startswith="31/", level="commune", valid_to__isnull=True)
    five = [OWN, SIBLING, *communes.exclude(key__in=[OWN, SIBLING]).order_by("key").values_list("key", flat=True)[:3]]
    small = make_rollout(users, "nho", campaign=campaign, keys=five)
    big = make_rollout(users, "lon", campaign=campaign)
    phases.rollout_add_units(
        actor=users["dieuphoi"], rollout=big, units=list(communes.exclude(key__in=[OWN, SIBLING])), on=START
    )
    _spread(small)
    _spread(big)
    client = client_for("dieuphoi")
    few, many = _count(client, urls(small)[0]), _count(client, urls(big)[0])
    assert sheet(client.get(urls(big)[0])).max_row > 100
    assert many <= few <= 25, (few, many)


def test_the_board_page_links_the_xlsx_with_its_filters(users, client_for):
    rollout = make_rollout(users)
    html = client_for("dieuphoi").get(f"/rollout/{rollout.code}/", {"phase": "training"}).content.decode()
    assert f"/results/rollouts/{rollout.code}/board.xlsx?phase=training" in html
