"""REST API for citizens' satisfaction surveys (issue 12): templates, the surveys of the units one sees, their states,
one-use tokens, adapting a question and, once a survey is closed, its results and (administrators) its responses.

Reads go through ``tincay.feedback.access`` and the results selector (404 when the survey is not visible to you);
every write calls a feedback service, which checks the person (403) and the whole input (400) before storing
anything. The serializers here only translate a JSON body; errors reach the client in the API's one shape.

**Before close** results exist for nobody, administrators included: ``/results/`` answers **409** with one message
for every role. The survey is visible and the request well formed; only the survey's state stands in the way, and
a client asks again once it is closed (a 403 would say "not for you", which is not the reason). ``/responses/``
answers an administrator the same 409 before close, and anyone else 403 whatever the state: only administrators
read individual responses, and never with tokens (nothing joins a token to a response).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.accounts.roles import is_admin
from tincay.api import inputs
from tincay.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorSerializer
from tincay.api.inputs import validated
from tincay.api.queries import query_values
from tincay.assessments.access import campaigns_visible_to
from tincay.feedback import access
from tincay.feedback.choices import Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Survey, SurveyQuestion, SurveyTemplate, TemplateQuestion
from tincay.feedback.selectors.responses import answer_value, responses_for_admin
from tincay.feedback.selectors.results import results_for_user, survey_channels
from tincay.feedback.services import surveys as survey_services
from tincay.orgunits.access import get_unit_for_user

KEY_MAX, UNIT_KEY_MAX, CAMPAIGN_CODE_MAX = 60, 40, 60  # a question's key, a unit's key, a campaign's code

NOT_CLOSED = {
    409: OpenApiResponse(
        ErrorSerializer,
        description=(
            "The survey is not closed yet: results and individual responses appear only once it is closed, for "
            "every role, administrators included (the same status and message for everyone)."
        ),
    )
}


class NotClosed(APIException):
    """The survey is not closed: nobody sees its results or responses yet (the same for every role)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "survey_not_closed"
    default_detail = gettext_lazy(
        "Nobody sees a survey's results or answers before it is closed, administrators included: come back once "
        "the survey is closed."
    )


def _survey(request: Any, pk: int) -> Survey:
    survey = None if pk > inputs.PK_MAX else access.get_survey_for_user(request.user, pk)
    if survey is None:
        raise Http404(_("Survey not found within your scope."))
    return survey


def _question(survey: Survey, key: str) -> SurveyQuestion:
    question = None
    if len(key) <= KEY_MAX and "\x00" not in key:
        question = survey.questions.filter(key=key).first()
    if question is None:
        raise Http404(_("This question is not in the survey: see the survey's questions for their keys."))
    return question


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^(?:" + "|".join(SurveyStatus.values) + ")$",
        "description": "one of: " + ", ".join(SurveyStatus.values),
    }
)
class SurveyStatusChoice(inputs.Choice):
    """A survey's state, a pattern in the schema (enums named "status" exist elsewhere with other values)."""


# ---- templates --------------------------------------------------------------------------------------------------


class LabelOut(serializers.Serializer):
    """A point of the scale or an option: its value or key with its Vietnamese and English labels."""

    vi = serializers.CharField(allow_blank=True, default="")
    en = serializers.CharField(allow_blank=True, default="")


class ScalePointOut(LabelOut):
    value = serializers.IntegerField()


class AnswerOptionOut(LabelOut):
    key = serializers.CharField()


class _QuestionFieldsOut(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    kind = serializers.CharField(help_text="one of: " + ", ".join(QuestionKind.values))
    aspect = serializers.CharField(help_text="perception, satisfaction, expectation or other")
    text_vi = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    options = AnswerOptionOut(many=True, help_text="single and multiple choice only")
    required = serializers.BooleanField()
    measures = serializers.CharField(allow_blank=True, help_text="indicator or criterion code measured; empty: none")


class TemplateQuestionOut(_QuestionFieldsOut):
    factor = serializers.CharField(source="factor.key", default=None, allow_null=True, help_text="the factor's key")


class FactorOut(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    title_vi = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)


class TemplateOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    version = serializers.IntegerField()
    title_vi = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    description_vi = serializers.CharField(allow_blank=True)
    description_en = serializers.CharField(allow_blank=True)
    source = serializers.CharField(allow_blank=True)
    scale = ScalePointOut(many=True, help_text="lowest first")
    satisfied_from = serializers.IntegerField(help_text="the lowest point of the scale counted as satisfied")
    factors = FactorOut(many=True)
    questions = TemplateQuestionOut(many=True)


def _templates() -> Any:
    questions = TemplateQuestion.objects.select_related("factor").order_by("order")
    return SurveyTemplate.objects.prefetch_related("factors", Prefetch("questions", queryset=questions)).order_by(
        "code", "-version"
    )


@extend_schema(responses={200: TemplateOut(many=True), **LIST_ERRORS})
class TemplateList(generics.ListAPIView):
    """The survey templates a survey is copied from (every signed-in user), with their scale, factors and
    questions."""

    serializer_class = TemplateOut

    def get_queryset(self):
        return _templates()


class TemplateDetail(APIView):
    @extend_schema(responses={200: TemplateOut, **READ_ERRORS})
    def get(self, request, pk: int):
        """One survey template with its scale, factors and questions."""
        template = None if pk > inputs.PK_MAX else _templates().filter(pk=pk).first()
        if template is None:
            raise Http404(_("This survey template does not exist: see /api/v1/survey-templates/."))
        return Response(TemplateOut(template).data)


# ---- surveys ----------------------------------------------------------------------------------------------------


class SurveyQuestionOut(_QuestionFieldsOut):
    factor_key = serializers.CharField(allow_blank=True)
    factor_vi = serializers.CharField(allow_blank=True)
    factor_en = serializers.CharField(allow_blank=True)


class CitizenSurveyOut(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.key")
    unit_name = serializers.CharField(source="unit.name")
    template = serializers.IntegerField(source="template_id")
    template_code = serializers.CharField(source="template.code")
    template_version = serializers.IntegerField(source="template.version")
    campaign = serializers.CharField(source="campaign.code", default=None, allow_null=True)
    title_vi = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    status = serializers.CharField(help_text="one of: " + ", ".join(SurveyStatus.values))
    min_responses = serializers.IntegerField(help_text="fewest answers before a figure is shown")
    opened_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    responses = serializers.IntegerField(
        source="api_responses", help_text="responses so far (test answers not counted)"
    )


class CitizenSurveyDetailOut(CitizenSurveyOut):
    public_code = serializers.CharField()
    link = serializers.CharField(source="api_link", help_text="absolute address of the public page (and QR poster)")
    by_channel = serializers.DictField(
        source="api_by_channel",
        child=serializers.IntegerField(),
        help_text="responses per channel: " + ", ".join(Channel.values),
    )
    can_manage = serializers.BooleanField(
        source="api_can_manage", help_text="you may adapt it, open and close it, print tokens"
    )
    next = serializers.ListField(
        source="api_next", child=serializers.CharField(), help_text="states it may move to (when you manage it)"
    )
    questions = SurveyQuestionOut(source="api_questions", many=True)


def _channels(survey: Survey) -> dict[str, int]:
    """Responses per channel, counts only, test answers left out (as the survey's page shows them)."""
    return {channel: n for channel, n in survey_channels(survey)[1].items() if channel in Channel.values}


def _public_link(request: Any, survey: Survey) -> str:
    return request.build_absolute_uri(reverse("survey:answer", args=[survey.public_code]))


def _detail(request: Any, survey: Survey) -> dict[str, Any]:
    by_channel = _channels(survey)
    can_manage = access.can_manage_survey(request.user, survey)
    survey.api_responses = sum(by_channel.values())
    survey.api_by_channel = by_channel
    survey.api_link = _public_link(request, survey)
    survey.api_can_manage = can_manage
    survey.api_next = sorted(survey_services.NEXT[SurveyStatus(survey.status)]) if can_manage else []
    survey.api_questions = list(survey.questions.order_by("order", "pk"))
    return CitizenSurveyDetailOut(survey).data


class SurveyFilter(serializers.Serializer):
    unit = inputs.Text(max_length=UNIT_KEY_MAX, required=False, allow_blank=True, help_text="a unit's key")
    status = inputs.Choice(choices=SurveyStatus.choices, required=False, allow_blank=True)
    campaign = inputs.Text(max_length=CAMPAIGN_CODE_MAX, required=False, allow_blank=True, help_text="campaign code")


class SurveyCreate(inputs.InputSerializer):
    """A draft survey of a unit copied from a template (administrators and the coordinators over the unit)."""

    unit = inputs.Text(max_length=UNIT_KEY_MAX, help_text="key of a unit within your scope, e.g. 11413")
    template = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, help_text="id of a survey template")
    campaign = inputs.Text(
        max_length=CAMPAIGN_CODE_MAX, required=False, allow_blank=True, help_text="code of a campaign; empty: none"
    )
    title_vi = inputs.Text(
        max_length=survey_services.TITLE_MAX,
        required=False,
        allow_blank=True,
        help_text="empty: the template's title with the unit's name",
    )
    title_en = inputs.Text(max_length=survey_services.TITLE_MAX, required=False, allow_blank=True)
    min_responses = inputs.WholeNumber(
        min_value=survey_services.MIN_RESPONSES[0],
        max_value=survey_services.MIN_RESPONSES[1],
        required=False,
        help_text="fewest answers before a figure is shown (default 10)",
    )


def _create_arguments(request: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The objects the body names, found within the person's scope (every unknown one reported at once)."""
    errors: dict[str, list[str]] = {}
    unit = get_unit_for_user(request.user, data["unit"])
    if unit is None:
        errors["unit"] = [_("No unit with this code within your scope.")]
    template = SurveyTemplate.objects.filter(pk=data["template"]).first()
    if template is None:
        errors["template"] = [_("This survey template does not exist: see /api/v1/survey-templates/.")]
    campaign = None
    if data.get("campaign"):
        campaign = campaigns_visible_to(request.user).filter(code=data["campaign"]).first()
        if campaign is None:
            errors["campaign"] = [_("This campaign does not exist or is not visible to you.")]
    if errors:
        raise ValidationError(errors)
    return {"unit": unit, "template": template, "campaign": campaign}


@extend_schema(methods=["GET"], parameters=[SurveyFilter], responses={200: CitizenSurveyOut(many=True), **LIST_ERRORS})
@extend_schema(
    methods=["POST"],
    request={"application/json": SurveyCreate},
    responses={201: CitizenSurveyDetailOut, **WRITE_ERRORS},
)
class SurveyList(generics.ListCreateAPIView):
    """The surveys of the units you see, newest first, with their responses so far (not their results); filters
    ``unit`` (key), ``status`` and ``campaign`` (code). POST creates a draft survey from a template."""

    serializer_class = CitizenSurveyOut
    parser_classes = [JSONParser]

    def get_queryset(self):
        given = SurveyFilter(data=query_values(self.request, SurveyFilter().fields))
        given.is_valid(raise_exception=True)
        filters = {k: v for k, v in given.validated_data.items() if v not in (None, "")}
        surveys = access.surveys_visible_to(self.request.user).annotate(
            api_responses=Count("responses", filter=Q(responses__test=False))
        )
        for param, lookup in (("unit", "unit__key"), ("status", "status"), ("campaign", "campaign__code")):
            if param in filters:
                surveys = surveys.filter(**{lookup: filters[param]})
        return surveys.order_by("-created_at", "-id")

    def create(self, request, *args, **kwargs):
        data = validated(SurveyCreate, request)
        given = {name: data[name] for name in ("title_vi", "title_en", "min_responses") if name in data}
        survey = survey_services.survey_create(actor=request.user, **_create_arguments(request, data), **given)
        return Response(_detail(request, _survey(request, survey.pk)), status=status.HTTP_201_CREATED)


class SurveyDetail(APIView):
    @extend_schema(responses={200: CitizenSurveyDetailOut, **READ_ERRORS})
    def get(self, request, pk: int):
        """One survey: its questions, state, public link and responses per channel (counts only)."""
        return Response(_detail(request, _survey(request, pk)))


class SurveyStatusWrite(inputs.InputSerializer):
    status = SurveyStatusChoice(
        choices=SurveyStatus.choices, help_text="draft → test or open; test → draft or open; open → closed (final)"
    )
    reason = inputs.Text(
        max_length=inputs.REASON_MAX, required=False, allow_blank=True, help_text="kept in the audit trail"
    )


class SurveyStatusSet(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": SurveyStatusWrite}, responses={200: CitizenSurveyDetailOut, **WRITE_ERRORS}
    )
    def post(self, request, pk: int):
        """Move the survey to another state. Going live from test mode discards the test answers; closing is final,
        and only then do results exist."""
        survey = _survey(request, pk)
        data = validated(SurveyStatusWrite, request)
        survey_services.survey_status_set(
            actor=request.user, survey=survey, status=data["status"], reason=data.get("reason", "")
        )
        return Response(_detail(request, _survey(request, pk)))


class TokensWrite(inputs.InputSerializer):
    count = inputs.WholeNumber(min_value=1, max_value=survey_services.TOKENS_MAX, help_text="how many slips to print")


class TokensOut(serializers.Serializer):
    survey = serializers.IntegerField()
    count = serializers.IntegerField()
    codes = serializers.ListField(child=serializers.CharField(), help_text="shown this once: only digests are kept")
    link = serializers.CharField(help_text="the address printed on the slips")


class SurveyTokens(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request={"application/json": TokensWrite}, responses={201: TokensOut, **WRITE_ERRORS})
    def post(self, request, pk: int):
        """New one-use codes for paper slips, returned this once (only their SHA-256 is kept; nothing joins a token
        to the response it allows)."""
        survey = _survey(request, pk)
        data = validated(TokensWrite, request)
        codes = survey_services.survey_tokens_issue(actor=request.user, survey=survey, count=data["count"])
        link = _public_link(request, survey) + "?via=token"
        body = TokensOut({"survey": survey.pk, "count": len(codes), "codes": codes, "link": link}).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


class DossierCodesWrite(inputs.InputSerializer):
    codes = serializers.ListField(
        child=inputs.Text(max_length=40),
        help_text="the dossier codes of cases handled at the counter; each answers the survey once (?via=token)",
    )


class DossierCodesOut(serializers.Serializer):
    survey = serializers.IntegerField()
    count = serializers.IntegerField(help_text="codes registered; only their SHA-256 is kept")


class SurveyDossierCodes(APIView):
    parser_classes = [JSONParser]

    @extend_schema(request={"application/json": DossierCodesWrite}, responses={201: DossierCodesOut, **WRITE_ERRORS})
    def post(self, request, pk: int):
        """Register dossier codes as one-use codes: refused whole, naming the lines, when one is malformed,
        repeated or already registered."""
        survey = _survey(request, pk)
        data = validated(DossierCodesWrite, request)
        count = survey_services.survey_tokens_register(actor=request.user, survey=survey, codes=data["codes"])
        return Response(DossierCodesOut({"survey": survey.pk, "count": count}).data, status=status.HTTP_201_CREATED)


class SurveyQuestionChange(inputs.InputSerializer):
    """The wording of a question and whether it must be answered; what is left out stays."""

    text_vi = inputs.Text(max_length=survey_services.TEXT_MAX, required=False)
    text_en = inputs.Text(max_length=survey_services.TEXT_MAX, required=False, allow_blank=True)
    required = inputs.YesNo(required=False)
    measures = inputs.Text(max_length=30, required=False, allow_blank=True)


class SurveyQuestionDetail(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request={"application/json": SurveyQuestionChange}, responses={200: SurveyQuestionOut, **WRITE_ERRORS}
    )
    def patch(self, request, pk: int, key: str):
        """Adapt a question before the first real answer (refused once the survey has answers or is closed)."""
        survey = _survey(request, pk)
        question = _question(survey, key)
        data = validated(SurveyQuestionChange, request)
        saved = survey_services.survey_question_update(
            actor=request.user,
            question=question,
            text_vi=data.get("text_vi", question.text_vi),
            text_en=data.get("text_en", question.text_en),
            required=data.get("required"),
            measures=data.get("measures"),
        )
        return Response(SurveyQuestionOut(saved).data)


# ---- results ----------------------------------------------------------------------------------------------------


class ShareOut(serializers.Serializer):
    """A share in [0, 1] of ``n`` with its 95 % Wilson interval."""

    count = serializers.IntegerField(source="successes")
    n = serializers.IntegerField()
    share = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()


class MeanOut(serializers.Serializer):
    """A mean with the sample standard deviation and its 95 % interval (none from a single value)."""

    value = serializers.FloatField()
    sd = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class _TallyOut(serializers.Serializer):
    label_vi = serializers.CharField(allow_blank=True)
    label_en = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(help_text="respondents who chose it")
    share = ShareOut(help_text="of the question's respondents")


class ScaleCountOut(_TallyOut):
    value = serializers.IntegerField()


class OptionTallyOut(_TallyOut):
    key = serializers.CharField()


class _Suppressible(serializers.Serializer):
    """A result whose figures (``n`` and those named in ``FIGURES``) are left out when it is suppressed."""

    FIGURES: tuple[str, ...] = ()
    suppressed = serializers.BooleanField(help_text="fewer answers than the survey's minimum: no figure is given")
    n = serializers.IntegerField(required=False, help_text="respondents; absent when suppressed")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.suppressed:
            for name in ("n", *self.FIGURES):
                data.pop(name, None)
        return data


class QuestionResultOut(_Suppressible):
    FIGURES = ("scale", "satisfied", "mean", "options")
    key = serializers.CharField()
    order = serializers.IntegerField()
    kind = serializers.CharField()
    aspect = serializers.CharField()
    factor_key = serializers.CharField(allow_blank=True)
    text_vi = serializers.CharField()
    text_en = serializers.CharField(allow_blank=True)
    measures = serializers.CharField(allow_blank=True)
    scale = ScaleCountOut(many=True, required=False, help_text="likert: answers per point")
    satisfied = ShareOut(required=False, allow_null=True, help_text="likert: share satisfied")
    mean = MeanOut(required=False, allow_null=True, help_text="likert and number")
    options = OptionTallyOut(many=True, required=False, help_text="single and multiple choice")


class SatisfactionOut(_Suppressible):
    FIGURES = ("satisfied",)
    key = serializers.CharField()
    title_vi = serializers.CharField(allow_blank=True)
    title_en = serializers.CharField(allow_blank=True)
    satisfied = ShareOut(required=False, allow_null=True)


class ResultsOut(serializers.Serializer):
    survey = serializers.IntegerField(source="survey_id")
    min_responses = serializers.IntegerField()
    responses = serializers.IntegerField(help_text="real responses (test answers never count)")
    by_channel = serializers.DictField(child=serializers.IntegerField())
    questions = QuestionResultOut(many=True)
    factors = SatisfactionOut(many=True, help_text="share satisfied per factor (its satisfaction questions)")
    overall = SatisfactionOut(allow_null=True, help_text="the question keyed overall; null when there is none")


class SurveyResults(APIView):
    @extend_schema(responses={200: ResultsOut, **READ_ERRORS, **NOT_CLOSED})
    def get(self, request, pk: int):
        """The results of a closed survey: per question, per factor and overall, with 95 % intervals; a figure
        from fewer answers than the survey's minimum is suppressed (``suppressed``: true, no figure). Before the
        survey is closed: 409 for everyone, administrators included."""
        survey = _survey(request, pk)
        results = results_for_user(request.user, survey)
        if results is None:  # the survey is visible (above): only its state hides the results
            raise NotClosed()
        return Response(ResultsOut(results).data)


# ---- individual responses ---------------------------------------------------------------------------------------


ANSWER_SCHEMA = {
    "oneOf": [
        {"type": "number", "description": "likert, number"},
        {"type": "string", "description": "single choice (the option's key), text"},
        {"type": "array", "items": {"type": "string"}, "description": "multiple choice (option keys)"},
    ]
}


@extend_schema_field({"type": "object", "additionalProperties": ANSWER_SCHEMA})
class AnswersField(serializers.Field):
    """Question key → answer, from the response's prefetched answers and the survey's questions (``context``)."""

    def to_representation(self, answers: Any) -> dict[str, Any]:
        questions = self.context["questions"]
        out: dict[str, Any] = {}
        for answer in answers.all():
            key, kind = questions[answer.question_id]
            out[key] = answer_value(answer, kind)
        return out


class ResponseOut(serializers.Serializer):
    """One response: its random key, channel and day (never the time), and its answers; never a token."""

    id = serializers.UUIDField()
    channel = serializers.CharField(help_text="one of: " + ", ".join(Channel.values))
    day = serializers.DateField()
    answers = AnswersField(help_text="question key → answer; questions left empty are absent")


@extend_schema(responses={200: ResponseOut(many=True), **READ_ERRORS, **LIST_ERRORS, **NOT_CLOSED})
class SurveyResponses(generics.ListAPIView):
    """The individual responses of a closed survey, by day (administrators only; never with tokens, which nothing
    joins to a response). Before close: 409, as for the results; anyone else: 403."""

    serializer_class = ResponseOut

    def get_queryset(self):
        survey = _survey(self.request, self.kwargs["pk"])
        rows = responses_for_admin(self.request.user, survey)
        if rows is None:
            if not access.results_visible(survey) and is_admin(self.request.user):
                raise NotClosed()
            raise PermissionDenied(
                _(
                    "Only administrators read individual responses, once the survey is closed: read the survey's "
                    "aggregated results instead."
                )
            )
        self.questions = rows.questions
        return rows.responses

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "questions": getattr(self, "questions", {})}
