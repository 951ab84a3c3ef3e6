"""The assessments API: same rules as the pages, conflicts as 409, refusals with reasons, uploads checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.assessment_fixtures import make_campaign
from tincay.assessments.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(users):
    assessment = Assessment.objects.get(campaign=make_campaign(users), unit__key="11413")

    def api(username):
        client = APIClient()
        client.force_authenticate(users[username])
        return client

    return assessment, api


def test_results_patch_and_conflict(setup):
    assessment, api = setup
    url = f"/api/v1/assessments/{assessment.pk}/results/1.7.1/"
    ok = api("daumoi").patch(url, {"track": "self", "revision": 0, "self_level": "green"}, format="json")
    assert ok.status_code == 200 and ok.json()["revision"] == 1
    stale = api("lanhdao").patch(url, {"track": "self", "revision": 0, "self_level": "red"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["self_level"] == "green"
    wrong_track = api("daumoi").patch(url, {"track": "scorer", "revision": 1, "scorer_level": "red"}, format="json")
    assert wrong_track.status_code == 403  # another role's track: not theirs (the service's NotYours)


def test_transition_refusals_carry_reasons(setup):
    assessment, api = setup
    response = api("daumoi").post(f"/api/v1/assessments/{assessment.pk}/transitions/", {"action": "submit"})
    reasons = response.json()["errors"]["__all__"]
    assert response.status_code == 403 and any("chưa" in r or "not" in r for r in reasons)


def _outsider(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_listing_and_detail_with_scores_and_actions(setup, stranger):
    assessment, api = setup
    listing = api("daumoi").get("/api/v1/assessments/", {"campaign": assessment.campaign.code}).json()
    assert [a["unit"] for a in listing["results"]] == ["11413"]
    detail = api("daumoi").get(f"/api/v1/assessments/{assessment.pk}/").json()
    assert detail["actions"] == ["submit"] and set(detail["scores"]) == {"self", "scorer", "final"}
    assert api("xem").get(f"/api/v1/assessments/{assessment.pk}/").status_code == 200  # viewers follow it, read only
    assert _outsider(stranger).get(f"/api/v1/assessments/{assessment.pk}/").status_code == 404
    assert len(api("chamdiem").get(f"/api/v1/assessments/{assessment.pk}/results/").json()) > 200


def test_evidence_upload_link_and_download(setup, stranger):
    assessment, api = setup
    pdf = b"%PDF-1.4\n%%EOF\n"
    created = api("daumoi").post(
        "/api/v1/units/11413/documents/",
        {
            "title": "Kế hoạch",
            "kind": "plan",
            "visibility": "internal",
            "file": SimpleUploadedFile("kh.pdf", pdf),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    document = created.json()["id"]
    refused = api("daumoi").post(
        "/api/v1/units/11413/documents/",
        {
            "title": "X",
            "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /\n"),
        },
        format="multipart",
    )
    assert refused.status_code == 400 and "x.pdf" in refused.json()["errors"]["file"][0]
    linked = api("daumoi").post(f"/api/v1/assessments/{assessment.pk}/results/1.7.1/evidence/", {"document": document})
    assert linked.status_code == 201 and document in linked.json()["evidence"]
    download = api("chamdiem").get(f"/api/v1/documents/{document}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf
    assert _outsider(stranger).get(f"/api/v1/documents/{document}/download/").status_code == 404
