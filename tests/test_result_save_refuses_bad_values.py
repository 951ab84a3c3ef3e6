"""Bad values typed on the indicator page (plain POST) or sent by autosave (htmx) are refused with a clear
message on their field (400), nothing is stored, what was typed is kept, and every page that shows the
assessment and its campaign still answers 200."""

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import CriterionResult

CODE = "gia-tri-sai"
LONG = "x" * 20_001


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One campaign for the whole module (each test's writes are rolled back)."""
    with module_campaign(django_db_blocker, CODE, {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        performance = assessment.results.filter(criterion__type="performance", criterion__measure_unit_vi="%").first()
        management = assessment.results.filter(criterion__type="management").first()
        yield assessment, performance, management


CASES = [
    # (criterion, posted fields, field with the error, words of the message)
    ("performance", {"self_value": "150"}, "self_value", "between 0 and 100"),
    ("performance", {"self_value": "-5"}, "self_value", "between 0 and 100"),
    ("performance", {"self_value": "12345678901.12345"}, "self_value", ""),
    ("performance", {"self_value": "không phải số"}, "self_value", ""),
    ("management", {"self_level": "purple"}, "self_level", "purple"),
    ("management", {"self_value": "12"}, "self_value", "not measured"),
    ("management", {"self_points": "3"}, "self_points", "points"),
    ("management", {"self_level": "green", "narrative": LONG}, "narrative", "20,000"),
    ("management", {"na": "on", "na_reason": ""}, "na_reason", "does not apply"),
    ("management", {"na": "on", "na_reason": "x" * 2_001}, "na_reason", "2,000"),
    ("management", {"no_evidence_reason": "x" * 2_001}, "no_evidence_reason", "2,000"),
]


def _post(client, assessment, result, data, *, htmx):
    prefixed = {f"r{result.pk}-{k}": v for k, v in {"revision": result.revision, **data}.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/assessments/{assessment.pk}/results/{result.pk}/self/", prefixed, headers=headers, HTTP_ACCEPT_LANGUAGE="en"
    )


def _stored(result):
    fresh = CriterionResult.objects.get(pk=result.pk)
    return fresh.revision, fresh.self_level, fresh.self_value, fresh.self_points, fresh.na, fresh.narrative


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("kind", "data", "field", "words"), CASES)
def test_a_bad_value_is_refused_and_nothing_is_stored(client_for, world, htmx, kind, data, field, words):
    assessment, performance, management = world
    result = performance if kind == "performance" else management
    before = _stored(result)
    response = _post(
        client_for("daumoi"), assessment, result, {**data, "narrative": data.get("narrative", "Giữ")}, htmx=htmx
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert words in body and any(mark in body for mark in ("text-danger", "invalid-feedback", "alert-danger"))
    if not htmx:
        form = response.context["forms"][result.pk]
        # the message sits on its field; a field the page does not show (a value on a management criterion,
        # points) is reported at the top of the form
        shown = form.errors.get(field) if field in form.fields else form.non_field_errors()
        assert shown and words in " ".join(shown), form.errors
        if field != "narrative":
            assert "Giữ" in body  # what was typed is kept
    assert _stored(result) == before


@pytest.mark.django_db
def test_a_good_value_is_still_saved(client_for, world):
    assessment, performance, _management = world
    response = _post(client_for("daumoi"), assessment, performance, {"self_value": "87.5"}, htmx=True)
    assert response.status_code == 200 and "text-success" in response.content.decode()
    assert str(CriterionResult.objects.get(pk=performance.pk).self_value) == "87.5000"


@pytest.mark.django_db
def test_every_page_of_the_assessment_and_campaign_answers_after_refused_saves(client_for, world):
    assessment, performance, management = world
    focal = client_for("daumoi")
    for kind, data, _field, _words in CASES:
        _post(focal, assessment, performance if kind == "performance" else management, data, htmx=True)
    code = management.criterion.indicator.code
    pages = {
        "dieuphoi": [
            f"/assessments/{assessment.pk}/",
            f"/assessments/{assessment.pk}/indicators/{code}/",
            f"/assessments/{assessment.pk}/review/",
            f"/campaigns/{CODE}/",
            f"/results/assessments/{assessment.pk}/",
            f"/results/campaigns/{CODE}/",
            f"/results/campaigns/{CODE}/ranking/",
            f"/results/campaigns/{CODE}/analysis/",
            f"/results/campaigns/{CODE}/timeliness/",
            "/results/units/11413/",
        ],
        "daumoi": [f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/indicators/{code}/"],
    }
    for persona, urls in pages.items():
        client = client_for(persona)
        for url in urls:
            assert client.get(url).status_code == 200, url
