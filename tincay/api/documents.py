"""Documents in Decree 30 layout through the API: ask for one (queued for the worker), follow its progress, list
one's own, download the file. The service (``reports.generation``) checks the whole input and the subject's
visibility; the serializer only reads the shape."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import READ_ERRORS, WRITE_ERRORS
from tincay.api.inputs import validated
from tincay.reports import access
from tincay.reports.documents import FORMATS, KINDS
from tincay.reports.generation import LIMITS, NUMBER_MAX, RECIPIENT_LENGTH, RECIPIENT_LINES, document_request
from tincay.reports.models import JobStatus

LIST_SIZE = 50
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocumentRequestIn(inputs.InputSerializer):
    kind = inputs.Choice(
        choices=list(KINDS),
        help_text="decision, self_report, appraisal_report, programme (about "
        "an assessment) or campaign_report (about a campaign)",
    )
    fmt = inputs.Choice(choices=list(FORMATS), required=False, default="docx")
    assessment = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, required=False)
    campaign = inputs.Text(max_length=60, required=False, help_text="the campaign's code (campaign_report)")
    unit = inputs.Text(max_length=200, required=False, allow_blank=True, help_text="narrow to a unit's subtree")
    group = inputs.Text(max_length=60, required=False, allow_blank=True, help_text="narrow to a peer group")
    number = inputs.WholeNumber(
        min_value=1, max_value=NUMBER_MAX, required=False, allow_null=True, help_text="null: numbered at issue"
    )
    day = inputs.Day(help_text="the document's date; null: the day it is made")
    signer_name = inputs.Text(max_length=LIMITS["signer_name"], required=False, allow_blank=True)
    signer_title = inputs.Text(max_length=LIMITS["signer_title"], required=False, allow_blank=True)
    authority = inputs.Text(max_length=LIMITS["authority"], required=False, allow_blank=True)
    recipients = serializers.ListField(
        child=inputs.Text(max_length=RECIPIENT_LENGTH), max_length=RECIPIENT_LINES, required=False
    )
    problems = inputs.Text(max_length=LIMITS["problems"], required=False, allow_blank=True)
    proposals = inputs.Text(max_length=LIMITS["proposals"], required=False, allow_blank=True)


class GeneratedOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    fmt = serializers.CharField()
    language = serializers.CharField()
    assessment = serializers.IntegerField(source="assessment_id", allow_null=True)
    campaign = serializers.CharField(source="campaign.code", allow_null=True, default=None)
    status = serializers.CharField(help_text="queued, running, done or failed")
    progress = serializers.IntegerField(help_text="0–100")
    message = serializers.CharField(help_text="why it failed")
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    filename = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download = serializers.SerializerMethodField()

    def get_download(self, generated) -> str | None:
        if generated.status != JobStatus.DONE:
            return None
        return reverse("api:generated-file-download", args=[generated.pk])


class GeneratedList(APIView):
    """The documents one asked for, newest first (the last 50); POST asks for one (a JSON body: its recipients are
    a list)."""

    parser_classes = [JSONParser]

    @extend_schema(responses={200: GeneratedOut(many=True), **READ_ERRORS})
    def get(self, request):
        return Response(GeneratedOut(access.generated_files_of(request.user)[:LIST_SIZE], many=True).data)

    @extend_schema(request=DocumentRequestIn, responses={202: GeneratedOut, **WRITE_ERRORS})
    def post(self, request):
        data = validated(DocumentRequestIn, request)
        generated = document_request(
            user=request.user,
            kind=data["kind"],
            fmt=data.get("fmt", "docx"),
            assessment_id=data.get("assessment"),
            campaign_code=data.get("campaign"),
            unit=data.get("unit", ""),
            group=data.get("group", ""),
            data={name: data[name] for name in ("number", "day", "recipients", *LIMITS) if name in data},
        )
        return Response(GeneratedOut(generated).data, status=status.HTTP_202_ACCEPTED)


def _generated(request, pk: int):
    generated = None if pk > inputs.PK_MAX else access.get_generated_file_for_user(request.user, pk)
    if generated is None:
        raise Http404
    return generated


class GeneratedDetail(APIView):
    """One requested document: its status and progress while it is being made."""

    @extend_schema(responses={200: GeneratedOut, **READ_ERRORS})
    def get(self, request, pk: int):
        return Response(GeneratedOut(_generated(request, pk)).data)


class GeneratedDownload(APIView):
    """The finished file (404 until it is done)."""

    @extend_schema(
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="the DOCX"),
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the PDF"),
            **READ_ERRORS,
        }
    )
    def get(self, request, pk: int):
        generated = _generated(request, pk)
        if generated.status != JobStatus.DONE or not generated.file:
            raise Http404
        return FileResponse(
            generated.file.open("rb"),
            as_attachment=True,
            filename=generated.filename,
            content_type=DOCX_TYPE if generated.fmt == "docx" else "application/pdf",
        )
