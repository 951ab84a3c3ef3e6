"""REST API for campaigns, assessments, criterion results, evidence and transitions (same rules as pages)."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.assessments import access, selectors, workflow
from tincay.assessments.choices import DocumentKind, Level, Visibility
from tincay.assessments.models import Assessment, Campaign, CriterionResult, Document
from tincay.assessments.services import evidence as evidence_services
from tincay.assessments.services import results as result_services
from tincay.assessments.services import transitions
from tincay.assessments.services.errors import AssessmentError, ConflictError
from tincay.common.files import UploadRejected
from tincay.orgunits.access import get_unit_for_user


class CampaignSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="version.ref")
    owner_unit = serializers.CharField(source="owner_unit.key", default=None)

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


class ResultSerializer(serializers.ModelSerializer):
    criterion = serializers.CharField(source="criterion.code")
    evidence = serializers.PrimaryKeyRelatedField(source="documents", many=True, read_only=True)

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
    assessment = access.get_assessment_for_user(request.user, pk)
    if assessment is None:
        raise Http404
    return assessment


class CampaignList(generics.ListAPIView):
    serializer_class = CampaignSerializer

    def get_queryset(self):
        return access.campaigns_visible_to(self.request.user).order_by("-year", "code")


class AssessmentList(generics.ListAPIView):
    """Assessments you may see; filters ``campaign`` (code), ``unit`` (key), ``state``."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        qs = access.assessments_visible_to(self.request.user).order_by("campaign__code", "unit__sort_key")
        params = self.request.query_params
        for param, lookup in (("campaign", "campaign__code"), ("unit", "unit__key"), ("state", "state")):
            if params.get(param):
                qs = qs.filter(**{lookup: params[param]})
        return qs


class AssessmentDetail(APIView):
    @extend_schema(responses=AssessmentSerializer)
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


class ResultList(generics.ListAPIView):
    serializer_class = ResultSerializer
    pagination_class = None

    def get_queryset(self):
        assessment = _assessment(self.request, self.kwargs["pk"])
        return assessment.results.select_related("criterion").prefetch_related("documents").order_by("criterion__order")


_RESULT_WRITE = inline_serializer(
    "ResultWrite",
    {
        "track": serializers.ChoiceField(choices=workflow.TRACKS),
        "revision": serializers.IntegerField(),
        "level": serializers.ChoiceField(choices=["", *Level.values], required=False),
    },
)


class ResultDetail(APIView):
    """PATCH one track of one criterion: {"track": "self", "revision": 3, "self_level": "green", ...}.
    409 with the stored version when someone saved meanwhile; nothing is overwritten silently."""

    parser_classes = [JSONParser]

    @extend_schema(request=_RESULT_WRITE, responses=ResultSerializer)
    def patch(self, request, pk: int, code: str):
        assessment = _assessment(request, pk)
        result = assessment.results.select_related("criterion").filter(criterion__code=code).first()
        track = request.data.get("track")
        if result is None or track not in workflow.TRACKS:
            raise Http404
        fields = result_services.TRACK_FIELDS[track]
        data = {k: v for k, v in request.data.items() if k in fields}
        try:
            saved = result_services.result_save(
                user=request.user,
                actor=access.actor_for(request.user, assessment),
                result=result,
                track=track,
                data=data,
                revision=int(request.data.get("revision", -1)),
            )
        except ConflictError as conflict:
            return Response({"detail": str(conflict), "current": conflict.current}, status=status.HTTP_409_CONFLICT)
        except AssessmentError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ResultSerializer(saved).data)


class TransitionCreate(APIView):
    @extend_schema(
        request=inline_serializer(
            "TransitionWrite",
            {
                "action": serializers.ChoiceField(choices=list(workflow.BY_ACTION)),
                "reason": serializers.CharField(required=False),
            },
        ),
        responses=AssessmentSerializer,
    )
    def post(self, request, pk: int):
        assessment = _assessment(request, pk)
        try:
            moved = transitions.assessment_transition(
                user=request.user,
                actor=access.actor_for(request.user, assessment),
                assessment=assessment,
                action=str(request.data.get("action", "")),
                reason=str(request.data.get("reason", "")),
            )
        except workflow.TransitionRefused as refused:
            return Response({"detail": [str(r) for r in refused.reasons]}, status=status.HTTP_403_FORBIDDEN)
        return Response(AssessmentSerializer(moved).data)


class DocumentList(generics.ListCreateAPIView):
    """The evidence register of a unit; POST multipart with ``file`` (checked by content) or ``url``."""

    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    pagination_class = None

    def _unit(self):
        unit = get_unit_for_user(self.request.user, self.kwargs["key"])
        if unit is None:
            raise Http404
        return unit

    def get_queryset(self):
        return access.documents_visible_to(self.request.user).filter(unit=self._unit()).order_by("-issued_on", "title")

    def create(self, request, *args, **kwargs):
        unit = self._unit()
        if not access.can_manage_documents(request.user, unit):
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file", None)
        data.setdefault("kind", DocumentKind.OTHER)
        data.setdefault("visibility", Visibility.INTERNAL)
        try:
            document = evidence_services.document_create(user=request.user, unit=unit, data=data, upload=upload)
        except (UploadRejected, AssessmentError) as exc:
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownload(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    def get(self, request, pk: int):
        document = access.documents_visible_to(request.user).filter(pk=pk).first()
        if document is None or not document.file:
            raise Http404
        return FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name or f"tai-lieu-{pk}",
            content_type=document.content_type or "application/octet-stream",
        )


class EvidenceLinkCreate(APIView):
    @extend_schema(
        request=inline_serializer("EvidenceLinkWrite", {"document": serializers.IntegerField()}),
        responses=ResultSerializer,
    )
    def post(self, request, pk: int, code: str):
        assessment = _assessment(request, pk)
        actor = access.actor_for(request.user, assessment)
        result = assessment.results.select_related("criterion", "assessment").filter(criterion__code=code).first()
        document = assessment.unit.documents.filter(pk=request.data.get("document") or 0).first()
        if result is None or document is None:
            raise Http404
        if not workflow.can_edit(actor, assessment.state, "self"):
            return Response({"detail": "forbidden"}, status=status.HTTP_403_FORBIDDEN)
        evidence_services.evidence_link(user=request.user, result=result, document=document)
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED)
