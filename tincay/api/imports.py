"""Imports of spreadsheets through the API: check a file (the dry run, every row reported), follow the run, read its
rows a page at a time, then import it for real (queued for the worker, all or nothing, refused when the file given
again differs from the one checked). The services (``reports.imports.service``) do the checking."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import READ_ERRORS, WRITE_ERRORS
from tincay.api.inputs import validated
from tincay.api.rollout.common import page_number
from tincay.assessments import access
from tincay.reports.imports.access import can_import_into, get_import_run_for_user, import_runs_of
from tincay.reports.imports.service import KINDS, import_check, import_start

ROWS_PAGE = 200
LIST_SIZE = 50


class ImportCheckIn(inputs.InputSerializer):
    kind = inputs.Choice(choices=list(KINDS), help_text="results (self-assessment) or values (measured values)")
    file = serializers.FileField(help_text="an Excel workbook (.xlsx) or a CSV file, as the criteria export writes it")


class ImportStartIn(inputs.InputSerializer):
    file = serializers.FileField(required=False, help_text="the file again: refused unless it is the one checked")


class ImportCountsOut(serializers.Serializer):
    new = serializers.IntegerField()
    changed = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    refused = serializers.IntegerField()
    total = serializers.IntegerField()


class ImportRunOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    campaign = serializers.CharField(source="campaign.code")
    filename = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    status = serializers.CharField(help_text="checked, refused, queued, running, done or failed")
    progress = serializers.IntegerField()
    message = serializers.CharField()
    rows_written = serializers.IntegerField()
    requested_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    counts = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField(help_text="problems of the file as a whole (a wrong type, a column)")

    def get_counts(self, run) -> ImportCountsOut:
        counts = (run.report or {}).get("counts") or {}
        return {name: counts.get(name, 0) for name in ("new", "changed", "unchanged", "refused", "total")}

    def get_errors(self, run) -> list[str]:
        return list((run.report or {}).get("errors") or [])


class ImportChangeOut(serializers.Serializer):
    column = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField(allow_blank=True)


class ImportProblemOut(serializers.Serializer):
    column = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ImportRowOut(serializers.Serializer):
    row = serializers.IntegerField(help_text="the row number as Excel shows it")
    unit = serializers.CharField(allow_blank=True)
    criterion = serializers.CharField(allow_blank=True)
    outcome = serializers.CharField(help_text="new, changed, unchanged or refused")
    changes = ImportChangeOut(many=True, required=False)
    errors = ImportProblemOut(many=True, required=False)


class ImportRowsOut(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    rows = ImportRowOut(many=True)


def _campaign(request, code: str):
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404
    if not can_import_into(request.user, campaign):
        raise PermissionDenied(_("Only an administrator or a coordinator of units of this campaign imports results."))
    return campaign


def _run(request, code: str, pk: int):
    campaign = _campaign(request, code)
    run = None if pk > inputs.PK_MAX else get_import_run_for_user(request.user, campaign, pk)
    if run is None:
        raise Http404
    return run


class ImportList(APIView):
    """The person's imports into a campaign (the last 50); POST checks a file: the dry run, nothing written."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses={200: ImportRunOut(many=True), **READ_ERRORS})
    def get(self, request, code: str):
        runs = import_runs_of(request.user, _campaign(request, code))[:LIST_SIZE]
        return Response(ImportRunOut(runs, many=True).data)

    @extend_schema(request={"multipart/form-data": ImportCheckIn}, responses={201: ImportRunOut, **WRITE_ERRORS})
    def post(self, request, code: str):
        campaign = _campaign(request, code)
        data = validated(ImportCheckIn, request)
        run = import_check(user=request.user, campaign=campaign, kind=data["kind"], upload=data["file"])
        return Response(ImportRunOut(run).data, status=status.HTTP_201_CREATED)


class ImportDetail(APIView):
    """One import: its status, progress and counts."""

    @extend_schema(responses={200: ImportRunOut, **READ_ERRORS})
    def get(self, request, code: str, pk: int):
        return Response(ImportRunOut(_run(request, code, pk)).data)


class ImportRows(APIView):
    """Every row's outcome, refused rows first, 200 per page (``?page=``)."""

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="from 1; past the last page: the last page")],
        responses={200: ImportRowsOut, **READ_ERRORS},
    )
    def get(self, request, code: str, pk: int):
        rows = (_run(request, code, pk).report or {}).get("rows") or []
        pages = max(1, -(-len(rows) // ROWS_PAGE))
        page = min(page_number(request.query_params.get("page")), pages)
        shown = rows[(page - 1) * ROWS_PAGE : page * ROWS_PAGE]
        return Response(ImportRowsOut({"count": len(rows), "page": page, "pages": pages, "rows": shown}).data)


class ImportStart(APIView):
    """Import a checked file for real: queued for the worker, all or nothing; give the file again to be sure it is
    the one checked."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportStartIn}, responses={202: ImportRunOut, **WRITE_ERRORS})
    def post(self, request, code: str, pk: int):
        run = _run(request, code, pk)
        data = validated(ImportStartIn, request)
        run = import_start(user=request.user, run=run, upload=data.get("file"))
        return Response(ImportRunOut(run).data, status=status.HTTP_202_ACCEPTED)
