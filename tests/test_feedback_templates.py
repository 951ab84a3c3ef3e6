"""Issue 12, first step: the SIPAS-style survey template ships with the schema (five factors with their perception
and satisfaction questions, overall satisfaction, expectations; a five-point scale labelled in Vietnamese and
English), loads idempotently, refuses a broken file naming every problem at once, and is immutable once a survey
copies it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from tincay.feedback.models import Survey, SurveyTemplate
from tincay.feedback.services.templates import SIPAS, SurveyTemplateError, survey_template_load
from tincay.orgunits.models import AdminUnit

pytestmark = pytest.mark.django_db
FACTORS = ["access", "procedures", "civil-servant", "result", "feedback"]


def test_the_sipas_template_ships_with_the_schema():
    template = SurveyTemplate.objects.get(code="sipas", version=2)
    assert [f.key for f in template.factors.order_by("order")] == FACTORS
    assert [p["vi"] for p in template.scale] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]
    assert template.satisfied_from == 4 and all(p["en"] for p in template.scale)
    questions = list(template.questions.select_related("factor").order_by("order"))
    for factor in FACTORS:
        mine = [q for q in questions if q.factor and q.factor.key == factor]
        assert {q.aspect for q in mine} == {"perception", "satisfaction"}, factor
        assert all(q.kind == "likert" and q.text_vi and q.text_en for q in mine)
    expectation = next(q for q in questions if q.aspect == "expectation")
    assert expectation.kind == "multiple" and len(expectation.options) == 6
    assert questions[-1].kind == "text" and "không ghi thông tin cá nhân" in questions[-1].text_vi


def test_loading_again_changes_nothing():
    before = SurveyTemplate.objects.get(code="sipas").pk
    template, outcome = survey_template_load(SIPAS)
    assert outcome == "unchanged" and template.pk == before
    out = io.StringIO()
    call_command("load_survey_templates", stdout=out)
    assert "sipas v2: unchanged (23 questions)" in out.getvalue()


def _broken(tmp_path: Path) -> Path:
    data = yaml.safe_load(SIPAS.read_text(encoding="utf-8"))
    data["version"] = 0
    data["scale"][2]["value"] = 9
    data["satisfied_from"] = 7
    data["questions"][0]["kind"] = "stars"
    data["questions"][1]["key"] = "access-seats"
    data["questions"][2]["factor"] = "nowhere"
    data["questions"][-2]["options"] = [{"key": "only", "vi": "Một"}]
    data["questions"][3]["vi"] = ""
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_broken_file_is_refused_naming_every_problem(tmp_path):
    with pytest.raises(SurveyTemplateError) as caught:
        survey_template_load(_broken(tmp_path))
    places = set(caught.value.errors)
    assert {
        "version",
        "scale",
        "satisfied_from",
        "questions[0].kind",
        "questions[1].key",
        "questions[2].factor",
        "questions[3]",
    } <= places
    assert "questions[21].options" in places  # the expectation question, second to last
    assert SurveyTemplate.objects.count() == 1  # nothing stored


def test_a_template_copied_by_a_survey_is_immutable(tmp_path):
    template = SurveyTemplate.objects.get(code="sipas")
    Survey.objects.create(
        unit=AdminUnit.objects.get(key="11413"), template=template, title_vi="Khảo sát", public_code="thu-nghiem"
    )
    data = yaml.safe_load(SIPAS.read_text(encoding="utf-8"))
    data["title"]["vi"] = "Tiêu đề khác"
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SurveyTemplateError) as caught:
        survey_template_load(changed)
    assert "new version" in str(caught.value.errors["version"])
    data["version"] = 3
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert survey_template_load(changed)[1] == "created"
    assert SurveyTemplate.objects.get(code="sipas", version=2).title_vi != "Tiêu đề khác"
