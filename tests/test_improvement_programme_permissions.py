"""Who does what with action programmes, role × unit: the leader approves, the focal point drafts, a contributor posts
progress on their own department's action only, viewers read, strangers get 404. Query counts of the programme
page and the list stay the same whatever the number of actions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.improvement_programme_fixtures import (
    CULTURE,
    department,
    document,
    fields,
    final_campaign,
    make_programme,
    own_assessment,
    sibling_assessment,
    user,
)
from tincay.accounts.models import Notification
from tincay.improvement.models import Programme
from tincay.improvement.services import actions

pytestmark = pytest.mark.django_db

PEOPLE = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem", None]
# Who sees which programme (None: the stranger, a signed-in user with no membership).
SEES_OWN = {"quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem"}
SEES_SIBLING = {"quantri", "dieuphoi", "thamdinh", "xem"}
DRAFTS = {"quantri", "lanhdao", "daumoi"}
APPROVES = {"quantri", "lanhdao"}
POSTS_ON_ECONOMY = {"quantri", "lanhdao", "daumoi", "congchuc"}  # congchuc: responsible, and of that department
POSTS_ON_CULTURE = {"quantri", "lanhdao", "daumoi"}


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with final_campaign(django_db_blocker, "ctht-permissions") as campaign:
        with django_db_blocker.unblock():
            own = own_assessment(campaign)
            programme = make_programme(own, n_actions=1)
            economy = programme.actions.get()
            culture = actions.action_create(
                actor=user("daumoi"),
                programme=programme,
                revision=programme.revision,
                **fields(own, title="Văn hóa", department=department(own, CULTURE), responsible=None),
            )
            sibling = make_programme(
                sibling_assessment(campaign), n_actions=1, actor="quantri", department=None, responsible=None
            )
        yield {
            "campaign": campaign,
            "own": own,
            "programme": Programme.objects.get(pk=programme.pk),
            "economy": economy,
            "culture": culture,
            "sibling": sibling,
            "sibling_action": sibling.actions.get(),
        }


@pytest.fixture
def client_of(client_for, stranger):
    def make(who):
        if who is None:
            client = Client()
            client.force_login(stranger)
            return client
        return client_for(who)

    return make


def _expected(who, allowed, visible):
    if who not in visible:
        return 404
    return 200 if who in allowed else 403


@pytest.mark.parametrize("who", PEOPLE)
def test_pages_by_role_and_unit(data, client_of, who):
    client = client_of(who)
    p, a = data["programme"].pk, data["economy"].pk
    s, sa = data["sibling"].pk, data["sibling_action"].pk
    everyone = set(PEOPLE)
    expected = {
        "/improvement/": 200,
        f"/improvement/programmes/{p}/": _expected(who, everyone, SEES_OWN),
        f"/improvement/actions/{a}/": _expected(who, everyone, SEES_OWN),
        f"/improvement/programmes/{p}/versions/": _expected(who, everyone, SEES_OWN),
        f"/improvement/programmes/{p}/versions/draft/": _expected(who, everyone, SEES_OWN),
        f"/improvement/programmes/{p}/edit/": _expected(who, DRAFTS, SEES_OWN),
        f"/improvement/programmes/{p}/actions/new/": _expected(who, DRAFTS, SEES_OWN),
        f"/improvement/actions/{a}/edit/": _expected(who, DRAFTS, SEES_OWN),
        f"/improvement/actions/{a}/cancel/": _expected(who, DRAFTS, SEES_OWN),
        f"/improvement/programmes/{p}/approve/": _expected(who, APPROVES, SEES_OWN),
        f"/improvement/assessments/{data['own'].pk}/programme/": 302 if who in SEES_OWN else 404,
        f"/improvement/programmes/{s}/": _expected(who, everyone, SEES_SIBLING),
        f"/improvement/actions/{sa}/": _expected(who, everyone, SEES_SIBLING),
        f"/improvement/programmes/{s}/actions/new/": _expected(who, {"quantri"}, SEES_SIBLING),
        f"/improvement/programmes/{s}/approve/": _expected(who, {"quantri"}, SEES_SIBLING),
    }
    got = {url: client.get(url).status_code for url in expected}
    assert got == expected
    listing = client.get("/improvement/").content.decode()
    assert (data["programme"].title in listing) == (who in SEES_OWN)


@pytest.mark.parametrize("who", PEOPLE)
def test_progress_on_own_departments_action_only(data, client_of, who):
    client = client_of(who)
    today = timezone.localdate().strftime("%d/%m/%Y")
    form = {"on": today, "title": "Đã triển khai", "status": "in_progress", "progress": "60"}
    for action, allowed in ((data["economy"], POSTS_ON_ECONOMY), (data["culture"], POSTS_ON_CULTURE)):
        response = client.post(f"/improvement/actions/{action.pk}/progress/", form)
        expected = 302 if who in allowed else _expected(who, set(), SEES_OWN)
        assert response.status_code == expected, (action.title, response.status_code)
        action.refresh_from_db()
        assert (action.progress == 60) == (who in allowed)
        assert action.updates.exists() == (who in allowed)


def test_focal_point_drafts_and_leader_approves(data, client_of):
    programme, own = data["programme"], data["own"]
    programme.refresh_from_db()
    crit = own.campaign.version.criteria.filter(type="management").order_by("order").first()
    new = client_of("daumoi").post(
        f"/improvement/programmes/{programme.pk}/actions/new/",
        {
            "revision": programme.revision,
            "title": "Số hóa hồ sơ",
            "deadline": "30/06/2027",
            "budget_vnd": "1.500.000 ₫",
            "status": "not_started",
            "weight": "1",
            "criteria": [str(crit.pk)],
            "indicators": [str(crit.indicator_id)],
        },
    )
    assert new.status_code == 302, new.content.decode()[:2000]
    added = programme.actions.get(title="Số hóa hồ sơ")
    assert added.budget_vnd == 1_500_000 and added.number == 3 and added.progress == 0
    programme.refresh_from_db()
    refused = client_of("daumoi").post(
        f"/improvement/programmes/{programme.pk}/approve/", {"revision": programme.revision}
    )
    assert refused.status_code == 403
    approved = client_of("lanhdao").post(
        f"/improvement/programmes/{programme.pk}/approve/", {"revision": programme.revision, "note": "Đồng ý"}
    )
    assert approved.status_code == 302
    programme.refresh_from_db()
    assert programme.approved_version.number == 1
    page = client_of("xem").get(f"/improvement/programmes/{programme.pk}/").content.decode()
    assert "1.500.000 ₫" in page


def test_assigned_person_is_notified(data):
    programme, own = data["programme"], data["own"]
    programme.refresh_from_db()
    congchuc = user("congchuc")
    before = Notification.objects.filter(user=congchuc).count()
    actions.action_create(actor=user("daumoi"), programme=programme, revision=programme.revision, **fields(own))
    assert Notification.objects.filter(user=congchuc).count() == before + 1


def test_focal_point_sees_the_create_entry(data, client_of):
    own = data["own"]
    Programme.objects.filter(pk=data["programme"].pk).delete()
    entry = f"/improvement/assessments/{own.pk}/programme/"
    assert entry in client_of("daumoi").get("/improvement/").content.decode()
    assert entry not in client_of("congchuc").get("/improvement/").content.decode()
    start = client_of("daumoi").post(entry, {"title": "Chương trình mới", "summary": ""})
    assert start.status_code == 302
    assert Programme.objects.filter(assessment=own, title="Chương trình mới").exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# the programme page and the list, for the unit leader (session, user and scopes included)
PAGE_QUERIES = 15
INDEX_QUERIES = 9  # with the count of the pager


def test_query_counts_do_not_grow_with_actions(data, client_of):
    programme, own = data["programme"], data["own"]
    programme.refresh_from_db()
    actions.progress_post(
        actor=user("daumoi"),
        action=data["economy"],
        on=timezone.localdate(),
        title="Khởi động",
        note="",
        progress=10,
        status="in_progress",
        document_ids=[],
    )
    client = client_of("lanhdao")
    url = f"/improvement/programmes/{programme.pk}/"
    client.get(url)
    small = (_count(client, url), _count(client, "/improvement/"))
    doc = document(own)
    for i in range(6):
        programme.refresh_from_db()
        action = actions.action_create(
            actor=user("daumoi"),
            programme=programme,
            revision=programme.revision,
            **fields(own, title=f"Thêm {i}", documents=[doc]),
        )
        actions.progress_post(
            actor=user("daumoi"),
            action=action,
            on=timezone.localdate(),
            title="Cập nhật",
            note="",
            progress=30,
            status="in_progress",
            document_ids=[doc.pk],
        )
    large = (_count(client, url), _count(client, "/improvement/"))
    assert small == large == (PAGE_QUERIES, INDEX_QUERIES)
