"""The public results CSV opens in Excel as written: UTF-8 with a byte-order mark, class labels (not codes) in the
language of the request, pillar scores on the same 0–100 scale as totals, and a demo marker. Snapshots stay frozen."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.test import override_settings
from django.utils import translation

from tincay.assessments.models import AssessmentScore, Campaign

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
URL = f"/public/campaigns/{PILOT}/results.csv"


def fetch(client, language: str = "vi") -> tuple[bytes, list[list[str]]]:
    client.cookies["django_language"] = language
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_starts_with_a_byte_order_mark_and_reads_back_as_vietnamese(client):
    body, rows = fetch(client)
    assert body.startswith(b"\xef\xbb\xbf")
    names = {row[2] for row in rows[1:]}
    assert "Phường Đằng Lâm" in names  # diacritics intact
    published = Campaign.objects.get(code=PILOT).assessments.filter(state="published").count()
    assert len(rows) == published + 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_classes_are_labels_in_the_language_of_the_request(client, language):
    campaign = Campaign.objects.select_related("version").get(code=PILOT)
    labels = {c["code"]: c["label"][language] or c["label"]["vi"] for c in campaign.version.scoring["classes"]}
    _body, rows = fetch(client, language)
    column = rows[0].index(_class_header(language))
    values = {row[column] for row in rows[1:]}
    assert values and values <= set(labels.values())
    assert not values & set(labels)  # never "kha", "tot"


def _class_header(language: str) -> str:
    with translation.override(language):
        return translation.gettext("Class")


def test_pillar_scores_are_on_the_scale_of_the_total(client):
    _body, rows = fetch(client, "en")
    header = rows[0]
    pillar_columns = [n for n, name in enumerate(header) if name.startswith("Pillar ")]
    total = header.index("Total (0–100)")
    assert len(pillar_columns) == 4
    scores = {
        s.assessment.unit.key: s
        for s in AssessmentScore.objects.filter(
            assessment__campaign__code=PILOT, assessment__state="published", track="final"
        ).select_related("assessment__unit")
    }
    above_one = 0
    for row in rows[1:]:
        stored = scores[row[1]]
        assert float(row[total]) == pytest.approx(stored.total, abs=0.05)
        for n in pillar_columns:
            code = header[n].split()[1]
            assert float(row[n]) == pytest.approx(stored.pillars[code] * 100, abs=0.05)
            assert 0 <= float(row[n]) <= 100
            above_one += float(row[n]) > 1
    assert above_one  # really on 100, not 0–1


def test_demo_data_is_marked_in_the_first_column(client):
    campaign = Campaign.objects.get(code=PILOT)
    assert campaign.is_demo
    _body, rows = fetch(client, "en")
    assert rows[0][0] == "Demo data?"
    assert {row[0] for row in rows[1:]} == {"yes"}
    Campaign.objects.filter(pk=campaign.pk).update(is_demo=False)
    with override_settings(DEMO_MODE=False):
        _body, rows = fetch(client, "en")
    assert {row[0] for row in rows[1:]} == {"no"}


def test_campaign_page_links_the_spreadsheet_and_snapshots_stay_frozen(client):
    body = client.get(f"/public/campaigns/{PILOT}/").content.decode()
    assert URL in body
    snapshot = Campaign.objects.get(code=PILOT).snapshots.order_by("created_at", "id").first()
    stored = client.get(f"/public/snapshots/{snapshot.pk}.csv").content
    assert hashlib.sha256(stored).hexdigest() == snapshot.csv_sha256
    assert not stored.startswith(b"\xef\xbb\xbf")  # the frozen bytes are served as they were


def test_unknown_or_unpublished_campaign_has_no_csv(client):
    assert client.get("/public/campaigns/hai-phong-2026/results.csv").status_code == 404
    assert client.get("/public/campaigns/khong-co/results.csv").status_code == 404


def test_csv_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.get(URL)
    with django_assert_num_queries(8):
        client.get(URL)
