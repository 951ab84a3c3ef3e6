"""The list of one's documents reads a fixed number of queries, the same with 2 documents as with 30 (of every kind,
about an assessment or a campaign), and so does the page of an import's report with 5 rows or 500."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.document_fixtures import document_campaign
from tincay.reports.documents import KINDS
from tincay.reports.models import GeneratedFile, ImportRun, ImportStatus

# session, user, the documents with their assessment's unit and campaign, unread notices (layout), memberships
PINNED_DOCUMENTS = 6
# session, user, memberships, the reach's lineage walk (3 for Hải Phòng's history), the campaign, whether the
# person imports into it, the run, unread notices (layout)
PINNED_IMPORT = 10


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with document_campaign(django_db_blocker, "dem-truy-van") as found:
        yield found


def count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _documents(user, campaign, assessment, n: int) -> None:
    GeneratedFile.objects.filter(requested_by=user).delete()
    kinds = list(KINDS.values())
    for number in range(n):
        kind = kinds[number % len(kinds)]
        GeneratedFile.objects.create(
            kind=kind.key,
            fmt="docx",
            campaign=campaign,
            assessment=assessment if kind.subject == "assessment" else None,
            requested_by=user,
            status="done" if number % 2 else "running",
            filename=f"{kind.stem}.docx",
        )


def test_the_list_of_documents_does_not_grow_with_them(world, users, client_for):
    campaign, own, _other = world
    client = client_for("dieuphoi")
    _documents(users["dieuphoi"], campaign, own, 2)
    few = count(client, "/reports/documents/")
    _documents(users["dieuphoi"], campaign, own, 30)
    assert count(client, "/reports/documents/") == few <= PINNED_DOCUMENTS


def _run(user, campaign, rows: int) -> ImportRun:
    report = {
        "kind": "results",
        "counts": {"new": 0, "changed": rows, "unchanged": 0, "refused": 0, "total": rows},
        "columns": [],
        "ignored": [],
        "rows": [
            {
                "row": n + 2,
                "unit": "11413",
                "criterion": "1.1.1",
                "outcome": "changed",
                "changes": [{"column": "Mức tự đánh giá", "before": "Đỏ", "after": "Vàng"}],
            }
            for n in range(rows)
        ],
    }
    return ImportRun.objects.create(
        kind="results", campaign=campaign, requested_by=user, status=ImportStatus.CHECKED, report=report
    )


def test_the_report_of_an_import_does_not_grow_with_its_rows(world, users, client_for):
    campaign, _own, _other = world
    client = client_for("dieuphoi")
    small, big = _run(users["dieuphoi"], campaign, 5), _run(users["dieuphoi"], campaign, 500)
    base = f"/results/campaigns/{campaign.code}/imports/"
    assert count(client, f"{base}{small.pk}/") == count(client, f"{base}{big.pk}/?page=3") <= PINNED_IMPORT
