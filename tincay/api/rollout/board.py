"""The rollouts and their board: the list (and opening one), adding units, the board (paged, with filters), a
unit's entry with its phase history and gates, moving a unit into a phase or skipping one, recording a gate by
hand, and the unit's documents (steering committee decision, support team, final report).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from tincay.api.inputs import json_or_form, validated
from tincay.api.queries import query_values
from tincay.api.rollout.common import KEY_MAX, TEXT_MAX, _entry, _managed, _rollout, _text_key, page_number
from tincay.assessments.access import campaigns_visible_to
from tincay.assessments.models import Document
from tincay.common.text import printable
from tincay.orgunits.models import AdminUnit
from tincay.rollout import access
from tincay.rollout.gates import template_phases
from tincay.rollout.models import GateRecord, PhaseRecord, PhaseTemplate, Rollout, RolloutUnit
from tincay.rollout.selectors import board as board_selectors
from tincay.rollout.services import phases as phase_services

# ---- rollouts, the board, a unit's entry ------------------------------------------------------------------------


class RolloutOut(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.key")
    template = serializers.CharField(source="template.code", default="")
    campaign = serializers.CharField(source="campaign.code", default=None, allow_null=True)

    class Meta:
        model = Rollout
        fields = [
            "code",
            "title_vi",
            "title_en",
            "owner_unit",
            "template",
            "campaign",
            "starts_on",
            "ends_on",
            "stuck_after_days",
            "is_demo",
        ]


class PhaseOut(serializers.Serializer):
    key = serializers.CharField()
    order = serializers.IntegerField()
    title_vi = serializers.CharField()
    title_en = serializers.CharField(allow_blank=True)
    gates = serializers.ListField(child=serializers.CharField(), source="api_gates", help_text="gate keys")


class GateOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    by_hand = serializers.BooleanField()
    reason = serializers.CharField(allow_blank=True)
    detail = serializers.CharField(allow_blank=True)
    has_data = serializers.BooleanField()


class CellOut(serializers.Serializer):
    phase = serializers.CharField(source="phase.key")
    state = serializers.CharField(help_text="current, done, skipped, future or not_recorded")


class RowOut(serializers.Serializer):
    unit = serializers.CharField(source="entry.unit.key")
    unit_name = serializers.CharField(source="entry.unit.name")
    parent_name = serializers.CharField(source="entry.unit.parent.name", default="")
    phase = serializers.CharField(source="entry.current_phase")
    phase_since = serializers.DateField(source="entry.phase_since")
    days = serializers.IntegerField()
    stuck = serializers.BooleanField()
    survey_submitted_at = serializers.DateTimeField(source="entry.survey_submitted_at", allow_null=True)
    report_sent_on = serializers.DateField(source="entry.report_sent_on", allow_null=True)
    cells = CellOut(many=True)
    gates = GateOut(many=True, help_text="the gates of the current phase")


class PhaseCountOut(serializers.Serializer):
    phase = serializers.CharField(source="phase.key")
    units = serializers.IntegerField()
    stuck = serializers.IntegerField()


class BoardOut(serializers.Serializer):
    rollout = RolloutOut()
    phases = PhaseOut(many=True)
    counts = PhaseCountOut(many=True)
    total = serializers.IntegerField(help_text="units you see, before the filters")
    stuck_total = serializers.IntegerField()
    threshold = serializers.IntegerField(help_text="days in a phase after which a unit is stuck")
    count = serializers.IntegerField(help_text="rows the filters keep")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    can_manage = serializers.BooleanField()
    results = RowOut(many=True)


class BoardFilter(serializers.Serializer):
    phase = inputs.Text(max_length=KEY_MAX, required=False, allow_blank=True, help_text="key of a phase")
    stuck = inputs.Choice(choices=["", "1", "0", "true", "false"], required=False, allow_blank=True)
    q = inputs.Text(max_length=100, required=False, allow_blank=True, help_text="name or code of a unit")
    page = inputs.Text(max_length=12, required=False, allow_blank=True, help_text="page number, from 1")


def _phases_out(phases: list[Any]) -> list[Any]:
    for phase in phases:
        phase.api_gates = [g.get("key", "") for g in phase.gates or []]
    return phases


class RolloutWrite(inputs.InputSerializer):
    code = inputs.Text(max_length=60, help_text="letters without diacritics, digits and dashes, e.g. hai-phong-2026")
    title_vi = inputs.Text(max_length=phase_services.TITLE_LIMIT)
    title_en = inputs.Text(max_length=phase_services.TITLE_LIMIT, required=False, allow_blank=True)
    owner_unit = inputs.Text(max_length=40, help_text="key of the coordinating unit (the province or district)")
    template = inputs.Text(max_length=60, help_text="code of a phase template, e.g. five-phases")
    template_version = inputs.WholeNumber(
        min_value=1, max_value=10_000, required=False, allow_null=True, help_text="absent or null: the latest"
    )
    campaign = inputs.Text(
        max_length=60, required=False, allow_blank=True, help_text="code of an assessment campaign; empty: none"
    )
    starts_on = inputs.Day()
    ends_on = inputs.Day()
    stuck_after_days = inputs.WholeNumber(
        min_value=1, max_value=3650, required=False, allow_null=True, help_text="absent or null: the template's"
    )


def _rollout_arguments(request: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    """The service's arguments for the codes given (a 400 naming each code that names nothing)."""
    errors: dict[str, list[str]] = {}
    owner = AdminUnit.objects.filter(key=data["owner_unit"]).first()
    if owner is None:
        errors["owner_unit"] = [_("No unit has this code: check it.")]
    templates = PhaseTemplate.objects.filter(code=data["template"])
    if data.get("template_version") is not None:
        templates = templates.filter(version=data["template_version"])
    template = templates.order_by("-version").first()
    if template is None:
        errors["template"] = [_("No phase template has this code and version: check them.")]
    campaign = None
    if data.get("campaign"):
        campaign = campaigns_visible_to(request.user).filter(code=data["campaign"]).first()
        if campaign is None:
            errors["campaign"] = [_("Choose an assessment campaign visible to you, or none.")]
    if errors:
        raise ValidationError(errors)
    return {
        "code": data["code"],
        "title_vi": data["title_vi"],
        "title_en": data.get("title_en", ""),
        "owner_unit": owner,
        "template": template,
        "campaign": campaign,
        "starts_on": data.get("starts_on"),
        "ends_on": data.get("ends_on"),
        "stuck_after_days": data.get("stuck_after_days"),
    }


@extend_schema(methods=["GET"], responses={200: RolloutOut(many=True), **LIST_ERRORS})
@extend_schema(methods=["POST"], request=json_or_form(RolloutWrite), responses={201: RolloutOut, **WRITE_ERRORS})
class RolloutList(generics.ListCreateAPIView):
    """The rollouts you may see: coordinators and viewers over the coordinating unit, and the rollout's units;
    POST opens one over a unit you coordinate (administrators and coordinators), then add its units."""

    serializer_class = RolloutOut

    def get_queryset(self):
        return access.rollouts_visible_to(self.request.user).order_by("-starts_on", "code")

    def create(self, request, *args, **kwargs):
        if not access.can_create_rollout(request.user):
            raise PermissionDenied(_("Only administrators and coordinators open rollouts."))
        data = validated(RolloutWrite, request)
        rollout = phase_services.rollout_create(actor=request.user, **_rollout_arguments(request, data))
        return Response(RolloutOut(rollout).data, status=status.HTTP_201_CREATED)


class UnitsAdd(inputs.InputSerializer):
    units = serializers.ListField(
        child=inputs.Text(max_length=40),
        required=False,
        max_length=phase_services.MAX_UNITS,
        help_text="keys of units under the coordinating unit",
    )
    all_communes = serializers.BooleanField(
        required=False, default=False, help_text="also every commune of today under the coordinating unit"
    )
    on = inputs.Day(help_text="the day they enter the first phase (not in the future, not before the start)")

    def validate(self, data):
        keys = data.get("units") or []
        if not keys and not data.get("all_communes"):
            raise ValidationError({"units": [_("Choose at least one unit.")]})
        if len(set(keys)) < len(keys):  # a list is exact here; the page's typed codes may repeat
            raise ValidationError({"units": [_("A unit is listed twice.")]})
        return data


class AddedOut(serializers.Serializer):
    unit = serializers.CharField(source="unit.key")
    unit_name = serializers.CharField(source="unit.name")
    phase = serializers.CharField(source="current_phase")
    phase_since = serializers.DateField()


class RolloutUnitsAdd(APIView):
    @extend_schema(request=json_or_form(UnitsAdd), responses={201: AddedOut(many=True), **WRITE_ERRORS})
    def post(self, request, code: str):
        """Add units of the coordinating unit's subtree, by key and/or every commune of today under it
        (``all_communes``); each starts in the template's first phase."""
        rollout = _managed(request, code)
        data = validated(UnitsAdd, request)
        added = phase_services.rollout_add_units_by_key(
            actor=request.user,
            rollout=rollout,
            keys=data.get("units") or [],
            all_communes=data["all_communes"],
            on=data.get("on"),
        )
        return Response(AddedOut(added, many=True).data, status=status.HTTP_201_CREATED)


class RolloutDetail(APIView):
    @extend_schema(responses={200: BoardOut, **error_responses(400, 403, 404, 429)}, parameters=[BoardFilter])
    def get(self, request, code: str):
        """The board: each unit's phase, days in it, whether it is stuck and the gates of its current phase;
        filters ``phase``, ``stuck``, ``q`` (name); 50 rows a page (``page``)."""
        rollout = _rollout(request, code)
        given = BoardFilter(data=query_values(request, BoardFilter().fields))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        page = page_number(data.get("page"))
        phases = template_phases(rollout.template_id)
        if data.get("phase") and data["phase"] not in {p.key for p in phases}:
            raise ValidationError({"phase": [_("Choose one of the phases of this rollout.")]})
        filters = board_selectors.Filters(
            phase=data.get("phase") or "",
            stuck=data.get("stuck") in ("1", "true"),
            name=printable(data.get("q") or "").strip()[:100],
        )
        board = board_selectors.rollout_board(request.user, rollout, filters, page=page)
        body = {
            "rollout": rollout,
            "phases": _phases_out(board.phases),
            "counts": board.counts,
            "total": board.total,
            "stuck_total": board.stuck_total,
            "threshold": board.threshold,
            "count": board.page.paginator.count if board.page else len(board.rows),
            "page": board.page.number if board.page else 1,
            "pages": board.page.paginator.num_pages if board.page else 1,
            "can_manage": access.can_manage_rollout(request.user, rollout),
            "results": board.rows,
        }
        return Response(BoardOut(body).data)


class PhaseRecordOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.display_name", default="")

    class Meta:
        model = PhaseRecord
        fields = ["phase", "entered_on", "left_on", "skipped", "reason", "actor", "created_at"]


class GateRecordOut(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.display_name", default="")

    class Meta:
        model = GateRecord
        fields = ["id", "gate", "met", "reason", "document", "recorded_by", "recorded_at"]


class PhaseGatesOut(serializers.Serializer):
    phase = serializers.CharField(source="phase.key")
    state = serializers.CharField()
    gates = GateOut(many=True)


class EntryOut(serializers.Serializer):
    row = RowOut()
    history = PhaseRecordOut(many=True, source="records")
    phases = PhaseGatesOut(many=True)
    hand_records = GateRecordOut(many=True)
    steering_decision = serializers.IntegerField(source="row.entry.steering_decision_id", allow_null=True)
    support_team_document = serializers.IntegerField(source="row.entry.support_team_document_id", allow_null=True)
    report_document = serializers.IntegerField(source="row.entry.report_document_id", allow_null=True)
    can_manage = serializers.BooleanField(source="api_can_manage")


def _entry_out(request: Any, rollout: Rollout, key: str) -> dict[str, Any]:
    view = board_selectors.entry_view(request.user, rollout, _text_key(key))
    if view is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    view.api_can_manage = access.can_manage_rollout(request.user, rollout)
    return EntryOut(view).data


class EntryDetail(APIView):
    @extend_schema(responses={200: EntryOut, **READ_ERRORS})
    def get(self, request, code: str, key: str):
        """One unit of the rollout: its phase history, the gates of every phase, the gates recorded by hand."""
        return Response(_entry_out(request, _rollout(request, code), key))


class PhaseMove(inputs.InputSerializer):
    phase = inputs.Text(max_length=KEY_MAX, help_text="key of a phase of the rollout")
    on = inputs.Day(help_text="the day it happened (not in the future)")
    reason = inputs.Text(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text="needed backward or past unmet gates"
    )


class PhaseSkip(PhaseMove):
    reason = inputs.Text(max_length=TEXT_MAX, help_text="why the phase is skipped")


class GateWrite(inputs.InputSerializer):
    gate = inputs.Text(max_length=KEY_MAX, help_text="key of a gate of the rollout's phases")
    met = inputs.YesNo()
    reason = inputs.Text(max_length=TEXT_MAX)
    document = inputs.WholeNumber(
        min_value=1, max_value=inputs.PK_MAX, required=False, allow_null=True, help_text="a document of the register"
    )


def _for_write(request: Any, code: str, key: str) -> tuple[Rollout, RolloutUnit]:
    rollout = _rollout(request, code)
    entry = _entry(request, rollout, key)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    return rollout, entry


class PhaseEnter(APIView):
    @extend_schema(request=json_or_form(PhaseMove), responses={200: EntryOut, **WRITE_ERRORS})
    def post(self, request, code: str, key: str):
        """Move the unit into a phase on a day (a reason to go back, or forward past unmet gates)."""
        rollout, entry = _for_write(request, code, key)
        data = validated(PhaseMove, request)
        phase_services.phase_enter(
            actor=request.user, entry=entry, phase=data["phase"], on=data.get("on"), reason=data.get("reason", "")
        )
        return Response(_entry_out(request, rollout, key))


class PhaseSkipView(APIView):
    @extend_schema(request=json_or_form(PhaseSkip), responses={200: EntryOut, **WRITE_ERRORS})
    def post(self, request, code: str, key: str):
        """Skip a phase with a reason (the current one, or a later one ahead of time)."""
        rollout, entry = _for_write(request, code, key)
        data = validated(PhaseSkip, request)
        phase_services.phase_skip(
            actor=request.user, entry=entry, phase=data["phase"], on=data.get("on"), reason=data["reason"]
        )
        return Response(_entry_out(request, rollout, key))


class GateRecordView(APIView):
    @extend_schema(request=json_or_form(GateWrite), responses={201: GateRecordOut, **WRITE_ERRORS})
    def post(self, request, code: str, key: str):
        """Record a gate by hand, met or not, with a reason (and a document of the unit's register)."""
        _rollout_obj, entry = _for_write(request, code, key)
        data = validated(GateWrite, request)
        document = None
        if data.get("document") is not None:
            document = Document.objects.filter(pk=data["document"], unit_id=entry.unit_id).first()
            if document is None:
                raise ValidationError({"document": [_("Choose a document of this unit's evidence register.")]})
        record = phase_services.gate_record(
            actor=request.user,
            entry=entry,
            gate=data["gate"],
            met=data["met"],
            reason=data["reason"],
            document=document,
        )
        return Response(GateRecordOut(record).data, status=status.HTTP_201_CREATED)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": inputs.PK_MAX},
            {"type": "string", "maxLength": 0},
        ],
        "nullable": True,
        "description": "id of a document of the unit's register; null or empty: none (absent: unchanged)",
    }
)
class DocumentRef(inputs.WholeNumber):
    """A document of the unit's register by id; null or an empty text (what a form sends) clears the field."""

    def __init__(self, **kwargs: Any):
        super().__init__(min_value=1, max_value=inputs.PK_MAX, required=False, allow_null=True, **kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data == "":
            return True, None
        return super().validate_empty_values(data)


class UnitDocumentsWrite(inputs.InputSerializer):
    steering_decision = DocumentRef()
    support_team_document = DocumentRef()
    report_document = DocumentRef()
    report_sent_on = inputs.Day(help_text="the day the final report was sent; null or empty: not sent")


class UnitDocuments(APIView):
    @extend_schema(request=json_or_form(UnitDocumentsWrite), responses={200: EntryOut, **WRITE_ERRORS})
    def patch(self, request, code: str, key: str):
        """Record the unit's steering committee decision, support team document, final report (documents of its
        register) and the day the report was sent; a field left out stays, null clears it (the unit's leader or
        focal point, or the rollout's coordinators)."""
        rollout = _rollout(request, code)
        entry = _entry(request, rollout, key)
        if not access.can_record_unit_documents(request.user, entry):
            raise PermissionDenied(
                _("Only the unit's leader and focal point, or the rollout's coordinators, record these.")
            )
        data = validated(UnitDocumentsWrite, request)
        ids = {name: data[name] for name in phase_services.DOCUMENT_FIELDS if data.get(name) is not None}
        documents = Document.objects.in_bulk(set(ids.values()))
        unknown = {
            name: [_("Choose a document of this unit's evidence register.")]
            for name, pk in ids.items()
            if pk not in documents
        }
        if unknown:
            raise ValidationError(unknown)
        given = {name: documents.get(data[name]) for name in phase_services.DOCUMENT_FIELDS if name in data}
        if "report_sent_on" in data:
            given["report_sent_on"] = data["report_sent_on"]
        phase_services.unit_documents_record(actor=request.user, entry=entry, **given)
        return Response(_entry_out(request, rollout, key))
