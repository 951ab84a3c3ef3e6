"""Publishing asks for confirmation first (a page that says what becomes public) and freezes a new open-data
snapshot of the campaign in the same transaction, on every path (campaign page, one assessment's page, API).
A coordinator cuts a new snapshot after a correction; nobody else can, and an unchanged one is refused."""

import pytest
from rest_framework.test import APIClient

from tests.assessment_fixtures import complete, make_campaign
from tincay.assessments.models import Assessment
from tincay.assessments.services import campaigns, publication
from tincay.assessments.services.transitions import assessment_transition
from tincay.common.errors import InvalidInput, Refused
from tincay.reports.models import Snapshot
from tincay.reports.services import snapshot_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(users):
    """The test campaign with every unit's assessment answered on every track and approved."""
    campaign = make_campaign(users, code="cong-bo-ban-chup")
    for assessment in campaign.assessments.all():
        complete(assessment, submitted_by=users["daumoi"])
    campaign.assessments.update(state="approved")
    return campaign


def _states(campaign):
    return dict(campaign.assessments.values_list("unit__key", "state"))


def test_the_confirmation_page_says_what_becomes_public_and_publishes_nothing(client_for, approved):
    page = client_for("dieuphoi").get(f"/campaigns/{approved.code}/publish/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    # the coordinator of Hải Phòng publishes its three units, not the Hà Nội ward
    names = dict(approved.assessments.values_list("unit__key", "unit__name"))
    assert all(names[k] in body for k in ("11413", "31", "11311")) and names["00004"] not in body
    assert "open-data snapshot" in body and "SHA-256" in body and "Confirm and publish" in body
    assert body.count('<th scope="row"') == 3
    assert set(_states(approved).values()) == {"approved"} and not approved.snapshots.exists()


def test_publishing_from_the_campaign_freezes_one_snapshot_with_the_published_units(client_for, approved):
    response = client_for("dieuphoi").post(f"/campaigns/{approved.code}/publish/")
    assert response.status_code == 302
    states = _states(approved)
    assert {k for k, s in states.items() if s == "published"} == {"11413", "31", "11311"}
    snapshot = approved.snapshots.get()
    assert snapshot.rows == 3 and "Phường Hải An" in snapshot.csv_text and "00004" not in snapshot.csv_text


def test_a_newly_published_campaign_shows_its_data_and_snapshot_on_the_portal(client, client_for, approved):
    client_for("dieuphoi").post(f"/campaigns/{approved.code}/publish/")
    snapshot = approved.snapshots.get()
    page = client.get(f"/public/campaigns/{approved.code}/", HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Phường Hải An" in body and f"/public/snapshots/{snapshot.pk}.csv" in body
    assert "No snapshot yet" not in body
    assert client.get(f"/public/snapshots/{snapshot.pk}.csv").status_code == 200


def test_each_publication_freezes_a_new_snapshot_linked_to_the_previous(client_for, approved):
    own = approved.assessments.get(unit__key="11413")
    sibling = approved.assessments.get(unit__key="11311")
    coordinator = client_for("dieuphoi")
    confirm = coordinator.get(f"/assessments/{own.pk}/publish/", HTTP_ACCEPT_LANGUAGE="en")
    assert confirm.status_code == 200 and "Confirm and publish" in confirm.content.decode()
    own.refresh_from_db()
    assert own.state == "approved" and not approved.snapshots.exists()  # the confirmation page changes nothing
    coordinator.post(f"/assessments/{own.pk}/transition/", {"action": "publish"})
    coordinator.post(f"/assessments/{sibling.pk}/transition/", {"action": "publish"})
    first, second = approved.snapshots.order_by("created_at", "id")
    assert (first.rows, second.rows) == (1, 2) and second.previous_id == first.pk
    assert first.csv_sha256 != second.csv_sha256


def test_the_api_publishes_through_the_same_service(users, approved):
    api = APIClient()
    api.force_authenticate(users["dieuphoi"])
    own = approved.assessments.get(unit__key="11413")
    response = api.post(f"/api/v1/assessments/{own.pk}/transitions/", {"action": "publish"}, format="json")
    assert response.status_code in (200, 201), response.content
    assert approved.snapshots.get().rows == 1


def test_a_refused_publication_freezes_nothing(client_for, users, approved):
    own = approved.assessments.get(unit__key="11413")
    for persona in ("daumoi", "lanhdao", "chamdiem", "xem"):
        client_for(persona).post(f"/assessments/{own.pk}/transition/", {"action": "publish"})
        client_for(persona).post(f"/campaigns/{approved.code}/publish/")
    assert set(_states(approved).values()) == {"approved"} and not approved.snapshots.exists()
    page = client_for("daumoi").get(f"/assessments/{own.pk}/publish/")
    assert page.status_code == 302  # not theirs: back to the assessment, nothing shown to confirm


def test_publication_and_snapshot_are_one_transaction(monkeypatch, users, approved):
    """If the snapshot cannot be frozen, nothing is published."""

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(publication, "_freezer", [broken])
    own = approved.assessments.get(unit__key="11413")
    with pytest.raises(RuntimeError):
        assessment_transition(user=users["dieuphoi"], assessment=own, action="publish")
    with pytest.raises(RuntimeError):
        campaigns.campaign_publish(user=users["dieuphoi"], campaign=approved)
    assert set(_states(approved).values()) == {"approved"}
    assert not Snapshot.objects.filter(campaign=approved).exists()
    assert not Assessment.objects.filter(campaign=approved, published_at__isnull=False).exists()


def test_a_coordinator_cuts_a_new_snapshot_after_a_change_and_nobody_else_can(client_for, users, approved):
    campaigns.campaign_publish(user=users["dieuphoi"], campaign=approved)
    first = approved.snapshots.get()
    url = f"/results/campaigns/{approved.code}/snapshots/"
    # nothing changed: refused with a message, no new snapshot, the page still answers
    page = client_for("dieuphoi").post(url, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "nothing new to freeze" in page.content.decode()
    assert approved.snapshots.count() == 1
    own = approved.assessments.get(unit__key="11413")
    own.results.update(final_level="red")
    Assessment.objects.filter(pk=own.pk).update(scores_stale=True)
    for persona in ("thamdinh", "daumoi", "xem"):
        client_for(persona).post(url)
        with pytest.raises(Refused):
            snapshot_create(actor=users[persona], campaign=approved)
    assert approved.snapshots.count() == 1
    page = client_for("dieuphoi").post(url, follow=True)
    assert page.status_code == 200
    newer = approved.snapshots.order_by("-created_at", "-id").first()
    assert approved.snapshots.count() == 2 and newer.previous_id == first.pk
    assert Snapshot.objects.get(pk=first.pk).csv_text == first.csv_text
    assert client_for("dieuphoi").get(url).status_code == 200
    assert client_for("xem").get(url).status_code == 200  # viewers see the list, without the button


def test_no_snapshot_of_a_campaign_with_nothing_published(users, approved):
    with pytest.raises(InvalidInput) as refused:
        snapshot_create(actor=users["dieuphoi"], campaign=approved)
    assert refused.value.status == 400 and not approved.snapshots.exists()
    with pytest.raises(InvalidInput):
        snapshot_create(actor=users["dieuphoi"], campaign="cong-bo-ban-chup")


def test_the_board_offers_confirmation_not_a_direct_publication(client_for, approved):
    body = client_for("dieuphoi").get(f"/campaigns/{approved.code}/").content.decode()
    form = body[body.index(f'action="/campaigns/{approved.code}/publish/"') - 40 :]
    assert 'method="get"' in form[:80]


def test_who_may_publish_on_the_confirmation_page_is_what_the_workflow_says(users, stranger, approved):
    from tincay.assessments.access import PUBLISHERS, actor_for, assessments_publishable_by
    from tincay.assessments.services.campaigns import forget_actor

    for user in [*users.values(), stranger]:
        forget_actor(user)
        expected = [a for a in approved.assessments.filter(state="approved").order_by("unit__sort_key")]
        expected = [a for a in expected if PUBLISHERS & actor_for(user, a).effective_roles()]
        assert assessments_publishable_by(user, approved) == expected, user.username


def test_the_confirmation_page_runs_a_fixed_number_of_queries(client_for, approved):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("quantri")
    url = f"/campaigns/{approved.code}/publish/"
    counts = []
    for keys in (["11413"], ["11413", "11311", "31", "00004"]):
        approved.assessments.exclude(unit__key__in=keys).update(state="scored")
        approved.assessments.filter(unit__key__in=keys).update(state="approved")
        client.get(url)  # scores refreshed on the first visit
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content.decode()
        assert body.count('<th scope="row"') == len(keys)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_demo_pilot_has_one_snapshot_of_its_published_units():
    """The seed records the pilot's publication by import (a state reached on paper) and cuts one snapshot."""
    from tincay.assessments.models import Campaign

    pilot = Campaign.objects.get(code="thi-diem-hai-phong-2023")
    snapshot = pilot.snapshots.get()
    assert snapshot.rows == pilot.assessments.filter(state="published").count() > 0
