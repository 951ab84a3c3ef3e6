"""The assessment and indicator pages answer 304 to a browser that holds the current page, and are drawn again
whenever anything they show changed: a save, a document, a notice, the language, the person, another release."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.assessment_fixtures import UNITS, make_campaign
from tincay.accounts import freshness
from tincay.accounts.services import notify, user_update
from tincay.assessments.models import Assessment
from tincay.assessments.services import evidence, results
from tincay.audit import services as audit
from tincay.audit.models import ChangeMark
from tincay.audit.scopes import ALL, unit_scope, user_scope
from tincay.orgunits.models import Membership
from tincay.orgunits.services import membership_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(users):
    return make_campaign(users)


@pytest.fixture
def own(campaign):
    return Assessment.objects.get(campaign=campaign, unit__key=UNITS["own"])


@pytest.fixture
def sibling(campaign):
    return Assessment.objects.get(campaign=campaign, unit__key=UNITS["sibling"])


def _pages(assessment):
    return [f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/indicators/1.7/"]


def _held(client, url):
    """The page as a browser keeps it: its ETag, after checking the answer (the very first page of a session sets
    the CSRF cookie and carries no ETag)."""
    client.get(url)
    first = client.get(url)
    assert first.status_code == 200
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    return first["ETag"]


def _again(client, url, etag):
    return client.get(url, HTTP_IF_NONE_MATCH=etag)


def test_a_page_held_is_answered_304_without_a_body(client_for, own):
    client = client_for("daumoi")
    for url in _pages(own):
        etag = _held(client, url)
        answer = _again(client, url, etag)
        assert answer.status_code == 304
        assert answer.content == b""
        assert answer["ETag"] == etag
        assert _again(client, url, f"W/{etag}").status_code == 304  # as a compressing proxy passes it on
        assert _again(client, url, f'"other", {etag}').status_code == 304


def test_a_save_draws_the_pages_again_with_what_was_saved(client_for, users, own):
    client = client_for("daumoi")
    held = {url: _held(client, url) for url in _pages(own)}
    result = own.results.get(criterion__code="1.7.1")
    data = {"self_level": "green", "narrative": "Đã niêm yết công khai quy chế"}
    results.result_save(user=users["daumoi"], result=result, track="self", data=data, revision=result.revision)
    for url, etag in held.items():
        answer = _again(client, url, etag)
        assert answer.status_code == 200
        assert answer["ETag"] != etag
    assert "Đã niêm yết công khai quy chế" in _again(client, _pages(own)[1], "x").content.decode()


def test_a_document_added_to_the_register_draws_the_pages_again(client_for, users, own):
    client = client_for("daumoi")
    held = {url: _held(client, url) for url in _pages(own)}
    evidence.document_create(
        user=users["daumoi"],
        unit=own.unit,
        data={"title": "Quy chế dân chủ cơ sở", "kind": "regulation", "url": "https://haian.haiphong.gov.vn/quy-che"},
    )
    assert all(_again(client, url, etag).status_code == 200 for url, etag in held.items())


def test_another_units_write_keeps_the_304(client_for, users, own, sibling):
    client = client_for("daumoi")
    held = {url: _held(client, url) for url in _pages(own)}
    audit.record(actor=users["quantri"], action="test.sibling_changed", obj=sibling)
    assert all(_again(client, url, etag).status_code == 304 for url, etag in held.items())


def test_a_write_that_names_no_scope_draws_every_page_again(client_for, users, own):
    client = client_for("daumoi")
    held = {url: _held(client, url) for url in _pages(own)}
    audit.record(actor=users["quantri"], action="test.settings_changed", object_type="settings")
    assert all(_again(client, url, etag).status_code == 200 for url, etag in held.items())


def test_a_loader_without_audit_event_still_draws_every_page_again(client_for, own):
    client = client_for("daumoi")
    url = _pages(own)[0]
    etag = _held(client, url)
    audit.changed([ALL])
    assert _again(client, url, etag).status_code == 200


def test_a_notice_for_the_person_draws_again_one_for_someone_else_does_not(client_for, users, own):
    client = client_for("daumoi")
    url = _pages(own)[0]
    etag = _held(client, url)
    notify(users=[users["lanhdao"]], message="A notice for someone else", email=False)
    assert _again(client, url, etag).status_code == 304
    unread = users["daumoi"].notifications.filter(read_at__isnull=True).count()
    notify(users=[users["daumoi"]], message="A notice for you", email=False)
    answer = _again(client, url, etag)
    assert answer.status_code == 200
    assert f'badge text-bg-warning">{unread + 1}<' in answer.content.decode()


def test_another_person_or_language_never_gets_the_304(client_for, own):
    url = _pages(own)[0]
    etag = _held(client_for("daumoi"), url)
    assert _again(client_for("lanhdao"), url, etag).status_code == 200
    english = client_for("daumoi")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answer = _again(english, url, etag)
    assert answer.status_code == 200
    assert 'lang="en"' in answer.content.decode()


def test_someone_without_access_gets_404_even_with_the_etag(client_for, stranger, own):
    url = _pages(own)[0]
    etag = _held(client_for("daumoi"), url)
    outsider = client_for(None)
    outsider.force_login(stranger)
    assert _again(outsider, url, etag).status_code == 404
    assert _again(client_for(None), url, etag).status_code == 302  # to the log-in page


def test_the_304_is_worked_out_before_the_person_or_the_assessment_is_looked_up(client_for, users, own):
    client = client_for("daumoi")
    for url in _pages(own):
        etag = _held(client, url)
        claim = f"{unit_scope(own.unit_id)}+{user_scope(users['daumoi'].pk)}"
        assert etag.startswith(f'"{claim}.')  # the scope it shows and the person, before the digest
        with CaptureQueriesContext(connection) as queries:
            assert _again(client, url, etag).status_code == 304
        read = " ".join(q["sql"] for q in queries.captured_queries)
        assert Assessment._meta.db_table not in read
        assert users["daumoi"]._meta.db_table not in read  # the person is not even loaded
        assert len(queries) == 1  # the marks, the unread notices and the session, together


def test_a_person_deactivated_or_with_a_new_password_is_sent_to_sign_in_not_given_the_304(client_for, users, own):
    url = _pages(own)[0]
    deactivated, renewed = client_for("daumoi"), client_for("lanhdao")
    held = _held(deactivated, url), _held(renewed, url)
    user_update(actor=users["quantri"], user=users["daumoi"], is_active=False)
    user = users["lanhdao"]
    user.set_password("Mật khẩu mới của lãnh đạo 2026")
    user.save()  # as the password change page does: Django's password_changed hook follows
    for client, etag in zip((deactivated, renewed), held, strict=True):
        answer = _again(client, url, etag)
        assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_a_person_whose_role_was_removed_gets_404_not_the_304(client_for, users, own):
    client = client_for("daumoi")
    url = _pages(own)[0]
    etag = _held(client, url)
    for membership in Membership.objects.filter(user=users["daumoi"]):
        membership_revoke(actor=users["quantri"], membership=membership, reason="Chuyển công tác")
    assert _again(client, url, etag).status_code == 404


def test_an_etag_whose_claim_was_altered_is_never_answered_304(client_for, users, own, sibling):
    client = client_for("daumoi")
    url = _pages(own)[0]
    etag = _held(client, url)
    claim, _dot, digest = etag.strip('"').rpartition(".")
    unit, person, other = unit_scope(own.unit_id), user_scope(users["daumoi"].pk), user_scope(users["lanhdao"].pk)
    assert claim == f"{unit}+{person}"
    for forged in (
        f"{unit_scope(sibling.unit_id)}+{person}",  # another unit's marks, this page's digest
        f"{unit}+{other}",  # another person
        f"{unit}+{person}+{other}",
        unit,  # nobody
        person,
        "",
        "+".join([unit] * 3 + [person]),  # more scopes than a page names
        f"all+{person}",
        f"{unit},{person}",
    ):
        assert _again(client, url, f'"{forged}.{digest}"').status_code == 200, forged
    changed = f'"{claim}.{digest[:-1]}{"1" if digest.endswith("0") else "0"}"'  # one digit of the digest
    assert _again(client, url, changed).status_code == 200
    assert _again(client, url, etag).status_code == 304


def test_the_first_page_of_a_session_has_no_etag_it_could_never_match(client_for, own):
    first = client_for("daumoi").get(_pages(own)[0])
    assert first.status_code == 200
    assert not first.has_header("ETag")


def test_a_malformed_if_none_match_just_draws_the_page(client_for, own):
    client = client_for("daumoi")
    url = _pages(own)[0]
    for header in ("*", "garbage", '"", W/"x"', "\x00\x01"):
        assert _again(client, url, header).status_code == 200


def test_a_page_with_a_message_waiting_is_always_drawn(users, own):
    request = RequestFactory().get(_pages(own)[0])
    request.user = users["daumoi"]
    request.META["CSRF_COOKIE"] = "x" * 32
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert freshness.page_etag(request, [unit_scope(own.unit_id)]) is not None
    messages.success(request, "Đã lưu")
    assert freshness.page_etag(request, [unit_scope(own.unit_id)]) is None


def test_a_write_moves_only_the_marks_of_its_scopes(users, own, sibling):
    before = dict(ChangeMark.objects.values_list("scope", "mark"))
    audit.record(actor=users["quantri"], action="test.own_changed", obj=own)
    after = dict(ChangeMark.objects.values_list("scope", "mark"))
    moved = {scope for scope in after if after[scope] != before.get(scope)}
    assert moved == {unit_scope(own.unit_id)}
    audit.record(actor=users["quantri"], action="test.two", obj=own, scopes=[user_scope(users["daumoi"].pk), ALL])
    again = dict(ChangeMark.objects.values_list("scope", "mark"))
    assert {scope for scope in again if again[scope] != after.get(scope)} == {user_scope(users["daumoi"].pk), ALL}
