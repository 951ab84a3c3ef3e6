"""Imports of spreadsheets through the API: check a file (the dry run, every row reported), follow the run, read its
rows a page at a time, then import it for real (queued for the worker, all or nothing, refused when the file given
again differs from the one checked). The services (``reports.imports.service``) do the checking.

Results and measured values go into a campaign (``/campaigns/<code>/imports/``); people, units and lineage events
into none (``/imports/``). The same views serve both: ``code`` is None outside a campaign."""

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
from tincay.reports.imports.kinds import KINDS, campaign_kinds, general_kinds, general_kinds_for
from tincay.reports.imports.service import import_check, import_start

ROWS_PAGE = 200
LIST_SIZE = 50


class ImportCheckIn(inputs.InputSerializer):
    kind = inputs.Choice(
        choices=list(campaign_kinds()), help_text="results (self-assessment) or values (measured values)"
    )
    file = serializers.FileField(help_text="an Excel workbook (.xlsx) or a CSV file, as the criteria export writes it")


class GeneralImportCheckIn(inputs.InputSerializer):
    kind = inputs.Choice(
        choices=list(general_kinds()),
        help_text="people (users and their roles), units (administrative units) or lineage (merges, splits…)",
    )
    file = serializers.FileField(help_text="an Excel workbook (.xlsx) or a CSV file, as the export writes it")


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
    campaign = serializers.CharField(source="campaign.code", allow_null=True, help_text="null outside a campaign")
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
    keys = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        help_text="what the row is about: unit and criterion; username, unit and role; unit; event",
    )
    unit = serializers.CharField(allow_blank=True, required=False, help_text="results and values: the unit's key")
    criterion = serializers.CharField(allow_blank=True, required=False, help_text="results and values")
    outcome = serializers.CharField(help_text="new, changed, unchanged or refused")
    changes = ImportChangeOut(many=True, required=False)
    errors = ImportProblemOut(many=True, required=False)


class ImportRowsOut(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    rows = ImportRowOut(many=True)


def _campaign(request, code: str | None):
    """The campaign of ``code`` (404 unseen, 403 when the user may not import into it); outside a campaign, None
    (403 when the user may import no kind there)."""
    if code is None:
        if not general_kinds_for(request.user):
            raise PermissionDenied(
                _("Only administrators import units and lineage, and administrators and coordinators import people.")
            )
        return None
    campaign = access.campaigns_visible_to(request.user).filter(code=code).first()
    if campaign is None:
        raise Http404
    if not can_import_into(request.user, campaign):
        raise PermissionDenied(_("Only an administrator or a coordinator of units of this campaign imports results."))
    return campaign


def _run(request, code: str | None, pk: int):
    campaign = _campaign(request, code)
    run = None if pk > inputs.PK_MAX else get_import_run_for_user(request.user, campaign, pk)
    if run is None:
        raise Http404
    return run


class ImportList(APIView):
    """The person's imports into a campaign (the last 50); POST checks a file: the dry run, nothing written."""

    parser_classes = [MultiPartParser]
    check_input = ImportCheckIn

    @extend_schema(responses={200: ImportRunOut(many=True), **READ_ERRORS})
    def get(self, request, code: str | None = None):
        runs = import_runs_of(request.user, _campaign(request, code))[:LIST_SIZE]
        return Response(ImportRunOut(runs, many=True).data)

    @extend_schema(request={"multipart/form-data": ImportCheckIn}, responses={201: ImportRunOut, **WRITE_ERRORS})
    def post(self, request, code: str | None = None):
        campaign = _campaign(request, code)
        data = validated(self.check_input, request)
        run = import_check(user=request.user, campaign=campaign, kind=data["kind"], upload=data["file"])
        return Response(ImportRunOut(run).data, status=status.HTTP_201_CREATED)


class GeneralImportList(ImportList):
    """The person's imports of people, units and lineage events (the last 50); POST checks a file: the dry run,
    nothing written."""

    check_input = GeneralImportCheckIn

    @extend_schema(responses={200: ImportRunOut(many=True), **READ_ERRORS})
    def get(self, request):
        return super().get(request)

    @extend_schema(request={"multipart/form-data": GeneralImportCheckIn}, responses={201: ImportRunOut, **WRITE_ERRORS})
    def post(self, request):
        return super().post(request)


class ImportDetail(APIView):
    """One import: its status, progress and counts."""

    @extend_schema(responses={200: ImportRunOut, **READ_ERRORS})
    def get(self, request, pk: int, code: str | None = None):
        return Response(ImportRunOut(_run(request, code, pk)).data)


class ImportRows(APIView):
    """Every row's outcome, refused rows first, 200 per page (``?page=``)."""

    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="from 1; past the last page: the last page")],
        responses={200: ImportRowsOut, **READ_ERRORS},
    )
    def get(self, request, pk: int, code: str | None = None):
        run = _run(request, code, pk)
        rows = (run.report or {}).get("rows") or []
        pages = max(1, -(-len(rows) // ROWS_PAGE))
        page = min(page_number(request.query_params.get("page")), pages)
        shown = rows[(page - 1) * ROWS_PAGE : page * ROWS_PAGE]
        names = getattr(KINDS.get(run.kind), "key_names", ())
        for row in shown:  # the report keeps keys by name; the API gives them in order too
            row.setdefault("keys", [row.get(name, "") for name in names])
        return Response(ImportRowsOut({"count": len(rows), "page": page, "pages": pages, "rows": shown}).data)


class ImportStart(APIView):
    """Import a checked file for real: queued for the worker, all or nothing; give the file again to be sure it is
    the one checked."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ImportStartIn}, responses={202: ImportRunOut, **WRITE_ERRORS})
    def post(self, request, pk: int, code: str | None = None):
        run = _run(request, code, pk)
        data = validated(ImportStartIn, request)
        run = import_start(user=request.user, run=run, upload=data.get("file"))
        return Response(ImportRunOut(run).data, status=status.HTTP_202_ACCEPTED)
