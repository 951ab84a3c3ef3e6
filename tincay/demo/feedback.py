"""Demo citizens' surveys (SIPAS template), so that a new user sees every stage:

- Phường Hải An, campaign 2026: closed, 60 answers; its overall satisfaction fed criterion 3.1.5 of the ward's
  self-assessment (still a draft, so the value is written in, marked survey-based);
- Phường Hồng Bàng, campaign 2026: closed after its self-assessment went for scoring, so the survey's value stands
  beside the ward's own for the scorer;
- two more wards of the campaign, closed, for the comparison and the public portal;
- Phường Đằng Lâm (a predecessor of Hải An) in the 2023 pilot: an earlier survey, which Hải An's comparison
  reaches through the 2025 merger;
- a fifth unit of the campaign, open, at ``/s/demo/`` for anyone trying the citizen's page (a few answers in).

Answers go through ``response_submit`` like any citizen's; each unit draws them from its own seeded generator, so
the demo is the same on every machine. Idempotent: a unit that already has a demo survey keeps it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from tincay.assessments.models import Campaign
from tincay.feedback.choices import Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Survey
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_create, survey_status_set
from tincay.feedback.services.templates import SIPAS, survey_template_load
from tincay.orgunits.models import AdminUnit

OPEN_CODE = "demo"  # http://127.0.0.1:8000/s/demo/ (README)
CHANNELS = [Channel.QR] * 5 + [Channel.LINK] * 3 + [Channel.PAPER] * 2  # the counter's QR poster first
# unit key → (answers, how satisfied people are: the chance of 4 or 5 on a question)
CURRENT = {"11413": (60, 0.9), "11311": (40, 0.72), "11329": (35, 0.8), "11560": (25, 0.65)}
OPEN_UNIT, OPEN_ANSWERS = "11761", 6
EARLIER_UNIT, EARLIER_ANSWERS, EARLIER_CLOSED = "11413-2025", 40, dt.date(2023, 11, 20)


def _answers(survey: Survey, rng: random.Random, strength: float) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question in survey.questions.all():
        if question.kind == QuestionKind.LIKERT:
            if not question.required and rng.random() < 0.3:
                continue
            answers[question.key] = rng.choice((4, 5)) if rng.random() < strength else rng.choice((1, 2, 3, 3))
        elif question.kind == QuestionKind.MULTIPLE and rng.random() < 0.7:
            answers[question.key] = rng.sample([o["key"] for o in question.options], rng.choice((1, 2, 3)))
    if rng.random() < 0.15:
        answers["comment"] = rng.choice(
            (
                "Cán bộ hướng dẫn tận tình, dễ hiểu.",
                "Nên có thêm ghế ngồi chờ vào buổi sáng.",
                "Mong được nhận kết quả qua bưu điện.",
            )
        )
    return answers


def _survey(actor: Any, unit: AdminUnit, campaign: Campaign | None, answers: int, strength: float, close: bool):
    template = survey_template_load(SIPAS)[0]
    survey = survey_create(actor=actor, unit=unit, template=template, campaign=campaign, min_responses=10)
    survey_status_set(actor=actor, survey=survey, status=SurveyStatus.OPEN)
    rng = random.Random(f"tincay-demo-survey-{unit.key}")  # noqa: S311 - demo data, not security
    for n in range(answers):
        channel = CHANNELS[n % len(CHANNELS)]
        response_submit(
            survey=survey,
            channel=channel,
            answers=_answers(survey, rng, strength),
            actor=actor if channel == Channel.PAPER else None,
        )
    if close:
        survey_status_set(actor=actor, survey=survey, status=SurveyStatus.CLOSED, reason="Dữ liệu mẫu.")
    return survey


def seed_surveys(coordinator: Any, current: Campaign, pilot: Campaign | None) -> None:
    """The demo surveys (see the module's docstring), run by the Hải Phòng coordinator."""
    if Survey.objects.filter(campaign=current).exists():
        return
    if pilot is not None and not Survey.objects.filter(unit__key=EARLIER_UNIT).exists():
        # The 2023 survey of Phường Đằng Lâm, which no longer exists: run on its successor, then filed under the
        # unit and campaign it belonged to (the history a province would import).
        earlier = _survey(coordinator, AdminUnit.objects.get(key="11413"), None, EARLIER_ANSWERS, 0.7, close=True)
        Survey.objects.filter(pk=earlier.pk).update(
            unit=AdminUnit.objects.get(key=EARLIER_UNIT),
            opened_on=EARLIER_CLOSED - dt.timedelta(days=30),
            closed_on=EARLIER_CLOSED,
            title_vi="Khảo sát sự hài lòng về dịch vụ hành chính công năm 2023 – Phường Đằng Lâm",
            title_en="Satisfaction with public administrative services 2023 – Đằng Lâm ward",
        )
    for key, (answers, strength) in CURRENT.items():
        _survey(coordinator, AdminUnit.objects.get(key=key), current, answers, strength, close=True)
    open_survey = _survey(coordinator, AdminUnit.objects.get(key=OPEN_UNIT), current, OPEN_ANSWERS, 0.8, close=False)
    if not Survey.objects.filter(public_code=OPEN_CODE).exists():
        Survey.objects.filter(pk=open_survey.pk).update(public_code=OPEN_CODE)
