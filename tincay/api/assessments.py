"""REST API for campaigns, assessments, criterion results, evidence and transitions (same rules as pages).

Writes read their body through the typed serializers of ``tincay.api.inputs`` and call the assessments services,
which check the person and the whole input before anything is stored; their errors (400 / 403 / 409) reach the
client through ``tincay.api.errors`` in one body shape, in the request's language.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.relations import MANY_RELATION_KWARGS, PKOnlyObject
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from tincay.api.outputs import AssessmentDetailOut
from tincay.api.queries import query_values
from tincay.assessments import access, selectors, workflow
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, Campaign, CriterionResult, Document
from tincay.assessments.services import evidence as evidence_services
from tincay.assessments.services import results as result_services
from tincay.assessments.services import transitions
from tincay.common.errors import InvalidInput
from tincay.common.files import ALLOWED_TYPES
from tincay.orgunits.access import get_unit_for_user


def _bodies(serializer: Any, multipart: Any = None) -> dict[str, Any]:
    """The request body of one operation under each media type it accepts."""
    return {
        "application/json": serializer,
        "application/x-www-form-urlencoded": serializer,
        "multipart/form-data": multipart or serializer,
    }


class CampaignSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.ref")
    owner_unit = serializers.CharField(source="owner_unit.key", default=None, allow_null=True)

    class Meta:
        model = Campaign
        fields = [
            "code",
            "title_vi",
            "title_en",
            "year",
            "version",
            "owner_unit",
            "self_assessment_due",
            "scoring_due",
            "appraisal_due",
            "publication_due",
            "is_demo",
        ]


class AssessmentSerializer(serializers.ModelSerializer):
    campaign = serializers.CharField(source="campaign.code")
    unit = serializers.CharField(source="unit.key")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = Assessment
        fields = ["id", "campaign", "unit", "unit_name", "state", "submitted_at", "leader_approved_at", "published_at"]


class _EvidenceIds(serializers.ManyRelatedField):
    """The ids of a result's evidence documents: its ``evidence_ids`` when the selector read them for a whole list
    (``selectors.results_with_evidence_ids``: no manager or queryset per result), else its ``documents``."""

    def get_attribute(self, instance: Any) -> Any:
        ids = getattr(instance, "evidence_ids", None)
        return super().get_attribute(instance) if ids is None else [PKOnlyObject(pk) for pk in ids]


class _EvidenceField(serializers.PrimaryKeyRelatedField):
    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> _EvidenceIds:
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update((key, value) for key, value in kwargs.items() if key in MANY_RELATION_KWARGS)
        return _EvidenceIds(**list_kwargs)


class ResultSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    evidence = _EvidenceField(source="documents", many=True, read_only=True)

    class Meta:
        model = CriterionResult
        fields = [
            "criterion",
            "revision",
            "self_level",
            "self_value",
            "self_points",
            "na",
            "na_reason",
            "narrative",
            "no_evidence_reason",
            "scorer_level",
            "scorer_value",
            "scorer_comment",
            "final_level",
            "final_value",
            "final_comment",
            "evidence",
            "updated_at",
        ]
        # any stored number renders (a value older than the column's digits would make DRF raise); the rules flag it
        extra_kwargs = {
            name: {"max_digits": None} for name in ("self_value", "self_points", "scorer_value", "final_value")
        }


class DocumentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.key", read_only=True)
    file = serializers.FileField(write_only=True, required=False)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "unit",
            "title",
            "number",
            "issued_on",
            "issuer",
            "kind",
            "url",
            "valid_until",
            "visibility",
            "original_name",
            "size",
            "content_type",
            "sha256",
            "file",
            "download",
        ]
        read_only_fields = ["original_name", "size", "content_type", "sha256"]

    def get_download(self, obj: Document) -> str:
        return f"/api/v1/documents/{obj.pk}/download/"


def _assessment(request: Any, pk: int) -> Assessment:
    if pk > inputs.PK_MAX:
        raise Http404
    assessment = access.get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    return assessment


def _result(assessment: Assessment, code: str) -> CriterionResult:
    if "\x00" in code:
        raise Http404
    result = (
        assessment.results.select_related("criterion", "assessment__unit", "assessment__campaign")
        .filter(criterion__code=code)
        .first()
    )
    if result is None:
        raise Http404
    return result


def _query(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The query parameters a list understands, checked (an unknown ``state`` is a 400, not an empty list)."""
    given = query_values(request, serializer_class().fields)
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


@extend_schema(responses={200: CampaignSerializer(many=True), **LIST_ERRORS})
class CampaignList(generics.ListAPIView):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return access.campaigns_visible_to(self.request.user).order_by("-year", "code")


class AssessmentFilter(serializers.Serializer):
    campaign = inputs.Text(max_length=60, required=False, allow_blank=True, help_text="campaign code")
    unit = inputs.Text(max_length=60, required=False, allow_blank=True, help_text="unit key")
    state = inputs.Choice(choices=State.choices, required=False, allow_blank=True)


@extend_schema(parameters=[AssessmentFilter], responses={200: AssessmentSerializer(many=True), **LIST_ERRORS})
class AssessmentList(generics.ListAPIView):
    """Assessments you may see; filters ``campaign`` (code), ``unit`` (key), ``state``."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        qs = access.assessments_visible_to(self.request.user).order_by("campaign__code", "unit__sort_key")
        filters = _query(AssessmentFilter, self.request)
        for param, lookup in (("campaign", "campaign__code"), ("unit", "unit__key"), ("state", "state")):
            if param in filters:
                qs = qs.filter(**{lookup: filters[param]})
        return qs


class AssessmentDetail(APIView):
    @extend_schema(responses={200: AssessmentDetailOut, **READ_ERRORS})
    def get(self, request, pk: int):
        assessment = _assessment(request, pk)
        actor = access.actor_for(request.user, assessment)
        scores = selectors.assessment_scores(assessment)
        body = AssessmentSerializer(assessment).data
        body["actions"] = [t.action for t in workflow.actions_for(actor, assessment.state)]
        body["scores"] = {
            track: {
                "total": r.total,
                "classification": r.classification,
                "complete": r.complete,
                "indicators": {c: {"score": i.score, "colour": i.colour} for c, i in r.indicators.items()},
            }
            for track, r in scores.items()
        }
        return Response(body)


@extend_schema(responses={200: ResultSerializer(many=True), **READ_ERRORS})
class ResultList(generics.ListAPIView):
    serializer_class = ResultSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.results_with_evidence_ids(_assessment(self.request, self.kwargs["pk"]))


class ResultDetail(APIView):
    """PATCH one track of one criterion: {"track": "self", "revision": 3, "self_level": "green", ...}.
    Only the track's own fields; 409 with the stored version when someone saved meanwhile; nothing is
    overwritten silently. A contributor writes only the indicators assigned to them (403 otherwise)."""

    parser_classes = [JSONParser]

    @extend_schema(
        request=inputs.RESULT_WRITE_SCHEMA,
        responses={200: ResultSerializer, **WRITE_ERRORS, **error_responses(409)},
    )
    def patch(self, request, pk: int, code: str):
        result = _result(_assessment(request, pk), code)
        track, values = inputs.result_write(request.data)
        revision = values.pop("revision")
        saved = result_services.result_save(
            user=request.user, result=result, track=track, data=values, revision=revision
        )
        return Response(ResultSerializer(saved).data)


class TransitionCreate(APIView):
    """Move the assessment: one of the actions its detail lists; a reason to return or reopen."""

    @extend_schema(
        request=_bodies(inputs.TransitionWrite),
        responses={200: AssessmentSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int):
        assessment = _assessment(request, pk)
        body = inputs.TransitionWrite(data=request.data)
        body.is_valid(raise_exception=True)
        moved = transitions.assessment_transition(
            user=request.user,
            assessment=assessment,
            action=body.validated_data["action"],
            reason=body.validated_data.get("reason", ""),
        )
        return Response(AssessmentSerializer(moved).data)


@extend_schema(methods=["GET"], responses={200: DocumentSerializer(many=True), **READ_ERRORS})
@extend_schema(
    methods=["POST"],
    request=_bodies(inputs.DocumentWrite, inputs.DocumentUpload),
    responses={201: DocumentSerializer, **WRITE_ERRORS},
)
class DocumentList(generics.ListCreateAPIView):
    """The evidence register of a unit; POST a link (JSON or form) or a file (multipart, checked by content)."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    pagination_class = None

    def _unit(self):
        key = self.kwargs["key"]
        unit = None if "\x00" in key else get_unit_for_user(self.request.user, key)
        if unit is None:
            raise Http404
        return unit

    def get_queryset(self):
        return access.documents_visible_to(self.request.user).filter(unit=self._unit()).order_by("-issued_on", "title")

    def create(self, request, *args, **kwargs):
        unit = self._unit()
        upload = request.content_type.startswith("multipart/")
        body = (inputs.DocumentUpload if upload else inputs.DocumentWrite)(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        document = evidence_services.document_create(
            user=request.user, unit=unit, data=data, upload=data.pop("file", None)
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


DOWNLOAD_TYPES = sorted({"application/octet-stream", *ALLOWED_TYPES.values()})


class DocumentDownload(APIView):
    """The file of a register entry, as an attachment, with the type found from its content when it was
    uploaded (application/octet-stream when unknown)."""

    @extend_schema(
        responses={
            **{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="the file") for media in DOWNLOAD_TYPES},
            **READ_ERRORS,
        }
    )
    def get(self, request, pk: int):
        document = None if pk > inputs.PK_MAX else access.documents_visible_to(request.user).filter(pk=pk).first()
        if document is None or not document.file:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name or f"tai-lieu-{pk}",
            content_type=document.content_type if document.content_type in DOWNLOAD_TYPES else DOWNLOAD_TYPES[0],
        )


class EvidenceLinkCreate(APIView):
    """Attach a document of the unit's register to a criterion (under the rule of saving its self-assessment)."""

    @extend_schema(
        request=_bodies(inputs.EvidenceLinkWrite),
        responses={201: ResultSerializer, **WRITE_ERRORS},
    )
    def post(self, request, pk: int, code: str):
        result = _result(_assessment(request, pk), code)
        body = inputs.EvidenceLinkWrite(data=request.data)
        body.is_valid(raise_exception=True)
        document = result.assessment.unit.documents.filter(pk=body.validated_data["document"]).first()
        if document is None:
            raise InvalidInput({"document": [_("There is no document with this id in the unit's register.")]})
        evidence_services.evidence_link(user=request.user, result=result, document=document)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)


class EvidenceLinkDelete(APIView):
    """Detach a document from a criterion (the document stays in the register)."""

    @extend_schema(request=None, responses={204: None, **WRITE_ERRORS})
    def delete(self, request, pk: int, code: str, document: int):
        result = _result(_assessment(request, pk), code)
        found = None if document > inputs.PK_MAX else result.assessment.unit.documents.filter(pk=document).first()
        if found is None:
            raise Http404
        evidence_services.evidence_unlink(user=request.user, result=result, document=found)
        return Response(status=status.HTTP_204_NO_CONTENT)
