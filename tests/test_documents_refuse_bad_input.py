"""Asking for a document checks its whole input in the service: an unknown document or format, a number that is not
a whole number in range, an impossible date, text too long or of the wrong type, too many recipients, a subject the
person does not see, a programme document without a programme. Each gets a clear message under its field, nothing
is stored, and the pages still answer. On the page the form keeps what was typed."""

from __future__ import annotations

import pytest

from tests.document_fixtures import document_campaign
from tincay.common.errors import InvalidInput, Refused
from tincay.improvement.models import Programme
from tincay.reports.generation import document_request
from tincay.reports.models import GeneratedFile


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "van-ban-sai") as found:
        yield found


BAD = [
    ({"kind": "thu-vien"}, {}, "kind"),
    ({"fmt": "exe"}, {}, "fmt"),
    ({}, {"number": "abc"}, "number"),
    ({}, {"number": "0"}, "number"),
    ({}, {"number": "100000"}, "number"),
    ({}, {"number": "-3"}, "number"),
    ({}, {"day": "31/02/2026"}, "day"),
    ({}, {"day": "05/01/1789"}, "day"),
    ({}, {"day": "hôm nay"}, "day"),
    ({}, {"signer_name": "x" * 101}, "signer_name"),
    ({}, {"signer_name": ["Trần", "Bình"]}, "signer_name"),
    ({}, {"problems": "x" * 5001}, "problems"),
    ({}, {"recipients": "\n".join(f"Nơi {n}" for n in range(21))}, "recipients"),
    ({}, {"recipients": 12}, "recipients"),
]


@pytest.mark.parametrize(("request_fields", "data", "field"), BAD)
def test_bad_input_is_refused_under_its_field_and_nothing_is_stored(request_fields, data, field, world, users):
    _campaign, own, _other = world
    arguments = {"kind": "self_report", "assessment_id": own.pk, **request_fields}
    with pytest.raises(InvalidInput) as raised:
        document_request(user=users["dieuphoi"], data=data, **arguments)
    assert raised.value.messages_for(field), raised.value.errors
    assert not GeneratedFile.objects.exists()


def test_every_problem_is_reported_at_once(world, users):
    _campaign, own, _other = world
    with pytest.raises(InvalidInput) as raised:
        document_request(
            user=users["dieuphoi"],
            kind="self_report",
            fmt="exe",
            assessment_id=own.pk,
            data={"number": "abc", "day": "32/13/2026"},
        )
    assert {"fmt", "number", "day"} <= set(raised.value.errors)


@pytest.mark.parametrize(
    ("persona", "subject"),
    [("lanhdao", "other"), ("xem", "other"), ("dieuphoi", "other"), ("lanhdao", "campaign-other")],
)
def test_a_subject_the_person_does_not_see_is_refused(persona, subject, world, users):
    _campaign, _own, other = world
    if subject == "other":
        arguments = {"kind": "self_report", "assessment_id": other.pk}
    else:
        arguments = {"kind": "campaign_report", "campaign_code": "khong-co-dot-nay"}
    with pytest.raises(Refused):
        document_request(user=users[persona], **arguments)
    assert not GeneratedFile.objects.exists()


def test_a_programme_document_needs_a_programme(world, users):
    _campaign, own, _other = world
    Programme.objects.filter(assessment=own).delete()
    with pytest.raises(InvalidInput) as raised:
        document_request(user=users["dieuphoi"], kind="programme", assessment_id=own.pk)
    assert "chương trình hành động" in raised.value.messages_for("kind")[0]
    assert not GeneratedFile.objects.exists()


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(world, client_for):
    _campaign, own, _other = world
    client = client_for("lanhdao")
    typed = {
        "assessment": own.pk,
        "kind": "self_report",
        "fmt": "docx",
        "number": "12a",
        "day": "5/1/2026",
        "signer_name": "Nguyễn Văn An",
        "problems": "Thiếu kinh phí số hóa hồ sơ.",
    }
    response = client.post("/reports/documents/new/", typed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nhập số văn bản là số nguyên" in page
    assert 'value="12a"' in page and 'value="Nguyễn Văn An"' in page and "Thiếu kinh phí số hóa hồ sơ." in page
    assert not GeneratedFile.objects.exists()
    assert client.get(f"/results/assessments/{own.pk}/").status_code == 200
    assert client.get("/reports/documents/").status_code == 200
