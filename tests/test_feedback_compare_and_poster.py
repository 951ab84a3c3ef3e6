"""A closed survey beside the unit's earlier surveys, followed through lineage (a predecessor's survey is the
merged unit's history), and beside the other units' surveys; and the QR poster for the counter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.feedback_fixtures import good_answers, sipas_survey
from tincay.feedback.choices import Channel, SurveyStatus
from tincay.feedback.models import Survey
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_status_set
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import lineage_closure

pytestmark = pytest.mark.django_db


def _closed(users, value: int, count: int = 12, unit_key: str | None = None) -> Survey:
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    for _n in range(count):
        response_submit(survey=survey, channel=Channel.LINK, answers=good_answers(survey, value))
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.CLOSED)
    if unit_key:
        Survey.objects.filter(pk=survey.pk).update(unit=AdminUnit.objects.get(key=unit_key))
    return survey


def test_the_comparison_follows_the_unit_through_its_merger(users, client_for):
    here = AdminUnit.objects.get(key="11413")
    predecessor = next(unit for _depth, unit in lineage_closure(here, "predecessors"))
    earlier = _closed(users, 3, unit_key=predecessor.key)
    Survey.objects.filter(pk=earlier.pk).update(closed_on=dt.date(2024, 12, 1), title_vi="Khảo sát năm 2024")
    now = _closed(users, 5)
    page = client_for("dieuphoi").get(reverse("feedback:compare", args=[now.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert [row.survey.pk for row in page.context["c"].earlier] == [earlier.pk]
    assert "Khảo sát năm 2024" in html and "01/12/2024" in html
    overall = next(change for change in page.context["c"].changes if change.key == "overall")
    assert (overall.before, overall.now, overall.points) == (0.0, 100.0, 100.0)
    assert "+100,0" in html or "+100.0" in html


def test_other_units_are_compared_and_pooled(users, client_for):
    mine = _closed(users, 5)
    sibling = AdminUnit.objects.filter(parent=mine.unit.parent, valid_to=None).exclude(pk=mine.unit_id).first()
    other = _closed(users, 3, unit_key=sibling.key)
    few = _closed(users, 5, count=3, unit_key=sibling.key)  # below its minimum: shown as too few answers
    page = client_for("dieuphoi").get(reverse("feedback:compare", args=[mine.pk]))
    c = page.context["c"]
    assert {row.survey.pk for row in c.peers} == {other.pk, few.pk}
    assert c.peers_pooled.overall.surveys == 1 and c.peers_pooled.overall.n == 12
    assert "quá ít phiếu" in page.content.decode()


def test_no_comparison_before_close(users, client_for):
    survey = sipas_survey(users["dieuphoi"])
    survey_status_set(actor=users["dieuphoi"], survey=survey, status=SurveyStatus.OPEN)
    for persona in ("quantri", "dieuphoi", "xem"):
        assert client_for(persona).get(reverse("feedback:compare", args=[survey.pk])).status_code == 404


def test_the_poster_carries_the_qr_code_of_the_qr_link(users, client_for):
    survey = sipas_survey(users["dieuphoi"])
    page = client_for("dieuphoi").get(reverse("feedback:poster", args=[survey.pk]))
    html = page.content.decode()
    link = f"/s/{survey.public_code}/?via=qr"
    assert page.status_code == 200 and link in html
    assert '<svg role="img" viewBox=' in html and "<title>Mã QR của cuộc khảo sát</title>" in html
    assert "style=" not in html.split('id="poster"')[1]  # the page's CSP refuses inline style
    assert client_for("dieuphoi").get(reverse("feedback:poster", args=[999999])).status_code == 404
