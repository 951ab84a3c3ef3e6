"""The domain rules of one criterion result (tincay.assessments.rules): every bad value is refused with a
message on its field, every good one comes back typed; stored rows are checked by the same rules."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tincay.assessments import rules
from tincay.common.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")

PERCENT = SimpleNamespace(type="performance", max_points=Decimal(0), measure_unit_vi="%", measure_unit_en="%")
COUNT = SimpleNamespace(type="performance", max_points=Decimal(0), measure_unit_vi="người", measure_unit_en="people")
MANAGEMENT = SimpleNamespace(type="management", max_points=Decimal(10), measure_unit_vi="", measure_unit_en="")
AVERAGE = {"levels": {"red": 0, "yellow": 0.5, "green": 1}, "rollup": "weighted_average", "na_requires_reason": True}
POINTS = {**AVERAGE, "rollup": "points"}


def _refused(track="self", criterion=PERCENT, scheme=AVERAGE, stored=None, **data):
    with pytest.raises(InvalidInput) as caught:
        rules.check_track(track=track, data=data, criterion=criterion, scheme=scheme, stored=stored)
    return caught.value.errors


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"self_level": "purple"}, "self_level", "purple"),
        ({"self_level": ["red"]}, "self_level", "red, yellow or green"),
        ({"self_value": "12345678901.12345"}, "self_value", "between 0 and 100"),
        ({"self_value": "-1"}, "self_value", "between 0 and 100"),
        ({"self_value": "100.5"}, "self_value", "between 0 and 100"),
        ({"self_value": "12.34567"}, "self_value", "4 decimals"),
        ({"self_value": "abc"}, "self_value", "12.5"),
        ({"self_value": "NaN"}, "self_value", "finite"),
        ({"self_value": float("inf")}, "self_value", "finite"),
        ({"self_value": True}, "self_value", "true/false"),
        ({"self_value": [1]}, "self_value", "list"),
        ({"self_value": {"v": 1}}, "self_value", "object"),
        ({"self_points": "1"}, "self_points", "points"),
        ({"na": "maybe"}, "na", "true or false"),
        ({"na": 1}, "na", "true or false"),
        ({"na": True, "na_reason": "  "}, "na_reason", "does not apply"),
        ({"narrative": "x" * 20_001}, "narrative", "20,000"),
        ({"na": True, "na_reason": "x" * 2_001}, "na_reason", "2,000"),
        ({"no_evidence_reason": "x" * 2_001}, "no_evidence_reason", "2,000"),
        ({"narrative": 5}, "narrative", "text"),
        ({"scorer_level": "green"}, "scorer_level", "Unknown field"),
        ({"revision": -1}, "revision", "whole number"),
        ({"revision": "1.5"}, "revision", "whole number"),
    ],
)
def test_bad_self_values_are_refused_on_their_field(data, field, words):
    errors = _refused(**data)
    assert field in errors and words in " ".join(str(m) for m in errors[field])


def test_every_problem_is_reported_at_once():
    errors = _refused(self_level="purple", self_value="-3", narrative="x" * 20_001, colour="green")
    assert set(errors) == {"self_level", "self_value", "narrative", "colour"}


def test_a_value_only_on_performance_criteria_and_below_ten_billion():
    assert "not measured" in str(_refused(criterion=MANAGEMENT, self_value="3")["self_value"][0])
    assert "10,000,000,000" in str(_refused(criterion=COUNT, self_value="10000000000")["self_value"][0])
    cleaned = rules.check_track(track="self", data={"self_value": "9999999999.9999"}, criterion=COUNT, scheme=AVERAGE)
    assert cleaned["self_value"] == Decimal("9999999999.9999")


def test_points_only_under_a_points_scheme_and_within_the_criterion_maximum():
    assert "points" in str(_refused(criterion=MANAGEMENT, self_points="5")["self_points"][0])
    assert "between 0 and 10" in str(
        _refused(criterion=MANAGEMENT, scheme=POINTS, self_points="10.5")["self_points"][0]
    )
    assert "3 decimals" in str(_refused(criterion=MANAGEMENT, scheme=POINTS, self_points="1.2345")["self_points"][0])
    cleaned = rules.check_track(track="self", data={"self_points": 7.5}, criterion=MANAGEMENT, scheme=POINTS)
    assert cleaned == {"self_points": Decimal("7.500")}


def test_form_strings_are_typed_and_na_clears_level_value_and_points():
    cleaned = rules.check_track(
        track="self",
        data={"self_level": "red", "self_value": "12.5", "na": "on", "na_reason": " Không có ", "revision": "3"},
        criterion=PERCENT,
        scheme=AVERAGE,
    )
    assert cleaned == {
        "self_level": "",
        "self_value": None,
        "self_points": None,
        "na": True,
        "na_reason": "Không có",
        "revision": 3,
    }
    assert rules.check_track(track="self", data={"na": "false"}, criterion=PERCENT, scheme=AVERAGE) == {"na": False}


def test_na_without_reason_is_allowed_when_the_scheme_says_so():
    scheme = {**AVERAGE, "na_requires_reason": False}
    assert rules.check_track(track="self", data={"na": True}, criterion=PERCENT, scheme=scheme)["na"] is True


def test_a_stored_na_needs_its_reason_kept():
    errors = _refused(stored={"na": True, "na_reason": "Có lý do"}, na_reason="")
    assert "na_reason" in errors


def test_the_final_level_differing_from_the_scorers_needs_a_reason():
    stored = {"scorer_level": "green", "final_comment": ""}
    assert "final_comment" in _refused(track="final", stored=stored, final_level="red")
    cleaned = rules.check_track(
        track="final",
        data={"final_level": "red", "final_comment": "Thiếu minh chứng"},
        criterion=PERCENT,
        scheme=AVERAGE,
        stored=stored,
    )
    assert cleaned["final_level"] == "red"


@pytest.mark.parametrize("track", ["", "other", None])
def test_an_unknown_track_is_refused(track):
    assert "track" in _refused(track=track)


@pytest.mark.parametrize("data", [[1, 2], None, "self_level=red", 3])
def test_a_body_that_is_not_an_object_is_refused(data):
    with pytest.raises(InvalidInput) as caught:
        rules.check_track(track="self", data=data, criterion=PERCENT, scheme=AVERAGE)
    assert "object" in caught.value.message


def test_stored_problems_lists_what_todays_rules_refuse():
    values = {
        "self_level": "purple",
        "self_value": Decimal("12345678901.1234"),
        "self_points": Decimal(3),
        "na": False,
        "scorer_level": "green",
        "final_level": "red",
        "final_comment": "",
        "narrative": "ok",
    }
    fields = [field for field, _message in rules.stored_problems(values, criterion=PERCENT, scheme=AVERAGE)]
    assert fields == ["self_level", "self_value", "self_points", "final_comment"]


def test_stored_na_with_a_level_is_flagged_and_a_clean_row_has_no_problem():
    flagged = rules.stored_problems(
        {"na": True, "na_reason": "x", "self_level": "red"}, criterion=PERCENT, scheme=AVERAGE
    )
    assert [f for f, _m in flagged] == ["self_level"]
    clean = {"self_level": "green", "self_value": Decimal("55.5"), "na": False, "narrative": "", "revision": 4}
    assert rules.stored_problems(clean, criterion=PERCENT, scheme=AVERAGE) == []
