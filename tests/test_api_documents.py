"""Documents through the API: ask for one (202, queued), follow it, list one's own, download it when done; bad
input gets 400 naming each field with nothing stored; a subject one does not see is refused; another person's
document is 404."""

from __future__ import annotations

import io

import pytest
from docx import Document
from rest_framework.test import APIClient

from tests.document_fixtures import document_campaign
from tincay.reports.generation import generated_file_build
from tincay.reports.models import GeneratedFile, JobStatus

URL = "/api/v1/documents/generated/"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "van-ban-api") as found:
        yield found


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_request_follow_and_download(world, users):
    _campaign, own, _other = world
    client = api(users["lanhdao"])
    response = client.post(
        URL,
        {"kind": "self_report", "assessment": own.pk, "number": 3, "day": "2026-02-09", "recipients": ["Sở KH&CN"]},
        format="json",
    )
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["download"] is None and body["assessment"] == own.pk
    generated_file_build(body["id"])  # the worker
    detail = client.get(f"{URL}{body['id']}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100 and len(detail["sha256"]) == 64
    assert [d["id"] for d in client.get(URL).json()] == [body["id"]]
    download = client.get(detail["download"])
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert document.tables[0].cell(1, 1).text.endswith("ngày 09 tháng 02 năm 2026")
    assert document.tables[0].cell(1, 0).text == "Số: 03/BC-UBND"


def test_the_campaign_report_through_the_api(world, users):
    campaign, _own, _other = world
    response = api(users["dieuphoi"]).post(
        URL, {"kind": "campaign_report", "campaign": campaign.code, "fmt": "docx"}, format="json"
    )
    assert response.status_code == 202
    assert generated_file_build(response.json()["id"]).status == JobStatus.DONE


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "sach"}, "kind"),
        ({"fmt": "odt"}, "fmt"),
        ({"number": "năm"}, "number"),
        ({"number": 0}, "number"),
        ({"day": "09/02/2026"}, "day"),
        ({"signer_name": 12}, "signer_name"),
        ({"recipients": "Sở KH&CN"}, "recipients"),
        ({"problems": "x" * 5001}, "problems"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(body, field, world, users):
    _campaign, own, _other = world
    response = api(users["dieuphoi"]).post(URL, {"kind": "self_report", "assessment": own.pk, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not GeneratedFile.objects.exists()


def test_a_subject_not_visible_is_refused_and_another_persons_document_is_not_found(world, users):
    _campaign, own, other = world
    refused = api(users["lanhdao"]).post(URL, {"kind": "self_report", "assessment": other.pk}, format="json")
    assert refused.status_code == 403 and not GeneratedFile.objects.exists()
    mine = api(users["dieuphoi"]).post(URL, {"kind": "self_report", "assessment": own.pk}, format="json").json()
    generated_file_build(mine["id"])
    stranger = api(users["lanhdao"])
    assert stranger.get(f"{URL}{mine['id']}/").status_code == 404
    assert stranger.get(f"{URL}{mine['id']}/file/").status_code == 404
    assert stranger.get(URL).json() == []
