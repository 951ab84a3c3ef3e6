"""Writes of surveys: create one from a template for a unit (in a campaign or not), adapt its questions (wording,
whether required, what each measures in the framework; add and remove), move it through its states, print
one-use tokens.

Each is atomic, asks :mod:`tincay.feedback.access` first, validates its whole input and is audited. A survey moves
draft → test → open → closed (or draft → open); going live from test mode discards the test answers; closing is
final and recorded in the audit trail, and only then do results exist. Questions lock at the first real answer.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments.models import Assessment, Campaign
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused, text_input
from tincay.feedback import access
from tincay.feedback.bindings import binding_problem
from tincay.feedback.choices import Aspect, QuestionKind, SurveyStatus
from tincay.feedback.models import Response, Survey, SurveyQuestion, SurveyTemplate, SurveyToken
from tincay.feedback.services.measures import survey_measures_feed
from tincay.orgunits.models import AdminUnit

TITLE_MAX, TEXT_MAX, OPTION_MAX = 300, 500, 200
OPTIONS = (2, 12)  # a choice question offers from 2 to 12 options
QUESTIONS_MAX = 60
MIN_RESPONSES = (5, 1000)  # the fewest answers before a figure is shown: bounds an adapter may choose
TOKENS_MAX = 5000  # printed at once
TOKEN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - letters of a code, no 0/O, 1/I (paper slips)
TOKEN_LENGTH = 10
DOSSIER_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-/_]{3,39}$")  # a case's dossier code, e.g. H31.45-241130-0001
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


def question_from_template(q: Any, *, survey_id: int) -> SurveyQuestion:
    """A survey's copy of template question ``q`` (its factor loaded), not saved."""
    return SurveyQuestion(
        survey_id=survey_id,
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
    if campaign is not None and (not isinstance(campaign, Campaign) or campaign.pk is None):
        errors.add("campaign", _("Choose a campaign from the list, or none."))
    elif (
        campaign is not None
        and isinstance(unit, AdminUnit)
        and unit.pk is not None
        and not Assessment.objects.filter(campaign=campaign, unit=unit).exists()
    ):
        errors.add(
            "campaign",
            _("%(unit)s takes no part in the campaign %(campaign)s: choose another campaign, or none.")
            % {"unit": unit.name, "campaign": campaign.code},
        )
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
    SurveyQuestion.objects.bulk_create(question_from_template(q, survey_id=survey.pk) for q in questions)
    audit.record(
        actor=actor,
        action="feedback.survey_created",
        obj=survey,
        after={
            "unit": unit.key,
            "template": f"{template.code} v{template.version}",
            "campaign": campaign.code if campaign else None,
            "min_responses": minimum,
        },
    )
    return survey


def _locked(survey: Survey) -> bool:
    """Questions lock at the first real answer (test answers are discarded when the survey goes live)."""
    return Response.objects.filter(survey=survey, test=False).exists()


def _adaptable(actor: Any, survey: Survey, errors: ErrorCollector) -> None:
    """Refuse someone who does not run the survey; note when its questions can no longer change."""
    if not access.can_manage_survey(actor, survey):
        raise SurveyRefused(_("Only administrators and the coordinators over this unit adapt its surveys."))
    if survey.status == SurveyStatus.CLOSED or _locked(survey):
        errors.add("__all__", _("The survey has answers: its questions can no longer change."))


def _measures(errors: ErrorCollector, survey: Survey, kind: str, raw: Any) -> str:
    code = raw.strip() if isinstance(raw, str) else raw
    problem = binding_problem(survey, kind, code) if code else None
    if problem:
        errors.add("measures", problem)
    return code if isinstance(code, str) else ""


@transaction.atomic
def survey_question_update(
    *,
    actor: Any,
    question: SurveyQuestion,
    text_vi: Any,
    text_en: Any = "",
    required: Any = None,
    measures: Any = None,
) -> SurveyQuestion:
    """Adapt a question before the first real answer: its wording, whether it must be answered, and what it
    measures in the framework (``measures``: an indicator or criterion code, "" for none, None to keep it)."""
    stored = SurveyQuestion.objects.select_related("survey__unit").select_for_update(of=("self",)).get(pk=question.pk)
    survey = stored.survey
    errors = ErrorCollector()
    _adaptable(actor, survey, errors)
    text_vi = text_input(errors, "text_vi", text_vi, limit=TEXT_MAX, required=True)
    text_en = text_input(errors, "text_en", text_en, limit=TEXT_MAX)
    if required is not None and not isinstance(required, bool):
        errors.add("required", _("“Required” must be true or false."))
    if measures is not None:
        measures = _measures(errors, survey, stored.kind, measures)
    if errors:
        raise SurveyInputError(errors.errors)
    fields = ("text_vi", "text_en", "required", "measures")
    before = {name: getattr(stored, name) for name in fields}
    stored.text_vi, stored.text_en = text_vi, text_en
    if required is not None:
        stored.required = required
    if measures is not None:
        stored.measures = measures
    stored.save(update_fields=list(fields))
    after = {name: getattr(stored, name) for name in fields}
    if after != before:
        audit.record(actor=actor, action="feedback.question_updated", obj=stored, before=before, after=after)
    return stored


def _options(errors: ErrorCollector, kind: str, raw: Any) -> list[dict[str, str]]:
    """A choice question's options from [{"vi", "en"?}] or plain texts, keyed in order (opt-1, opt-2…)."""
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if raw:
            errors.add("options", _("Only a choice question has options."))
        return []
    low, high = OPTIONS
    if not isinstance(raw, list | tuple) or not low <= len(raw) <= high:
        errors.add("options", _("Give from %(low)d to %(high)d options, one per line.") % {"low": low, "high": high})
        return []
    options: list[dict[str, str]] = []
    seen: set[str] = set()
    for n, item in enumerate(raw, start=1):
        pair = item if isinstance(item, dict) else {"vi": item}
        option = ErrorCollector()
        vi = text_input(option, "vi", pair.get("vi"), limit=OPTION_MAX, required=True)
        en = text_input(option, "en", pair.get("en", ""), limit=OPTION_MAX)
        if option:
            problem = next(iter(option.errors.values()))[0]
            errors.add("options", _("Option %(n)d: %(problem)s") % {"n": n, "problem": problem})
            continue
        if vi.casefold() in seen:
            errors.add("options", _("Option %(n)d repeats an earlier one.") % {"n": n})
        seen.add(vi.casefold())
        options.append({"key": f"opt-{n}", "vi": vi, "en": en})
    return options


@transaction.atomic
def survey_question_add(
    *,
    actor: Any,
    survey: Survey,
    kind: Any,
    text_vi: Any,
    text_en: Any = "",
    options: Any = (),
    required: Any = False,
    measures: Any = "",
    factor_key: Any = "",
    aspect: Any = Aspect.OTHER,
) -> SurveyQuestion:
    """A question of the unit's own at the end of the survey (before the first real answer): a scale, one or
    several choices, a number or free text, optionally under one of the survey's factors and bound to an
    indicator or criterion."""
    stored = Survey.objects.select_related("unit", "campaign").select_for_update(of=("self",)).get(pk=survey.pk)
    errors = ErrorCollector()
    _adaptable(actor, stored, errors)
    if kind not in QuestionKind.values:
        errors.add("kind", _("Choose one of the listed kinds of question."))
        kind = QuestionKind.TEXT
    if aspect not in Aspect.values:
        errors.add("aspect", _("Choose one of the listed aspects."))
    text_vi = text_input(errors, "text_vi", text_vi, limit=TEXT_MAX, required=True)
    text_en = text_input(errors, "text_en", text_en, limit=TEXT_MAX)
    if not isinstance(required, bool):
        errors.add("required", _("“Required” must be true or false."))
    cleaned_options = _options(errors, kind, options)
    measures = _measures(errors, stored, kind, measures or "")
    questions = list(stored.questions.order_by("order"))
    factors = {q.factor_key: q for q in questions if q.factor_key}
    if factor_key and factor_key not in factors:
        errors.add("factor_key", _("Choose one of the survey's factors, or none."))
    if len(questions) >= QUESTIONS_MAX:
        errors.add("__all__", _("A survey has at most %(max)d questions.") % {"max": QUESTIONS_MAX})
    if errors:
        raise SurveyInputError(errors.errors)
    keys = {q.key for q in questions}
    number = len(questions) + 1
    while f"q-{number}" in keys:
        number += 1
    factor = factors.get(factor_key)
    question = SurveyQuestion.objects.create(
        survey=stored,
        key=f"q-{number}",
        order=max((q.order for q in questions), default=0) + 1,
        kind=kind,
        aspect=aspect,
        text_vi=text_vi,
        text_en=text_en,
        options=cleaned_options,
        required=required,
        measures=measures,
        factor_key=factor.factor_key if factor else "",
        factor_vi=factor.factor_vi if factor else "",
        factor_en=factor.factor_en if factor else "",
    )
    audit.record(
        actor=actor,
        action="feedback.question_added",
        obj=question,
        after={"key": question.key, "kind": kind, "text_vi": text_vi, "measures": measures},
    )
    return question


@transaction.atomic
def survey_question_remove(*, actor: Any, question: SurveyQuestion) -> None:
    """Take a question out of the survey before the first real answer (its test answers go with it)."""
    stored = SurveyQuestion.objects.select_related("survey__unit").select_for_update(of=("self",)).get(pk=question.pk)
    errors = ErrorCollector()
    _adaptable(actor, stored.survey, errors)
    if errors:
        raise SurveyInputError(errors.errors)
    if stored.survey.questions.count() <= 1:
        raise SurveyInputError({"__all__": [_("A survey keeps at least one question.")]})
    audit.record(
        actor=actor,
        action="feedback.question_removed",
        obj=stored.survey,
        before={"key": stored.key, "text_vi": stored.text_vi, "measures": stored.measures},
    )
    stored.delete()


@transaction.atomic
def survey_status_set(*, actor: Any, survey: Survey, status: Any, reason: str = "") -> Survey:
    """Move the survey to ``status``. Going live (open) from test mode discards every test answer; closing is final
    and audited, results exist only from then on, and the aggregates feed the criteria the questions are bound to
    (``services.measures``)."""
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
    if status == SurveyStatus.OPEN:  # test answers left from any earlier test run (test → draft → open too)
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
        fed = survey_measures_feed(actor=actor, survey=stored)
        if fed:
            after["measures"] = {
                f.code: format(f.value.normalize(), "f") if f.value is not None else f.reason for f in fed
            }
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


@transaction.atomic
def survey_tokens_register(*, actor: Any, survey: Survey, codes: Any) -> int:
    """The dossier codes of cases handled at the counter, each usable once as the survey's token (the citizen
    types the code of their case). Only their SHA-256 is kept, as for printed codes. Refused whole, naming the
    lines, when a code is malformed, repeated or already registered."""
    stored = Survey.objects.select_related("unit").get(pk=survey.pk)
    if not access.can_manage_survey(actor, stored):
        raise SurveyRefused(_("Only administrators and the coordinators over this unit print its tokens."))
    if stored.status == SurveyStatus.CLOSED:
        raise SurveyInputError({"codes": [_("The survey is closed: it takes no more answers.")]})
    if not isinstance(codes, list | tuple) or not 1 <= len(codes) <= TOKENS_MAX:
        raise SurveyInputError(
            {"codes": [_("Give from 1 to %(max)d dossier codes, one per line.") % {"max": TOKENS_MAX}]}
        )
    errors = ErrorCollector()
    digests: dict[str, int] = {}
    for line, code in enumerate(codes, start=1):
        clean = "".join(code.split()) if isinstance(code, str) else ""
        if not DOSSIER_CODE.match(clean):
            errors.add(
                "codes",
                _("Line %(line)d: a dossier code has 4 to 40 letters, digits and . - / _ only.") % {"line": line},
            )
            continue
        digest = token_digest(clean)
        if digest in digests:
            errors.add("codes", _("Line %(line)d repeats line %(first)d.") % {"line": line, "first": digests[digest]})
        digests.setdefault(digest, line)
    known = set(SurveyToken.objects.filter(digest__in=digests).values_list("digest", flat=True))
    for digest in known:
        errors.add("codes", _("Line %(line)d: this code is already registered.") % {"line": digests[digest]})
    if errors:
        raise SurveyInputError(errors.errors)
    SurveyToken.objects.bulk_create([SurveyToken(survey=stored, digest=digest) for digest in digests])
    audit.record(actor=actor, action="feedback.dossier_codes_registered", obj=stored, after={"count": len(digests)})
    return len(digests)
