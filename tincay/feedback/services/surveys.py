"""Writes of surveys: create one from a template for a unit, adapt a question, move it through its states, print
one-use tokens.

Each is atomic, asks :mod:`tincay.feedback.access` first, validates its whole input and is audited. A survey moves
draft → test → open → closed (or draft → open); going live from test mode discards the test answers; closing is
final and recorded in the audit trail, and only then do results exist. Questions lock at the first real answer.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused, text_input
from tincay.feedback import access
from tincay.feedback.choices import SurveyStatus
from tincay.feedback.models import Response, Survey, SurveyQuestion, SurveyTemplate, SurveyToken
from tincay.orgunits.models import AdminUnit

TITLE_MAX, TEXT_MAX = 300, 500
MIN_RESPONSES = (5, 1000)  # the fewest answers before a figure is shown: bounds an adapter may choose
TOKENS_MAX = 5000  # printed at once
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - letters of a code, no 0/O, 1/I (paper slips)
TOKEN_LENGTH = 10
NEXT = {
    SurveyStatus.DRAFT: {SurveyStatus.TEST, SurveyStatus.OPEN},
    SurveyStatus.TEST: {SurveyStatus.DRAFT, SurveyStatus.OPEN},
    SurveyStatus.OPEN: {SurveyStatus.CLOSED},
    SurveyStatus.CLOSED: set(),
}


class SurveyInputError(InvalidInput):
    """A survey change refused because of its input; the messages say what to correct."""


class SurveyRefused(Refused):
    """This person may not make that change to the survey."""


def token_digest(code: str) -> str:
    """How a token is kept: the SHA-256 of its code as printed (spaces and case do not matter)."""
    return hashlib.sha256("".join(code.split()).upper().encode()).hexdigest()


def _min_responses(errors: ErrorCollector, value: Any) -> int:
    low, high = MIN_RESPONSES
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors.add(
            "min_responses",
            _("Enter a whole number from %(low)d to %(high)d: figures from fewer answers are not shown.")
            % {"low": low, "high": high},
        )
        return low
    return value


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    unit: AdminUnit,
    template: SurveyTemplate,
    campaign: Any = None,
    title_vi: str = "",
    title_en: str = "",
    min_responses: int = 10,
) -> Survey:
    """A draft survey of ``unit`` copied from ``template`` (its factors and questions); the title defaults to the
    template's with the unit's name."""
    errors = ErrorCollector()
    if not isinstance(unit, AdminUnit) or unit.pk is None:
        errors.add("unit", _("Choose a unit."))
    elif unit.valid_to is not None:
        errors.add("unit", _("%(unit)s no longer exists; choose one of today's units.") % {"unit": unit.name})
    if not isinstance(template, SurveyTemplate) or template.pk is None:
        errors.add("template", _("Choose a survey template."))
    title_vi = text_input(errors, "title_vi", title_vi, limit=TITLE_MAX)
    title_en = text_input(errors, "title_en", title_en, limit=TITLE_MAX)
    minimum = _min_responses(errors, min_responses)
    if errors:
        raise SurveyInputError(errors.errors)
    if not access.can_create_survey_for(actor, unit):
        raise SurveyRefused(
            _("Only administrators and the coordinators over %(unit)s run its surveys.") % {"unit": unit.name}
        )
    survey = Survey.objects.create(
        unit=unit,
        template=template,
        campaign=campaign,
        title_vi=title_vi or f"{template.title_vi} – {unit.name}"[:TITLE_MAX],
        title_en=title_en or f"{template.title_en} – {unit.name}"[:TITLE_MAX],
        public_code=secrets.token_urlsafe(12)[:16],
        min_responses=minimum,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    questions = template.questions.select_related("factor").order_by("order")
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            survey=survey,
            key=q.key,
            order=q.order,
            kind=q.kind,
            aspect=q.aspect,
            text_vi=q.text_vi,
            text_en=q.text_en,
            options=q.options,
            required=q.required,
            measures=q.measures,
            factor_key=q.factor.key if q.factor else "",
            factor_vi=q.factor.title_vi if q.factor else "",
            factor_en=q.factor.title_en if q.factor else "",
        )
        for q in questions
    )
    audit.record(
        actor=actor,
        action="feedback.survey_created",
        obj=survey,
        after={"unit": unit.key, "template": f"{template.code} v{template.version}", "min_responses": minimum},
    )
    return survey


def _locked(survey: Survey) -> bool:
    """Questions lock at the first real answer (test answers are discarded when the survey goes live)."""
    return Response.objects.filter(survey=survey, test=False).exists()


@transaction.atomic
def survey_question_update(
    *, actor: Any, question: SurveyQuestion, text_vi: Any, text_en: Any = "", required: Any = None
) -> SurveyQuestion:
    """Adapt a question's wording (and whether it must be answered) before the first real answer."""
    stored = SurveyQuestion.objects.select_related("survey__unit").select_for_update(of=("self",)).get(pk=question.pk)
    survey = stored.survey
    if not access.can_manage_survey(actor, survey):
        raise SurveyRefused(_("Only administrators and the coordinators over this unit adapt its surveys."))
    errors = ErrorCollector()
    text_vi = text_input(errors, "text_vi", text_vi, limit=TEXT_MAX, required=True)
    text_en = text_input(errors, "text_en", text_en, limit=TEXT_MAX)
    if required is not None and not isinstance(required, bool):
        errors.add("required", _("“Required” must be true or false."))
    if survey.status == SurveyStatus.CLOSED or _locked(survey):
        errors.add("__all__", _("The survey has answers: its questions can no longer change."))
    if errors:
        raise SurveyInputError(errors.errors)
    before = {"text_vi": stored.text_vi, "text_en": stored.text_en, "required": stored.required}
    stored.text_vi, stored.text_en = text_vi, text_en
    if required is not None:
        stored.required = required
    stored.save(update_fields=["text_vi", "text_en", "required"])
    after = {"text_vi": stored.text_vi, "text_en": stored.text_en, "required": stored.required}
    if after != before:
        audit.record(actor=actor, action="feedback.question_updated", obj=stored, before=before, after=after)
    return stored


@transaction.atomic
def survey_status_set(*, actor: Any, survey: Survey, status: Any, reason: str = "") -> Survey:
    """Move the survey to ``status``. Going live (open) from test mode discards every test answer; closing is final
    and audited, and results exist only from then on."""
    stored = Survey.objects.select_related("unit").select_for_update(of=("self",)).get(pk=survey.pk)
    if not access.can_manage_survey(actor, stored):
        raise SurveyRefused(_("Only administrators and the coordinators over this unit open and close its surveys."))
    errors = ErrorCollector()
    reason = text_input(errors, "reason", reason, limit=2000)
    if status not in SurveyStatus.values:
        errors.add("status", _("Choose one of the listed states."))
    elif status not in NEXT[stored.status]:
        errors.add(
            "status",
            _("A survey that is %(now)s cannot become %(next)s.")
            % {"now": stored.get_status_display().lower(), "next": SurveyStatus(status).label.lower()},
        )
    if status == SurveyStatus.OPEN and not stored.questions.exists():
        errors.add("status", _("The survey has no question."))
    if errors:
        raise SurveyInputError(errors.errors)
    before = stored.status
    discarded = 0
    if status == SurveyStatus.OPEN and before == SurveyStatus.TEST:
        discarded, _by_model = Response.objects.filter(survey=stored, test=True).delete()
    today = timezone.localdate()
    stored.status = status
    if status == SurveyStatus.OPEN:
        stored.opened_on = today
    if status == SurveyStatus.CLOSED:
        stored.closed_on = today
    stored.save(update_fields=["status", "opened_on", "closed_on", "updated_at"])
    after: dict[str, Any] = {"status": status}
    if discarded:
        after["test_answers_discarded"] = discarded
    if status == SurveyStatus.CLOSED:
        after["responses"] = Response.objects.filter(survey=stored, test=False).count()
    audit.record(
        actor=actor,
        action=f"feedback.survey_{status}",
        obj=stored,
        before={"status": before},
        after=after,
        reason=reason,
    )
    return stored


@transaction.atomic
def survey_tokens_issue(*, actor: Any, survey: Survey, count: Any) -> list[str]:
    """``count`` new one-use codes for paper slips, returned once (only their SHA-256 is kept)."""
    stored = Survey.objects.select_related("unit").get(pk=survey.pk)
    if not access.can_manage_survey(actor, stored):
        raise SurveyRefused(_("Only administrators and the coordinators over this unit print its tokens."))
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= TOKENS_MAX:
        raise SurveyInputError({"count": [_("Enter a whole number from 1 to %(max)d.") % {"max": TOKENS_MAX}]})
    if stored.status == SurveyStatus.CLOSED:
        raise SurveyInputError({"count": [_("The survey is closed: it takes no more answers.")]})
    codes: list[str] = []
    seen: set[str] = set()
    while len(codes) < count:
        code = "".join(secrets.choice(TOKEN_ALPHABET) for _n in range(TOKEN_LENGTH))
        if code not in seen:
            seen.add(code)
            codes.append(code)
    SurveyToken.objects.bulk_create([SurveyToken(survey=stored, digest=token_digest(code)) for code in codes])
    audit.record(actor=actor, action="feedback.tokens_issued", obj=stored, after={"count": count})
    return codes
