"""The preliminary survey: questionnaire, answers, submission filling the unit's profile (and telling the rollout's
coordinators), reopening."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput
from tincay.common.numbers import NumberFormatError, read_number
from tincay.rollout import access
from tincay.rollout.choices import QuestionKind
from tincay.rollout.models import (
    Rollout,
    RolloutUnit,
    SurveyAnswer,
    SurveyQuestion,
    UnitProfile,
)
from tincay.rollout.services.preparation import notices
from tincay.rollout.services.preparation.checks import (
    ANSWER_LIMIT,
    CHOICE_KINDS,
    DEFAULT_QUESTIONNAIRE,
    HELP_LIMIT,
    KEY_LIMIT,
    NO,
    NUMBER_MAX,
    OPTION_LIMIT,
    OPTIONS_MAX,
    QUESTION_LIMIT,
    QUESTIONS_MAX,
    REASON_LIMIT,
    YES,
    check_key,
    check_text,
    manage_rollout,
    require,
    who,
)

# ---------------------------------------------------------------------------------------------- questionnaire


def questions_locked(rollout: Rollout) -> bool:
    """Locked once any unit of the rollout has submitted its survey (also when it was reopened since: the profile
    it filled names this rollout's unit as its source)."""
    return (
        RolloutUnit.objects.filter(rollout=rollout, survey_submitted_at__isnull=False).exists()
        or UnitProfile.objects.filter(source__rollout=rollout).exists()
    )


def _refuse_if_locked(rollout: Rollout) -> None:
    if questions_locked(rollout):
        raise InvalidInput(
            _(
                "The questionnaire is locked: a unit has already submitted its answers, and every unit must answer "
                "the same questions."
            )
        )


@cache
def default_questions() -> tuple[dict[str, Any], ...]:
    """The shipped questionnaire (``rollout/data/preliminary-survey.yaml``), read once."""
    with DEFAULT_QUESTIONNAIRE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return tuple(data["questions"])


def _options(errors: ErrorCollector, kind: str, raw: Any) -> list[dict[str, str]]:
    if kind not in CHOICE_KINDS:
        if raw:
            errors.add("options", _("Only questions with one or several choices have options: leave them empty."))
        return []
    if not isinstance(raw, list | tuple) or not raw:
        errors.add("options", _("Give at least one option for a question with choices."))
        return []
    if len(raw) > OPTIONS_MAX:
        errors.add("options", _("Give at most %(limit)s options.") % {"limit": OPTIONS_MAX})
        return []
    cleaned, seen = [], set()
    for number, option in enumerate(raw, start=1):
        local = ErrorCollector()
        if not isinstance(option, Mapping):
            errors.add("options", _("Option %(n)s: give a key and its Vietnamese text.") % {"n": number})
            continue
        key = check_key(local, "key", option.get("key"))
        vi = check_text(local, "vi", option.get("vi"), OPTION_LIMIT, required=True)
        en = check_text(local, "en", option.get("en"), OPTION_LIMIT)
        for messages in local.errors.values():
            for message in messages:
                errors.add("options", _("Option %(n)s: %(message)s") % {"n": number, "message": message})
        if key and key in seen:
            errors.add("options", _("Option %(n)s: the key “%(key)s” is used twice.") % {"n": number, "key": key})
        seen.add(key)
        cleaned.append({"key": key, "vi": vi, "en": en})
    return cleaned


def _clean_question(
    errors: ErrorCollector, rollout: Rollout, data: Mapping[str, Any], *, exclude: int | None = None
) -> dict[str, Any]:
    kind = data.get("kind")
    if kind not in QuestionKind.values:
        errors.add("kind", _("Choose the kind of answer."))
        kind = None
    cleaned = {
        "key": check_key(errors, "key", data.get("key")),
        "text_vi": check_text(errors, "text_vi", data.get("text_vi"), QUESTION_LIMIT, required=True),
        "text_en": check_text(errors, "text_en", data.get("text_en"), QUESTION_LIMIT),
        "help_vi": check_text(errors, "help_vi", data.get("help_vi"), HELP_LIMIT),
        "help_en": check_text(errors, "help_en", data.get("help_en"), HELP_LIMIT),
        "kind": kind,
        "options": _options(errors, kind, data.get("options")) if kind else [],
        "profile_key": check_key(errors, "profile_key", data.get("profile_key"), required=False),
    }
    required = data.get("required", True)
    if not isinstance(required, bool):
        errors.add("required", _("Say yes or no."))
    cleaned["required"] = required is True
    others = SurveyQuestion.objects.filter(rollout=rollout).exclude(pk=exclude)
    if cleaned["key"] and others.filter(key=cleaned["key"]).exists():
        errors.add("key", _("Another question of this rollout has the key “%(key)s”.") % {"key": cleaned["key"]})
    if cleaned["profile_key"] and others.filter(profile_key=cleaned["profile_key"]).exists():
        errors.add(
            "profile_key",
            _("Another question already fills the profile entry “%(key)s”.") % {"key": cleaned["profile_key"]},
        )
    return cleaned


def _question_row(question: SurveyQuestion) -> dict[str, Any]:
    return {
        name: getattr(question, name)
        for name in ("key", "order", "text_vi", "text_en", "help_vi", "help_en", "kind", "options", "required")
    } | {"profile_key": question.profile_key}


@transaction.atomic
def questionnaire_use_default(*, actor: Any, rollout: Any) -> list[SurveyQuestion]:
    """Copy the shipped questions into the rollout (those whose key it does not have yet), after its own."""
    rollout = manage_rollout(actor, rollout)
    Rollout.objects.select_for_update().filter(pk=rollout.pk).first()
    _refuse_if_locked(rollout)
    existing = SurveyQuestion.objects.filter(rollout=rollout)
    keys = set(existing.values_list("key", flat=True))
    profile_keys = set(existing.exclude(profile_key="").values_list("profile_key", flat=True))
    order = existing.aggregate(m=Max("order"))["m"] or 0
    created = []
    for spec in default_questions():
        if spec["key"] in keys:
            continue
        order += 1
        profile_key = spec.get("profile_key", "")
        created.append(
            SurveyQuestion(
                rollout=rollout,
                key=spec["key"],
                order=order,
                text_vi=spec["text_vi"],
                text_en=spec.get("text_en", ""),
                help_vi=spec.get("help_vi", ""),
                help_en=spec.get("help_en", ""),
                kind=spec["kind"],
                options=[dict(o) for o in spec.get("options", [])],
                required=spec.get("required", True),
                profile_key="" if profile_key in profile_keys else profile_key,
            )
        )
    if not created:
        raise InvalidInput(_("This questionnaire already has every default question."))
    SurveyQuestion.objects.bulk_create(created)
    audit.record(
        actor=actor,
        action="rollout.questionnaire_default_used",
        obj=rollout,
        after={"questions": [q.key for q in created]},
    )
    return created


def _check_count(rollout: Rollout) -> None:
    if SurveyQuestion.objects.filter(rollout=rollout).count() >= QUESTIONS_MAX:
        raise InvalidInput(_("A questionnaire has at most %(limit)s questions.") % {"limit": QUESTIONS_MAX})


@transaction.atomic
def question_create(
    *,
    actor: Any,
    rollout: Any,
    key: Any,
    text_vi: Any,
    kind: Any,
    text_en: Any = "",
    help_vi: Any = "",
    help_en: Any = "",
    options: Any = None,
    required: Any = True,
    profile_key: Any = "",
) -> SurveyQuestion:
    """Add a question at the end. ``options`` (choice kinds only): [{"key", "vi", "en"}, ...], keys unique."""
    data = {
        "key": key,
        "text_vi": text_vi,
        "kind": kind,
        "text_en": text_en,
        "help_vi": help_vi,
        "help_en": help_en,
        "options": options,
        "required": required,
        "profile_key": profile_key,
    }
    rollout = manage_rollout(actor, rollout)
    Rollout.objects.select_for_update().filter(pk=rollout.pk).first()
    _refuse_if_locked(rollout)
    _check_count(rollout)
    errors = ErrorCollector()
    cleaned = _clean_question(errors, rollout, data)
    errors.raise_if_any()
    order = (SurveyQuestion.objects.filter(rollout=rollout).aggregate(m=Max("order"))["m"] or 0) + 1
    question = SurveyQuestion.objects.create(rollout=rollout, order=order, **cleaned)
    audit.record(actor=actor, action="rollout.question_created", obj=question, after=_question_row(question))
    return question


def _own_question(rollout: Rollout, question: Any) -> SurveyQuestion:
    if not isinstance(question, SurveyQuestion) or question.rollout_id != rollout.pk:
        raise InvalidInput({"question": [_("Choose a question of this rollout's questionnaire.")]})
    return SurveyQuestion.objects.select_for_update().get(pk=question.pk)


def _prune_drafts(question: SurveyQuestion, kind_changed: bool) -> None:
    """Draft answers that no longer fit the question: all of them when its kind changed, else option keys gone."""
    answers = SurveyAnswer.objects.filter(question=question)
    if kind_changed:
        answers.delete()
        return
    if question.kind not in CHOICE_KINDS:
        return
    keys = {o["key"] for o in question.options}
    for answer in answers:
        value = answer.value
        if question.kind == QuestionKind.CHOICE and value not in keys:
            answer.delete()
        elif question.kind == QuestionKind.MULTI and isinstance(value, list) and not set(value) <= keys:
            kept = [k for k in value if k in keys]
            if kept:
                answer.value = kept
                answer.save(update_fields=["value"])
            else:
                answer.delete()


@transaction.atomic
def question_update(
    *,
    actor: Any,
    rollout: Any,
    question: Any,
    key: Any,
    text_vi: Any,
    kind: Any,
    text_en: Any = "",
    help_vi: Any = "",
    help_en: Any = "",
    options: Any = None,
    required: Any = True,
    profile_key: Any = "",
) -> SurveyQuestion:
    """Replace a question's fields (every field given, as in ``question_create``)."""
    data = {
        "key": key,
        "text_vi": text_vi,
        "kind": kind,
        "text_en": text_en,
        "help_vi": help_vi,
        "help_en": help_en,
        "options": options,
        "required": required,
        "profile_key": profile_key,
    }
    rollout = manage_rollout(actor, rollout)
    locked = _own_question(rollout, question)
    _refuse_if_locked(rollout)
    errors = ErrorCollector()
    cleaned = _clean_question(errors, rollout, data, exclude=locked.pk)
    errors.raise_if_any()
    before = _question_row(locked)
    changed = {name: value for name, value in cleaned.items() if getattr(locked, name) != value}
    if not changed:
        raise InvalidInput(_("Nothing changed."))
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.save()
    _prune_drafts(locked, kind_changed="kind" in changed)
    audit.record(
        actor=actor,
        action="rollout.question_updated",
        obj=locked,
        before={name: before[name] for name in changed},
        after=changed,
    )
    return locked


@transaction.atomic
def question_delete(*, actor: Any, rollout: Any, question: Any) -> None:
    rollout = manage_rollout(actor, rollout)
    locked = _own_question(rollout, question)
    _refuse_if_locked(rollout)
    before = _question_row(locked)
    audit.record(actor=actor, action="rollout.question_deleted", obj=locked, before=before)
    locked.delete()
    _renumber(rollout)


def _renumber(rollout: Rollout, ordered: list[SurveyQuestion] | None = None) -> None:
    questions = ordered if ordered is not None else list(SurveyQuestion.objects.filter(rollout=rollout))
    for number, question in enumerate(questions, start=1):
        question.order = number
    SurveyQuestion.objects.bulk_update(questions, ["order"])


@transaction.atomic
def question_move(*, actor: Any, rollout: Any, question: Any, direction: Any) -> SurveyQuestion:
    """Move a question one place ``"up"`` or ``"down"``."""
    rollout = manage_rollout(actor, rollout)
    locked = _own_question(rollout, question)
    if direction not in ("up", "down"):
        raise InvalidInput({"direction": [_("Move a question up or down.")]})
    _refuse_if_locked(rollout)
    questions = list(SurveyQuestion.objects.filter(rollout=rollout))
    position = next(i for i, q in enumerate(questions) if q.pk == locked.pk)
    target = position - 1 if direction == "up" else position + 1
    if not 0 <= target < len(questions):
        raise InvalidInput(
            {"direction": [_("This question is already first.") if direction == "up" else _("This question is last.")]}
        )
    questions[position], questions[target] = questions[target], questions[position]
    _renumber(rollout, questions)
    audit.record(
        actor=actor,
        action="rollout.question_moved",
        obj=locked,
        before={"order": position + 1},
        after={"order": target + 1},
    )
    locked.order = target + 1
    return locked


# ---------------------------------------------------------------------------------------------- answers


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != []


def clean_answer(question: SurveyQuestion, raw: Any) -> Any:
    """The stored form of one answer (None when empty), or ``InvalidInput`` on the question's key."""
    kind, key = question.kind, question.key
    if raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []:
        return None
    if kind == QuestionKind.TEXT:
        errors = ErrorCollector()
        text = check_text(errors, key, raw, ANSWER_LIMIT)
        errors.raise_if_any()
        return text
    if kind == QuestionKind.YES_NO:
        if isinstance(raw, bool):
            return raw
        word = raw.strip().casefold() if isinstance(raw, str) else None
        if word in YES or word in NO:
            return word in YES
        raise InvalidInput({key: [_("Answer yes or no.")]})
    if kind == QuestionKind.NUMBER:
        return _number(key, raw)
    keys = [o["key"] for o in question.options]
    if kind == QuestionKind.CHOICE:
        if not isinstance(raw, str) or raw not in keys:
            raise InvalidInput({key: [_("Choose one of the options offered.")]})
        return raw
    # several choices: a list of option keys, kept in the options' order
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list | tuple) or not all(isinstance(k, str) for k in raw):
        raise InvalidInput({key: [_("Choose among the options offered.")]})
    unknown = [k for k in raw if k not in keys]
    if unknown:
        raise InvalidInput({key: [_("Choose among the options offered.")]})
    return [k for k in keys if k in raw]


def _number(key: str, raw: Any) -> int | float:
    if isinstance(raw, bool):
        raise InvalidInput({key: [_("Enter a number.")]})
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        try:
            value = read_number(raw.strip())
        except NumberFormatError as exc:
            raise InvalidInput({key: [str(exc)]}) from None
    else:
        raise InvalidInput({key: [_("Enter a number.")]})
    if not value.is_finite() or value < 0 or value > NUMBER_MAX:
        raise InvalidInput({key: [_("Enter a number from 0 to 1.000.000.000.000.")]})
    return int(value) if value == value.to_integral_value() else float(value)


def _entry(entry: Any) -> RolloutUnit:
    if not isinstance(entry, RolloutUnit):
        raise InvalidInput({"entry": [_("Choose a unit of the rollout.")]})
    return RolloutUnit.objects.select_for_update(of=("self",)).select_related("rollout", "unit").get(pk=entry.pk)


@transaction.atomic
def survey_answers_save(*, actor: Any, entry: Any, answers: Any, submit: Any = False) -> RolloutUnit:
    """Save a unit's answers (question key → value; questions not named keep their answer; an empty value clears
    it) as a draft, or submit them: then every required question must be answered, the unit's profile is filled
    from the questions that name a profile entry, the answers are closed until the coordinator reopens them, and the
    rollout's coordinators get a notice linking to the unit's answers."""
    locked = _entry(entry)
    require(
        actor, access.can_answer_survey(actor, locked), _("Only the unit's leader or focal point answer its survey.")
    )
    if not isinstance(submit, bool):
        raise InvalidInput({"submit": [_("Say whether to submit.")]})
    if not isinstance(answers, Mapping):
        raise InvalidInput(_("Give the answers as question key → answer."))
    if locked.survey_submitted_at is not None:
        raise InvalidInput(
            _("The survey was submitted on %(date)s: ask the rollout's coordinator to reopen it to change an answer.")
            % {"date": timezone.localtime(locked.survey_submitted_at).strftime("%d/%m/%Y")}
        )
    questions = list(SurveyQuestion.objects.filter(rollout=locked.rollout))
    if not questions:
        raise InvalidInput(_("The questionnaire has no questions yet: the coordinator prepares it first."))
    stored = {a.question_id: a for a in SurveyAnswer.objects.filter(rollout_unit=locked)}
    by_key = {q.key: q for q in questions}
    errors = ErrorCollector()
    for name in answers:
        if name not in by_key:
            errors.add(str(name)[:KEY_LIMIT], _("This question is not in the questionnaire."))
    values: dict[int, Any] = {q.pk: stored[q.pk].value if q.pk in stored else None for q in questions}
    changed: dict[str, tuple[Any, Any]] = {}
    for question in questions:
        if question.key not in answers:
            continue
        try:
            value = clean_answer(question, answers[question.key])
        except InvalidInput as exc:
            for message in exc.messages_for(question.key):
                errors.add(question.key, message)
            continue
        if value != values[question.pk]:
            changed[question.key] = (values[question.pk], value)
            values[question.pk] = value
    if submit:
        for question in questions:
            if question.required and not is_answered(values[question.pk]) and question.key not in errors.errors:
                errors.add(question.key, _("Answer this question before submitting."))
    errors.raise_if_any()
    _store(actor, locked, questions, stored, values, changed)
    if changed:
        audit.record(
            actor=actor,
            action="rollout.survey_saved",
            obj=locked,
            before={k: v[0] for k, v in changed.items()},
            after={k: v[1] for k, v in changed.items()},
        )
    if submit:
        _submit(actor, locked, questions, values)
    return locked


def _store(
    actor: Any,
    entry: RolloutUnit,
    questions: list[SurveyQuestion],
    stored: dict[int, SurveyAnswer],
    values: dict[int, Any],
    changed: Mapping[str, Any],
) -> None:
    for question in questions:
        if question.key not in changed:
            continue
        value = values[question.pk]
        answer = stored.get(question.pk)
        if not is_answered(value):
            if answer is not None:
                answer.delete()
        elif answer is None:
            SurveyAnswer.objects.create(rollout_unit=entry, question=question, value=value, answered_by=who(actor))
        else:
            answer.value, answer.answered_by = value, who(actor)
            answer.save(update_fields=["value", "answered_by", "answered_at"])


def _submit(actor: Any, entry: RolloutUnit, questions: list[SurveyQuestion], values: dict[int, Any]) -> None:
    entry.survey_submitted_at = timezone.now()
    entry.survey_submitted_by = who(actor)
    entry.save(update_fields=["survey_submitted_at", "survey_submitted_by", "updated_at"])
    profile, _created = UnitProfile.objects.select_for_update().get_or_create(unit=entry.unit)
    before = dict(profile.data)
    data = dict(profile.data)
    for question in questions:
        if not question.profile_key:
            continue
        if is_answered(values[question.pk]):
            data[question.profile_key] = values[question.pk]
        else:
            data.pop(question.profile_key, None)
    profile.data, profile.source = data, entry
    profile.save()
    audit.record(
        actor=actor,
        action="rollout.survey_submitted",
        obj=entry,
        before={"profile": before},
        after={"profile": data, "submitted_at": entry.survey_submitted_at.isoformat()},
    )
    notices.survey_submitted(actor, entry)


@transaction.atomic
def survey_reopen(*, actor: Any, entry: Any, reason: Any) -> RolloutUnit:
    """The coordinator reopens a submitted survey so the unit can change its answers; the reason is recorded and
    the unit's leader and focal point are told."""
    locked = _entry(entry)
    require(
        actor, access.can_manage_rollout(actor, locked.rollout), _("Only the rollout's coordinators reopen a survey.")
    )
    errors = ErrorCollector()
    text = check_text(errors, "reason", reason, REASON_LIMIT, required=True)
    if locked.survey_submitted_at is None:
        errors.add("__all__", _("This survey is not submitted: the unit can still change its answers."))
    errors.raise_if_any()
    before = {"submitted_at": locked.survey_submitted_at.isoformat()}
    locked.survey_submitted_at = None
    locked.survey_submitted_by = None
    locked.save(update_fields=["survey_submitted_at", "survey_submitted_by", "updated_at"])
    audit.record(
        actor=actor,
        action="rollout.survey_reopened",
        obj=locked,
        before=before,
        after={"submitted_at": None},
        reason=text,
    )
    notices.survey_reopened(actor, locked, text)
    return locked
