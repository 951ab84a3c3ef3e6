"""What a survey question may measure in the framework (``SurveyQuestion.measures``), and what it gives there.

A question is bound by code to an **indicator** ("3.1": its answers are shown with the indicator) or to a
**criterion** ("3.1.5": its aggregate becomes the criterion's measured value when the survey closes). The code is
looked up in the survey's campaign's indicator set, or, for a survey outside a campaign, in the issued versions.
Only a measured (performance) criterion takes a value, and only from a question whose aggregate is a value of the
same kind: a scale question gives the share satisfied in %, so its criterion is measured in %; a number question
gives its mean. Choices and free text feed no criterion (they may still be bound to an indicator).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tincay.assessments.rules import is_percent
from tincay.catalogue.choices import CriterionType, VersionStatus
from tincay.catalogue.models import Criterion, Indicator
from tincay.feedback.choices import QuestionKind

CODE = re.compile(r"^\d+(?:\.\d+){1,2}$")  # an indicator (4.6) or a criterion (4.6.2)
FEEDS = {QuestionKind.LIKERT, QuestionKind.NUMBER}


@dataclass(frozen=True)
class Binding:
    code: str
    criterion: bool  # a criterion (its aggregate feeds it) or an indicator (shown with it)
    title_vi: str
    title_en: str


def _scope(survey: Any) -> dict[str, Any]:
    if survey.campaign_id:
        return {"version_id": survey.campaign.version_id}
    return {"version__status": VersionStatus.ISSUED}


def binding_problem(survey: Any, kind: str, code: str) -> str | None:
    """Why ``code`` cannot be what a question of ``kind`` in ``survey`` measures, or None when it can (or is
    empty)."""
    if not code:
        return None
    if not isinstance(code, str) or not CODE.match(code):
        return _("Enter an indicator code (3.1) or a criterion code (3.1.5), or leave it empty.")
    scope = _scope(survey)
    if code.count(".") == 1:
        if Indicator.objects.filter(code=code, **scope).exists():
            return None
        return _("No indicator %(code)s in the indicator set of this survey.") % {"code": code}
    criterion = Criterion.objects.filter(code=code, **scope).order_by("-version__created_at").first()
    if criterion is None:
        return _("No criterion %(code)s in the indicator set of this survey.") % {"code": code}
    if criterion.type != CriterionType.PERFORMANCE:
        return _(
            "Criterion %(code)s is judged on evidence, not measured: bind the question to indicator %(indicator)s."
        ) % {"code": code, "indicator": code.rsplit(".", 1)[0]}
    if kind not in FEEDS:
        return _("Only a scale or a number question can give criterion %(code)s a value.") % {"code": code}
    if kind == QuestionKind.LIKERT and not is_percent(criterion):
        return _("A scale question gives the share satisfied in %%; criterion %(code)s is not measured in %%.") % {
            "code": code
        }
    return None


def bindings_of(survey: Any, codes: set[str]) -> dict[str, Binding]:
    """The indicators and criteria the survey's questions name, by code, with their titles (two queries)."""
    scope = _scope(survey)
    found: dict[str, Binding] = {}
    for model, is_criterion in ((Indicator, False), (Criterion, True)):
        for row in model.objects.filter(code__in=codes, **scope).order_by("version__created_at"):
            found[row.code] = Binding(row.code, is_criterion, row.title_vi, row.title_en)
    return found
