"""The demo would not be faulted by an expert: every answered performance criterion carries its measured value (in
the band its level says), N/A falls only where the demo's explicit list says a criterion cannot apply, the evidence
register holds real PDF documents linked to what they prove, and units have populations so a trend shows the
population rule (and, for Phường Hải An, the side-by-side rule)."""

import hashlib

import filetype
import pytest

from tincay.assessments import scoring
from tincay.assessments.models import Assessment, CriterionResult, Document, EvidenceLink
from tincay.catalogue.selectors import version_by_ref
from tincay.demo.campaigns import REPORTED
from tincay.demo.constants import NOT_APPLICABLE, POPULATIONS, REVISION, not_applicable_reason
from tincay.demo.documents import DOCUMENTS
from tincay.orgunits.models import AdminUnit
from tincay.reports import selectors as reports

pytestmark = pytest.mark.django_db
DEMO_CAMPAIGNS = ("thi-diem-hai-phong-2023", "hai-phong-2026")


def _demo_results():
    return CriterionResult.objects.filter(assessment__campaign__code__in=DEMO_CAMPAIGNS).select_related(
        "criterion", "assessment__unit"
    )


def _spec(criterion):
    return scoring.CriterionSpec(
        code=criterion.code,
        indicator=str(criterion.indicator_id),
        pillar="",
        type=criterion.type,
        direction=criterion.direction,
        yellow=float(criterion.threshold_yellow),
        green=float(criterion.threshold_green),
    )


def test_every_answered_performance_criterion_has_a_measured_value_in_its_level():
    performance = [r for r in _demo_results() if r.criterion.type == "performance" and not r.na]
    answered = 0
    for result in performance:
        for track in ("self", "scorer", "final"):
            level, value = getattr(result, f"{track}_level"), getattr(result, f"{track}_value")
            if not level:
                assert value is None, (result.criterion.code, track)
                continue
            answered += 1
            assert value is not None, (result.assessment.unit.name, result.criterion.code, track)
            assert scoring.level_from_value(_spec(result.criterion), float(value)) == level
            if result.criterion.measure_unit_vi == "%":
                assert 0 <= value <= 100
    assert answered > 600
    levels = {r.final_level for r in performance if r.final_level}
    assert levels == {"red", "yellow", "green"}  # values vary, so levels differ


def test_values_backed_by_a_document_match_the_document():
    for (unit_key, code), value in REPORTED.items():
        result = _demo_results().get(assessment__unit__key=unit_key, criterion__code=code)
        assert result.self_value == value
        assert result.evidence_links.exists()


def test_not_applicable_only_where_the_list_says_and_with_its_reason():
    na = [r for r in _demo_results() if r.na]
    assert na, "the list names criteria that do not apply to some units"
    for result in na:
        reason = not_applicable_reason(result.criterion.code, result.assessment.unit.key)
        assert reason is not None, (result.assessment.unit.name, result.criterion.code)
        assert result.na_reason == reason
    assert {r.criterion.code for r in na} <= set(NOT_APPLICABLE)
    assert len(na) < 30  # a handful, not "every unit lacks something at random"


def test_evidence_documents_are_real_pdfs_linked_to_the_criteria_they_prove():
    assert len(DOCUMENTS) >= 3
    for spec in DOCUMENTS:
        content = spec.read_bytes()
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF"), spec.file_name
        assert filetype.guess_mime(content) == "application/pdf"
        assert b"/FontFile2" in content  # the font is embedded, so the Vietnamese text shows as written
        document = Document.objects.get(unit__key=spec.unit_key, number=spec.number)
        assert document.content_type == "application/pdf" and document.size == len(content)
        assert document.sha256 == hashlib.sha256(content).hexdigest()
        with document.file.open("rb") as stored:
            assert stored.read() == content
        linked = set(EvidenceLink.objects.filter(document=document).values_list("result__criterion__code", flat=True))
        assert linked == set(spec.criteria), spec.file_name


def test_populations_are_set_and_the_trend_shows_both_merge_rules():
    units = {u.key: u.population for u in AdminUnit.objects.filter(key__in=POPULATIONS)}
    assert units == POPULATIONS
    rules = {}
    for key in ("11413", "11311"):
        unit = AdminUnit.objects.get(key=key)
        years = reports.trend_years(unit, reports.trend(unit, Assessment.objects.all()))
        rules[key] = next(y.rule for y in years if y.campaign.year == 2023)
    assert rules == {"11311": "population", "11413": "side_by_side"}


def test_new_demo_versions_start_from_the_revision():
    assert version_by_ref("tcvn-iso-18091", "hai-phong-2026").derived_from.code == REVISION[1]
