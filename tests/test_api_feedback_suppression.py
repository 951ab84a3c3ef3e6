"""A closed survey's results through the API: figures equal the hand counts, and a question, factor or overall
figure from fewer answers than the survey's minimum is suppressed: ``suppressed`` is true and the item carries no
``n`` and no figure at all (not even empty ones), while the response total and its split by channel stay."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set

pytestmark = pytest.mark.django_db

HEAD = {"key", "order", "kind", "aspect", "factor_key", "text_vi", "text_en", "measures", "suppressed"}
FIGURES = {"n", "scale", "satisfied", "mean", "options"}


def closed(users, values: list[int], *, minimum: int, channel: str = "qr"):
    actor = users["dieuphoi"]
    survey = sipas_survey(actor, min_responses=minimum)
    survey_status_set(actor=actor, survey=survey, status="open")
    for value in values:
        response_submit(survey=survey, channel=channel, answers=good_answers(survey, value))
    survey_status_set(actor=actor, survey=survey, status="closed")
    return survey


def results(users, survey, persona: str = "xem") -> dict:
    client = APIClient()
    client.force_authenticate(users[persona])
    response = client.get(f"/api/v1/surveys/{survey.pk}/results/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_figures_are_shown_from_the_minimum_and_equal_hand_counts(users):
    body = results(users, closed(users, [5, 5, 4, 4, 2], minimum=5))
    questions = {q["key"]: q for q in body["questions"]}
    overall = questions["overall"]
    assert overall["suppressed"] is False and overall["n"] == 5
    assert [(p["value"], p["count"]) for p in overall["scale"]] == [(1, 0), (2, 1), (3, 0), (4, 2), (5, 2)]
    assert overall["scale"][4]["share"]["share"] == pytest.approx(0.4) and overall["scale"][4]["label_vi"]
    satisfied = overall["satisfied"]
    assert satisfied["count"] == 4 and satisfied["n"] == 5 and satisfied["share"] == pytest.approx(0.8)
    assert 0 <= satisfied["low"] < 0.8 < satisfied["high"] <= 1
    assert overall["mean"]["value"] == pytest.approx(4.0) and overall["mean"]["sd"] > 0
    assert overall["options"] == []
    expectation = questions["expectation"]  # everyone chose "online" and "time"
    chosen = {o["key"]: o["count"] for o in expectation["options"]}
    assert chosen["online"] == 5 and chosen["time"] == 5 and chosen["access"] == 0
    assert expectation["scale"] == [] and expectation["satisfied"] is None and expectation["mean"] is None
    comment = questions["comment"]
    assert comment["n"] == 5 and comment["scale"] == [] and comment["options"] == []  # texts are never shown here
    assert "Cán bộ nhiệt tình." not in str(body)
    factor = next(f for f in body["factors"] if f["key"] == "access")
    assert factor["suppressed"] is False and factor["n"] == 5 and factor["satisfied"]["count"] == 4
    assert body["overall"]["n"] == 5 and body["overall"]["satisfied"]["share"] == pytest.approx(0.8)


def test_a_figure_below_the_minimum_is_suppressed_with_no_figure_at_all(users):
    body = results(users, closed(users, [5, 5, 4, 4, 2], minimum=5))
    questions = {q["key"]: q for q in body["questions"]}
    unanswered = questions["access-online"]  # not required: nobody answered it
    assert unanswered["suppressed"] is True and set(unanswered) == HEAD
    assert set(questions["feedback-handled"]) == HEAD


def test_below_the_minimum_everything_is_suppressed_but_the_counts_of_responses(users):
    body = results(users, closed(users, [5, 5, 4, 4, 2], minimum=6, channel="link"), persona="quantri")
    assert body["responses"] == 5 and body["by_channel"] == {"link": 5, "qr": 0, "token": 0, "paper": 0}
    assert body["min_responses"] == 6
    assert all(q["suppressed"] is True and set(q) == HEAD for q in body["questions"])
    for item in [*body["factors"], body["overall"]]:
        assert item["suppressed"] is True and set(item) == {"key", "title_vi", "title_en", "suppressed"}
    assert not FIGURES & {name for q in body["questions"] for name in q}
