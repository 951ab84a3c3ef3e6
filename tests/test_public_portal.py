"""The public portal: only published results; no internal comment, narrative or evidence on any public URL;
a published snapshot's bytes never change."""

import hashlib
import re
from urllib.parse import urlparse

import pytest

from tincay.assessments.models import Assessment, Campaign
from tincay.orgunits.selectors import lineage_closure
from tincay.reports.models import FrozenError, Snapshot
from tincay.reports.services import snapshot_create

pytestmark = pytest.mark.django_db
SECRETS = [
    "Tổ chấm điểm hạ một mức",  # scorer comments of the pilot
    "Dữ liệu mẫu: mô tả hiện trạng",  # narratives
    "Hội đồng điều chỉnh",  # final comments
    "Lưu bản giấy",
    "/documents/",
    "/download/",
]


def crawl(client, start="/public/", limit=400):
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = response
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for link in re.findall(r'href="([^"#]+)"', response.content.decode()):
            path = urlparse(link).path
            if path.startswith("/public/") and path not in seen:
                queue.append(path)
    return pages


def test_anonymous_crawl_reaches_only_published_data(client):
    pages = crawl(client)
    assert len(pages) > 10
    body = "\n".join(r.content.decode("utf-8", "replace") for r in pages.values() if not r.streaming)  # files apart
    for secret in SECRETS:
        assert secret not in body, secret
    unpublished = Assessment.objects.exclude(state="published").select_related("unit")
    assert unpublished.exists()
    for assessment in unpublished:
        # a unit's page is reached only when it or a unit it came from (its page shows their results) has a
        # published result, and it never shows the unpublished one
        came_from = [u.pk for _depth, u in lineage_closure(assessment.unit, "predecessors")]
        assert (
            f"/public/units/{assessment.unit.key}/" not in pages
            or Assessment.objects.filter(unit_id__in=[assessment.unit_id, *came_from], state="published").exists()
        )
    # the 2026 campaign has nothing published: it is not listed at all
    assert "/public/campaigns/hai-phong-2026/" not in pages and "hai-phong-2026" not in body


def test_unpublished_results_are_not_reachable_by_guessing(client):
    assert client.get("/public/campaigns/hai-phong-2026/").status_code == 404
    assert client.get("/public/units/00004/").status_code == 404  # no published result, none of its predecessors


def test_today_unit_shows_its_predecessors_published_results(client):
    body = client.get("/public/units/11413/").content.decode()
    assert "Phường Đằng Lâm" in body and "Quận Hải An" in body


def test_snapshot_bytes_never_change(client, users):
    campaign = Campaign.objects.get(code="thi-diem-hai-phong-2023")
    snapshot = campaign.snapshots.first()
    before = client.get(f"/public/snapshots/{snapshot.pk}.csv").content
    assert hashlib.sha256(before).hexdigest() == snapshot.csv_sha256
    # results change afterwards (a reopened, corrected, republished assessment): the old snapshot stays as it was
    one = campaign.assessments.first()
    one.results.update(final_level="red")
    Assessment.objects.filter(pk=one.pk).update(scores_stale=True)
    newer = snapshot_create(actor=users["dieuphoi"], campaign=campaign)
    assert client.get(f"/public/snapshots/{snapshot.pk}.csv").content == before
    assert newer.previous_id == snapshot.pk and newer.csv_sha256 != snapshot.csv_sha256
    changes = client.get(f"/public/snapshots/{newer.pk}/changes/").content.decode()
    assert one.unit.name in changes
    snapshot.csv_text = "sửa lén"
    with pytest.raises(FrozenError):
        snapshot.save()
    with pytest.raises(FrozenError):
        snapshot.delete()
    assert Snapshot.objects.get(pk=snapshot.pk).csv_text.encode() == before


def test_json_snapshot_matches_its_hash(client):
    snapshot = Snapshot.objects.first()
    response = client.get(f"/public/snapshots/{snapshot.pk}.json")
    assert hashlib.sha256(response.content).hexdigest() == snapshot.json_sha256 == response["X-Content-SHA256"]


def test_a_unit_without_its_own_result_does_not_wear_a_predecessors_result(client):
    page = client.get("/public/units/11413/")
    assert page.context["latest"] is None
    assert "no published result of its own" in page.content.decode() or "chưa có kết quả" in page.content.decode()


def test_province_page_follows_history(client):
    page = client.get("/public/provinces/31/")
    body = page.content.decode()
    assert page.status_code == 200 and "Phường Đằng Lâm" in body and "Xã Du Lễ" in body
    assert client.get("/public/provinces/01/").status_code == 200
    assert "Phường Đằng Lâm" not in client.get("/public/provinces/01/").content.decode()
