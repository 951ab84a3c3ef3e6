"""Link-type evidence opens a page of ours that names the external address (its host emphasised) before the
reader leaves TinCậy; only documents the reader may see, and only http(s) addresses are ever linked."""

from __future__ import annotations

import re

import pytest

from tincay.assessments.models import Document
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db
ADDRESS = "https://haian.haiphong.gov.vn/van-ban/du-toan-2026?ky=1&nam=2026"


def _document(unit_key: str = "11413", url: str = ADDRESS) -> Document:
    return Document.objects.create(
        unit=AdminUnit.objects.get(key=unit_key), title="Công khai dự toán ngân sách 2026", number="12/TB-UBND", url=url
    )


def _page(client, document: Document, **params):
    return client.get(f"/documents/{document.pk}/link/", params, HTTP_ACCEPT_LANGUAGE="en")


def test_visible_document_names_the_address_and_its_host_before_leaving(client_for):
    document = _document()
    response = _page(client_for("daumoi"), document)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công khai dự toán ngân sách 2026" in html and "12/TB-UBND" in html
    assert (
        '<code class="external-address">https://haian.haiphong.gov.vn/van-ban/du-toan-2026?ky=1&amp;nam=2026</code>'
        in html
    )
    assert '<strong class="external-host">haian.haiphong.gov.vn</strong>' in html
    assert "leaves TinCậy" in html
    continue_links = re.findall(r'<a [^>]*href="https://haian[^"]*"[^>]*>', html)
    assert continue_links == [
        '<a class="btn btn-primary" href="https://haian.haiphong.gov.vn/van-ban/du-toan-2026?ky=1&amp;nam=2026" '
        'rel="noopener noreferrer">'
    ]
    assert 'href="/units/11413/documents/"' in html  # back to the register by default


def test_the_host_shown_is_the_real_one_not_a_lookalike_before_an_at_sign(client_for):
    document = _document(url="https://haiphong.gov.vn@evil.example/dang-nhap")
    html = _page(client_for("daumoi"), document).content.decode()
    assert '<strong class="external-host">evil.example</strong>' in html


def test_an_internationalised_host_is_shown_as_the_browser_contacts_it(client_for):
    document = _document(url="https://hảiphòng.vn/tai-lieu")
    html = _page(client_for("daumoi"), document).content.decode()
    assert '<strong class="external-host">xn--hiphng-6wa8191d.vn</strong>' in html
    assert "hảiphòng.vn" in html


def test_a_scorer_sees_the_page_for_a_document_linked_to_an_assessment_they_check(client_for, users):
    from tests.assessment_fixtures import make_campaign

    assessment = make_campaign(users, code="lien-ket-ngoai").assessments.get(unit__key="11413")
    document = _document()
    assessment.results.first().documents.add(document)
    assert _page(client_for("chamdiem"), document).status_code == 200


def test_document_of_another_unit_is_not_found(client_for):
    document = _document(unit_key="01")
    assert _page(client_for("daumoi"), document).status_code == 404
    assert _page(client_for("dieuphoi"), document).status_code == 404  # Hải Phòng's coordinator, not Hà Nội's


def test_login_is_required(client):
    response = client.get(f"/documents/{_document().pk}/link/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_file_document_has_no_link_page(client_for):
    document = Document.objects.create(
        unit=AdminUnit.objects.get(key="11413"), title="Tệp", file="evidence/x.pdf", original_name="x.pdf"
    )
    assert _page(client_for("daumoi"), document).status_code == 404


@pytest.mark.parametrize(
    "stored",
    [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "//evil.example/x",
        "https:evil.example",
    ],
)
def test_an_address_that_is_not_http_is_shown_as_text_and_never_linked(client_for, stored):
    document = _document()
    Document.objects.filter(pk=document.pk).update(url=stored)  # past the form's checks, as old or imported data
    response = _page(client_for("daumoi"), document)
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a web address" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert all(h.startswith(("/", "#")) and not h.startswith("//") for h in hrefs), hrefs  # only our own pages
    assert "<script>alert" not in html


def test_back_goes_only_to_our_own_pages(client_for):
    document = _document()
    client = client_for("daumoi")
    html = _page(client, document, next="/assessments/1/indicators/1.7/").content.decode()
    assert 'href="/assessments/1/indicators/1.7/"' in html
    for outside in ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]:
        html = _page(client, document, next=outside).content.decode()
        assert 'evil.example/"' not in html and 'href="javascript' not in html
        assert 'href="/units/11413/documents/"' in html


def test_the_register_and_download_lead_to_the_page_not_to_the_address(client_for):
    document = _document()
    client = client_for("daumoi")
    html = client.get("/units/11413/documents/").content.decode()
    assert f'href="/documents/{document.pk}/link/?next=/units/11413/documents/"' in html
    assert f'href="{ADDRESS}"' not in html and "haian.haiphong.gov.vn" not in html
    response = client.get(f"/documents/{document.pk}/download/")
    assert response.status_code == 302 and response["Location"] == f"/documents/{document.pk}/link/"
