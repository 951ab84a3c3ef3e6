"""REST API for issue 10's rollouts: the list, the board (paged, with filters), a unit's entry with its phase
history and gates, moving a unit into a phase or skipping one, recording a gate by hand, the preliminary survey
(questions, a unit's answers saved or submitted, every unit side by side) and training sessions (list, create,
attendance by name, signing in with the code shown in the room). Same rules as the pages: 404 when the rollout or
the unit is not visible, 403 when visible but not yours to change; every write calls the rollout services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, error_responses
from tincay.api.inputs import json_or_form, validated
from tincay.api.queries import query_values
from tincay.assessments.models import Document
from tincay.common.text import printable
from tincay.orgunits.models import AdminUnit
from tincay.rollout import access
from tincay.rollout.choices import TrainingLevel
from tincay.rollout.gates import template_phases
from tincay.rollout.models import Attendance, GateRecord, PhaseRecord, Rollout, RolloutUnit, TrainingSession
from tincay.rollout.selectors import board as board_selectors
from tincay.rollout.selectors import preparation as preparation_selectors
from tincay.rollout.services import phases as phase_services
from tincay.rollout.services import preparation as preparation_services

TEXT_MAX = 10_000
KEY_MAX = 100


def _text_key(value: str) -> str:
    if "\x00" in value or len(value) > KEY_MAX:
        raise Http404
    return value


def _rollout(request: Any, code: str) -> Rollout:
    rollout = access.get_rollout_for_user(request.user, _text_key(code))
    if rollout is None:
        raise Http404(_("This rollout does not exist or is not visible to you."))
    return rollout


def _managed(request: Any, code: str) -> Rollout:
    rollout = _rollout(request, code)
    if not access.can_manage_rollout(request.user, rollout):
        raise PermissionDenied(_("Only the rollout's coordinators change this."))
    return rollout


def _entry(request: Any, rollout: Rollout, key: str) -> RolloutUnit:
    entry = access.entries_visible_to(request.user, rollout).filter(unit__key=_text_key(key)).first()
    if entry is None:
        raise Http404(_("This unit is not in the rollout or is not visible to you."))
    entry.rollout = rollout
    return entry


def _session(request: Any, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession:
    if pk > inputs.PK_MAX:
        raise Http404
    sessions = TrainingSession.objects.filter(rollout=rollout, pk=pk)
    if not everything:
        visible = access.entries_visible_to(request.user, rollout).values("unit_id")
        sessions = sessions.filter(units__in=visible).distinct()
    session = sessions.first()
    if session is None:
        raise Http404(_("This training session does not exist or is not visible to you."))
    session.rollout = rollout
    return session


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


@extend_schema(responses={200: RolloutOut(many=True), **LIST_ERRORS})
class RolloutList(generics.ListAPIView):
    """The rollouts you may see: coordinators and viewers over the coordinating unit, and the rollout's units."""

    serializer_class = RolloutOut

    def get_queryset(self):
        return access.rollouts_visible_to(self.request.user).order_by("-starts_on", "code")


class RolloutDetail(APIView):
    @extend_schema(responses={200: BoardOut, **error_responses(400, 403, 404, 429)}, parameters=[BoardFilter])
    def get(self, request, code: str):
        """The board: each unit's phase, days in it, whether it is stuck and the gates of its current phase;
        filters ``phase``, ``stuck``, ``q`` (name); 50 rows a page (``page``)."""
        rollout = _rollout(request, code)
        given = BoardFilter(data=query_values(request, BoardFilter().fields))
        given.is_valid(raise_exception=True)
        data = given.validated_data
        page = data.get("page") or "1"
        if not page.isascii() or not page.isdigit() or not 1 <= int(page) <= 10**9:
            raise ValidationError(
                {"page": [_("Give a whole number from %(low)s to %(high)s.") % {"low": 1, "high": "1.000.000.000"}]}
            )
        phases = template_phases(rollout.template_id)
        if data.get("phase") and data["phase"] not in {p.key for p in phases}:
            raise ValidationError({"phase": [_("Choose one of the phases of this rollout.")]})
        filters = board_selectors.Filters(
            phase=data.get("phase") or "",
            stuck=data.get("stuck") in ("1", "true"),
            name=printable(data.get("q") or "").strip()[:100],
        )
        board = board_selectors.rollout_board(request.user, rollout, filters, page=int(page))
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


class SurveyQuestions(APIView):
    @extend_schema(responses={200: QuestionsOut, **READ_ERRORS})
    def get(self, request, code: str):
        """The rollout's preliminary questionnaire, in order."""
        rollout = _rollout(request, code)
        questions = preparation_selectors.survey_questions(rollout)
        locked = preparation_services.questions_locked(rollout)
        return Response(QuestionsOut({"locked": locked, "questions": questions}).data)


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
    submitted = serializers.IntegerField()
    questions = SummaryOut(many=True)
    rows = SurveyRowOut(many=True)


class SurveyCompare(APIView):
    @extend_schema(responses={200: SurveyComparisonOut, **READ_ERRORS})
    def get(self, request, code: str):
        """Every visible unit's answers side by side, and per question the counts over submitted units."""
        rollout = _rollout(request, code)
        comparison = preparation_selectors.survey_comparison(rollout, access.entries_visible_to(request.user, rollout))
        return Response(SurveyComparisonOut(comparison).data)


# ---- training -----------------------------------------------------------------------------------------------------


class SessionOut(serializers.ModelSerializer):
    units = serializers.SlugRelatedField(slug_field="key", many=True, read_only=True)
    materials = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    code_open = serializers.SerializerMethodField()
    level = serializers.CharField(help_text="basic or in_depth")

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "held_on",
            "trainer",
            "topic",
            "level",
            "place",
            "units",
            "materials",
            "materials_note",
            "code_open",
        ]

    def get_code_open(self, obj: TrainingSession) -> bool:
        return bool(obj.code_open_until and obj.code_open_until > timezone.now())


class AttendanceOut(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.key", default=None, allow_null=True)
    session = serializers.IntegerField(source="session_id")

    class Meta:
        model = Attendance
        fields = ["id", "session", "name", "unit", "position", "user", "via", "recorded_at"]


@extend_schema_field({"type": "string", "pattern": "^(?:basic|in_depth)$", "description": "basic or in_depth"})
class LevelChoice(inputs.Choice):
    """A training level (a pattern in the schema: enums named "level" exist for criterion levels)."""


class SessionWrite(inputs.InputSerializer):
    units = serializers.ListField(
        child=inputs.Text(max_length=KEY_MAX), min_length=1, max_length=5000, help_text="keys of the rollout's units"
    )
    held_on = inputs.Day()
    trainer = inputs.Text(max_length=200)
    topic = inputs.Text(max_length=300)
    level = LevelChoice(choices=TrainingLevel.choices)
    place = inputs.Text(max_length=300, required=False, allow_blank=True)
    materials = serializers.ListField(
        child=inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX), max_length=100, required=False
    )
    materials_note = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


class AttendanceWrite(inputs.InputSerializer):
    name = inputs.Text(max_length=200, required=False, allow_blank=True, help_text="empty: the account's name")
    unit = inputs.Text(max_length=KEY_MAX, help_text="key of a unit the session trains")
    position = inputs.Text(max_length=200, required=False, allow_blank=True)
    username = inputs.Text(max_length=150, required=False, allow_blank=True, help_text="the person's account")


class SignIn(inputs.InputSerializer):
    code = inputs.Text(max_length=40, help_text="the code shown in the room")


@extend_schema(methods=["GET"], responses={200: SessionOut(many=True), **READ_ERRORS, **error_responses(400)})
@extend_schema(methods=["POST"], request=json_or_form(SessionWrite), responses={201: SessionOut, **WRITE_ERRORS})
class SessionList(generics.ListCreateAPIView):
    """The rollout's training sessions (those training a unit you see); POST records one (coordinators)."""

    serializer_class = SessionOut

    def get_queryset(self):
        rollout = _rollout(self.request, self.kwargs["code"])
        sessions = TrainingSession.objects.filter(rollout=rollout)
        if not access.can_manage_rollout(self.request.user, rollout):
            visible = access.entries_visible_to(self.request.user, rollout).values("unit_id")
            sessions = TrainingSession.objects.filter(pk__in=sessions.filter(units__in=visible).values("pk"))
        return sessions.prefetch_related("units", "materials").order_by("held_on", "id")

    def create(self, request, *args, **kwargs):
        rollout = _managed(request, self.kwargs["code"])
        data = validated(SessionWrite, request)
        keys = list(dict.fromkeys(data["units"]))
        units = list(AdminUnit.objects.filter(rollout_entries__rollout=rollout, key__in=keys).distinct())
        missing = sorted(set(keys) - {u.key for u in units})
        if missing:
            raise ValidationError(
                {"units": [_("These units are not in this rollout: %(units)s.") % {"units": ", ".join(missing[:20])}]}
            )
        materials = list(Document.objects.filter(pk__in=data.get("materials", [])))
        if len(materials) != len(set(data.get("materials", []))):
            raise ValidationError({"materials": [_("Choose documents from the register.")]})
        session = preparation_services.training_session_create(
            actor=request.user,
            rollout=rollout,
            units=units,
            held_on=data.get("held_on"),
            trainer=data["trainer"],
            topic=data["topic"],
            level=data["level"],
            place=data.get("place", ""),
            materials=materials,
            materials_note=data.get("materials_note", ""),
        )
        return Response(SessionOut(session).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], responses={200: AttendanceOut(many=True), **READ_ERRORS, **error_responses(400)})
@extend_schema(methods=["POST"], request=json_or_form(AttendanceWrite), responses={201: AttendanceOut, **WRITE_ERRORS})
class AttendanceList(generics.ListCreateAPIView):
    """The attendance list of a session (your units' people unless you manage the rollout); POST adds someone
    by name (coordinators)."""

    serializer_class = AttendanceOut

    def get_queryset(self):
        rollout = _rollout(self.request, self.kwargs["code"])
        can_manage = access.can_manage_rollout(self.request.user, rollout)
        session = _session(self.request, rollout, self.kwargs["pk"], everything=can_manage)
        rows = (
            Attendance.objects.filter(session=session).select_related("unit").order_by("unit__sort_key", "name", "id")
        )
        if not can_manage:
            rows = rows.filter(unit_id__in=access.entries_visible_to(self.request.user, rollout).values("unit_id"))
        return rows

    def create(self, request, *args, **kwargs):
        rollout = _rollout(request, self.kwargs["code"])
        can_manage = access.can_manage_rollout(request.user, rollout)
        session = _session(request, rollout, self.kwargs["pk"], everything=can_manage)
        if not can_manage:
            raise PermissionDenied(_("Only the rollout's coordinators change this."))
        data = validated(AttendanceWrite, request)
        unit = session.units.filter(key=data["unit"]).first()
        user = None
        if data.get("username", "").strip():
            user = get_user_model().objects.filter(username=data["username"].strip(), is_active=True).first()
            if user is None:
                raise ValidationError({"username": [_("No active account has this user name.")]})
        attendee = preparation_services.attendance_add(
            actor=request.user,
            session=session,
            name=data.get("name", ""),
            unit=unit,
            position=data.get("position", ""),
            user=user,
        )
        return Response(AttendanceOut(attendee).data, status=status.HTTP_201_CREATED)


class TrainingSignIn(APIView):
    @extend_schema(request=json_or_form(SignIn), responses={201: AttendanceOut, **WRITE_ERRORS})
    def post(self, request):
        """Record your own attendance with the code shown in the room (while it is open)."""
        data = validated(SignIn, request)
        attendee = preparation_services.attendance_sign_in(actor=request.user, code=data["code"])
        return Response(AttendanceOut(attendee).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("rollouts/", RolloutList.as_view(), name="rollouts"),
    path("rollouts/training/sign-in/", TrainingSignIn.as_view(), name="training-sign-in"),
    path("rollouts/<slug:code>/", RolloutDetail.as_view(), name="rollout"),
    path("rollouts/<slug:code>/units/<str:key>/", EntryDetail.as_view(), name="rollout-entry"),
    path("rollouts/<slug:code>/units/<str:key>/phase/", PhaseEnter.as_view(), name="rollout-phase"),
    path("rollouts/<slug:code>/units/<str:key>/skip/", PhaseSkipView.as_view(), name="rollout-skip"),
    path("rollouts/<slug:code>/units/<str:key>/gates/", GateRecordView.as_view(), name="rollout-gate"),
    path("rollouts/<slug:code>/units/<str:key>/survey/", SurveyAnswers.as_view(), name="rollout-survey"),
    path("rollouts/<slug:code>/survey/questions/", SurveyQuestions.as_view(), name="rollout-questions"),
    path("rollouts/<slug:code>/survey/compare/", SurveyCompare.as_view(), name="rollout-compare"),
    path("rollouts/<slug:code>/training/", SessionList.as_view(), name="rollout-training"),
    path("rollouts/<slug:code>/training/<int:pk>/attendance/", AttendanceList.as_view(), name="rollout-attendance"),
]
