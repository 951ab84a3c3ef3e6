"""No stored value can break a page: values written before today's rules (straight to the database here) are
scored as not answered and flagged on every page that shows them, never a 500.

The values: an unknown level, a number too long for its column, N/A with a level (SQLite only: PostgreSQL's
CHECK constraints and column types refuse them, so there the test writes only what the database allows), a
percentage of 250, points above the maximum and a measured value on a management criterion (both databases).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from tests.assessment_fixtures import checks_off, make_campaign
from tincay.assessments.models import Assessment, CriterionResult
from tincay.catalogue.models import Criterion
from tincay.reports.services import snapshot_create

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"
PILOT_UNIT = "11413-2025"  # published: every page shows it, the portal too
SQLITE = connection.vendor == "sqlite"
FLAG = "stored-problem"  # the marker's class (reports/templatetags/results.py: stored_flag)


def write_bad_values(assessment: Assessment) -> set[tuple[str, str]]:
    """Store values that break today's rules on ``assessment``; returns the (criterion, field) pairs written.
    Marks the scores stale, as the migration that introduced the flags does for older data."""
    results = assessment.results.select_related("criterion").order_by("criterion__order")
    performance = [r for r in results if r.criterion.type == "performance"]
    management = [r for r in results if r.criterion.type != "performance"]
    percent, measured = performance[0], performance[1]
    Criterion.objects.filter(pk=percent.criterion_id).update(measure_unit_vi="%", measure_unit_en="%")
    bad = {
        percent.pk: {"final_value": Decimal("250"), "self_value": Decimal("250")},  # over 100 %
        management[0].pk: {"final_value": Decimal("5")},  # a value on a criterion that is not measured
        management[1].pk: {"self_points": Decimal("50")},  # points under a scheme without points, above any maximum
    }
    if SQLITE:
        bad |= {
            management[2].pk: {"self_level": "purple", "scorer_level": "purple"},
            measured.pk: {"self_value": Decimal("12345678901.12345")},  # too long for the 14-digit column
            management[3].pk: {"na": True, "na_reason": "Không áp dụng", "self_level": "green"},
        }
    by_pk = {r.pk: r.criterion.code for r in results}
    with checks_off():
        for pk, values in bad.items():
            CriterionResult.objects.filter(pk=pk).update(**values)
    Assessment.objects.filter(pk=assessment.pk).update(scores_stale=True)
    return {(by_pk[pk], name) for pk, values in bad.items() for name in values if name != "na_reason"}


@pytest.fixture
def pilot() -> tuple[Assessment, set[tuple[str, str]]]:
    assessment = Assessment.objects.select_related("unit").get(campaign__code=PILOT, unit__key=PILOT_UNIT)
    return assessment, write_bad_values(assessment)


RESULT_PAGES = [
    "/results/assessments/{pk}/",
    f"/results/campaigns/{PILOT}/",
    f"/results/campaigns/{PILOT}/ranking/",
    f"/results/campaigns/{PILOT}/analysis/",
    f"/results/campaigns/{PILOT}/timeliness/",
]


@pytest.mark.parametrize("url", RESULT_PAGES)
def test_results_pages_answer_and_flag_the_bad_value(client_for, pilot, url):
    assessment, _bad = pilot
    client = client_for("dieuphoi")
    client.get(f"/results/assessments/{assessment.pk}/")  # timeliness shows what the last scoring found
    page = client.get(url.format(pk=assessment.pk))
    assert page.status_code == 200
    assert FLAG in page.content.decode()


def test_unit_results_name_every_bad_value_and_count_it_as_not_answered(client_for, pilot):
    assessment, bad = pilot
    page = client_for("dieuphoi").get(f"/results/assessments/{assessment.pk}/")
    results = page.context["results"]
    assert {(p["criterion"], p["field"]) for p in results.flagged} >= bad - {(c, "na") for c, _f in bad}
    assert not results.complete["final"]  # the bad final values count as not answered
    html = page.content.decode()
    for code, _field in bad:
        assert code in html
    english = client_for("dieuphoi")
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "break today's rules" in english.get(f"/results/assessments/{assessment.pk}/").content.decode()


def test_trend_and_workspace_pages_answer(client_for, pilot):
    assessment, _bad = pilot
    client = client_for("dieuphoi")
    code = "1.1"
    for url in (
        f"/results/units/{PILOT_UNIT}/",
        "/results/units/11413/",
        f"/assessments/{assessment.pk}/",
        f"/assessments/{assessment.pk}/review/",
        f"/assessments/{assessment.pk}/indicators/{code}/",
        f"/campaigns/{PILOT}/",
    ):
        assert client.get(url).status_code == 200, url


def test_a_draft_with_bad_values_opens_for_the_unit_and_its_leader(client_for, users):
    assessment = Assessment.objects.get(campaign=make_campaign(users, code="gia-tri-cu"), unit__key="11413")
    bad = write_bad_values(assessment)
    codes = sorted({code.rsplit(".", 1)[0] for code, _field in bad})
    for persona in ("daumoi", "lanhdao", "dieuphoi"):
        client = client_for(persona)
        detail = client.get(f"/assessments/{assessment.pk}/")
        assert detail.status_code == 200 and FLAG in detail.content.decode(), persona
        for indicator in codes:
            page = client.get(f"/assessments/{assessment.pk}/indicators/{indicator}/")
            assert page.status_code == 200 and FLAG in page.content.decode(), (persona, indicator)
    assert client_for("dieuphoi").get(f"/results/assessments/{assessment.pk}/").status_code == 200
    Assessment.objects.filter(pk=assessment.pk).update(state="appraisal")
    review = client_for("thamdinh").get(f"/assessments/{assessment.pk}/review/")
    assert review.status_code == 200
    if SQLITE:  # the unknown level is shown as it is, flagged
        assert FLAG in review.content.decode() and "purple" in review.content.decode()


def test_results_api_answers_and_names_the_bad_values(users, pilot):
    assessment, bad = pilot
    api = APIClient()
    api.force_authenticate(users["dieuphoi"])
    body = api.get(f"/api/v1/results/assessments/{assessment.pk}/").json()
    named = {(p["criterion"], p["field"]) for track in body["problems"].values() for p in track}
    assert named >= bad - {(c, "na") for c, _f in bad}
    assert any(i["flagged"]["final"] for p in body["pillars"] for i in p["indicators"])
    heat = api.get(f"/api/v1/results/campaigns/{PILOT}/heatmap/").json()
    assert next(r for r in heat["rows"] if r["unit"] == PILOT_UNIT)["flagged"]
    ranking = api.get(f"/api/v1/results/campaigns/{PILOT}/ranking/").json()
    assert next(r for r in ranking["rows"] if r["unit"] == PILOT_UNIT)["flagged"] is True
    for url in (
        f"/api/v1/results/units/{PILOT_UNIT}/trend/",
        f"/api/v1/assessments/{assessment.pk}/",
        f"/api/v1/assessments/{assessment.pk}/results/",
    ):
        assert api.get(url).status_code == 200, url


def test_portal_pages_answer_and_flag(client, pilot):
    _assessment, _bad = pilot
    for url in (f"/public/campaigns/{PILOT}/", f"/public/units/{PILOT_UNIT}/", "/public/provinces/31/"):
        page = client.get(url)
        assert page.status_code == 200, url
        assert FLAG in page.content.decode(), url


def test_downloads_name_the_criteria_whose_stored_value_breaks_the_rules(client_for, users, pilot):
    assessment, bad = pilot
    final_codes = {code for code, field in bad if field.startswith("final_")}
    client = client_for("dieuphoi")
    text = client.get(f"/results/campaigns/{PILOT}/ranking/", {"format": "csv"}).content.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if PILOT_UNIT in r)
    assert set(row[-1].split()) >= final_codes
    snapshot = snapshot_create(actor=users["dieuphoi"], campaign=assessment.campaign)
    record = next(r for r in csv.DictReader(io.StringIO(snapshot.csv_text)) if r["unit_key"] == PILOT_UNIT)
    assert set(record["stored_problems"].split()) >= final_codes
    for fmt in ("csv", "json"):
        assert client.get(f"/public/snapshots/{snapshot.pk}.{fmt}").status_code == 200
    assert client.get(f"/public/snapshots/{snapshot.pk}/changes/").status_code == 200
