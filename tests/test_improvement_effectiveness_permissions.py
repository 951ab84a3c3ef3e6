"""Role × unit over the effectiveness page, the verdict form and the unit's cycle page: who sees (404 otherwise),
who records verdicts (the form shown; 403 otherwise)."""

from __future__ import annotations

import pytest

from tests.improvement_effectiveness_fixtures import make_programme, two_campaigns
from tincay.improvement.models import ActionVerdict

pytestmark = pytest.mark.django_db

REVIEWERS = {"quantri", "dieuphoi", "thamdinh"}  # admin, coordinator over the unit, council of the next campaign
READERS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"]


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with two_campaigns(django_db_blocker, "hq-quyen") as data:
        yield data


@pytest.fixture
def programme(pair):
    return make_programme(pair.first, [([pair.criteria["c_up"]], [pair.criteria["c_up"].indicator])])


@pytest.mark.parametrize("persona", READERS)
def test_effectiveness_page_by_role(client_for, programme, persona):
    response = client_for(persona).get(f"/improvement/programmes/{programme.pk}/effectiveness/")
    assert response.status_code == 200
    assert ("verdict-form" in response.content.decode()) == (persona in REVIEWERS)


@pytest.mark.parametrize("persona", READERS)
def test_verdict_by_role(client_for, programme, persona):
    action = programme.actions.get()
    response = client_for(persona).post(
        f"/improvement/programmes/{programme.pk}/effectiveness/{action.pk}/verdict/",
        {f"a{action.pk}-verdict": "effective", f"a{action.pk}-note": ""},
    )
    assert response.status_code == (302 if persona in REVIEWERS else 403)
    assert ActionVerdict.objects.filter(action=action).exists() == (persona in REVIEWERS)


def test_someone_without_a_role_gets_not_found(stranger, client, programme):
    client.force_login(stranger)
    action = programme.actions.get()
    assert client.get(f"/improvement/programmes/{programme.pk}/effectiveness/").status_code == 404
    assert client.post(f"/improvement/programmes/{programme.pk}/effectiveness/{action.pk}/verdict/").status_code == 404
    assert client.get(f"/improvement/units/{programme.assessment.unit.key}/cycle/").status_code == 404
    assert not ActionVerdict.objects.exists()


def test_anonymous_goes_to_log_in(client, programme):
    assert client.get(f"/improvement/programmes/{programme.pk}/effectiveness/").status_code == 302
    assert client.get(f"/improvement/units/{programme.assessment.unit.key}/cycle/").status_code == 302


@pytest.mark.parametrize("persona", READERS)
def test_cycle_page_by_role(client_for, programme, persona):
    response = client_for(persona).get(f"/improvement/units/{programme.assessment.unit.key}/cycle/")
    assert response.status_code == 200
    assert f'id="cycle-{programme.assessment_id}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["dieuphoi", "lanhdao", "xem"])
def test_cycle_page_of_a_unit_outside_the_scope_is_not_found(client_for, persona):
    assert client_for(persona).get("/improvement/units/00004/cycle/").status_code == 404


def test_an_action_of_another_programme_is_not_found(client_for, programme, pair):
    other = make_programme(pair.second, [([pair.criteria["c_up"]], [])]).actions.get()
    url = f"/improvement/programmes/{programme.pk}/effectiveness/{other.pk}/verdict/"
    assert client_for("dieuphoi").post(url, {f"a{other.pk}-verdict": "effective"}).status_code == 404
