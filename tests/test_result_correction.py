"""A published result is corrected only through a recorded correction (reason, who, when, before and after),
checked like any save, allowed to the campaign's coordinators and council only; the public page says
"corrected on …" with the reason; the snapshot frozen before keeps its bytes."""

import hashlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.assessment_fixtures import complete, make_campaign
from tincay.accounts.models import Notification
from tincay.assessments.models import Assessment, CorrectionFrozen, ResultCorrection
from tincay.assessments.services.corrections import result_correct
from tincay.assessments.services.errors import AssessmentError, ConflictError, NotYours
from tincay.assessments.services.results import result_save
from tincay.audit.models import AuditEvent
from tincay.reports.services import snapshot_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
REASON = "Số liệu nước sạch năm 2026 được Sở Y tế đính chính."


@pytest.fixture
def published(users):
    """Phường Hải An's assessment published (final green everywhere, scorer yellow) with its snapshot."""
    campaign = make_campaign(users, code="dinh-chinh")
    assessment = campaign.assessments.get(unit__key="11413")
    complete(assessment, submitted_by=users["daumoi"])
    Assessment.objects.filter(pk=assessment.pk).update(state="published", published_at=timezone.now())
    snapshot_create(actor="test", campaign=campaign)
    assessment.refresh_from_db()
    return assessment


def _result(assessment, code=None):
    results = assessment.results.select_related("criterion")
    return results.get(criterion__code=code) if code else results.exclude(criterion__type="performance").first()


def _correct(user, result, **data):
    reason = data.pop("reason", REASON)
    revision = data.pop("revision", result.revision)
    return result_correct(
        user=user, result=result, data=data or {"final_level": "red"}, reason=reason, revision=revision
    )


def test_a_coordinator_corrects_a_published_result_and_it_is_recorded(users, published):
    result = _result(published)
    correction = _correct(users["dieuphoi"], result, final_level="red")
    result.refresh_from_db()
    assert result.final_level == "red" and result.revision == 1
    assert correction.before == {"final_level": "green"} and correction.after == {"final_level": "red"}
    assert correction.reason == REASON and correction.corrected_by == users["dieuphoi"]
    assert correction.total_before > correction.total_after  # rescored at once
    score = published.scores.get(track="final")
    assert score.total == pytest.approx(correction.total_after)
    event = AuditEvent.objects.filter(action="assessments.result_corrected").latest("id")
    assert event.reason == REASON and event.object_id == str(result.pk)
    notice = Notification.objects.filter(user=users["lanhdao"]).latest("id")
    assert result.criterion.code in notice.text and REASON in notice.text
    assert Notification.objects.filter(user=users["daumoi"], url__contains="/corrections/").exists()
    # the record itself never changes
    correction.reason = "khác"
    with pytest.raises(CorrectionFrozen):
        correction.save()
    with pytest.raises(CorrectionFrozen):
        correction.delete()


def test_the_earlier_snapshot_keeps_its_bytes_and_a_new_one_differs(client, users, published):
    snapshot = published.campaign.snapshots.get()
    before = client.get(f"/public/snapshots/{snapshot.pk}.csv").content
    before_json = client.get(f"/public/snapshots/{snapshot.pk}.json").content
    _correct(users["dieuphoi"], _result(published), final_level="red")
    assert client.get(f"/public/snapshots/{snapshot.pk}.csv").content == before
    assert client.get(f"/public/snapshots/{snapshot.pk}.json").content == before_json
    assert hashlib.sha256(before).hexdigest() == snapshot.csv_sha256
    stored = published.campaign.snapshots.get()
    assert (stored.csv_text, stored.csv_sha256, stored.json_sha256) == (
        snapshot.csv_text,
        snapshot.csv_sha256,
        snapshot.json_sha256,
    )
    newer = snapshot_create(actor=users["dieuphoi"], campaign=published.campaign)
    assert newer.previous_id == snapshot.pk and newer.csv_sha256 != snapshot.csv_sha256
    assert client.get(f"/public/snapshots/{snapshot.pk}.csv").content == before


def test_the_public_page_says_corrected_on_with_the_reason(client, users, published):
    result = _result(published)
    _correct(users["thamdinh"], result, final_level="red")
    body = client.get("/public/units/11413/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Corrected on" in body and REASON in body and result.criterion.code in body
    assert "Green → Red" in body
    assert "Đã xem xét." not in body  # the council's comment stays internal
    assert "Not yet in an open-data snapshot" in body
    campaign_page = client.get(f"/public/campaigns/{published.campaign.code}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Corrected on" in campaign_page.content.decode() and REASON in campaign_page.content.decode()


def test_a_measured_value_is_corrected_as_typed_in_vietnamese(users, client_for, published):
    result = published.results.filter(criterion__type="performance", criterion__measure_unit_vi="%").first()
    page = client_for("dieuphoi").post(
        f"/assessments/{published.pk}/corrections/{result.criterion.code}/",
        {
            "revision": result.revision,
            "final_level": result.final_level,
            "final_value": "87,5",
            "final_comment": result.final_comment,
            "reason": REASON,
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    result.refresh_from_db()
    assert result.final_value == Decimal("87.5")


BAD = [
    ("no reason", {"final_level": "red", "reason": "  "}, AssessmentError, "reason"),
    ("reason not text", {"final_level": "red", "reason": ["x"]}, AssessmentError, "reason"),
    ("reason too long", {"final_level": "red", "reason": "x" * 2001}, AssessmentError, "reason"),
    ("wrong level", {"final_level": "purple"}, AssessmentError, "final_level"),
    ("value on a management criterion", {"final_value": "50"}, AssessmentError, "final_value"),
    ("unknown field", {"self_level": "red"}, AssessmentError, "self_level"),
    ("differs from scorer without comment", {"final_level": "red", "final_comment": ""}, AssessmentError, None),
    ("nothing changed", {"final_level": "green"}, AssessmentError, "__all__"),
    ("revision not a number", {"final_level": "red", "revision": "abc"}, AssessmentError, "revision"),
    ("stale revision", {"final_level": "red", "revision": 7}, ConflictError, None),
]


@pytest.mark.parametrize(("name", "data", "error", "field"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_and_nothing_is_stored(client_for, users, published, name, data, error, field):
    result = _result(published)
    with pytest.raises(error) as refused:
        _correct(users["dieuphoi"], result, **dict(data))
    if field:
        assert field in refused.value.errors, refused.value.errors
    assert str(refused.value)
    _nothing_stored(result)
    assert client_for("dieuphoi").get(f"/assessments/{published.pk}/corrections/").status_code == 200
    assert Client().get("/public/units/11413/").status_code == 200


def test_data_of_the_wrong_shape_is_refused(users, published):
    result = _result(published)
    for data in (["final_level", "red"], "red", None):
        with pytest.raises(AssessmentError):
            result_correct(user=users["dieuphoi"], result=result, data=data, reason=REASON, revision=0)
    with pytest.raises(AssessmentError):
        result_correct(user=users["dieuphoi"], result=published, data={"final_level": "red"}, reason=REASON, revision=0)
    _nothing_stored(result)


def test_a_result_not_yet_published_is_not_corrected_this_way(users, published):
    Assessment.objects.filter(pk=published.pk).update(state="approved")
    result = _result(published)
    with pytest.raises(AssessmentError) as refused:
        _correct(users["dieuphoi"], result)
    assert "Only a published result" in str(refused.value)
    _nothing_stored(result)


def test_normal_saving_stays_refused_on_a_published_assessment(users, published):
    result = _result(published)
    for persona, track in (("thamdinh", "final"), ("dieuphoi", "final"), ("daumoi", "self")):
        with pytest.raises(AssessmentError):
            result_save(user=users[persona], result=result, track=track, data={f"{track}_level": "red"}, revision=0)
    _nothing_stored(result)


def _nothing_stored(result):
    before = (result.final_level, result.final_value, result.final_comment, result.revision)
    result.refresh_from_db()
    assert (result.final_level, result.final_value, result.final_comment, result.revision) == before
    assert not ResultCorrection.objects.filter(result=result).exists()


# who may correct Phường Hải An's published result: the coordinator over it, the administrator and the
# appraisal council (thamdinh belongs to the city, not to the ward); nobody of the unit, the scorer, the viewer
MAY_CORRECT = {"quantri": True, "dieuphoi": True, "thamdinh": True}
PERSONAS = ["quantri", "dieuphoi", "lanhdao", "daumoi", "congchuc", "chamdiem", "thamdinh", "xem", "nguoila"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_by_role_in_the_service_and_the_page(users, stranger, published, persona):
    user = {**users, "nguoila": stranger}[persona]
    result = _result(published)
    client = Client()
    client.force_login(user)
    url = f"/assessments/{published.pk}/corrections/{result.criterion.code}/"
    posted = {"revision": result.revision, "final_level": "red", "final_comment": "Đã xem xét.", "reason": REASON}
    response = client.post(url, posted, HTTP_ACCEPT_LANGUAGE="en")
    if MAY_CORRECT.get(persona):
        assert response.status_code == 302
        assert ResultCorrection.objects.filter(result=result, corrected_by=user).exists()
        return
    assert response.status_code in (403, 404), (persona, response.status_code)
    with pytest.raises(NotYours):
        _correct(user, result)
    _nothing_stored(result)
    listing = client.get(f"/assessments/{published.pk}/corrections/")
    assert listing.status_code in (200, 404)
    assert "Correct this criterion" not in listing.content.decode()


def test_the_correction_page_keeps_what_was_typed_and_says_why(client_for, published):
    result = _result(published)
    url = f"/assessments/{published.pk}/corrections/{result.criterion.code}/"
    client = client_for("dieuphoi")
    assert client.get(url).status_code == 200
    page = client.post(
        url,
        {"revision": result.revision, "final_level": "red", "final_comment": "Ghi chú mới", "reason": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = page.content.decode()
    assert page.status_code == 400 and "Say why the published result is corrected" in body
    assert "Ghi chú mới" in body and 'value="red" selected' in body
    _nothing_stored(result)
    stale = client.post(
        url,
        {"revision": 99, "final_level": "red", "final_comment": "Đã xem xét.", "reason": REASON},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert stale.status_code == 409
    assert client.get(f"/assessments/{published.pk}/corrections/?code={result.criterion.code}").status_code == 302


def test_the_correction_lists_run_a_fixed_number_of_queries(client_for, users, published):
    client = client_for("dieuphoi")
    codes = list(published.results.exclude(criterion__type="performance").values_list("criterion__code", flat=True))
    counts: dict[str, list[int]] = {}
    for code in codes[:3]:
        _correct(users["dieuphoi"], _result(published, code), final_level="red")
        for url in (f"/campaigns/{published.campaign.code}/corrections/", f"/assessments/{published.pk}/corrections/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(queries))
    assert all(len(set(n)) == 1 for n in counts.values()), counts  # one, two, three corrections: same count


def test_a_correction_waits_for_the_next_snapshot_and_is_then_included(client, client_for, users, published):
    _correct(users["dieuphoi"], _result(published), final_level="red")
    url = f"/results/campaigns/{published.campaign.code}/snapshots/"
    coordinator = client_for("dieuphoi")
    assert (
        "1 correction after publication is not in any snapshot yet"
        in coordinator.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    coordinator.post(url)
    assert published.campaign.snapshots.count() == 2
    assert "not in any snapshot yet" not in coordinator.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    body = client.get("/public/units/11413/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Included in the open-data snapshot of" in body
