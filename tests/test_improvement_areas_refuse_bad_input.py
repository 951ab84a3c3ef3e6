"""Every write on areas to improve refuses bad input as a whole — wrong types, unknown codes, a stage outside the
choices, a missing or too long reason, an area of another assessment, an assessment without final results, a person
who may not decide — with a clear message, storing nothing; the page keeps answering 200."""

from __future__ import annotations

from typing import Any

import pytest

from tests.assessment_fixtures import module_campaign
from tests.improvement_areas_fixtures import approve, indicators_of, set_final
from tincay.assessments.models import Assessment
from tincay.audit.models import AuditEvent
from tincay.catalogue.models import Criterion
from tincay.common.errors import InvalidInput, Refused
from tincay.improvement.models import ImprovementArea
from tincay.improvement.services.areas import area_add, area_decide, areas_accept_suggested, areas_suggest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TOO_LONG = "x" * 2001


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "chu-diem-sai", {"own": "11413", "sibling": "11311"}) as c:
        yield c


@pytest.fixture
def ready(users, campaign):
    """Both assessments approved with weak spots, and their areas suggested."""
    found = {}
    for key in ("11413", "11311"):
        assessment = approve(campaign.assessments.get(unit__key=key))
        (_code, criteria), (_code2, criteria2) = indicators_of(assessment)[:2]
        set_final(assessment, {criteria[0][0]: "red", criteria2[0][0]: "yellow"})
        areas_suggest(actor=users["quantri"], assessment=assessment)
        found[key] = assessment
    own = found["11413"]
    return {
        "own": own,
        "sibling": found["11311"],
        "area": ImprovementArea.objects.filter(assessment=own).order_by("rank").first(),
        "sibling_area": ImprovementArea.objects.filter(assessment=found["11311"]).order_by("rank").first(),
    }


def _stored() -> tuple[Any, ...]:
    areas = ImprovementArea.objects.order_by("id").values_list(
        "id", "assessment_id", "indicator_id", "criterion_id", "selected", "stage", "reason", "rank", "level"
    )
    return (list(areas), AuditEvent.objects.filter(action__startswith="improvement.area").count())


def _refused(call, field: str | None = None, kind: type = InvalidInput) -> InvalidInput:
    before = _stored()
    with pytest.raises(kind) as caught:
        call()
    assert _stored() == before, "nothing is stored"
    if field:
        assert caught.value.errors.get(field), caught.value.errors
    return caught.value


def _page_answers(client_for, ready) -> None:
    for user in ("lanhdao", "xem", "dieuphoi"):
        assert client_for(user).get(f"/improvement/assessments/{ready['own'].pk}/areas/").status_code == 200


# --- area_decide ----------------------------------------------------------------------------------------------

DECIDE_CASES = {
    "selected as text": ({"selected": "yes"}, "selected"),
    "selected missing": ({"selected": None}, "selected"),
    "selected as number": ({"selected": 1}, "selected"),
    "selected without stage": ({"selected": True, "stage": ""}, "stage"),
    "stage not a choice": ({"selected": True, "stage": "long"}, "stage"),
    "stage as a list": ({"selected": True, "stage": ["short"]}, "stage"),
    "dropped without reason": ({"selected": False, "reason": ""}, "reason"),
    "dropped with blanks": ({"selected": False, "reason": "   \n"}, "reason"),
    "reason too long": ({"selected": False, "reason": TOO_LONG}, "reason"),
    "reason as number": ({"selected": False, "reason": 42}, "reason"),
    "not an area": ({"area": 42}, "area"),
    "no area": ({"area": None}, "area"),
}


@pytest.mark.parametrize(("overrides", "field"), list(DECIDE_CASES.values()), ids=list(DECIDE_CASES))
def test_area_decide_refuses_bad_input(users, client_for, ready, overrides, field):
    kwargs = {"actor": users["lanhdao"], "area": ready["area"], "selected": True, "stage": "short", "reason": ""}
    _refused(lambda: area_decide(**(kwargs | overrides)), field)
    _page_answers(client_for, ready)


def test_area_decide_checks_the_whole_input_at_once(users, ready):
    error = _refused(
        lambda: area_decide(actor=users["lanhdao"], area=ready["area"], selected="no", stage="later", reason=7)
    )
    assert {"selected", "stage", "reason"} <= set(error.errors)


def test_an_area_of_another_assessment_is_refused(users, client_for, ready):
    error = _refused(
        lambda: area_decide(
            actor=users["quantri"],
            area=ready["sibling_area"],
            assessment=ready["own"],
            selected=True,
            stage="short",
            reason="",
        ),
        "area",
    )
    assert "another assessment" in error.message
    page = client_for("lanhdao").post(
        f"/improvement/assessments/{ready['own'].pk}/areas/{ready['sibling_area'].pk}/decide/",
        {"decision": "select", "stage": "short"},
    )
    assert page.status_code == 404


@pytest.mark.parametrize("who", ["congchuc", "dieuphoi", "xem", "chamdiem", "thamdinh"])
def test_people_who_may_not_decide_are_refused(users, ready, who):
    kwargs = {"area": ready["area"], "selected": False, "stage": "", "reason": "Không cần."}
    error = _refused(lambda: area_decide(actor=users[who], **kwargs), kind=Refused)
    assert "leader and focal point" in error.message
    assert isinstance(_refused(lambda: areas_suggest(actor=users[who], assessment=ready["own"]), kind=Refused), Refused)


def test_the_leader_of_one_unit_cannot_decide_another_units_areas(users, stranger, ready):
    _refused(
        lambda: area_decide(
            actor=users["lanhdao"], area=ready["sibling_area"], selected=True, stage="short", reason=""
        ),
        kind=Refused,
    )
    _refused(lambda: areas_suggest(actor=stranger, assessment=ready["own"]), kind=Refused)


# --- areas_suggest --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "scoring", "scored", "appraisal"])
def test_areas_come_only_from_final_results(users, client_for, ready, state):
    Assessment.objects.filter(pk=ready["own"].pk).update(state=state)
    ready["own"].refresh_from_db()
    error = _refused(lambda: areas_suggest(actor=users["lanhdao"], assessment=ready["own"]))
    assert "final results" in error.message and not isinstance(error, Refused)
    _refused(lambda: area_decide(actor=users["lanhdao"], area=ready["area"], selected=True, stage="short", reason=""))
    page = client_for("lanhdao").post(f"/improvement/assessments/{ready['own'].pk}/areas/suggest/")
    assert page.status_code == 400 and "từ kết quả cuối cùng" in page.content.decode()
    _page_answers(client_for, ready)


@pytest.mark.parametrize("assessment", [None, "1", 1, {"pk": 1}])
def test_areas_suggest_refuses_what_is_not_an_assessment(users, assessment):
    _refused(lambda: areas_suggest(actor=users["quantri"], assessment=assessment), "assessment")


# --- area_add -------------------------------------------------------------------------------------------------


def _add_cases(ready) -> dict[str, tuple[dict[str, Any], str]]:
    version = ready["own"].campaign.version
    first, second = list(Criterion.objects.filter(version=version).select_related("indicator").order_by("order"))[:2]
    other_indicator = Criterion.objects.filter(version=version).exclude(indicator=first.indicator).first()
    taken = ready["area"]
    taken_kwargs = (
        {"indicator_code": taken.indicator.code, "criterion_code": taken.criterion.code}
        if taken.criterion_id
        else {"indicator_code": taken.indicator.code, "criterion_code": None}
    )
    free = {"indicator_code": first.indicator.code, "criterion_code": second.code}
    return {
        "no indicator": ({"indicator_code": ""}, "indicator"),
        "unknown indicator": ({"indicator_code": "9.9"}, "indicator"),
        "indicator as number": ({"indicator_code": 11}, "indicator"),
        "indicator code too long": ({"indicator_code": "1" * 31}, "indicator"),
        "unknown criterion": ({**free, "criterion_code": "1.1.99"}, "criterion"),
        "criterion as list": ({**free, "criterion_code": ["1.1.1"]}, "criterion"),
        "criterion of another indicator": ({**free, "criterion_code": other_indicator.code}, "criterion"),
        "already an area": (taken_kwargs, "criterion" if taken.criterion_id else "indicator"),
        "no stage": ({**free, "stage": ""}, "stage"),
        "stage not a choice": ({**free, "stage": "later"}, "stage"),
        "no reason": ({**free, "reason": "  "}, "reason"),
        "reason missing": ({**free, "reason": None}, "reason"),
        "reason too long": ({**free, "reason": TOO_LONG}, "reason"),
        "not an assessment": ({**free, "assessment": ready["own"].pk}, "assessment"),
    }


ADD_CASE_IDS = [
    "no indicator",
    "unknown indicator",
    "indicator as number",
    "indicator code too long",
    "unknown criterion",
    "criterion as list",
    "criterion of another indicator",
    "already an area",
    "no stage",
    "stage not a choice",
    "no reason",
    "reason missing",
    "reason too long",
    "not an assessment",
]


@pytest.mark.parametrize("case", ADD_CASE_IDS)
def test_area_add_refuses_bad_input(users, client_for, ready, case):
    overrides, field = _add_cases(ready)[case]
    kwargs = {
        "actor": users["daumoi"],
        "assessment": ready["own"],
        "indicator_code": "1.1",
        "criterion_code": None,
        "stage": "short",
        "reason": "Người dân góp ý nhiều.",
    }
    _refused(lambda: area_add(**(kwargs | overrides)), field)
    _page_answers(client_for, ready)


def test_area_add_by_someone_else_is_refused(users, ready):
    for who in ("congchuc", "xem", "dieuphoi"):
        _refused(
            lambda who=who: area_add(
                actor=users[who],
                assessment=ready["own"],
                indicator_code="1.1",
                stage="short",
                reason="Muốn cải thiện.",
            ),
            kind=Refused,
        )


# --- areas_accept_suggested -----------------------------------------------------------------------------------

ACCEPT_CASES = {
    "codes as text": ({"codes": "1.1"}, "codes"),
    "no codes": ({"codes": []}, "codes"),
    "codes missing": ({"codes": None}, "codes"),
    "code as number": ({"codes": [1]}, "codes"),
    "unknown code": ({"codes": ["9.9.9"]}, "codes"),
    "no stage": ({"stage": ""}, "stage"),
    "stage not a choice": ({"stage": "long"}, "stage"),
    "stage as number": ({"stage": 1}, "stage"),
}


@pytest.mark.parametrize(("overrides", "field"), list(ACCEPT_CASES.values()), ids=list(ACCEPT_CASES))
def test_areas_accept_refuses_bad_input(users, client_for, ready, overrides, field):
    kwargs = {"actor": users["lanhdao"], "assessment": ready["own"], "codes": [str(ready["area"])], "stage": "short"}
    _refused(lambda: areas_accept_suggested(**(kwargs | overrides)), field)
    _page_answers(client_for, ready)


def test_one_unknown_code_stores_none_of_the_others(users, ready):
    error = _refused(
        lambda: areas_accept_suggested(
            actor=users["lanhdao"], assessment=ready["own"], codes=[str(ready["area"]), "7.7.7"], stage="medium"
        ),
        "codes",
    )
    assert "7.7.7" in error.message


def test_accepting_for_another_unit_is_refused(users, ready):
    _refused(
        lambda: areas_accept_suggested(
            actor=users["lanhdao"], assessment=ready["sibling"], codes=[str(ready["sibling_area"])], stage="short"
        ),
        kind=Refused,
    )


# --- pages: the forms keep what was typed and show the message next to the field -------------------------------


def test_pages_refuse_bad_posts_and_keep_what_was_typed(users, client_for, ready):
    own, area = ready["own"], ready["area"]
    base = f"/improvement/assessments/{own.pk}/areas/"
    client = client_for("lanhdao")
    before = _stored()

    dropped = client.post(f"{base}{area.pk}/decide/", {"decision": "drop", "stage": "medium", "reason": ""})
    assert dropped.status_code == 400
    assert "Hãy nêu lý do đơn vị loại chủ điểm này" in dropped.content.decode()
    assert f'id="reason-{area.pk}-error"' in dropped.content.decode()

    odd = client.post(f"{base}{area.pk}/decide/", {"decision": "maybe", "stage": "short"})
    assert odd.status_code == 400 and "được chọn hay bị loại" in odd.content.decode()

    added = client.post(f"{base}add/", {"item": "1.1:9.9.9", "stage": "short", "reason": "Lý do riêng của phường."})
    body = added.content.decode()
    assert added.status_code == 400 and 'id="add-item-error"' in body
    assert "Lý do riêng của phường." in body and '<option value="short" selected>' in body

    accepted = client.post(f"{base}accept/", {"stage": "medium"})
    assert accepted.status_code == 400 and 'id="accept-errors"' in accepted.content.decode()
    assert '<option value="medium" selected>' in accepted.content.decode()

    assert client.post(f"{base}accept/", {"codes": [str(area)], "stage": "never"}).status_code == 400
    refused = client_for("xem").post(f"{base}{area.pk}/decide/", {"decision": "select", "stage": "short"})
    assert refused.status_code == 403
    assert _stored() == before
    _page_answers(client_for, ready)
