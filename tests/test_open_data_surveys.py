"""The campaign's open-data snapshot carries its closed surveys' aggregates: per survey the unit, public code, days,
responses per channel, minimum, overall and per factor (n, satisfied, share, Wilson interval), per question what the
public page shows; suppressed figures without a number; never a text, a response's key or its day; surveys not
closed left out; a new snapshot can be cut once a survey closes; the query count does not grow with the surveys."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest

from tests.public_survey_fixtures import (
    CHANNELS,
    SECRET,
    SHOWN_UNIT,
    THIN_UNIT,
    approved_campaign,
    publish,
    run_survey,
    shown_answers,
    shown_survey,
    thin_survey,
)
from tincay.common.errors import InvalidInput
from tincay.feedback.models import Answer, Response, Survey
from tincay.feedback.selectors.public import closed_results
from tincay.feedback.selectors.results import survey_results
from tincay.feedback.stats import Proportion
from tincay.reports.open_data_surveys import CSV_FIELDS, campaign_surveys
from tincay.reports.services import snapshot_create

pytestmark = pytest.mark.django_db

SUPPRESSED_FIGURE = {"key", "title_vi", "title_en", "suppressed"}
QUESTION_HEAD = {"key", "order", "kind", "aspect", "factor", "text_vi", "text_en", "measures", "suppressed"}


def figures(successes: int, n: int) -> dict:
    p = Proportion.wilson(successes, n)
    shares = {"share": round(p.share, 4), "low": round(p.low, 4), "high": round(p.high, 4)}
    return {"n": n, "satisfied": successes, **shares}


@pytest.fixture
def frozen(users):
    """The test campaign published with two closed surveys (``shown`` and ``thin``) and an open one: its snapshot."""
    campaign = approved_campaign(users)
    actor = users["quantri"]
    shown = shown_survey(actor, campaign)
    thin = thin_survey(actor, campaign)
    still_open = run_survey(actor, campaign, "31", lambda s: shown_answers(s)[:7], close=False)
    publish(users, campaign)
    return campaign.snapshots.get(), {"shown": shown, "thin": thin, "open": still_open}


def records(snapshot) -> dict[str, dict]:
    return {r["unit_key"]: r for r in json.loads(snapshot.json_text)["surveys"]}


def test_publication_freezes_the_closed_surveys_aggregates(frozen):
    snapshot, surveys = frozen
    data = json.loads(snapshot.json_text)
    assert [r["unit_key"] for r in data["surveys"]] == [THIN_UNIT, SHOWN_UNIT]  # the open survey left out
    assert data["surveys_method"]["interval"] == "wilson" and data["surveys_method"]["confidence"] == 0.95
    assert snapshot.surveys == 2 and data["rows"] and snapshot.rows == 3  # the results are still there
    shown = records(snapshot)[SHOWN_UNIT]
    survey = surveys["shown"]
    assert {k: shown[k] for k in ("survey", "unit_key", "unit_code", "unit_name", "responses", "min_responses")} == {
        "survey": survey.public_code,
        "unit_key": SHOWN_UNIT,
        "unit_code": survey.unit.code,
        "unit_name": "Phường Hải An",
        "responses": 13,
        "min_responses": 5,
    }
    assert shown["closed_on"] == survey.closed_on.isoformat() and shown["template"] == "sipas"
    assert shown["by_channel"] == {"link": 9, "qr": 2, "token": 0, "paper": 2} and len(CHANNELS) == 13
    assert shown["overall"] == {**shown["overall"], **figures(7, 13), "suppressed": False}
    assert [f["key"] for f in shown["factors"]] == ["access", "procedures", "civil-servant", "result", "feedback"]
    assert all(f == {**f, **figures(9, 13), "suppressed": False} for f in shown["factors"])
    assert shown["factors"][0]["title_vi"] == "Tiếp cận dịch vụ"


def test_each_question_is_frozen_as_the_public_page_shows_it(frozen):
    snapshot, _surveys = frozen
    questions = {q["key"]: q for q in records(snapshot)[SHOWN_UNIT]["questions"]}
    assert len(questions) == 25
    seats = questions["access-seats"]  # likert: share satisfied, mean, answers per scale point
    assert seats == {**seats, **figures(9, 13), "kind": "likert", "factor": "access"}
    assert [(p["value"], p["count"]) for p in seats["scale"]] == [(1, 1), (2, 2), (3, 1), (4, 6), (5, 3)]
    assert seats["scale"][3]["label_vi"] == "Hài lòng" and seats["scale"][3]["share"] == round(6 / 13, 4)
    assert seats["mean"] == round(47 / 13, 4) and seats["mean_low"] < seats["mean"] < seats["mean_high"]
    expectation = questions["expectation"]  # several choices: respondents per option
    assert {o["key"]: o["count"] for o in expectation["options"]}["online"] == 13
    single = next(q for q in questions.values() if q["kind"] == "single")
    assert [(o["label_vi"], o["count"], o["share"]) for o in single["options"]] == [
        ("Tại quầy", 8, round(8 / 13, 4)),
        ("Trực tuyến", 5, round(5 / 13, 4)),
    ]
    number = next(q for q in questions.values() if q["kind"] == "number")
    assert number["n"] == 13 and number["mean"] == round(21 / 13, 4)
    comment = questions["comment"]  # free text: only how many answered
    assert comment == {**{k: comment[k] for k in QUESTION_HEAD}, "n": 13} and comment["suppressed"] is False


def test_suppressed_figures_carry_no_number(frozen):
    snapshot, _surveys = frozen
    thin = records(snapshot)[THIN_UNIT]
    assert thin["responses"] == 3 and thin["by_channel"]["link"] == 3  # the counts are always given
    assert set(thin["overall"]) == SUPPRESSED_FIGURE and thin["overall"]["suppressed"] is True
    assert all(set(f) == SUPPRESSED_FIGURE for f in thin["factors"])
    assert all(set(q) == QUESTION_HEAD and q["suppressed"] for q in thin["questions"])
    online = next(q for q in records(snapshot)[SHOWN_UNIT]["questions"] if q["key"] == "access-online")
    assert set(online) == QUESTION_HEAD and online["suppressed"] is True
    rows = list(csv.DictReader(io.StringIO(snapshot.surveys_csv_text)))
    assert list(rows[0]) == CSV_FIELDS
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert len(hidden) == 5 + 1 + 23 + 2  # every figure of the thin survey; access-online, feedback-handled
    assert all(not any(r[k] for k in ("n", "count", "share", "low", "high", "mean")) for r in hidden)
    thin_rows = [r for r in rows if r["unit_key"] == THIN_UNIT]
    assert {r["item"] for r in thin_rows} == {"channel", "overall", "factor", "question"}  # no point, no option


def test_the_snapshot_holds_no_text_no_response_key_and_no_day(frozen):
    snapshot, surveys = frozen
    frozen_text = snapshot.json_text + snapshot.surveys_csv_text + snapshot.csv_text
    assert SECRET not in frozen_text and "Nguyễn Văn Bí Mật" not in frozen_text
    ids = Response.objects.filter(survey__in=surveys.values()).values_list("pk", flat=True)
    answers = Answer.objects.filter(response__survey__in=surveys.values()).values_list("pk", flat=True)
    assert ids and not any(str(pk) in frozen_text or pk.hex in frozen_text for pk in [*ids, *answers])
    assert surveys["open"].public_code not in frozen_text  # an open survey has no figure anywhere
    assert '"day"' not in snapshot.json_text and ",day," not in snapshot.surveys_csv_text


def test_the_surveys_csv_downloads_with_its_hash_and_is_listed(client, frozen):
    snapshot, _surveys = frozen
    response = client.get(f"/public/snapshots/{snapshot.pk}.surveys.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert hashlib.sha256(response.content).hexdigest() == snapshot.surveys_csv_sha256 == response["X-Content-SHA256"]
    assert response["Content-Disposition"].endswith(f'-{snapshot.pk}-surveys.csv"')
    assert hashlib.sha256(snapshot.json_text.encode()).hexdigest() == snapshot.json_sha256
    page = client.get(f"/public/campaigns/{snapshot.campaign.code}/").content.decode()
    assert f"/public/snapshots/{snapshot.pk}.surveys.csv" in page and snapshot.surveys_csv_sha256 in page


def test_a_snapshot_without_closed_surveys_has_no_surveys_file(client, users):
    campaign = approved_campaign(users, code="khong-khao-sat")
    publish(users, campaign)
    snapshot = campaign.snapshots.get()
    assert (snapshot.surveys, snapshot.surveys_csv_text, snapshot.surveys_csv_sha256) == (0, "", "")
    assert json.loads(snapshot.json_text)["surveys"] == []
    assert client.get(f"/public/snapshots/{snapshot.pk}.surveys.csv").status_code == 404
    assert client.get(f"/public/snapshots/{snapshot.pk}.xlsx").status_code == 404


def test_a_new_snapshot_can_be_cut_once_a_survey_closes(client_for, users):
    campaign = approved_campaign(users)
    publish(users, campaign)
    first = campaign.snapshots.get()
    with pytest.raises(InvalidInput):
        snapshot_create(actor=users["dieuphoi"], campaign=campaign)  # nothing new
    shown_survey(users["quantri"], campaign)
    url = f"/results/campaigns/{campaign.code}/snapshots/"
    body = client_for("dieuphoi").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 closed citizens' survey of the campaign is not in any snapshot yet." in body
    newer = snapshot_create(actor=users["dieuphoi"], campaign=campaign)
    assert newer.previous_id == first.pk and newer.surveys == 1 and newer.csv_text == first.csv_text
    assert json.loads(first.json_text)["surveys"] == [] and first.surveys_csv_text == ""  # the old one stays
    body = client_for("dieuphoi").get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "not in any snapshot yet" not in body and f"/public/snapshots/{newer.pk}.surveys.csv" in body
    with pytest.raises(InvalidInput):
        snapshot_create(actor=users["dieuphoi"], campaign=campaign)  # nothing new again


def test_batched_results_equal_each_surveys_own_results(users):
    campaign = approved_campaign(users)
    actor = users["quantri"]
    made = [shown_survey(actor, campaign), thin_survey(actor, campaign), shown_survey(actor, None, unit="31")]
    made.append(run_survey(actor, None, "00004", lambda s: shown_answers(s)[:8]))
    found = {s.pk: r for s, r in closed_results(Survey.objects.filter(pk__in=[s.pk for s in made]))}
    assert set(found) == {s.pk for s in made}
    for survey in made:
        assert found[survey.pk] == survey_results(survey), survey.unit.key


def test_the_snapshots_survey_part_reads_the_same_queries_for_one_survey_or_several(users, django_assert_num_queries):
    campaign = approved_campaign(users)
    actor = users["quantri"]
    shown_survey(actor, campaign)
    with django_assert_num_queries(4):  # the surveys, their questions, responses per channel, answers grouped
        assert len(campaign_surveys(campaign)) == 1
    thin_survey(actor, campaign)
    shown_survey(actor, campaign, unit="31")
    run_survey(actor, campaign, "00004", lambda s: shown_answers(s)[:2], close=False)
    with django_assert_num_queries(4):
        assert len(campaign_surveys(campaign)) == 3
