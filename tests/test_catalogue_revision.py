"""The base library's revision 1 loads beside the 2020 version, says what changed per criterion, and fixes what an
expert faulted: one measure counted twice (1.6.6 = 3.9.6), the water measure mixing two official measures (4.6.6),
green levels that accept "most", and two ways of writing a percentage. A campaign on the 2020 version is unchanged."""

import copy
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tincay.assessments.models import AssessmentScore, Campaign
from tincay.assessments.services.scores import campaign_rescore_bulk
from tincay.catalogue import library, xlsx
from tincay.catalogue.management.commands.load_framework import _parents_first
from tincay.catalogue.selectors import version_by_ref, version_document
from tincay.catalogue.services import version_derive, version_load_document
from tincay.orgunits.models import AdminUnit

DATA = Path(__file__).resolve().parents[1] / "tincay" / "catalogue" / "data"
BASE_FILE = DATA / "tcvn-iso-18091-2020.yaml"
REVISION_FILE = DATA / "tcvn-iso-18091-2020-sua-doi-1.yaml"
FRAMEWORK, BASE, REVISION = "tcvn-iso-18091", "2020", "2020-sua-doi-1"
VAGUE = re.compile(r"hầu hết|phần lớn|đa số|gần như toàn bộ|cơ bản đầy đủ|\bmost\b|almost all|largely", re.I)
SPACED_PERCENT = re.compile(r"\d\s%")


@pytest.fixture(scope="module")
def revision_doc():
    return library.parse_yaml(REVISION_FILE.read_text(encoding="utf-8"))


def _criteria(doc):
    return {c["code"]: c for p in doc["pillars"] for i in p["indicators"] for c in i["criteria"]}


def _parts(doc):
    """Every pillar, indicator and criterion by code, without its children: what a change entry speaks of."""
    parts = {}
    for p in doc["pillars"]:
        parts[p["code"]] = {k: v for k, v in p.items() if k != "indicators"}
        for i in p["indicators"]:
            parts[i["code"]] = {k: v for k, v in i.items() if k != "criteria"}
            parts.update({c["code"]: c for c in i["criteria"]})
    return parts


def _texts(doc):
    """Every Vietnamese and English text a reader sees in the version's content and header."""

    def walk(node):
        if isinstance(node, dict):
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
        elif isinstance(node, str):
            yield node

    return list(walk(doc["pillars"])) + list(walk(doc["version"]))


@pytest.mark.django_db
def test_revision_is_loaded_beside_the_2020_version_which_stays_as_issued():
    base, revision = version_by_ref(FRAMEWORK, BASE), version_by_ref(FRAMEWORK, REVISION)
    assert base.status == revision.status == "issued"
    assert revision.derived_from_id == base.pk and not base.changes
    assert revision.indicators.count() == base.indicators.count() == 39
    # the 2020 file and version are untouched: same content fingerprint as the file on disk
    assert base.content_hash == library.content_hash(library.parse_yaml(BASE_FILE.read_text(encoding="utf-8")))
    assert base.criteria.get(code="1.6.6").title_vi == "Tỷ lệ vụ việc hòa giải thành ở cơ sở"


@pytest.mark.django_db
def test_a_campaign_on_the_2020_version_keeps_it_and_its_scores(capsys):
    pilot = Campaign.objects.get(code="thi-diem-hai-phong-2023")
    assert pilot.version.code == BASE  # the 2023 pilot was run on the 2020 set
    assert Campaign.objects.get(code="hai-phong-2026").version.code == REVISION  # new campaigns use the revision
    before = sorted(
        AssessmentScore.objects.filter(assessment__campaign=pilot).values_list(
            "assessment_id", "track", "total", "classification"
        )
    )
    assert before
    call_command("load_framework")  # loading the library again changes neither version
    assert capsys.readouterr().out.count("unchanged") == 2
    campaign_rescore_bulk(pilot.pk)
    after = sorted(
        AssessmentScore.objects.filter(assessment__campaign=pilot).values_list(
            "assessment_id", "track", "total", "classification"
        )
    )
    assert after == before


@pytest.mark.django_db
def test_change_note_lists_exactly_the_criteria_that_differ(revision_doc):
    base = version_document(version_by_ref(FRAMEWORK, BASE))
    old, new = _parts(base), _parts(revision_doc)
    differ = {code for code in new.keys() | old.keys() if old.get(code) != new.get(code)}
    changes = revision_doc["version"]["changes"]
    assert {c["code"] for c in changes} == differ
    assert {"1.6.6", "3.9.6", "4.6.6", "2.6.4", "4.9.4"} <= differ
    assert all(c["note"]["vi"] and c["note"]["en"] and c["kind"] == "changed" for c in changes)
    assert version_by_ref(FRAMEWORK, REVISION).changes == changes  # stored as the file says


@pytest.mark.django_db
def test_change_note_is_shown_on_the_version_and_indicator_pages(client_for, django_assert_max_num_queries):
    client = client_for("xem")
    client.get(f"/catalogue/{FRAMEWORK}/{REVISION}/")
    with django_assert_max_num_queries(10):  # the 2020 page's 7, plus the titles of the changed codes (3)
        page = client.get(f"/catalogue/{FRAMEWORK}/{REVISION}/").content.decode()
    assert 'id="changes"' in page and "tcvn-iso-18091/2020" in page
    assert "đăng ký khai sinh đúng hạn" in page and "4.6.6" in page
    with django_assert_max_num_queries(8):  # as the 2020 indicator page: the notes come with the version
        indicator = client.get(f"/catalogue/{FRAMEWORK}/{REVISION}/indicators/1.6/").content.decode()
    assert "Thay thước đo" in indicator
    assert 'id="changes"' not in client.get(f"/catalogue/{FRAMEWORK}/{BASE}/").content.decode()


def test_no_measure_counts_twice(revision_doc):
    performance = [c for c in _criteria(revision_doc).values() if c["type"] == "performance"]
    titles = [c["title"]["vi"].lower() for c in performance]
    assert len(titles) == len(set(titles))
    mediation = [c["code"] for c in performance if "hòa giải thành" in (c["title"]["vi"] + c["description"]["vi"])]
    assert mediation == ["3.9.6"]
    assert "khai sinh" in _criteria(revision_doc)["1.6.6"]["title"]["vi"]


def test_water_criterion_uses_one_official_measure(revision_doc):
    water = _criteria(revision_doc)["4.6.6"]
    words = [water["title"]["vi"], *(water["levels"][n]["vi"] for n in ("red", "yellow", "green"))]
    assert all("nước sạch đáp ứng quy chuẩn" in text and "hợp vệ sinh" not in text for text in words)
    assert {"direction": "higher_is_better", "yellow": 75, "green": 95}.items() <= water["measure"].items()


def test_green_levels_are_checkable(revision_doc):
    vague = [
        (code, lang, c["levels"]["green"][lang])
        for code, c in _criteria(revision_doc).items()
        for lang in ("vi", "en")
        if VAGUE.search(c["levels"]["green"][lang]) and not c["levels"]["green"][lang].startswith("At most")
    ]
    assert vague == []
    for code in ("1.3.3", "1.5.2", "2.6.4", "4.9.4"):
        assert re.search(r"\d+%", _criteria(revision_doc)[code]["levels"]["green"]["vi"]), code


def test_percentages_are_written_one_way(revision_doc):
    assert [text for text in _texts(revision_doc) if SPACED_PERCENT.search(text)] == []
    assert not SPACED_PERCENT.search(REVISION_FILE.read_text(encoding="utf-8"))


def test_the_change_note_survives_the_excel_workbook(revision_doc):
    assert xlsx.document_from_workbook(xlsx.workbook_bytes(revision_doc)) == revision_doc


def test_change_entries_are_checked_against_the_version(revision_doc):
    doc = copy.deepcopy(revision_doc)
    doc["version"]["changes"] += [
        {"code": "9.9.9", "kind": "changed", "note": {"vi": "Không có", "en": ""}},
        {"code": "1.1.1", "kind": "removed", "note": {"vi": "Vẫn còn", "en": ""}},
        {"code": "1.6.6", "kind": "changed", "note": {"vi": "Hai lần", "en": ""}},
        {"code": "1.2.1", "kind": "renamed", "note": {"vi": "", "en": ""}},
    ]
    with pytest.raises(library.LibraryError) as error:
        library.normalise(doc)
    paths = {p.path for p in error.value.problems}
    n = len(revision_doc["version"]["changes"])
    assert {f"version.changes[{n}].code", f"version.changes[{n + 1}].code", f"version.changes[{n + 2}].code"} <= paths
    assert {f"version.changes[{n + 3}].kind", f"version.changes[{n + 3}].note"} <= paths
    doc["version"]["changes"] = "không phải danh sách"
    with pytest.raises(library.LibraryError, match=r"version\.changes"):
        library.normalise(doc)


def test_the_loader_reads_a_parent_before_its_revision_whatever_the_file_names(revision_doc):
    base = library.parse_yaml(BASE_FILE.read_text(encoding="utf-8"))
    ordered = _parents_first([(Path("a-revision.yaml"), revision_doc), (Path("z-base.yaml"), base)])
    assert [doc["version"]["code"] for _path, doc in ordered] == [BASE, REVISION]


@pytest.mark.django_db
def test_a_version_derived_from_the_revision_starts_without_a_change_note(users):
    derived = version_derive(
        source=version_by_ref(FRAMEWORK, REVISION),
        actor=users["dieuphoi"],
        code="hp-2027",
        title_vi="Hải Phòng 2027",
        owner_unit=AdminUnit.objects.get(key="31"),
    )
    assert derived.changes == [] and derived.derived_from.code == REVISION
    doc = version_document(derived)
    assert "changes" not in doc["version"] and derived.content_hash == library.content_hash(doc)
    assert version_load_document(doc=doc, actor="load_framework")[1] == "unchanged"


@pytest.mark.django_db
def test_shares_of_a_plan_may_exceed_100_in_the_revision_only():
    """Revenue against the estimate and jobs against the plan can pass 100%: the revision says “% of the plan”, so
    the 0–100 rule of a share no longer refuses a unit that did better than planned; the 2020 version keeps “%”."""
    from tincay.assessments import rules
    from tincay.catalogue.models import Criterion

    for code in ("1.4.6", "2.2.5"):
        revised = Criterion.objects.get(indicator__version=version_by_ref(FRAMEWORK, REVISION), code=code)
        original = Criterion.objects.get(indicator__version=version_by_ref(FRAMEWORK, BASE), code=code)
        assert not rules.is_percent(revised) and rules.is_percent(original)
        assert revised.measure_unit_vi.startswith("% ")
