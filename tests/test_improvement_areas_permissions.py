"""Who sees and who decides areas to improve, as a role × unit matrix over the page and its forms: whoever sees
the assessment reads its areas (404 for the others); only the unit's leader and focal point (and admins) decide
them (403 for the other readers, who get no forms). The page's query count does not grow with the areas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.assessment_fixtures import module_campaign
from tests.improvement_areas_fixtures import approve, indicators_of, set_final
from tincay.catalogue.models import Criterion
from tincay.improvement.choices import AreaOrigin
from tincay.improvement.models import ImprovementArea
from tincay.improvement.services.areas import areas_suggest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

UNITS = {"own": "11413", "sibling": "11311", "other": "00004"}
SEES = {
    "quantri": {"own", "sibling", "other"},
    "dieuphoi": {"own", "sibling"},
    "lanhdao": {"own"},
    "daumoi": {"own"},
    "congchuc": {"own"},
    "chamdiem": {"own"},
    "thamdinh": {"own", "sibling", "other"},
    "xem": {"own", "sibling"},
    "nguoila": set(),
}
DECIDES = {"quantri": {"own", "sibling", "other"}, "lanhdao": {"own"}, "daumoi": {"own"}}
MATRIX = [(who, unit) for who in SEES for unit in UNITS]
PAGE_QUERIES = 7  # session, user, scopes, assessment, areas, the add form's criteria… (none per area)


@pytest.fixture(scope="module")
def campaign(django_db_blocker):
    with module_campaign(django_db_blocker, "chu-diem-quyen", UNITS) as c:
        yield c


@pytest.fixture
def assessments(users, campaign):
    found = {}
    for name, key in UNITS.items():
        assessment = approve(campaign.assessments.get(unit__key=key))
        (_code, criteria), (_code2, criteria2) = indicators_of(assessment)[:2]
        set_final(assessment, {criteria[0][0]: "red", criteria2[0][0]: "yellow"})
        areas_suggest(actor=users["quantri"], assessment=assessment)
        found[name] = assessment
    return found


@pytest.fixture
def client_of(client_for, stranger):
    def make(who):
        return _signed_in(stranger) if who == "nguoila" else client_for(who)

    return make


def _signed_in(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _expected(who: str, unit: str, ok: int) -> int:
    if unit not in SEES[who]:
        return 404
    return ok if unit in DECIDES.get(who, set()) else 403


@pytest.mark.parametrize(("who", "unit"), MATRIX)
def test_the_page_is_shown_to_those_who_see_the_assessment(client_of, assessments, who, unit):
    page = client_of(who).get(f"/improvement/assessments/{assessments[unit].pk}/areas/")
    assert page.status_code == (200 if unit in SEES[who] else 404)
    if page.status_code == 200:
        body = page.content.decode()
        editor = unit in DECIDES.get(who, set())
        assert ('id="accept-form"' in body) is editor and ('id="add-area"' in body) is editor
        assert ("/decide/" in body) is editor and ('id="suggest-form"' in body) is editor
        assert ('id="read-only"' in body) is not editor
        assert "Xếp hạng theo mức ưu tiên" in body  # pages in Vietnamese, the reader's language


@pytest.mark.parametrize(("who", "unit"), MATRIX)
def test_deciding_an_area_follows_the_matrix(client_of, assessments, who, unit):
    assessment = assessments[unit]
    area = ImprovementArea.objects.filter(assessment=assessment).order_by("rank").first()
    page = client_of(who).post(
        f"/improvement/assessments/{assessment.pk}/areas/{area.pk}/decide/", {"decision": "select", "stage": "short"}
    )
    assert page.status_code == _expected(who, unit, 302)
    area.refresh_from_db()
    assert area.selected is (page.status_code == 302)


@pytest.mark.parametrize("who", list(SEES))
@pytest.mark.parametrize("unit", ["own", "other"])
def test_the_other_forms_follow_the_matrix(client_of, assessments, who, unit):
    assessment = assessments[unit]
    base = f"/improvement/assessments/{assessment.pk}/areas/"
    client = client_of(who)
    expected = _expected(who, unit, 302)
    count = ImprovementArea.objects.filter(assessment=assessment).count()
    free = (
        Criterion.objects.filter(version=assessment.campaign.version)
        .exclude(
            pk__in=ImprovementArea.objects.filter(assessment=assessment, criterion__isnull=False).values("criterion")
        )
        .select_related("indicator")
        .first()
    )
    added = client.post(
        f"{base}add/", {"item": f"{free.indicator.code}:{free.code}", "stage": "medium", "reason": "Phường tự chọn."}
    )
    assert added.status_code == expected
    assert ImprovementArea.objects.filter(assessment=assessment).count() == count + (expected == 302)
    codes = [str(a) for a in ImprovementArea.objects.filter(assessment=assessment, origin=AreaOrigin.SUGGESTED)]
    assert client.post(f"{base}accept/", {"codes": codes, "stage": "short"}).status_code == expected
    assert client.post(f"{base}suggest/").status_code == expected


def test_signed_out_people_are_sent_to_sign_in(client, assessments):
    base = f"/improvement/assessments/{assessments['own'].pk}/areas/"
    assert client.get(base).status_code == 302
    assert client.post(f"{base}suggest/").status_code == 302
    assert ImprovementArea.objects.filter(assessment=assessments["own"], selected=True).count() == 0


def test_only_posts_change_areas(client_for, assessments):
    base = f"/improvement/assessments/{assessments['own'].pk}/areas/"
    assert client_for("lanhdao").get(f"{base}suggest/").status_code == 405


def _page_queries(client, url) -> int:
    client.get(url)  # warm what is cached beyond one request
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_page_query_count_does_not_grow_with_the_areas(
    client_for, assessments, django_assert_num_queries, django_assert_max_num_queries
):
    assessment = assessments["own"]
    url = f"/improvement/assessments/{assessment.pk}/areas/"
    client = client_for("lanhdao")
    few = _page_queries(client, url)
    taken = set(ImprovementArea.objects.filter(assessment=assessment).values_list("criterion_id", flat=True))
    extra = [
        ImprovementArea(
            assessment=assessment,
            indicator_id=c.indicator_id,
            criterion=c,
            origin=AreaOrigin.ADDED,
            level="yellow",
            weight=1,
            gap=0.5,
            priority=0.5,
            rank=100 + n,
            selected=n % 3 != 0,
            stage=("short", "medium")[n % 2] if n % 3 else "",
            reason="Phường tự chọn.",
        )
        for n, c in enumerate(
            Criterion.objects.filter(version=assessment.campaign.version).exclude(pk__in=taken).order_by("order")[:80]
        )
    ]
    ImprovementArea.objects.bulk_create(extra)
    assert _page_queries(client, url) == few
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(url).status_code == 200
    reader = client_for("xem")
    reader.get(url)
    with django_assert_max_num_queries(PAGE_QUERIES):  # a reader gets no add form
        assert reader.get(url).status_code == 200
