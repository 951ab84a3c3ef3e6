"""Individual responses of a closed survey, for administrators only (``access.can_read_responses``): each with
its random key, channel and day, and its answers by question. Never a token (nothing joins one to a response)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from tincay.feedback import access
from tincay.feedback.choices import QuestionKind
from tincay.feedback.models import Answer, Response, Survey


@dataclass(frozen=True)
class ResponseRows:
    """The questions (key, kind) by question id, and the responses with their answers prefetched."""

    questions: dict[int, tuple[str, str]]
    responses: QuerySet[Response]


def responses_for_admin(user: Any, survey: Survey) -> ResponseRows | None:
    """The real responses, by day, or None when ``user`` may not read them (not an administrator, or the survey
    not closed). Two queries per page: the responses, then their answers."""
    if not access.can_read_responses(user, survey):
        return None
    questions = {q.pk: (q.key, q.kind) for q in survey.questions.only("pk", "key", "kind")}
    answers = Answer.objects.only("response", "question", "number", "choices", "text")
    responses = (
        Response.objects.filter(survey=survey, test=False)
        .only("id", "channel", "day")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("day", "id")
    )
    return ResponseRows(questions, responses)


def answer_value(answer: Answer, kind: str) -> Any:
    """An answer as given: a whole number or a decimal (scale, number), an option key (one choice), a list of
    option keys (several), or the text."""
    if answer.number is not None:
        number = Decimal(answer.number)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == QuestionKind.SINGLE:
        return answer.choices[0] if answer.choices else ""
    if kind == QuestionKind.MULTIPLE:
        return list(answer.choices)
    return answer.text
