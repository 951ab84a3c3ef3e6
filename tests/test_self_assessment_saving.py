"""Saving criterion results as you go: autosave, conflicts between two writers, N/A reasons, who may write."""

import pytest

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import Assessment, IndicatorAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(users):
    return Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")


def _post(client, assessment, result, data, htmx=True):
    prefixed = {f"r{result.pk}-{k}": v for k, v in data.items()}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/assessments/{assessment.pk}/results/{result.pk}/self/", prefixed, headers=headers)


def test_autosave_keeps_the_text_and_moves_the_revision(client_for, assessment):
    result = assessment.results.get(criterion__code="1.7.1")
    response = _post(
        client_for("daumoi"),
        assessment,
        result,
        {
            "revision": 0,
            "self_level": "yellow",
            "narrative": "Đã công khai dự toán trên bảng tin.",
        },
    )
    assert response.status_code == 200 and "text-success" in response.content.decode()
    assert f'name="r{result.pk}-revision" value="1"' in response.content.decode()
    result.refresh_from_db()
    assert (result.self_level, result.narrative, result.revision) == (
        "yellow",
        "Đã công khai dự toán trên bảng tin.",
        1,
    )


def test_two_writers_on_one_criterion_get_a_conflict_not_an_overwrite(client_for, assessment):
    result = assessment.results.get(criterion__code="1.7.1")
    focal, leader = client_for("daumoi"), client_for("lanhdao")
    _post(focal, assessment, result, {"revision": 0, "self_level": "green", "narrative": "Bản của đầu mối"})
    response = _post(leader, assessment, result, {"revision": 0, "self_level": "red", "narrative": "Bản của lãnh đạo"})
    body = response.content.decode()
    assert "Bản của đầu mối" in body and "conflict" in body  # the other version is shown
    result.refresh_from_db()
    assert result.narrative == "Bản của đầu mối" and result.revision == 1
    # saving again deliberately, with the revision just seen, keeps the leader's version
    _post(leader, assessment, result, {"revision": 1, "self_level": "red", "narrative": "Bản của lãnh đạo"})
    result.refresh_from_db()
    assert result.narrative == "Bản của lãnh đạo" and result.revision == 2


def test_plain_post_conflict_re_renders_with_409(client_for, assessment):
    result = assessment.results.get(criterion__code="1.7.2")
    _post(client_for("daumoi"), assessment, result, {"revision": 0, "self_level": "green"})
    response = _post(
        client_for("lanhdao"),
        assessment,
        result,
        {"revision": 0, "self_level": "red", "narrative": "Lời giải trình của lãnh đạo"},
        htmx=False,
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "Lời giải trình của lãnh đạo" in body  # what was typed is still in the form
    assert f'name="r{result.pk}-revision" value="1"' in body  # saving again deliberately keeps it


def test_not_applicable_needs_a_reason(client_for, assessment):
    result = assessment.results.get(criterion__code="2.5.1")
    response = _post(client_for("daumoi"), assessment, result, {"revision": 0, "na": "on", "na_reason": ""})
    assert "text-danger" in response.content.decode()
    result.refresh_from_db()
    assert not result.na
    _post(
        client_for("daumoi"), assessment, result, {"revision": 0, "na": "on", "na_reason": "Phường không có du lịch."}
    )
    result.refresh_from_db()
    assert result.na and result.na_reason == "Phường không có du lịch."


def test_contributor_writes_only_the_indicators_given_to_them(client_for, assessment, users):
    page = client_for("congchuc").get(f"/assessments/{assessment.pk}/indicators/2.8/")
    assert page.status_code == 200 and not page.context["can_edit"]
    department = users["congchuc"].memberships.get(unit__key="11413").department
    IndicatorAssignment.objects.create(
        assessment=assessment,
        indicator=assessment.results.get(criterion__code="2.8.1").criterion.indicator,
        department=department,
    )
    page = client_for("congchuc").get(f"/assessments/{assessment.pk}/indicators/2.8/")
    assert page.context["can_edit"]


def test_focal_point_assigns_an_indicator(client_for, assessment, users):
    department = users["congchuc"].memberships.get(unit__key="11413").department
    client_for("daumoi").post(
        f"/assessments/{assessment.pk}/assign/",
        {
            "indicator": "2.8",
            "department": department.pk,
            "assignee": users["congchuc"].pk,
        },
    )
    assignment = assessment.assignments.get(indicator__code="2.8")
    assert assignment.department == department and assignment.assignee == users["congchuc"]


def test_nothing_can_be_written_once_submitted(client_for, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(state="submitted")
    result = assessment.results.get(criterion__code="1.7.1")
    _post(client_for("daumoi"), assessment, result, {"revision": 0, "self_level": "green"})
    result.refresh_from_db()
    assert result.self_level == ""


def test_plain_post_with_a_bad_value_keeps_the_text(client_for, assessment):
    result = assessment.results.filter(criterion__type="performance").first()
    response = _post(
        client_for("daumoi"),
        assessment,
        result,
        {"revision": 0, "self_value": "không phải số", "narrative": "Số liệu năm 2026"},
        htmx=False,
    )
    assert response.status_code == 400 and "Số liệu năm 2026" in response.content.decode()
