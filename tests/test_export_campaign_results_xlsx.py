"""A campaign's results download as XLSX and CSV with the same rows: one row per unit the reader sees (narrowed as
the heat map), one column per indicator holding its score in the traffic light's fill and in words, totals as
numbers, Vietnamese headers, formula-looking names kept as text; the number of queries does not grow with units."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.export_helpers import csv_values, same_rows, sheet, xlsx_values
from tincay.assessments.models import Assessment, AssessmentScore
from tincay.assessments.services.scores import scores_refresh
from tincay.orgunits.models import AdminUnit, Membership, PeerGroup
from tincay.reports.xlsx import FILLS

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
XLSX = f"/results/campaigns/{PILOT}/results.xlsx"
CSV = f"/results/campaigns/{PILOT}/results.csv"
FIXED = ["Thứ hạng", "Mã đơn vị", "Đơn vị", "Tỉnh, thành phố", "Nhóm đơn vị tương đồng", "Tổng điểm", "Xếp loại"]
WORDS = {"green": "Xanh", "yellow": "Vàng", "red": "Đỏ"}


@pytest.fixture
def vi_client(client_for):
    def make(persona):
        client = client_for(persona)
        client.cookies["django_language"] = "vi"
        return client

    return make


def test_headers_are_vietnamese_with_one_column_per_indicator(vi_client):
    response = vi_client("dieuphoi").get(XLSX)
    assert response["Content-Disposition"] == f'attachment; filename="{PILOT}-ket-qua.xlsx"'
    header = xlsx_values(response)[0]
    assert header[:7] == FIXED
    codes = header[8:-1]
    assert len(codes) == 39 and codes[0] == "1.1"


def test_one_row_per_unit_with_totals_as_numbers_and_coloured_scores_in_words(vi_client):
    ws = sheet(vi_client("dieuphoi").get(XLSX))
    rows = list(ws.iter_rows(min_row=2))
    assert len(rows) == 12
    finals = {
        s.assessment.unit.key: s
        for s in AssessmentScore.objects.filter(assessment__campaign__code=PILOT, track="final").select_related(
            "assessment__unit"
        )
    }
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    coloured = 0
    for row in rows:
        values = {h: c for h, c in zip(header, row, strict=True)}
        score = finals[values["Mã đơn vị"].value]
        assert isinstance(values["Tổng điểm"].value, float)
        assert values["Tổng điểm"].value == pytest.approx(score.total, abs=0.01)
        assert isinstance(values["Thứ hạng"].value, int)
        assert values["Tỉnh, thành phố"].value  # the province the unit lay in
        for code, (value, colour) in score.indicators.items():
            cell = values[code]
            if value is None:
                assert cell.value is None
                continue
            assert cell.value == f"{value:.2f}".replace(".", ",") + f" ({WORDS[colour]})"
            fill, font = FILLS[colour]
            assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb.endswith(fill)
            assert cell.font.color.rgb.endswith(font)
            coloured += 1
    assert coloured > 12 * 30


def test_the_csv_has_the_same_rows_as_the_xlsx(vi_client):
    client = vi_client("dieuphoi")
    AdminUnit.objects.filter(key="11413-2025").update(name="=HYPERLINK(1)")
    xlsx, csv = xlsx_values(client.get(XLSX, {"track": "self"})), csv_values(client.get(CSV, {"track": "self"}))
    assert same_rows(xlsx, csv)
    assert "=HYPERLINK(1)" in [row[2] for row in xlsx]  # text, read back unchanged
    assert "'=HYPERLINK(1)" in [row[2] for row in csv]  # inert in the CSV


def test_a_formula_looking_name_stays_text(vi_client):
    AdminUnit.objects.filter(key="11413-2025").update(name="=1+2")
    ws = sheet(vi_client("dieuphoi").get(XLSX))
    cell = next(row[2] for row in ws.iter_rows(min_row=2) if row[1].value == "11413-2025")
    assert cell.value == "=1+2" and cell.data_type == "s"


def test_narrowed_to_a_unit_and_a_track_like_the_heat_map(vi_client):
    client = vi_client("dieuphoi")
    response = client.get(XLSX, {"unit": "306-2025", "track": "self"})
    assert response["Content-Disposition"] == f'attachment; filename="{PILOT}-ket-qua-self.xlsx"'
    assert {row[1] for row in xlsx_values(response)[1:]} == {"306-2025", "11413-2025"}
    assert client.get(XLSX, {"unit": "khong-co-don-vi-nay"}).status_code == 400  # never every unit instead


def test_unit_people_get_only_their_own_unit(vi_client):
    keys = {row[1] for row in xlsx_values(vi_client("lanhdao").get(XLSX))[1:]}
    assert keys and "11311-2025" not in keys
    assert keys <= set(Assessment.objects.filter(campaign__code=PILOT).values_list("unit__key", flat=True))
    assert "11413-2025" in keys


def test_outside_the_scope_is_not_found_and_anonymous_must_log_in(client_for, stranger, users):
    for url in (XLSX, CSV):
        assert client_for(None).get(url).status_code == 302
        client = client_for(None)
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    Membership.objects.create(user=stranger, unit=AdminUnit.objects.get(key="01"), role="viewer", subtree=True)
    assert client.get(XLSX).status_code == 404  # a viewer over Hà Nội does not see Hải Phòng's campaign
    assert client_for("quantri").get("/results/campaigns/khong-co/results.xlsx").status_code == 404


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("suffix", ["results.xlsx", "results.csv"])
def test_queries_do_not_grow_with_units(client_for, users, suffix):
    from tests.assessment_fixtures import make_campaign

    small = make_campaign(users, code="xuat-nho", units={"a": "11413", "b": "11311"})
    for assessment in small.assessments.all():
        assessment.results.update(final_level="green", scorer_level="yellow", self_level="green")
    Assessment.objects.filter(campaign=small).update(scores_stale=True)
    scores_refresh(Assessment.objects.all())
    client = client_for("dieuphoi")
    few = _queries(client, f"/results/campaigns/{small.code}/{suffix}")
    many = _queries(client, f"/results/campaigns/{PILOT}/{suffix}")
    assert many == few <= 16, (few, many)


def test_peer_groups_are_named_and_narrow_the_rows(client_for, users):
    from tests.assessment_fixtures import make_campaign

    campaign = make_campaign(users, code="xuat-nhom", units={"a": "11413", "b": "11311"})
    url = f"/results/campaigns/{campaign.code}/results.xlsx"
    client = client_for("dieuphoi")
    wards = PeerGroup.objects.get(code="phuong")
    rows = xlsx_values(client.get(url))[1:]
    assert {row[4] for row in rows} == {wards.name_vi}
    assert {row[3] for row in rows} == {"Thành phố Hải Phòng"}
    assert len(xlsx_values(client.get(url, {"group": "phuong"}))) == 3
    assert xlsx_values(client.get(url, {"group": "xa"}))[1:] == []


def test_the_heat_map_links_both_files_of_what_it_shows(client_for):
    page = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/", {"unit": "306-2025", "track": "self"})
    html = page.content.decode()
    assert f"/results/campaigns/{PILOT}/results.xlsx?unit=306-2025&amp;group=&amp;track=self" in html
    assert f"/results/campaigns/{PILOT}/results.csv?unit=306-2025&amp;group=&amp;track=self" in html
