"""Viewers follow a campaign in progress in their scope, read only; outside it they get a Vietnamese 404.

Viewer × place matrix over a campaign of four units (own ward, the city, a sibling ward, a Hà Nội ward) in states
before publication: the board, the assessment, an indicator, the council's review and the unit's results answer
200 with no write control, or 404 on the project's page (in Vietnamese, also with DEBUG on, as in the demo).
Writing is refused whatever the page shows.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from tests.assessment_fixtures import UNITS, make_campaign
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment
from tincay.orgunits.models import AdminUnit, Membership

pytestmark = pytest.mark.django_db

VIEWERS = {  # persona → (unit key of the viewer membership, subtree), places they reach
    "xem": (None, {"own", "parent", "sibling"}),  # the demo viewer: Hải Phòng and below
    "xem.hanoi": (("01", True), {"other"}),
    "xem.haian": (("11413", False), {"own"}),
}
IN_PROGRESS = [State.DRAFT, State.SCORING, State.APPRAISAL]


def _vietnamese(msgid: str) -> str:
    """The Vietnamese of a message (the catalogue's words may change; that it is Vietnamese may not)."""
    with translation.override("vi"):
        text = gettext(msgid)
    assert text != msgid, f"no Vietnamese for {msgid!r}"
    return text


NOT_FOUND_CAMPAIGN = "This campaign does not exist or is not visible to you."
NOT_FOUND_ASSESSMENT = "This assessment does not exist or is not visible to you."
SITE_FORMS = {"/i18n/setlang/", "/accounts/logout/"}


@pytest.fixture
def world(users):
    model = get_user_model()
    viewers = {"xem": users["xem"]}
    for name, ((key, subtree), _places) in ((n, v) for n, v in VIEWERS.items() if v[0]):
        viewers[name] = model.objects.create_user(name, password="Nguoi-xem-2026")
        Membership.objects.create(
            user=viewers[name], unit=AdminUnit.objects.get(key=key), role="viewer", subtree=subtree
        )
    campaign = make_campaign(users, code="dang-chay")
    assessments = {place: Assessment.objects.get(campaign=campaign, unit__key=key) for place, key in UNITS.items()}
    return campaign, viewers, assessments


def _write_targets(html: str) -> set[str]:
    """Addresses the page could write to: form actions and htmx posts, without the site's own forms."""
    targets = set(re.findall(r'(?:action|hx-post)="([^"]+)"', html))
    return {t for t in targets if t not in SITE_FORMS}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("state", IN_PROGRESS)
def test_viewers_read_in_scope_and_get_a_vietnamese_404_outside(world, state):
    campaign, viewers, assessments = world
    Assessment.objects.filter(campaign=campaign).update(state=state)
    for name, (_membership, reached) in VIEWERS.items():
        client = _client(viewers[name])
        for place, assessment in assessments.items():
            pages = [
                f"/assessments/{assessment.pk}/",
                f"/assessments/{assessment.pk}/indicators/1.1/",
                f"/assessments/{assessment.pk}/review/",
                f"/results/assessments/{assessment.pk}/",
            ]
            for url in pages:
                response = client.get(url)
                html = response.content.decode()
                if place in reached:
                    assert response.status_code == 200, (name, place, state, url)
                    assert _write_targets(html) == set(), (name, place, state, url)
                else:
                    assert response.status_code == 404, (name, place, state, url)
                    assert "404.html" in [t.name for t in response.templates]
                    assert '<html lang="vi"' in html
            api = APIClient()
            api.force_authenticate(viewers[name])
            expected = 200 if place in reached else 404
            assert api.get(f"/api/v1/assessments/{assessment.pk}/").status_code == expected, (name, place, state)


def test_the_board_lists_the_units_in_scope_without_write_controls(world):
    campaign, viewers, _assessments = world
    Assessment.objects.filter(campaign=campaign).update(state=State.SCORING)
    for name, (_membership, reached) in VIEWERS.items():
        response = _client(viewers[name]).get(f"/campaigns/{campaign.code}/")
        assert response.status_code == 200, name
        shown = {row.assessment.unit.key for row in response.context["rows"]}
        assert shown == {UNITS[p] for p in reached}, name
        assert _write_targets(response.content.decode()) == set(), name
        assert campaign.title_vi in response.content.decode()


def test_a_viewer_outside_every_unit_gets_the_vietnamese_404(world, settings):
    campaign, _viewers, _assessments = world
    outsider = get_user_model().objects.create_user("xem.danang", password="Nguoi-xem-2026")
    Membership.objects.create(user=outsider, unit=AdminUnit.objects.get(key="48"), role="viewer", subtree=True)
    for debug in (False, True):  # the demo runs with DEBUG on: still the project's page, not Django's
        settings.DEBUG = debug
        response = _client(outsider).get(f"/campaigns/{campaign.code}/")
        html = response.content.decode()
        assert response.status_code == 404, debug
        assert _vietnamese(NOT_FOUND_CAMPAIGN) in html and '<html lang="vi"' in html, debug
        assert "Page not found at" not in html and "Using the URLconf" not in html, debug


def test_an_assessment_outside_scope_names_the_reason_in_vietnamese(world):
    _campaign, viewers, assessments = world
    response = _client(viewers["xem"]).get(f"/assessments/{assessments['other'].pk}/")
    assert response.status_code == 404
    assert _vietnamese(NOT_FOUND_ASSESSMENT) in response.content.decode()


def test_a_viewer_cannot_write_what_they_read(world):
    campaign, _viewers, assessments = world
    Assessment.objects.filter(campaign=campaign).update(state=State.DRAFT)
    own = assessments["own"]
    result = own.results.first()
    client = _client(get_user_model().objects.get(username="xem"))
    response = client.post(
        f"/assessments/{own.pk}/results/{result.pk}/self/",
        {f"r{result.pk}-self_level": "green", f"r{result.pk}-revision": result.revision},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    client.post(f"/assessments/{own.pk}/transition/", {"action": "submit"})
    client.post(f"/campaigns/{campaign.code}/team/", {"username": "xem", "role": "council"})
    result.refresh_from_db()
    own.refresh_from_db()
    assert result.self_level == "" and own.state == State.DRAFT
    assert not campaign.members.filter(user__username="xem").exists()
    assert client.get(f"/assessments/{own.pk}/").status_code == 200
