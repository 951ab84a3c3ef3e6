"""A refused upload on the indicator page (wrong file type, bad date, neither file nor link) comes back on the same
page (400) with what was typed still in the form, each error next to its field and the section open; nothing is
stored. Someone who may not attach evidence is still refused with a message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.assessment_fixtures import module_campaign
from tincay.assessments.models import Document

pytestmark = pytest.mark.usefixtures("english")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TYPED = {"title": "Biên bản niêm yết dự toán", "number": "07/BB-UBND", "issued_on": "05/03/2026", "kind": "minutes"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with module_campaign(django_db_blocker, "tai-len-sai", {"own": "11413"}) as campaign:
        assessment = campaign.assessments.get()
        yield assessment, assessment.results.get(criterion__code="1.7.1")


def _attach(client, assessment, result, data):
    return client.post(
        f"/assessments/{assessment.pk}/results/{result.pk}/evidence/",
        {"visibility": "internal", **data},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _field(body, name):
    """The markup of one field of the upload form, up to the next field."""
    start = body.index(f'name="{name}"', body.index("upload-form"))
    return body[body.rfind("<input", 0, start) : body.find("<label", start)]


@pytest.mark.django_db
def test_a_wrong_file_type_keeps_the_fields_and_puts_the_error_on_the_file(client_for, world):
    assessment, result = world
    program = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = _attach(client_for("daumoi"), assessment, result, {**TYPED, "file": program})
    body = response.content.decode()
    assert response.status_code == 400
    assert f'value="{TYPED["title"]}"' in body and f'value="{TYPED["number"]}"' in body
    assert 'value="05/03/2026"' in body and '<option value="minutes" selected>' in body
    file_field = _field(body, "file")
    assert 'aria-invalid="true"' in file_field and "is not a PDF document" in file_field
    assert 'aria-invalid="true"' not in _field(body, "title")
    assert "<details open>" in body and "focus-error.js" in body
    assert not Document.objects.filter(number=TYPED["number"]).exists()
    assert not result.evidence_links.exists()


@pytest.mark.django_db
def test_a_bad_date_and_no_file_are_shown_on_their_fields(client_for, world):
    assessment, result = world
    response = _attach(client_for("daumoi"), assessment, result, {**TYPED, "issued_on": "31/02/2026"})
    body = response.content.decode()
    assert response.status_code == 400 and 'value="31/02/2026"' in body
    assert 'aria-invalid="true"' in _field(body, "issued_on")
    assert "Attach a file or give a link" in _field(body, "file")
    assert not Document.objects.filter(number=TYPED["number"]).exists()


@pytest.mark.django_db
def test_a_good_upload_still_attaches(client_for, world):
    assessment, result = world
    response = _attach(
        client_for("daumoi"), assessment, result, {**TYPED, "file": SimpleUploadedFile("bien-ban.pdf", PDF)}
    )
    assert response.status_code == 302 and result.evidence_links.get().document.number == TYPED["number"]


@pytest.mark.django_db
def test_someone_who_may_not_attach_gets_a_message_not_the_form(client_for, world):
    assessment, result = world
    response = _attach(
        client_for("chamdiem"), assessment, result, {**TYPED, "file": SimpleUploadedFile("bien-ban.pdf", PDF)}
    )
    assert response.status_code == 302 and not result.evidence_links.exists()
    assert client_for("chamdiem").get(response["Location"]).status_code == 200
