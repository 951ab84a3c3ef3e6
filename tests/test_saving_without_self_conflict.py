"""Saving never fights the person saving: a save on top of one's own newer revision with the same content is not a
conflict; another person's save is (ConflictError with their version, nothing overwritten); "keep mine" saves over
the revision the conflict showed, through the same service and its checks; the page shows the conflict with field
labels and level names, both versions side by side."""

from decimal import Decimal

import pytest

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import CriterionResult
from tincay.assessments.services import results
from tincay.assessments.services.errors import ConflictError
from tincay.common.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, "tu-xung-dot", {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        management = assessment.results.get(criterion__code="1.7.1")
        percent = assessment.results.filter(criterion__type="performance", criterion__measure_unit_vi="%").first()
        yield assessment, management, percent


def _fresh(result):
    return CriterionResult.objects.get(pk=result.pk)


def _save(user, result, data, revision):
    return results.result_save(user=user, result=result, track="self", data=data, revision=revision)


MINE = {"self_level": "green", "narrative": "Niêm yết tại bảng tin phường."}


@pytest.mark.django_db
def test_same_person_same_content_on_their_own_newer_revision_is_not_a_conflict(users, world):
    _assessment, result, _percent = world
    _save(users["daumoi"], result, MINE, 0)  # the autosave lands first
    again = _save(users["daumoi"], result, dict(MINE), 0)  # the "Save" button, sent with the revision it loaded
    stored = _fresh(result)
    assert again.revision == stored.revision == 1  # nothing written twice, the form learns the stored revision
    assert (stored.self_level, stored.narrative) == ("green", MINE["narrative"])


@pytest.mark.django_db
def test_same_person_same_measured_value_written_differently_is_not_a_conflict(users, world):
    _assessment, _result, percent = world
    _save(users["daumoi"], percent, {"self_value": "87.5"}, 0)
    _save(users["daumoi"], percent, {"self_value": Decimal("87.50")}, 0)
    assert _fresh(percent).self_value == Decimal("87.5") and _fresh(percent).revision == 1


@pytest.mark.django_db
def test_same_person_different_content_on_an_older_revision_is_still_a_conflict(users, world):
    _assessment, result, _percent = world
    _save(users["daumoi"], result, MINE, 0)
    with pytest.raises(ConflictError):  # e.g. a second tab: a different text would be lost
        _save(users["daumoi"], result, {**MINE, "narrative": "Khác"}, 0)
    assert _fresh(result).narrative == MINE["narrative"]


@pytest.mark.django_db
def test_another_person_is_a_conflict_even_with_the_same_content(users, world):
    _assessment, result, _percent = world
    _save(users["daumoi"], result, MINE, 0)
    with pytest.raises(ConflictError) as raised:
        _save(users["lanhdao"], result, dict(MINE), 0)
    assert raised.value.current["revision"] == 1 and raised.value.current["narrative"] == MINE["narrative"]
    assert _fresh(result).revision == 1


@pytest.mark.django_db
def test_keep_mine_saves_over_the_revision_the_conflict_showed(users, world):
    _assessment, result, _percent = world
    _save(users["daumoi"], result, MINE, 0)
    with pytest.raises(ConflictError) as raised:
        _save(users["lanhdao"], result, {"self_level": "red", "narrative": "Của lãnh đạo"}, 0)
    _save(
        users["lanhdao"], result, {"self_level": "red", "narrative": "Của lãnh đạo"}, raised.value.current["revision"]
    )
    stored = _fresh(result)
    assert (stored.self_level, stored.narrative, stored.revision, stored.updated_by) == (
        "red",
        "Của lãnh đạo",
        2,
        users["lanhdao"],
    )


@pytest.mark.django_db
def test_keep_mine_still_goes_through_the_checks(users, world):
    _assessment, _result, percent = world
    _save(users["daumoi"], percent, {"self_value": "50"}, 0)
    with pytest.raises(InvalidInput) as raised:
        _save(users["lanhdao"], percent, {"self_value": "150"}, 1)
    assert "self_value" in raised.value.errors and _fresh(percent).self_value == Decimal(50)
    with pytest.raises(InvalidInput):  # a revision that is not a number
        _save(users["lanhdao"], percent, {"self_value": "60"}, "mới nhất")
    assert _fresh(percent).revision == 1


@pytest.mark.django_db
def test_an_equal_save_by_someone_not_allowed_is_still_refused(users, world):
    _assessment, result, _percent = world
    _save(users["daumoi"], result, MINE, 0)
    with pytest.raises(InvalidInput) as raised:
        _save(users["chamdiem"], result, dict(MINE), 0)
    assert raised.value.status == 403


def _post(client, assessment, result, data, *, htmx):
    prefixed = {f"r{result.pk}-{k}": v for k, v in data.items() if k != "keep"}
    if "keep" in data:
        prefixed["keep"] = data["keep"]
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        f"/assessments/{assessment.pk}/results/{result.pk}/self/", prefixed, headers=headers, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_the_conflict_shows_labels_level_names_and_both_versions(client_for, world, htmx):
    assessment, result, _percent = world
    _post(client_for("daumoi"), assessment, result, {"revision": 0, **MINE}, htmx=True)
    response = _post(
        client_for("lanhdao"),
        assessment,
        result,
        {"revision": 0, "self_level": "red", "narrative": "Của lãnh đạo"},
        htmx=htmx,
    )
    body = response.content.decode()
    assert response.status_code == 409
    assert "self_level" not in body.split('id="conflict-', 1)[1].split("</table>", 1)[0]  # labels, not names
    assert "Level" in body and "Green" in body and "Red" in body  # level names, both versions
    assert MINE["narrative"] in body and "Của lãnh đạo" in body
    assert 'name="keep" value="1"' in body  # one click keeps mine, over the revision shown
    if not htmx:  # the plain POST re-renders the indicator page itself, not a bare status
        assert "<h1" in body and result.criterion.code in body


@pytest.mark.django_db
def test_keep_mine_from_the_page(client_for, world):
    assessment, result, _percent = world
    _post(client_for("daumoi"), assessment, result, {"revision": 0, **MINE}, htmx=True)
    response = _post(
        client_for("lanhdao"),
        assessment,
        result,
        {"revision": 0, "self_level": "red", "narrative": "Của lãnh đạo", "keep": "1"},
        htmx=True,
    )
    assert response.status_code == 200
    stored = _fresh(result)
    assert (stored.self_level, stored.narrative, stored.revision) == ("red", "Của lãnh đạo", 2)
    stale = _post(  # keeping mine over a revision that moved on again is a conflict again, nothing overwritten
        client_for("daumoi"), assessment, result, {"revision": 0, **MINE, "keep": "1"}, htmx=True
    )
    assert stale.status_code == 409 and _fresh(result).narrative == "Của lãnh đạo"
    bad = _post(client_for("daumoi"), assessment, result, {"revision": 0, **MINE, "keep": "x"}, htmx=True)
    assert bad.status_code == 400 and _fresh(result).revision == 2
