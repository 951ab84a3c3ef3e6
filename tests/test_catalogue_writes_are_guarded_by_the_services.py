"""Every catalogue write checks who acts and the whole input inside the service, before a row changes.

A coordinator of another province is refused on Hải Phòng's draft through the services directly (the pages hide
it, the services are the guard); bad values (weight 0 or too many digits, negative maximum points, thresholds
against the direction, unknown unit kinds, texts too long, wrong types, unknown fields) are explained on the
field, nothing is stored, and the catalogue pages still answer 200.
"""

import copy

import pytest
from django.contrib.auth import get_user_model

from tincay.catalogue import services
from tincay.catalogue.models import Criterion, FrameworkVersion, Indicator
from tincay.catalogue.selectors import version_by_ref, version_document
from tincay.common.errors import InvalidInput, Refused
from tincay.orgunits.models import AdminUnit, Membership

pytestmark = pytest.mark.django_db
DRAFT = ("tcvn-iso-18091", "hai-phong-2026")
DRAFT_URL = "/catalogue/tcvn-iso-18091/hai-phong-2026"


@pytest.fixture
def draft():
    return version_by_ref(*DRAFT)


@pytest.fixture
def hanoi_coordinator():
    user = get_user_model().objects.create_user("dieuphoi-hanoi", password="Ha-noi-2026-xx")
    Membership.objects.create(user=user, unit=AdminUnit.objects.get(key="01"), role="coordinator", subtree=True)
    return user


def _state(version: FrameworkVersion) -> tuple:
    version.refresh_from_db()
    rows = list(
        Criterion.objects.filter(version=version)
        .order_by("code")
        .values_list("code", "title_vi", "weight", "max_points", "applies_to", "threshold_yellow", "threshold_green")
    )
    indicators = list(Indicator.objects.filter(version=version).values_list("code", "title_vi", "sdgs"))
    return version.content_hash, version.title_vi, version.scoring, version.status, rows, indicators


def _criterion_data(criterion: Criterion) -> dict:
    return {name: getattr(criterion, name) for name in services.CRITERION_EDITABLE}


WRITES = {
    "version_update": lambda actor, v: services.version_update(version=v, actor=actor, data={"title_vi": "Chiếm"}),
    "version_issue": lambda actor, v: services.version_issue(version=v, actor=actor),
    "criterion_save": lambda actor, v: services.criterion_save(
        version=v, actor=actor, data={"title_vi": "Chiếm"}, criterion=v.criteria.first()
    ),
    "criterion_new": lambda actor, v: services.criterion_save(
        version=v,
        actor=actor,
        data={**_criterion_data(v.criteria.first()), "title_vi": "Chiếm"},
        indicator=v.indicators.first(),
    ),
    "criterion_delete": lambda actor, v: services.criterion_delete(criterion=v.criteria.last(), actor=actor),
    "indicator_update": lambda actor, v: services.indicator_update(
        indicator=v.indicators.first(), actor=actor, data={"title_vi": "Chiếm"}
    ),
    "load_document": lambda actor, v: services.version_load_document(doc=_changed_document(v), actor=actor),
}


def _changed_document(version: FrameworkVersion) -> dict:
    doc = copy.deepcopy(version_document(version))
    doc["version"]["title"]["vi"] = "Chiếm"
    return doc


@pytest.mark.parametrize("write", list(WRITES))
@pytest.mark.parametrize("persona", ["hanoi", "lanhdao", "xem"])
def test_a_non_owner_is_refused_through_the_service(users, draft, hanoi_coordinator, write, persona):
    actor = hanoi_coordinator if persona == "hanoi" else users[persona]
    before = _state(draft)
    with pytest.raises(Refused):
        WRITES[write](actor, draft)
    assert _state(draft) == before


@pytest.mark.parametrize("write", ["version_update", "criterion_save", "indicator_update", "load_document"])
@pytest.mark.parametrize("actor", ["dieuphoi", "quantri", "load_framework"])
def test_the_owners_admins_and_commands_may_write(users, draft, write, actor):
    WRITES[write](users.get(actor, actor), draft)
    assert _state(draft)[0] != "" and "Chiếm" in str(_state(draft))


def test_a_command_issues_without_naming_a_person(draft):
    issued = services.version_issue(version=draft, actor="seed_demo")
    assert issued.status == "issued" and issued.issued_by is None


@pytest.mark.parametrize(
    ("owner", "allowed"), [("31", True), ("11413", True), ("01", False), (None, False), ("11413-2025", False)]
)
def test_derive_only_for_units_the_coordinator_covers(users, owner, allowed):
    base = version_by_ref("tcvn-iso-18091", "2020")
    unit = AdminUnit.objects.get(key=owner) if owner else None
    count = FrameworkVersion.objects.count()
    arguments = {
        "source": base,
        "actor": users["dieuphoi"],
        "code": "thu-nghiem",
        "title_vi": "Thử",
        "owner_unit": unit,
    }
    if allowed:
        assert services.version_derive(**arguments).owner_unit == unit
    else:
        with pytest.raises(InvalidInput):
            services.version_derive(**arguments)
        assert FrameworkVersion.objects.count() == count


def test_a_draft_of_another_province_cannot_be_derived_from(draft, hanoi_coordinator):
    with pytest.raises(Refused):
        services.version_derive(
            source=draft,
            actor=hanoi_coordinator,
            code="sao-chep",
            title_vi="Sao chép",
            owner_unit=AdminUnit.objects.get(key="01"),
        )


@pytest.mark.parametrize(
    ("code", "title_vi", "field"),
    [("Có Dấu", "Thử", "code"), ("x" * 61, "Thử", "code"), ("thu", "", "title_vi"), ("thu", "T" * 301, "title_vi")],
)
def test_derive_input_is_checked(users, code, title_vi, field):
    base = version_by_ref("tcvn-iso-18091", "2020")
    count = FrameworkVersion.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.version_derive(source=base, actor=users["quantri"], code=code, title_vi=title_vi)
    assert error.value.messages_for(field), error.value.errors
    assert FrameworkVersion.objects.count() == count


BAD_CRITERION = [
    ({"weight": 0}, "weight"),
    ({"weight": -1}, "weight"),
    ({"weight": None}, "weight"),
    ({"weight": "abc"}, "weight"),
    ({"weight": True}, "weight"),
    ({"weight": 123456}, "weight"),
    ({"weight": "1.2345"}, "weight"),
    ({"max_points": -1}, "max_points"),
    ({"max_points": "1e9"}, "max_points"),
    ({"applies_to": ["ward", "planet"]}, "applies_to"),
    ({"applies_to": "ward"}, "applies_to"),
    ({"type": "purple"}, "type"),
    ({"title_vi": ""}, "title_vi"),
    ({"title_vi": "T" * 501}, "title_vi"),
    ({"title_vi": 42}, "title_vi"),
    ({"level_green_vi": ""}, "level_green_vi"),
    ({"description_en": "D" * 10_001}, "description_en"),
    (
        {"type": "performance", "direction": "higher_is_better", "threshold_yellow": 80, "threshold_green": 50},
        "threshold_green",
    ),
    (
        {"type": "performance", "direction": "lower_is_better", "threshold_yellow": 5, "threshold_green": 10},
        "threshold_green",
    ),
    (
        {"type": "performance", "direction": "higher_is_better", "threshold_yellow": 1, "threshold_green": 10**11},
        "threshold_green",
    ),
    ({"type": "performance", "direction": "sideways", "threshold_yellow": 1, "threshold_green": 2}, "direction"),
    (
        {"type": "performance", "measure_unit_vi": "M" * 61, "threshold_yellow": 1, "threshold_green": 2},
        "measure_unit_vi",
    ),
]


@pytest.mark.parametrize(("changes", "field"), BAD_CRITERION)
@pytest.mark.parametrize("mode", ["edit", "new"])
def test_bad_criterion_values_are_refused_on_the_field(users, draft, changes, field, mode):
    criterion = draft.criteria.get(code="1.7.1")
    data = {**_criterion_data(criterion), "measure_unit_vi": "%", **changes}
    target = {"criterion": criterion} if mode == "edit" else {"indicator": criterion.indicator}
    before = _state(draft)
    with pytest.raises(InvalidInput) as error:
        services.criterion_save(version=draft, actor=users["dieuphoi"], data=data, **target)
    assert not isinstance(error.value, Refused)
    assert error.value.messages_for(field), error.value.errors
    assert _state(draft) == before


@pytest.mark.parametrize("data", [{"code": "9.9.9"}, {"version": 3}, ["title_vi"], "title_vi=x", None])
def test_unknown_fields_and_wrong_shapes_are_refused(users, draft, data):
    before = _state(draft)
    with pytest.raises(InvalidInput):
        services.criterion_save(version=draft, actor=users["dieuphoi"], data=data, criterion=draft.criteria.first())
    with pytest.raises(InvalidInput):
        services.indicator_update(indicator=draft.indicators.first(), actor=users["dieuphoi"], data=data)
    with pytest.raises(InvalidInput):
        services.version_update(version=draft, actor=users["dieuphoi"], data=data)
    assert _state(draft) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sdgs": [16, 42]}, "sdgs"),
        ({"sdgs": "16"}, "sdgs"),
        ({"title_vi": ""}, "title_vi"),
        ({"title_en": "T" * 301}, "title_en"),
        ({"iso9001": ["9" * 21]}, "iso9001"),
    ],
)
def test_bad_indicator_values_are_refused(users, draft, data, field):
    before = _state(draft)
    with pytest.raises(InvalidInput) as error:
        services.indicator_update(indicator=draft.indicators.first(), actor=users["dieuphoi"], data=data)
    assert error.value.messages_for(field), error.value.errors
    assert _state(draft) == before


@pytest.mark.parametrize(
    "data",
    [
        {"scoring": {"levels": {"red": 0, "yellow": 2, "green": 1}}},
        {"scoring": {"rollup": "median"}},
        {"scoring": "points"},
        {"effective_date": "31/02/2027"},
        {"effective_date": 20270101},
        {"title_vi": "T" * 301},
        {"notes_en": ["x"]},
    ],
)
def test_bad_version_values_are_refused(users, draft, data):
    before = _state(draft)
    with pytest.raises(InvalidInput):
        services.version_update(version=draft, actor=users["dieuphoi"], data=data)
    assert _state(draft) == before


def test_a_criterion_cannot_be_removed_with_a_huge_reason(users, draft):
    before = _state(draft)
    with pytest.raises(InvalidInput):
        services.criterion_delete(criterion=draft.criteria.last(), actor=users["dieuphoi"], reason="r" * 5000)
    assert _state(draft) == before


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("pillars", 0, "title", "vi"), "T" * 301),
        (("pillars", 0, "indicators", 0, "criteria", 0, "weight"), 0.0001),
        (("pillars", 0, "indicators", 0, "criteria", 0, "max_points"), -5),
        (("pillars", 0, "indicators", 0, "criteria", 0, "applies_to"), ["moon"]),
    ],
)
def test_a_loaded_document_is_checked_again_by_the_service(draft, path, value):
    doc = copy.deepcopy(version_document(draft))
    node = doc
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    before = _state(draft)
    with pytest.raises(services.DocumentError) as error:
        services.version_load_document(doc=doc, actor="load_framework")
    assert error.value.problems
    assert _state(draft) == before


def test_a_person_loads_drafts_only(users, draft):
    doc = _changed_document(draft)
    doc["version"]["status"] = "issued"
    with pytest.raises(InvalidInput):
        services.version_load_document(doc=doc, actor=users["dieuphoi"])
    assert version_by_ref(*DRAFT).status == "draft"


@pytest.mark.parametrize(("field", "value"), [("weight", "1.2345"), ("description_en", "D" * 10_001)])
def test_the_criterion_page_shows_the_error_on_the_field(client_for, draft, field, value):
    """The form catches the digits itself; the length of a free text only the service knows."""
    client = client_for("dieuphoi")
    form = client.get(f"{DRAFT_URL}/criteria/1.7.1/edit/").context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}  # as shown
    data.update({field: value, "title_vi": "Tiêu đề đang gõ"})
    before = _state(draft)
    response = client.post(f"{DRAFT_URL}/criteria/1.7.1/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert "Tiêu đề đang gõ" in response.content.decode()
    assert _state(draft) == before
    for url in ("/catalogue/", f"{DRAFT_URL}/", f"{DRAFT_URL}/indicators/1.7/", f"{DRAFT_URL}/criteria/1.7.1/edit/"):
        assert client.get(url).status_code == 200, url
