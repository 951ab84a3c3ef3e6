"""Training sessions: the list, creating and editing one, attendance by name, the attendance code opened and
closed, and signing in with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import READ_ERRORS, WRITE_ERRORS, error_responses
from tincay.api.inputs import json_or_form, validated
from tincay.api.rollout.common import KEY_MAX, TEXT_MAX, _all_optional, _managed, _rollout
from tincay.assessments.models import Document
from tincay.orgunits.models import AdminUnit
from tincay.rollout import access
from tincay.rollout.choices import TrainingLevel
from tincay.rollout.models import Attendance, Rollout, TrainingSession
from tincay.rollout.services import preparation as preparation_services
from tincay.rollout.services.preparation import checks as preparation_limits

# ---- training -----------------------------------------------------------------------------------------------------


def _session(request: Any, rollout: Rollout, pk: int, *, everything: bool) -> TrainingSession:
    if pk > inputs.PK_MAX:
        raise Http404
    session = access.get_session_for_user(request.user, rollout, pk, everything=everything)
    if session is None:
        raise Http404(_("This training session does not exist or is not visible to you."))
    return session


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


SessionChange = _all_optional(SessionWrite, "SessionChange", "The fields of a training session to change.")


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
        session = preparation_services.training_session_create(
            actor=request.user, rollout=rollout, **_session_arguments(rollout, data)
        )
        return Response(SessionOut(session).data, status=status.HTTP_201_CREATED)


def _session_arguments(rollout: Rollout, data: Mapping[str, Any]) -> dict[str, Any]:
    """The service's arguments for the keys and ids given (a 400 naming those that name nothing)."""
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
    return {
        "units": units,
        "held_on": data.get("held_on"),
        "trainer": data["trainer"],
        "topic": data["topic"],
        "level": data["level"],
        "place": data.get("place", ""),
        "materials": materials,
        "materials_note": data.get("materials_note", ""),
    }


def _session_out(session: TrainingSession) -> dict[str, Any]:
    prefetch_related_objects([session], "units", "materials")
    return SessionOut(session).data


class SessionDetail(APIView):
    @extend_schema(responses={200: SessionOut, **READ_ERRORS})
    def get(self, request, code: str, pk: int):
        """One training session (one training a unit you see, unless you manage the rollout)."""
        rollout = _rollout(request, code)
        can_manage = access.can_manage_rollout(request.user, rollout)
        return Response(_session_out(_session(request, rollout, pk, everything=can_manage)))

    @extend_schema(request=json_or_form(SessionChange), responses={200: SessionOut, **WRITE_ERRORS})
    def patch(self, request, code: str, pk: int):
        """Change a session: the fields given replace its own, the others stay (the rollout's coordinators); a
        unit whose people are on the attendance list stays."""
        rollout = _managed(request, code)
        session = _session(request, rollout, pk, everything=True)
        given = validated(SessionChange, request)
        current = {name: getattr(session, name) for name in SessionWrite().fields if name not in ("units", "materials")}
        current["units"] = [u.key for u in session.units.all()]
        current["materials"] = [d.pk for d in session.materials.all()]
        preparation_services.training_session_update(
            actor=request.user, session=session, **_session_arguments(rollout, {**current, **given})
        )
        return Response(_session_out(_session(request, rollout, pk, everything=True)))


class CodeOut(serializers.Serializer):
    session = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="attendance_code", allow_blank=True, help_text="empty: never opened")
    open = serializers.BooleanField(source="api_open")
    open_until = serializers.DateTimeField(source="code_open_until", allow_null=True)
    attendees = serializers.IntegerField(source="api_attendees")


class CodeOpen(inputs.InputSerializer):
    minutes = inputs.WholeNumber(
        min_value=1, max_value=preparation_limits.CODE_MINUTES_MAX, help_text="how long the code is valid, from now"
    )


def _code_out(session: TrainingSession) -> dict[str, Any]:
    session.api_open = bool(session.code_open_until and session.code_open_until > timezone.now())
    session.api_attendees = session.attendance.count()
    return CodeOut(session).data


def _managed_session(request: Any, code: str, pk: int) -> TrainingSession:
    rollout = _managed(request, code)
    return _session(request, rollout, pk, everything=True)


class AttendanceCode(APIView):
    @extend_schema(responses={200: CodeOut, **READ_ERRORS})
    def get(self, request, code: str, pk: int):
        """The session's attendance code to show in the room, and whether it is open (the rollout's
        coordinators)."""
        return Response(_code_out(_managed_session(request, code, pk)))

    @extend_schema(request=json_or_form(CodeOpen), responses={200: CodeOut, **WRITE_ERRORS})
    def post(self, request, code: str, pk: int):
        """Open a new attendance code, valid for ``minutes`` from now (the rollout's coordinators)."""
        session = _managed_session(request, code, pk)
        data = validated(CodeOpen, request)
        opened = preparation_services.attendance_code_open(actor=request.user, session=session, minutes=data["minutes"])
        return Response(_code_out(opened))


class AttendanceCodeClose(APIView):
    @extend_schema(request=None, responses={200: CodeOut, **error_responses(400, 403, 404, 429)})
    def post(self, request, code: str, pk: int):
        """Close the attendance code now (the rollout's coordinators); refused when it is not open."""
        session = _managed_session(request, code, pk)
        closed = preparation_services.attendance_code_close(actor=request.user, session=session)
        return Response(_code_out(closed))


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
