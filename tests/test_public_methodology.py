"""The public methodology page: levels, roll-up, weights, classes and who appraises, read from the scheme and the
catalogue version each published campaign used (never prose numbers), linked from every portal page."""

from __future__ import annotations

import copy
import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tincay.assessments.models import Campaign
from tincay.catalogue.models import Criterion
from tincay.portal.selectors import methodology

pytestmark = pytest.mark.django_db
PILOT = "thi-diem-hai-phong-2023"


def test_methodology_page_states_the_scheme_of_the_version_used(client):
    campaign = Campaign.objects.select_related("version").get(code=PILOT)
    scheme = campaign.version.scoring
    body = client.get("/public/phuong-phap/").content.decode()
    assert campaign.title_vi in body and campaign.version.ref in body
    for entry in scheme["classes"]:
        assert entry["label"]["vi"] in body
    green = scheme["indicator_thresholds"]["green"] * scheme["scale"]
    assert f"{green:g}" in body  # 85 on 0–100
    criteria = Criterion.objects.filter(version=campaign.version)
    assert f"{criteria.count()} " in body
    heavy = criteria.filter(weight=2).count()
    assert heavy and f"{heavy} " in body
    for step in ("appraisal council", "hội đồng thẩm định"):
        if step in body.lower():
            break
    else:
        pytest.fail("the page does not say who appraises")


def test_campaign_methodology_page_names_its_campaign_and_deadlines(client):
    campaign = Campaign.objects.get(code=PILOT)
    page = client.get(f"/public/campaigns/{PILOT}/phuong-phap/")
    assert page.status_code == 200
    assert [m.version.pk for m in page.context["methods"]] == [campaign.version_id]
    assert f"/public/campaigns/{PILOT}/" in page.content.decode()
    assert client.get("/public/campaigns/hai-phong-2026/phuong-phap/").status_code == 404  # nothing published


def test_numbers_follow_the_stored_scheme_not_prose():
    campaign = Campaign.objects.select_related("version").get(code=PILOT)
    version = campaign.version
    version.scoring = copy.deepcopy(version.scoring)  # in memory only: issued versions refuse writes
    version.scoring["indicator_thresholds"] = {"yellow": 0.4, "green": 0.9}
    version.scoring["classes"] = [
        {"code": "a", "label": {"vi": "Hạng A", "en": "Grade A"}, "min": 70},
        {"code": "b", "label": {"vi": "Hạng B", "en": "Grade B"}, "min": 0},
    ]
    method = methodology(version, [campaign])
    assert (method.green, method.yellow) == (90, 40)
    assert [(c.label, c.minimum, c.below) for c in method.classes] == [("Hạng A", 70, None), ("Hạng B", 0, 70)]
    html = render_to_string("portal/methodology.html", {"methods": [method], "campaign": campaign})
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Hạng A" in text and "Hạng B" in text and "Tốt" not in text
    assert re.search(r"\b90\b", text) and re.search(r"\b40\b", text)


def test_every_portal_page_links_to_the_methodology(client):
    campaign = Campaign.objects.get(code=PILOT)
    unit = campaign.assessments.filter(state="published").select_related("unit").first().unit
    for url in (
        "/public/",
        f"/public/campaigns/{PILOT}/",
        f"/public/units/{unit.key}/",
        "/public/provinces/31/",
        "/public/tim-kiem/?q=hai",
        "/public/phuong-phap/",
    ):
        body = client.get(url).content.decode()
        assert "/phuong-phap/" in body, url


def test_methodology_page_reads_a_fixed_number_of_queries(client, django_assert_num_queries):
    client.get("/public/phuong-phap/")  # sessions, languages: warm
    # the public campaigns, then the pillars, indicators and criteria of the one version they use
    with django_assert_num_queries(4):
        assert client.get("/public/phuong-phap/").status_code == 200


def test_the_dot_means_not_applicable_and_the_legend_says_so(client):
    from tincay.assessments.models import AssessmentScore

    page = client.get(f"/public/campaigns/{PILOT}/")
    body = page.content.decode()
    assert "no result" not in body and "không có kết quả" not in body
    with translation.override("en"):
        legend = render_to_string("portal/_legend.html")
    assert "Not applicable" in legend
    indicators, rows = page.context["indicators"], page.context["rows"]
    finals = {
        s.assessment_id: s
        for s in AssessmentScore.objects.filter(assessment__in=[r.assessment for r in rows], track="final")
    }
    dots = 0
    for row in rows:
        stored = finals[row.assessment.pk].indicators
        for indicator, colour in zip(indicators, row.colours, strict=True):
            if colour is None:
                dots += 1
                assert indicator.code not in stored  # not applicable, never an unanswered applicable indicator
    assert dots  # the pilot has not-applicable indicators


def test_methodology_in_english_uses_the_english_class_labels(client):
    campaign = Campaign.objects.select_related("version").get(code=PILOT)
    client.cookies["django_language"] = "en"
    body = client.get("/public/phuong-phap/").content.decode()
    for entry in campaign.version.scoring["classes"]:
        assert (entry["label"]["en"] or entry["label"]["vi"]) in body
