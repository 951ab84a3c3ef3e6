"""The shipped TCVN ISO 18091:2020 base library: 4 pillars, 39 indicators, at least 4 criteria each."""

import re
from pathlib import Path

import pytest

from tincay.catalogue import library
from tincay.catalogue.models import FrameworkVersion

BASE_FILE = Path(__file__).resolve().parents[1] / "tincay" / "catalogue" / "data" / "tcvn-iso-18091-2020.yaml"
SPLIT = {"1": 10, "2": 8, "3": 12, "4": 9}


@pytest.fixture(scope="module")
def doc():
    return library.parse_yaml(BASE_FILE.read_text(encoding="utf-8"))


def test_base_library_has_four_pillars_and_39_indicators_split_10_8_12_9(doc):
    assert {p["code"]: len(p["indicators"]) for p in doc["pillars"]} == SPLIT
    codes = [i["code"] for p in doc["pillars"] for i in p["indicators"]]
    assert codes[:3] == ["1.1", "1.2", "1.3"] and codes[-1] == "4.9" and len(set(codes)) == 39


def test_every_indicator_has_at_least_four_fully_bilingual_criteria(doc):
    for pillar in doc["pillars"]:
        for indicator in pillar["indicators"]:
            assert len(indicator["criteria"]) >= 4, indicator["code"]
            for c in indicator["criteria"]:
                for name in ("title", "description", "guidance"):
                    assert c[name]["vi"] and c[name]["en"], (c["code"], name)
                for level in ("red", "yellow", "green"):
                    assert c["levels"][level]["vi"] and c["levels"][level]["en"], (c["code"], level)


def test_water_indicator_has_the_75_95_performance_criterion(doc):
    water = next(i for p in doc["pillars"] for i in p["indicators"] if i["code"] == "4.6")
    measures = [c["measure"] for c in water["criteria"] if c["type"] == "performance"]
    assert {"direction": "higher_is_better", "yellow": 75, "green": 95}.items() <= measures[0].items()


def test_vietnamese_text_carries_diacritics(doc):
    """A Vietnamese title with no marked letter at all is almost certainly typed without diacritics."""
    marked = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
    titles = [i["title"]["vi"] for p in doc["pillars"] for i in p["indicators"]]
    titles += [c["title"]["vi"] for p in doc["pillars"] for i in p["indicators"] for c in i["criteria"]]
    unmarked = [t for t in titles if not marked.search(t)]
    assert unmarked == []


def test_default_scoring_scheme_matches_the_domain_brief(doc):
    scheme = doc["scoring"]
    assert scheme["levels"] == {"red": 0, "yellow": 0.5, "green": 1}
    assert scheme["indicator_thresholds"] == {"yellow": 0.5, "green": 0.85}
    assert [c["code"] for c in scheme["classes"]] == ["tin_cay", "tot", "kha", "trung_binh", "yeu"]


@pytest.mark.django_db
def test_base_version_is_loaded_and_issued():
    version = FrameworkVersion.objects.get(framework__code="tcvn-iso-18091", code="2020")
    assert version.status == "issued"
    assert version.indicators.count() == 39
    assert version.criteria.count() >= 39 * 4
