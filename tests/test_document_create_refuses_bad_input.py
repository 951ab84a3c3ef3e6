"""Registering a document checks every field in the service: a title, lengths, real dates in order, a kind and
a visibility from the lists, a web link (http or https only), a file or a link; and only the unit's own people
add to its register. Nothing is stored on any problem and the register page still answers."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tincay.assessments.models import Document
from tincay.assessments.services.errors import NotYours
from tincay.assessments.services.evidence import document_create
from tincay.common.errors import InvalidInput
from tincay.orgunits.models import AdminUnit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
GOOD = {"title": "Kế hoạch cải tiến 2026", "kind": "plan", "visibility": "internal", "url": "https://example.vn/kh"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def unit():
    return AdminUnit.objects.get(key="11413")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"title": 12}, "title"),
        ({"number": "x" * 101}, "number"),
        ({"issuer": "x" * 301}, "issuer"),
        ({"issued_on": "31/02/2026"}, "issued_on"),
        ({"issued_on": "hôm qua"}, "issued_on"),
        ({"issued_on": 20260101}, "issued_on"),
        ({"issued_on": "2026-05-01", "valid_until": "2026-04-30"}, "valid_until"),
        ({"kind": "poem"}, "kind"),
        ({"visibility": "secret"}, "visibility"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "ftp://example.vn/a.pdf"}, "url"),
        ({"url": "https://example.vn/" + "a" * 1000}, "url"),
        ({"url": ""}, "file"),
        ({"owner": "someone"}, "owner"),
    ],
)
def test_a_bad_field_is_refused_and_nothing_stored(users, unit, changes, field):
    before = Document.objects.count()
    with pytest.raises(InvalidInput) as caught:
        document_create(user=users["daumoi"], unit=unit, data={**GOOD, **changes})
    assert field in caught.value.errors
    assert Document.objects.count() == before


def test_dates_as_text_or_dates_and_defaults_are_accepted(users, unit):
    document = document_create(
        user=users["daumoi"],
        unit=unit,
        data={
            "title": " Quyết định 7 ",
            "url": "https://example.vn/7",
            "issued_on": "02/03/2026",
            "valid_until": dt.date(2027, 1, 1),
        },
    )
    assert (document.title, document.issued_on, document.kind, document.visibility) == (
        "Quyết định 7",
        dt.date(2026, 3, 2),
        "other",
        "internal",
    )


@pytest.mark.parametrize("persona", ["chamdiem", "thamdinh", "xem", "dieuphoi"])
def test_only_the_units_people_add_to_its_register(users, unit, persona):
    with pytest.raises(NotYours):
        document_create(user=users[persona], unit=unit, data=GOOD)
    assert not Document.objects.filter(title=GOOD["title"]).exists()


def test_a_refused_upload_is_reported_on_the_file(users, unit):
    with pytest.raises(InvalidInput) as caught:
        document_create(
            user=users["daumoi"],
            unit=unit,
            data={**GOOD, "url": ""},
            upload=SimpleUploadedFile("a.pdf", b"MZ" + b"0" * 99),
        )
    assert "file" in caught.value.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"valid_until": "01/01/2020", "issued_on": "01/01/2021"}, "valid_until"), ({"title": "x" * 501}, "title")],
)
def test_the_register_page_shows_the_error_on_its_field_and_keeps_the_form(client_for, changes, field):
    response = client_for("daumoi").post(
        "/units/11413/documents/", {**GOOD, "url": "https://example.vn/trang", **changes}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and response.context["form"].errors.get(field)
    assert 'value="https://example.vn/trang"' in response.content.decode()
    assert not Document.objects.filter(url="https://example.vn/trang").exists()
    assert client_for("daumoi").get("/units/11413/documents/").status_code == 200


def test_a_pdf_upload_still_registers(users, unit):
    document = document_create(
        user=users["daumoi"], unit=unit, data={**GOOD, "url": ""}, upload=SimpleUploadedFile("kh.pdf", PDF)
    )
    assert document.sha256 and document.title == GOOD["title"]
