"""One citizen's answers to a survey, from the public page, a QR poster, a one-use token, or a paper form entered by
staff.

:func:`response_submit` is the guard for every channel: it checks every answer against its question (a scale value
of the template's scale, an option of the question, a number, a text within its length; required questions
answered), that the survey takes answers (open, or test mode: those answers are marked and discarded when it goes
live), that a token exists and is unused (then spends it), and that paper answers come from someone who manages
the survey. Every problem is reported at once under the question's key; nothing is stored unless all is right.

What is stored cannot identify the person or the order answers came in: a random key, the channel and the day
(never the time), and the token only as "used", with nothing joining it to the response.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.numbers import NumberFormatError, read_number
from tincay.feedback import access
from tincay.feedback.choices import Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion, SurveyToken
from tincay.feedback.services.surveys import token_digest

ANSWER_TEXT_MAX = 2000
CHOICES_MAX = 3  # "choose up to 3"
NUMBER_LIMIT = Decimal("1e10")


class ResponseError(InvalidInput):
    """Answers refused: each message under its question's key (or ``token``, ``__all__``)."""


class ResponseRefused(Refused):
    """This person may not enter answers this way (paper answers by someone who does not run the survey)."""


def _scale_values(survey: Survey) -> set[int]:
    return {point["value"] for point in survey.template.scale}


def _read(question: SurveyQuestion, raw: Any, scale: set[int], errors: ErrorCollector) -> Answer | None:
    """The answer to ``question`` as stored, or None when it is left empty; a problem goes under its key."""
    key = question.key
    if raw is None or raw == "" or raw == []:
        if question.required:
            errors.add(key, _("Please answer this question."))
        return None
    if question.kind == QuestionKind.LIKERT:
        value = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        if isinstance(raw, str) and raw.strip().isdigit():
            value = int(raw.strip())
        if value not in scale:
            errors.add(key, _("Choose one of the points of the scale."))
            return None
        return Answer(question=question, number=Decimal(value))
    if question.kind == QuestionKind.NUMBER:
        try:
            number = raw if isinstance(raw, Decimal) else read_number(str(raw)) if not isinstance(raw, bool) else None
        except (NumberFormatError, InvalidOperation):
            number = None
        if number is None or not number.is_finite() or abs(number) >= NUMBER_LIMIT:
            errors.add(key, _("Enter a number, with a comma for decimals (87,5)."))
            return None
        return Answer(question=question, number=number.quantize(Decimal("0.0001")))
    options = {option["key"] for option in question.options}
    if question.kind == QuestionKind.SINGLE:
        if not isinstance(raw, str) or raw not in options:
            errors.add(key, _("Choose one of the listed answers."))
            return None
        return Answer(question=question, choices=[raw])
    if question.kind == QuestionKind.MULTIPLE:
        chosen = [raw] if isinstance(raw, str) else raw
        if not isinstance(chosen, list) or not all(isinstance(c, str) and c in options for c in chosen):
            errors.add(key, _("Choose among the listed answers."))
            return None
        chosen = list(dict.fromkeys(chosen))
        if len(chosen) > CHOICES_MAX:
            errors.add(key, _("Choose at most %(max)d answers.") % {"max": CHOICES_MAX})
            return None
        return Answer(question=question, choices=chosen)
    if not isinstance(raw, str):
        errors.add(key, _("Enter text here."))
        return None
    text = raw.strip()
    if len(text) > ANSWER_TEXT_MAX:
        errors.add(
            key,
            _("Write at most %(limit)d characters (this has %(count)d).")
            % {"limit": ANSWER_TEXT_MAX, "count": len(text)},
        )
        return None
    return Answer(question=question, text=text) if text else None


@transaction.atomic
def response_submit(*, survey: Survey, channel: Any, answers: Any, token: Any = None, actor: Any = None) -> None:
    """Store one response to ``survey`` (nothing is returned that could point at it later)."""
    stored = Survey.objects.select_related("template", "unit").select_for_update(of=("self",)).get(pk=survey.pk)
    if channel not in Channel.values:
        raise ResponseError({"channel": [_("Unknown way of answering.")]})
    if channel == Channel.PAPER and not access.can_manage_survey(actor, stored):
        raise ResponseRefused(_("Only the people who run this survey enter paper answers."))
    if stored.status not in (SurveyStatus.OPEN, SurveyStatus.TEST):
        raise ResponseError({"__all__": [_("This survey is not taking answers (it is closed or not open yet).")]})
    if not isinstance(answers, dict):
        raise ResponseError({"__all__": [_("Send the answers by question.")]})
    questions = list(stored.questions.order_by("order"))
    errors = ErrorCollector()
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        errors.add("__all__", _("Unknown questions: %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown))[:5])})
    scale = _scale_values(stored)
    read = [_read(q, answers.get(q.key), scale, errors) for q in questions]
    spend = None
    if channel == Channel.TOKEN:
        if not isinstance(token, str) or not token.strip():
            errors.add("token", _("Enter the code printed on your slip."))
        else:
            spend = SurveyToken.objects.filter(survey=stored, digest=token_digest(token), used=False)
            if not spend.exists():
                errors.add("token", _("This code is not valid for this survey, or it has been used already."))
    elif token not in (None, ""):
        errors.add("token", _("A code is only given with the token channel."))
    if not any(read) and not errors:
        errors.add("__all__", _("Answer at least one question."))
    if errors:
        raise ResponseError(errors.errors)
    if spend is not None and spend.update(used=True) != 1:  # two submissions of one code: only one spends it
        raise ResponseError({"token": [_("This code is not valid for this survey, or it has been used already.")]})
    response = Response.objects.create(
        survey=stored, channel=channel, day=timezone.localdate(), test=stored.status == SurveyStatus.TEST
    )
    given = [answer for answer in read if answer is not None]
    for answer in given:
        answer.response = response
    Answer.objects.bulk_create(given)
