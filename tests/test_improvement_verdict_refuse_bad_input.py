"""A verdict is refused, and nothing stored, for a bad verdict, a missing note, a note of the wrong type or too
long, no appraised next assessment, or someone who is not a reviewer; the pages keep answering."""

from __future__ import annotations

import re

import pytest

from tests.improvement_effectiveness_fixtures import make_programme, two_campaigns
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.audit.models import AuditEvent
from tincay.common.errors import InvalidInput, Refused
from tincay.improvement.models import ActionVerdict
from tincay.improvement.services import effectiveness as services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def pair(django_db_setup, django_db_blocker):
    with two_campaigns(django_db_blocker, "hq-tu-choi") as data:
        yield data


@pytest.fixture
def action(pair):
    return make_programme(pair.first, [([pair.criteria["c_up"]], [])]).actions.get()


def _refused(users, action, error=InvalidInput, actor="dieuphoi", **kwargs):
    events = AuditEvent.objects.count()
    arguments = {"verdict": "effective", "note": "", **kwargs}
    with pytest.raises(error) as raised:
        services.verdict_record(actor=users[actor] if isinstance(actor, str) else actor, action=action, **arguments)
    assert not ActionVerdict.objects.exists()
    assert AuditEvent.objects.count() == events
    return raised.value


@pytest.mark.parametrize("verdict", ["rất tốt", "", None, 3, ["effective"], "EFFECTIVE"])
def test_a_verdict_outside_the_choices_is_refused(users, action, verdict):
    error = _refused(users, action, verdict=verdict)
    assert "effective" in error.messages_for("verdict")[0]


@pytest.mark.parametrize("verdict", ["partly", "not_effective"])
@pytest.mark.parametrize("note", ["", "   ", None])
def test_partly_or_not_effective_needs_a_note(users, action, verdict, note):
    error = _refused(users, action, verdict=verdict, note=note)
    assert "note is required" in error.messages_for("note")[0]


@pytest.mark.parametrize("note", [123, ["lý do"], {"a": 1}])
def test_a_note_of_the_wrong_type_is_refused(users, action, note):
    assert _refused(users, action, note=note).messages_for("note") == ["Enter text."]


def test_a_note_too_long_is_refused_and_every_error_comes_together(users, action):
    error = _refused(users, action, verdict="tốt", note="x" * 2001)
    assert error.messages_for("verdict") and "2,000" in error.messages_for("note")[0].replace(".", ",")


def test_no_next_assessment_is_refused(users, pair):
    later_action = make_programme(pair.second, [([pair.criteria["c_up"]], [])]).actions.get()
    error = _refused(users, later_action)
    assert "No appraised assessment" in error.message


def test_a_next_assessment_not_appraised_yet_is_refused(users, pair, action):
    Assessment.objects.filter(pk=pair.second.pk).update(state=State.APPRAISAL)
    assert "No appraised assessment" in _refused(users, action).message


@pytest.mark.parametrize("persona", ["lanhdao", "daumoi", "congchuc", "chamdiem", "xem"])
def test_someone_who_is_not_a_reviewer_is_refused(users, action, persona):
    _refused(users, action, error=Refused, actor=persona)


def test_a_stranger_and_a_wrong_object_are_refused(users, stranger, action):
    _refused(users, action, error=Refused, actor=stranger)
    _refused(users, action.programme)  # not an action


def test_pages_answer_after_refusals_and_keep_what_was_typed(client_for, action):
    programme = action.programme
    url = f"/improvement/programmes/{programme.pk}/effectiveness/"
    post = f"{url}{action.pk}/verdict/"
    client = client_for("dieuphoi")
    response = client.post(post, {f"a{action.pk}-verdict": "partly", f"a{action.pk}-note": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<textarea class="form-control is-invalid" name="a{action.pk}-note"' in html  # the message is there
    assert re.search(r'value="partly"[^>]*checked', html)
    response = client.post(post, {f"a{action.pk}-verdict": "bad", f"a{action.pk}-note": "Giữ lại ghi chú này"})
    assert response.status_code == 400 and "Giữ lại ghi chú này" in response.content.decode()
    response = client_for("lanhdao").post(post, {f"a{action.pk}-verdict": "effective", f"a{action.pk}-note": ""})
    assert response.status_code == 403
    assert client_for(None).post(post, {}).status_code == 302  # to the log-in page
    assert not ActionVerdict.objects.exists()
    for persona in ("dieuphoi", "lanhdao"):
        assert client_for(persona).get(url).status_code == 200
        assert client_for(persona).get(f"/improvement/units/{programme.assessment.unit.key}/cycle/").status_code == 200
