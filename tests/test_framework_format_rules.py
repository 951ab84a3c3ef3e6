"""The loader refuses documents that break the format, naming every broken rule and its place."""

import copy

import pytest

from tincay.catalogue import library
from tincay.catalogue.selectors import version_by_ref, version_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def doc():
    return copy.deepcopy(version_document(version_by_ref("tcvn-iso-18091", "2020")))


def _problems(raw) -> list[str]:
    with pytest.raises(library.LibraryError) as info:
        library.normalise(raw)
    return [p.path for p in info.value.problems]


def test_level_values_must_increase(doc):
    doc["scoring"]["levels"] = {"red": 0.6, "yellow": 0.5, "green": 1}
    assert "scoring.levels" in _problems(doc)


def test_last_class_must_start_at_zero(doc):
    doc["scoring"]["classes"] = doc["scoring"]["classes"][:-1]
    assert "scoring.classes" in _problems(doc)


def test_performance_thresholds_must_follow_their_direction(doc):
    criterion = next(
        c for p in doc["pillars"] for i in p["indicators"] for c in i["criteria"] if c["type"] == "performance"
    )
    criterion["measure"]["direction"] = "lower_is_better"  # yellow < green is now backwards
    assert any(path.endswith(".measure") for path in _problems(doc))


def test_codes_must_be_prefixed_by_their_parent_and_unique(doc):
    first = doc["pillars"][0]["indicators"][0]["criteria"]
    first[1]["code"] = first[0]["code"]
    doc["pillars"][0]["indicators"][1]["code"] = "2.1"
    problems = _problems(doc)
    assert "pillars[0].indicators[0].criteria[1].code" in problems
    assert "pillars[0].indicators[1].code" in problems


def test_vietnamese_level_descriptor_is_required(doc):
    doc["pillars"][0]["indicators"][0]["criteria"][0]["levels"]["green"]["vi"] = ""
    assert "pillars[0].indicators[0].criteria[0].levels.green" in _problems(doc)


def test_invalid_yaml_names_the_line():
    with pytest.raises(library.LibraryError) as info:
        library.parse_yaml("format: x\npillars: [\n")
    assert info.value.problems[0].path.startswith("line ")
