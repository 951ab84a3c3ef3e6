"""The preliminary survey: the questionnaire and its editing, a unit's answers saved or submitted, reopening
them, and every unit's answers side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import READ_ERRORS, WRITE_ERRORS, error_responses
from tincay.api.inputs import json_or_form, validated
from tincay.api.queries import query_values
from tincay.api.rollout.common import KEY_MAX, TEXT_MAX, _all_optional, _entry, _managed, _rollout, page_number
from tincay.common.text import printable
from tincay.rollout import access
from tincay.rollout.choices import QuestionKind
from tincay.rollout.models import Rollout, RolloutUnit, SurveyQuestion
from tincay.rollout.selectors import preparation as preparation_selectors
from tincay.rollout.services import preparation as preparation_services
from tincay.rollout.services.preparation import checks as preparation_limits

# ---- preliminary survey -----------------------------------------------------------------------------------------


class OptionOut(serializers.Serializer):
    key = serializers.CharField()
    vi = serializers.CharField(allow_blank=True, default="")
    en = serializers.CharField(allow_blank=True, default="")


class QuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    order = serializers.IntegerField()
    text_vi = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    help_vi = serializers.CharField(allow_blank=True)
    help_en = serializers.CharField(allow_blank=True)
    kind = serializers.CharField(help_text="text, yes_no, choice, multi or number")
    options = OptionOut(many=True)
    required = serializers.BooleanField()
    profile_key = serializers.CharField(allow_blank=True, help_text="the unit-profile entry a submitted answer fills")


class QuestionsOut(serializers.Serializer):
    locked = serializers.BooleanField(help_text="a unit has submitted: the questions no longer change")
    questions = QuestionOut(many=True)


ANSWER_SCHEMA = {
    "oneOf": [
        {"type": "string", "maxLength": TEXT_MAX},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "array", "items": {"type": "string", "maxLength": KEY_MAX}, "maxItems": 100},
    ],
    "nullable": True,
}


@extend_schema_field({"type": "object", "additionalProperties": ANSWER_SCHEMA, "maxProperties": 500})
class Answers(serializers.Field):
    """Question key → answer: a text, a number, yes/no, an option key or a list of them; null or "" clears it."""

    default_error_messages = {
        "invalid": gettext_lazy("Send the answers as an object of question keys and answers."),
        "value": gettext_lazy("Send a text, a number, true or false, or a list of option keys."),
        "malformed": gettext_lazy("This text contains characters that cannot be stored: remove them."),
    }

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping) or len(data) > 500:
            self.fail("invalid")
        errors: dict[str, list[str]] = {}
        for key, value in data.items():
            if not isinstance(key, str) or len(key) > KEY_MAX or "\x00" in key:
                self.fail("invalid")
            problem = _answer_problem(value)
            if problem:
                errors[key] = [str(self.error_messages[problem])]
        if errors:
            raise ValidationError(errors)
        return dict(data)

    def to_representation(self, value: Any) -> Any:  # pragma: no cover - input only
        return value


def _answer_problem(value: Any) -> str:
    """What is wrong with one answer's shape ("" when nothing): the service checks it against its question."""
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and (len(value) > 100 or not all(isinstance(v, str) for v in value)):
        return "value"
    if value is not None and not isinstance(value, list | str | int | float | bool):
        return "value"
    if any(isinstance(v, str) and (len(v) > TEXT_MAX or not printable_ok(v)) for v in items):
        return "malformed"
    return ""


def printable_ok(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class SurveyWrite(inputs.InputSerializer):
    answers = Answers(help_text="question key → answer; questions not named keep their answer")
    submit = inputs.YesNo(required=False, help_text="true: submit (every required question answered)")


class SurveyOut(serializers.Serializer):
    unit = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    can_answer = serializers.BooleanField()
    answers = serializers.DictField(child=serializers.JSONField(allow_null=True), help_text="question key → answer")


def _survey_out(request: Any, entry: RolloutUnit) -> dict[str, Any]:
    _questions, answers = preparation_selectors.survey_of_entry(entry)
    return SurveyOut(
        {
            "unit": entry.unit.key,
            "submitted_at": entry.survey_submitted_at,
            "can_answer": access.can_answer_survey(request.user, entry),
            "answers": answers,
        }
    ).data


@extend_schema_field({"type": "string", "pattern": "^(?:text|yes_no|choice|multi|number)$"})
class QuestionKindChoice(inputs.Choice):
    """The kind of answer (a pattern in the schema: an enum named "kind" exists for units and documents)."""


class OptionWrite(inputs.InputSerializer):
    key = inputs.Text(max_length=preparation_limits.KEY_LIMIT, help_text="lower-case letters, digits, - and _")
    vi = inputs.Text(max_length=preparation_limits.OPTION_LIMIT)
    en = inputs.Text(max_length=preparation_limits.OPTION_LIMIT, required=False, allow_blank=True)


class QuestionWrite(inputs.InputSerializer):
    """Every field of a question (a PUT replaces them all: a field left out takes its default)."""

    key = inputs.Text(max_length=preparation_limits.KEY_LIMIT, help_text="lower-case letters, digits, - and _")
    text_vi = inputs.Text(max_length=preparation_limits.QUESTION_LIMIT)
    text_en = inputs.Text(max_length=preparation_limits.QUESTION_LIMIT, required=False, allow_blank=True)
    help_vi = inputs.Text(max_length=preparation_limits.HELP_LIMIT, required=False, allow_blank=True)
    help_en = inputs.Text(max_length=preparation_limits.HELP_LIMIT, required=False, allow_blank=True)
    kind = QuestionKindChoice(choices=QuestionKind.choices, help_text="text, yes_no, choice, multi or number")
    options = serializers.ListField(
        child=OptionWrite(),
        max_length=preparation_limits.OPTIONS_MAX,
        required=False,
        help_text="choice and multi only: the options, keys unique",
    )
    required = inputs.YesNo(
        required=False, help_text="an answer is required to submit (a new question leaving it out: true)"
    )
    profile_key = inputs.Text(
        max_length=preparation_limits.KEY_LIMIT,
        required=False,
        allow_blank=True,
        help_text="the unit-profile entry the submitted answer fills; empty: none",
    )


QuestionChange = _all_optional(QuestionWrite, "QuestionChange", "The fields of a question to change.")


class QuestionMove(inputs.InputSerializer):
    direction = inputs.Choice(choices=["up", "down"])


def _question_arguments(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "key": data["key"],
        "text_vi": data["text_vi"],
        "text_en": data.get("text_en", ""),
        "help_vi": data.get("help_vi", ""),
        "help_en": data.get("help_en", ""),
        "kind": data["kind"],
        "options": [dict(o) for o in data.get("options", [])],
        "required": data.get("required", True),
        "profile_key": data.get("profile_key", ""),
    }


def _question(rollout: Rollout, pk: int) -> SurveyQuestion:
    question = None if pk > inputs.PK_MAX else SurveyQuestion.objects.filter(rollout=rollout, pk=pk).first()
    if question is None:
        raise Http404(_("This question is not in the questionnaire."))
    return question


def _questions_out(rollout: Rollout) -> dict[str, Any]:
    questions = preparation_selectors.survey_questions(rollout)
    locked = preparation_services.questions_locked(rollout)
    return QuestionsOut({"locked": locked, "questions": questions}).data


class SurveyQuestions(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses={200: QuestionsOut, **READ_ERRORS})
    def get(self, request, code: str):
        """The rollout's preliminary questionnaire, in order."""
        return Response(_questions_out(_rollout(request, code)))

    @extend_schema(request={"application/json": QuestionWrite}, responses={201: QuestionOut, **WRITE_ERRORS})
    def post(self, request, code: str):
        """Add a question at the end (the rollout's coordinators; refused once a unit has submitted)."""
        rollout = _managed(request, code)
        data = validated(QuestionWrite, request)
        question = preparation_services.question_create(
            actor=request.user, rollout=rollout, **_question_arguments(data)
        )
        return Response(QuestionOut(question).data, status=status.HTTP_201_CREATED)


class SurveyQuestionDetail(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request={"application/json": QuestionChange}, responses={200: QuestionOut, **WRITE_ERRORS})
    def patch(self, request, code: str, question: int):
        """Change a question: the fields given replace its own, the others stay (the rollout's coordinators;
        refused once a unit has submitted)."""
        rollout = _managed(request, code)
        found = _question(rollout, question)
        given = validated(QuestionChange, request)
        current = {name: getattr(found, name) for name in QuestionWrite().fields}
        saved = preparation_services.question_update(
            actor=request.user, rollout=rollout, question=found, **_question_arguments({**current, **given})
        )
        return Response(QuestionOut(saved).data)

    @extend_schema(request=None, responses={204: None, **error_responses(400, 403, 404, 429)})
    def delete(self, request, code: str, question: int):
        """Delete a question (the rollout's coordinators; refused once a unit has submitted)."""
        rollout = _managed(request, code)
        preparation_services.question_delete(actor=request.user, rollout=rollout, question=_question(rollout, question))
        return Response(status=status.HTTP_204_NO_CONTENT)


class SurveyQuestionMove(APIView):
    @extend_schema(request=json_or_form(QuestionMove), responses={200: QuestionsOut, **WRITE_ERRORS})
    def post(self, request, code: str, question: int):
        """Move a question one place up or down; answers the questionnaire in its new order."""
        rollout = _managed(request, code)
        found = _question(rollout, question)
        data = validated(QuestionMove, request)
        preparation_services.question_move(
            actor=request.user, rollout=rollout, question=found, direction=data["direction"]
        )
        return Response(_questions_out(rollout))


class SurveyDefault(APIView):
    @extend_schema(request=None, responses={201: QuestionsOut, **error_responses(400, 403, 404, 429)})
    def post(self, request, code: str):
        """Copy the shipped questions the questionnaire does not have yet, after its own."""
        rollout = _managed(request, code)
        preparation_services.questionnaire_use_default(actor=request.user, rollout=rollout)
        return Response(_questions_out(rollout), status=status.HTTP_201_CREATED)


class SurveyAnswers(APIView):
    @extend_schema(responses={200: SurveyOut, **READ_ERRORS})
    def get(self, request, code: str, key: str):
        """A unit's answers (question key → answer) and whether they are submitted."""
        rollout = _rollout(request, code)
        return Response(_survey_out(request, _entry(request, rollout, key)))

    @extend_schema(request={"application/json": SurveyWrite}, responses={200: SurveyOut, **WRITE_ERRORS})
    def post(self, request, code: str, key: str):
        """Save the unit's answers as a draft, or submit them (the unit's leader or focal point, or a manager)."""
        rollout = _rollout(request, code)
        entry = _entry(request, rollout, key)
        if not access.can_answer_survey(request.user, entry):
            raise PermissionDenied(_("Only the unit's leader or focal point answer its survey."))
        data = validated(SurveyWrite, request)
        preparation_services.survey_answers_save(
            actor=request.user, entry=entry, answers=data["answers"], submit=data.get("submit", False)
        )
        return Response(_survey_out(request, _entry(request, rollout, key)))


class SurveyReopenWrite(inputs.InputSerializer):
    reason = inputs.Text(max_length=preparation_limits.REASON_LIMIT, help_text="why the unit must change its answers")


class SurveyReopen(APIView):
    @extend_schema(request=json_or_form(SurveyReopenWrite), responses={200: SurveyOut, **WRITE_ERRORS})
    def post(self, request, code: str, key: str):
        """Reopen a unit's submitted survey with a reason, so it can change its answers (the rollout's
        coordinators); the unit's leader and focal point are told."""
        rollout = _managed(request, code)
        entry = _entry(request, rollout, key)
        data = validated(SurveyReopenWrite, request)
        preparation_services.survey_reopen(actor=request.user, entry=entry, reason=data["reason"])
        return Response(_survey_out(request, _entry(request, rollout, key)))


class OptionCountOut(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    percent = serializers.IntegerField()


class SummaryOut(serializers.Serializer):
    key = serializers.CharField(source="question.key")
    number = serializers.IntegerField()
    answered = serializers.IntegerField()
    counts = OptionCountOut(many=True)
    total = serializers.CharField(allow_blank=True)
    mean = serializers.CharField(allow_blank=True)


class SurveyRowOut(serializers.Serializer):
    unit = serializers.CharField(source="entry.unit.key")
    unit_name = serializers.CharField(source="entry.unit.name")
    submitted = serializers.BooleanField()
    cells = serializers.ListField(child=serializers.CharField(allow_blank=True), help_text="answers as shown")


class SurveyComparisonOut(serializers.Serializer):
    submitted = serializers.IntegerField(help_text="visible units that submitted, before the filters")
    total = serializers.IntegerField(help_text="units you see, before the filters")
    count = serializers.IntegerField(source="page.paginator.count", help_text="rows the filters keep")
    page = serializers.IntegerField(source="page.number")
    pages = serializers.IntegerField(source="page.paginator.num_pages")
    questions = SummaryOut(many=True, help_text="per question, over every submitted unit you see")
    rows = SurveyRowOut(many=True, help_text="the page's units")


class SurveyCompareFilter(serializers.Serializer):
    q = inputs.Text(max_length=100, required=False, allow_blank=True, help_text="name or code of a unit")
    submitted = inputs.Choice(
        choices=["", "1", "0", "true", "false"], required=False, allow_blank=True, help_text="submitted units only"
    )
    page = inputs.Text(max_length=12, required=False, allow_blank=True, help_text="page number, from 1")


class SurveyCompare(APIView):
    @extend_schema(
        responses={200: SurveyComparisonOut, **error_responses(400, 403, 404, 429)}, parameters=[SurveyCompareFilter]
    )
    def get(self, request, code: str):
        """Per question the counts over every submitted unit you see, and a page of units (50 rows a page,
        ``page``) with their answers side by side; filters ``q`` (name or code) and ``submitted``."""
        rollout = _rollout(request, code)
        given = SurveyCompareFilter(data=query_values(request, SurveyCompareFilter().fields))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        page = page_number(data.get("page"))
        comparison = preparation_selectors.survey_comparison(
            rollout,
            access.entries_visible_to(request.user, rollout),
            page=page,
            name=printable(data.get("q") or "").strip()[:100],
            submitted_only=data.get("submitted") in ("1", "true"),
        )
        return Response(SurveyComparisonOut(comparison).data)
