"""Helpers shared by the survey tests: a SIPAS survey of Phường Hải An (the Hải Phòng coordinator's) and a full set
of valid answers."""

from __future__ import annotations

from typing import Any

from tincay.feedback.models import SurveyTemplate
from tincay.feedback.services.surveys import survey_create
from tincay.feedback.services.templates import SIPAS, survey_template_load
from tincay.orgunits.models import AdminUnit

UNIT = "11413"


def sipas_template() -> SurveyTemplate:
    """The SIPAS template: shipped by migration, loaded again (idempotent) in case a transactional test emptied
    the database."""
    return survey_template_load(SIPAS)[0]


def sipas_survey(actor: Any, **kwargs: Any):
    return survey_create(actor=actor, unit=AdminUnit.objects.get(key=UNIT), template=sipas_template(), **kwargs)


def good_answers(survey, value: int = 4) -> dict[str, Any]:
    """Every required question answered: ``value`` on every scale."""
    answers: dict[str, Any] = {}
    for question in survey.questions.all():
        if question.kind == "likert" and question.required:
            answers[question.key] = value
    answers["expectation"] = ["online", "time"]
    answers["comment"] = "Cán bộ nhiệt tình."
    return answers
