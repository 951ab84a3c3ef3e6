"""Internal results: the 4-pillar matrix with three tracks and gaps, heat map, ranking, trends through lineage;
query counts constant in the number of units."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tincay.assessments.models import Assessment, Campaign
from tincay.assessments.services.scores import scores_refresh
from tincay.reports import selectors

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"


def test_unit_results_show_three_tracks_side_by_side(client_for):
    assessment = Assessment.objects.filter(campaign__code=PILOT, unit__key="11413-2025").get()
    page = client_for("dieuphoi").get(f"/results/assessments/{assessment.pk}/")
    results = page.context["results"]
    assert len(results.pillars) == 4 and sum(len(c) for _p, c, _s in results.pillars) == 39
    assert all(results.totals[t] is not None for t in ("self", "scorer", "final"))
    assert results.totals["self"] >= results.totals["scorer"]  # the demo units rate themselves greener


def test_heatmap_ranking_and_rollup(client_for):
    page = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/")
    rows = page.context["rows"]
    assert len(rows) == 12 and all(len(r.colours) == 39 for r in rows)
    ranks = [rank for rank, _row in page.context["ranking"]]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    counts = dict(page.context["rollup"][0][1])
    assert sum(counts.values()) == 12


def test_heatmap_is_limited_to_a_subtree(client_for):
    page = client_for("quantri").get(f"/results/campaigns/{PILOT}/", {"unit": "306-2025"})
    assert {r.assessment.unit.key for r in page.context["rows"]} == {"306-2025", "11413-2025"}


def test_trend_of_a_merged_unit_shows_its_predecessors_labelled(client_for):
    page = client_for("lanhdao").get("/results/units/11413/")
    points = page.context["points"]
    names = {p.assessment.unit.name: p.predecessor for p in points}
    assert names["Phường Đằng Lâm"] is True and names["Quận Hải An"] is True
    assert names["Phường Hải An"] is False


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_units(client_for, users):
    """Same pages over a 2-unit and a 12-unit campaign."""
    from tests.assessment_fixtures import make_campaign

    small = make_campaign(users, code="nho", units={"a": "11413", "b": "11311"})
    for a in small.assessments.all():
        a.results.update(final_level="green", scorer_level="yellow", self_level="green")
        Assessment.objects.filter(pk=a.pk).update(scores_stale=True)
    client = client_for("quantri")
    scores_refresh(Assessment.objects.all())  # refresh once, as a page would
    big = _queries(client, f"/results/campaigns/{PILOT}/")
    assert _queries(client, f"/results/campaigns/{small.code}/") == big
    assessment = Campaign.objects.get(code=PILOT).assessments.first()
    assert _queries(client, f"/results/assessments/{assessment.pk}/") <= 14
    # campaign, assessments, pillars, indicators, scores, lineage, publication dates, council size, corrections,
    # snapshots, closed surveys (three more when there are: tests/test_portal_surveys.py) and the signed-in reader
    # (session, user, notices, roles): none of them per unit
    assert _queries(client, "/public/campaigns/thi-diem-hai-phong-2023/") <= 15


def test_analysis_page_has_gaps_sdg_and_iso_views(client_for):
    page = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/analysis/")
    analysis = page.context["analysis"]
    assert len(analysis.pillar_means) == 4 and all(m is not None for _p, m in analysis.pillar_means)
    assert len(analysis.unit_gaps) == 12 and analysis.unit_gaps[0][1] >= analysis.unit_gaps[-1][1]
    assert analysis.unit_gaps[0][1] > 0  # demo units rate themselves greener than the scorers
    sdgs = {n: linked for n, linked, _m, _c in analysis.sdgs}
    assert "4.6" in [i.code for i in sdgs[6]]
    assert any(c == "9.1" for c, *_rest in analysis.iso_clauses)


def test_bulk_scoring_matches_one_by_one():
    from tincay.assessments.models import AssessmentScore
    from tincay.assessments.services.scores import assessment_rescore, campaign_rescore_bulk

    campaign = Campaign.objects.get(code=PILOT)
    for assessment in campaign.assessments.all():
        assessment_rescore(assessment)
    one_by_one = {
        (s.assessment_id, s.track): (s.total, s.classification, s.indicators)
        for s in AssessmentScore.objects.filter(assessment__campaign=campaign)
    }
    assert campaign_rescore_bulk(campaign.pk) == 12
    bulk = {
        (s.assessment_id, s.track): (s.total, s.classification, s.indicators)
        for s in AssessmentScore.objects.filter(assessment__campaign=campaign)
    }
    assert bulk.keys() == one_by_one.keys()
    for key, (total, klass, indicators) in one_by_one.items():
        assert bulk[key][1] == klass and bulk[key][2] == indicators
        assert abs(bulk[key][0] - total) < 1e-9


def test_ranking_page_agrees_with_the_heatmap_ranking(client_for):
    client = client_for("dieuphoi")
    ranking = list(client.get(f"/results/campaigns/{PILOT}/ranking/").context["page"])
    heat = client.get(f"/results/campaigns/{PILOT}/").context["ranking"]
    assert [(rank, row.unit_key) for rank, row in ranking] == [(rank, r.assessment.unit.key) for rank, r in heat]
    assert len(ranking) == 12 and ranking[0][0] == 1


def test_large_campaigns_ask_for_a_province_instead_of_drawing_everything(client_for, monkeypatch):
    monkeypatch.setattr(selectors, "HEATMAP_MAX_UNITS", 5)
    page = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/")
    assert page.context["too_many"] and page.context["rows"] == []
    narrowed = client_for("dieuphoi").get(f"/results/campaigns/{PILOT}/", {"unit": "306-2025"})
    assert len(narrowed.context["rows"]) == 2


def test_ranking_query_count_does_not_grow_with_units(client_for, users):
    from tests.assessment_fixtures import make_campaign

    small = make_campaign(users, code="nho-xh", units={"a": "11413", "b": "11311"})
    client = client_for("quantri")
    assert _queries(client, f"/results/campaigns/{small.code}/ranking/") == _queries(
        client, f"/results/campaigns/{PILOT}/ranking/"
    )


def test_ranking_pages_through_many_units_and_downloads_whole(client_for, monkeypatch):
    from tincay.reports import views

    monkeypatch.setattr(views, "RANKING_PAGE_SIZE", 5)
    client = client_for("dieuphoi")
    first = client.get(f"/results/campaigns/{PILOT}/ranking/")
    second = client.get(f"/results/campaigns/{PILOT}/ranking/", {"page": 2, "track": "self"})
    assert len(first.context["page"]) == 5 and first.context["total"] == 12
    assert second.context["page"].number == 2 and "track=self" in second.context["query"]
    assert 'href="?unit=&amp;group=&amp;track=final&amp;page=2"' in first.content.decode()
    download = client.get(f"/results/campaigns/{PILOT}/ranking/", {"format": "csv"})
    text = download.content.decode("utf-8-sig")
    assert download["Content-Type"].startswith("text/csv") and "attachment" in download["Content-Disposition"]
    lines = text.strip().splitlines()
    assert len(lines) == 13 and lines[1].startswith("1,")
    assert "Phường Đằng Lâm" in text  # diacritics intact


def test_ranking_narrows_to_a_province_and_refuses_units_outside_scope(client_for):
    client = client_for("dieuphoi")
    narrowed = client.get(f"/results/campaigns/{PILOT}/ranking/", {"unit": "306-2025"})
    assert {row.unit_key for _rank, row in narrowed.context["page"]} == {"306-2025", "11413-2025"}
    outside = client.get(f"/results/campaigns/{PILOT}/ranking/", {"unit": "01"})
    assert outside.status_code == 200 and outside.context["scope_error"] and outside.context["unit"] is None


def test_heatmap_cells_are_compact_letters_in_the_language_of_the_page(client_for):
    client = client_for("dieuphoi")
    html = client.get(f"/results/campaigns/{PILOT}/").content.decode()
    assert '<td class="hm hm-green">X</td>' in html and '<td class="hm hm-red">Đ</td>' in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(f"/results/campaigns/{PILOT}/").content.decode()
    assert '<td class="hm hm-green">G</td>' in english
