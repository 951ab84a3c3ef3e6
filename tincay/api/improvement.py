"""REST API for issue 10's improvement cycle: areas to improve, action programmes and their actions, progress,
approval with versions, the coordinator's view, effectiveness verdicts and reminder rules (same rules as pages).

Reads go through the improvement app's access functions and selectors (404 when not visible, 403 when visible but
not allowed); every write calls the service, which checks the person and the whole input before storing anything.
The typed serializers here only translate the body; errors reach the client in the API's one shape
(``tincay.api.errors``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import inputs
from tincay.api.errors import LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorSerializer, error_responses
from tincay.api.inputs import json_or_form, validated
from tincay.api.pagination import CappedLimitOffset
from tincay.api.queries import query_values
from tincay.assessments.access import assessments_visible_to, get_assessment_for_user
from tincay.assessments.models import Assessment
from tincay.assessments.services.scores import scores_refresh
from tincay.common.text import printable
from tincay.improvement import access, rules
from tincay.improvement.choices import ActionStatus, BudgetSource, Channel, ReminderRecipient, ReminderState, Stage
from tincay.improvement.choices import Verdict as VerdictChoice
from tincay.improvement.models import Action, ImprovementArea, Programme, ProgressUpdate, ReminderRule
from tincay.improvement.selectors import areas as area_selectors
from tincay.improvement.selectors import coordination as coordination_selectors
from tincay.improvement.selectors import effectiveness as effect_selectors
from tincay.improvement.selectors import programmes as programme_selectors
from tincay.improvement.selectors import reminders as reminder_selectors
from tincay.improvement.services import actions as action_services
from tincay.improvement.services import areas as area_services
from tincay.improvement.services import effectiveness as effect_services
from tincay.improvement.services import programmes as programme_services
from tincay.improvement.services import reminders as reminder_services

# a programme's conflict names the revision only (no ``current`` body as a result's conflict has)
CONFLICT = {
    409: OpenApiResponse(
        ErrorSerializer, description="Someone else changed the programme meanwhile: reload it and send again."
    )
}
REVISION_HELP = "the programme's revision the client loaded (409 when someone saved since)"
TEXT_MAX = 10_000
IDS_MAX = 500


def _query(serializer_class: type[serializers.Serializer], request: Any) -> dict[str, Any]:
    """The query parameters an operation understands, checked as a form would be (every value is text)."""
    given = QueryDict(mutable=True)
    for name, value in query_values(request, serializer_class().fields).items():
        given[name] = value
    serializer = serializer_class(data=given)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


def _id(pk: int) -> int:
    if pk > inputs.PK_MAX:
        raise Http404
    return pk


def _assessment(request: Any, pk: int) -> Assessment:
    assessment = get_assessment_for_user(request.user, _id(pk))
    if assessment is None:
        raise Http404(_("This assessment does not exist or is not visible to you."))
    return assessment


def _programme(request: Any, pk: int) -> Programme:
    programme = access.get_programme_for_user(request.user, _id(pk))
    if programme is None:
        raise Http404(_("This action programme does not exist or is not visible to you."))
    return programme


def _action(request: Any, pk: int) -> Action:
    action = access.get_action_for_user(request.user, _id(pk))
    if action is None:
        raise Http404(_("This action does not exist or is not visible to you."))
    return action


@extend_schema_field(inputs._decimal_schema(14, 4))
class Target(inputs.Amount):
    """A target value: DECIMAL(14, 4)."""

    def __init__(self, **kwargs: Any):
        super().__init__(digits=14, places=4, **kwargs)


def _status_choice(values: list[str]) -> Any:
    """A status as a pattern in the schema (enums named "status" exist elsewhere with other values)."""
    return extend_schema_field(
        {"type": "string", "pattern": "^(?:" + "|".join(values) + ")?$", "description": "one of: " + ", ".join(values)}
    )(type("StatusChoice", (inputs.Choice,), {}))


OPEN_STATUSES = [s for s in ActionStatus.values if s != ActionStatus.CANCELLED]
StatusChoice = _status_choice(OPEN_STATUSES)


def _ids(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX),
        max_length=IDS_MAX,
        required=False,
        **kwargs,
    )


# ---- areas to improve -------------------------------------------------------------------------------------------


class AreaOut(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    indicator = serializers.CharField(source="indicator.code")
    criterion = serializers.CharField(source="criterion.code", default=None, allow_null=True)

    class Meta:
        model = ImprovementArea
        fields = [
            "id",
            "code",
            "indicator",
            "criterion",
            "origin",
            "level",
            "weight",
            "gap",
            "priority",
            "rank",
            "selected",
            "stage",
            "reason",
            "decided_at",
        ]

    def get_code(self, obj: ImprovementArea) -> str:
        return obj.criterion.code if obj.criterion_id else obj.indicator.code


def _areas_of(assessment: Assessment) -> list[ImprovementArea]:
    return [row.area for row in area_selectors.assessment_areas(assessment).rows]


class AreasAccept(inputs.InputSerializer):
    """Accept suggested areas in one step, all in the same stage."""

    codes = serializers.ListField(
        child=inputs.Text(max_length=40), max_length=IDS_MAX, help_text="codes of suggested areas (1.1 or 1.1.2)"
    )
    stage = inputs.Choice(choices=Stage.choices)


class AreaAdd(inputs.InputSerializer):
    """An area the unit adds: an indicator, or one of its criteria."""

    indicator = inputs.Text(max_length=40, help_text="indicator code, e.g. 1.1")
    criterion = inputs.Text(max_length=40, required=False, allow_blank=True, help_text="criterion code, e.g. 1.1.2")
    stage = inputs.Choice(choices=Stage.choices)
    reason = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


class AreaDecide(inputs.InputSerializer):
    """Select an area (with a stage) or drop it (with a reason)."""

    selected = inputs.YesNo()
    stage = inputs.Choice(choices=Stage.choices, required=False, allow_blank=True)
    reason = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


class AreaList(APIView):
    """The areas to improve of an assessment (ranked by weight × gap); POST adds one (indicator or criterion)."""

    @extend_schema(responses={200: AreaOut(many=True), **READ_ERRORS})
    def get(self, request, pk: int):
        return Response(AreaOut(_areas_of(_assessment(request, pk)), many=True).data)

    @extend_schema(request=json_or_form(AreaAdd), responses={201: AreaOut, **WRITE_ERRORS})
    def post(self, request, pk: int):
        assessment = _assessment(request, pk)
        data = validated(AreaAdd, request)
        area = area_services.area_add(
            actor=request.user,
            assessment=assessment,
            indicator_code=data["indicator"],
            criterion_code=data.get("criterion") or None,
            stage=data["stage"],
            reason=data.get("reason", ""),
        )
        return Response(AreaOut(area).data, status=status.HTTP_201_CREATED)


class AreasSuggest(APIView):
    """Derive (or refresh) the suggested areas from the final results; decisions already taken are kept."""

    @extend_schema(request=None, responses={200: AreaOut(many=True), **WRITE_ERRORS})
    def post(self, request, pk: int):
        assessment = _assessment(request, pk)
        area_services.areas_suggest(actor=request.user, assessment=assessment)
        return Response(AreaOut(_areas_of(assessment), many=True).data)


class AreasAcceptView(APIView):
    @extend_schema(request=json_or_form(AreasAccept), responses={200: AreaOut(many=True), **WRITE_ERRORS})
    def post(self, request, pk: int):
        assessment = _assessment(request, pk)
        data = validated(AreasAccept, request)
        area_services.areas_accept_suggested(
            actor=request.user, assessment=assessment, codes=data["codes"], stage=data["stage"]
        )
        return Response(AreaOut(_areas_of(assessment), many=True).data)


class AreaDecideView(APIView):
    @extend_schema(request=json_or_form(AreaDecide), responses={200: AreaOut, **WRITE_ERRORS})
    def post(self, request, pk: int, area: int):
        assessment = _assessment(request, pk)
        found = ImprovementArea.objects.filter(pk=_id(area), assessment=assessment).first()
        if found is None:
            raise Http404(_("This area to improve does not exist or belongs to another assessment."))
        data = validated(AreaDecide, request)
        decided = area_services.area_decide(
            actor=request.user,
            area=found,
            selected=data["selected"],
            stage=data.get("stage", ""),
            reason=data.get("reason", ""),
            assessment=assessment,
        )
        return Response(AreaOut(decided).data)


# ---- programmes and actions -------------------------------------------------------------------------------------


class ActionOut(serializers.ModelSerializer):
    programme = serializers.IntegerField(source="programme_id")
    department_name = serializers.CharField(source="department.name", default="")
    responsible_name = serializers.CharField(source="responsible.display_name", default="")
    areas = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    criteria = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_value = serializers.DecimalField(max_digits=None, decimal_places=4, allow_null=True, read_only=True)
    status = serializers.CharField(help_text="one of: " + ", ".join(ActionStatus.values))
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "programme",
            "number",
            "title",
            "description",
            "department",
            "department_name",
            "responsible",
            "responsible_name",
            "starts_on",
            "deadline",
            "budget_vnd",
            "budget_source",
            "budget_note",
            "expected_result",
            "target_value",
            "status",
            "cancel_reason",
            "progress",
            "weight",
            "finished_on",
            "areas",
            "indicators",
            "criteria",
            "documents",
            "overdue",
            "updated_at",
        ]

    def get_overdue(self, obj: Action) -> bool:
        return rules.is_overdue(obj.status, obj.deadline, timezone.localdate())


class ProgrammeOut(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_id")
    unit = serializers.CharField(source="assessment.unit.key")
    unit_name = serializers.CharField(source="assessment.unit.name")
    campaign = serializers.CharField(source="assessment.campaign.code")
    approved_version = serializers.IntegerField(source="approved_version.number", default=None, allow_null=True)
    status = serializers.CharField(help_text="draft, approved or changed (since approval)")

    class Meta:
        model = Programme
        fields = [
            "id",
            "assessment",
            "unit",
            "unit_name",
            "campaign",
            "title",
            "summary",
            "status",
            "revision",
            "approved_version",
            "created_at",
            "updated_at",
        ]


class ProgrammeRowOut(serializers.Serializer):
    programme = ProgrammeOut()
    actions = serializers.IntegerField(help_text="actions not cancelled")
    overdue = serializers.IntegerField()
    budget = serializers.IntegerField(help_text="VND, actions not cancelled")
    progress = serializers.IntegerField(allow_null=True, help_text="roll-up %; null when no action counts")


class ProgrammeDetailOut(ProgrammeOut):
    progress = serializers.IntegerField(source="api_progress", allow_null=True, help_text="roll-up %")
    rule = serializers.CharField(source="api_rule")
    budget_total = serializers.IntegerField(source="api_budget")
    overdue = serializers.IntegerField(source="api_overdue")
    actions = ActionOut(source="api_actions", many=True)
    idle_areas = serializers.ListField(
        child=serializers.IntegerField(), source="api_idle", help_text="selected areas no action serves"
    )
    can_edit = serializers.BooleanField(source="api_can_edit")
    can_approve = serializers.BooleanField(source="api_can_approve")

    class Meta(ProgrammeOut.Meta):
        fields = [
            *ProgrammeOut.Meta.fields,
            "progress",
            "rule",
            "budget_total",
            "overdue",
            "actions",
            "idle_areas",
            "can_edit",
            "can_approve",
        ]


def _detail(request: Any, programme: Programme) -> dict[str, Any]:
    page = programme_selectors.programme_page(programme)
    programme.api_progress = page.progress
    programme.api_rule = str(page.rule)
    programme.api_budget = page.budget_total
    programme.api_overdue = page.overdue
    programme.api_actions = [row.action for row in page.rows]
    programme.api_idle = [a.pk for a in page.idle_areas]
    programme.api_can_edit = access.can_edit_programme(request.user, programme.assessment)
    programme.api_can_approve = access.can_approve_programme(request.user, programme.assessment)
    return ProgrammeDetailOut(programme).data


class ProgrammeCreate(inputs.InputSerializer):
    assessment = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, help_text="an approved or published one")
    title = inputs.Text(max_length=500)
    summary = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


class ProgrammeUpdate(inputs.InputSerializer):
    revision = inputs.WholeNumber(min_value=0, max_value=inputs.REVISION_MAX, help_text=REVISION_HELP)
    title = inputs.Text(max_length=500, required=False)
    summary = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


class ProgrammeApprove(inputs.InputSerializer):
    revision = inputs.WholeNumber(min_value=0, max_value=inputs.REVISION_MAX, help_text=REVISION_HELP)
    note = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)


@extend_schema(methods=["GET"], responses={200: ProgrammeRowOut(many=True), **LIST_ERRORS})
@extend_schema(methods=["POST"], request=json_or_form(ProgrammeCreate), responses={201: ProgrammeOut, **WRITE_ERRORS})
class ProgrammeList(generics.ListCreateAPIView):
    """The programmes you may see, newest first, with their roll-up progress; POST drafts one for an assessment."""

    serializer_class = ProgrammeRowOut

    def get_queryset(self):
        return programme_selectors.programmes_for(self.request.user)

    def create(self, request, *args, **kwargs):
        data = validated(ProgrammeCreate, request)
        assessment = get_assessment_for_user(request.user, data["assessment"])
        if assessment is None:
            raise ValidationError({"assessment": [_("This assessment does not exist or is not visible to you.")]})
        programme = programme_services.programme_create(
            actor=request.user, assessment=assessment, title=data["title"], summary=data.get("summary", "")
        )
        return Response(ProgrammeOut(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetail(APIView):
    """One programme: its actions, the roll-up progress (and its rule), the budget, overdue actions; PATCH its title
    and summary with the revision loaded (409 when someone saved since)."""

    @extend_schema(responses={200: ProgrammeDetailOut, **READ_ERRORS})
    def get(self, request, pk: int):
        return Response(_detail(request, _programme(request, pk)))

    @extend_schema(
        request=json_or_form(ProgrammeUpdate), responses={200: ProgrammeDetailOut, **WRITE_ERRORS, **CONFLICT}
    )
    def patch(self, request, pk: int):
        programme = _programme(request, pk)
        if not access.can_edit_programme(request.user, programme.assessment):
            raise PermissionDenied(_("Only the unit's focal point and leader change its action programme."))
        data = validated(ProgrammeUpdate, request)
        saved = programme_services.programme_update(
            actor=request.user,
            programme=programme,
            revision=data["revision"],
            title=data.get("title", programme.title),
            summary=data.get("summary", programme.summary),
        )
        return Response(_detail(request, _programme(request, saved.pk)))


class ChangeOut(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


class DifferenceOut(serializers.Serializer):
    kind = serializers.CharField(help_text="programme, added, removed or changed")
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    changes = ChangeOut(many=True)


class VersionOut(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True, source="api_number", help_text="null: the draft")
    note = serializers.CharField(source="api_note", allow_blank=True)
    approved_by = serializers.CharField(source="api_by", allow_blank=True)
    approved_at = serializers.DateTimeField(source="api_at", allow_null=True)
    previous = serializers.IntegerField(source="api_previous", allow_null=True)
    differences = DifferenceOut(source="api_differences", many=True)


class _Step:
    def __init__(self, step: Any):
        new, old = step.new, step.old
        self.api_number = new.number if new else None
        self.api_note = new.note if new else ""
        self.api_by = new.approved_by.display_name if new and new.approved_by_id else ""
        self.api_at = new.approved_at if new else None
        self.api_previous = old.number if old else None
        self.api_differences = step.differences


class VersionsOut(serializers.Serializer):
    versions = VersionOut(many=True)
    draft = VersionOut(allow_null=True, help_text="what changed since the approved version; null when none")


class ProgrammeApproveView(APIView):
    """The unit leader approves the programme as loaded (its revision): a new version is frozen."""

    @extend_schema(request=json_or_form(ProgrammeApprove), responses={200: VersionOut, **WRITE_ERRORS, **CONFLICT})
    def post(self, request, pk: int):
        programme = _programme(request, pk)
        if not access.can_approve_programme(request.user, programme.assessment):
            raise PermissionDenied(_("Only the unit leader approves the action programme."))
        data = validated(ProgrammeApprove, request)
        version = programme_services.programme_approve(
            actor=request.user, programme=programme, revision=data["revision"], note=data.get("note", "")
        )
        step = programme_selectors.version_step(programme, version.number)
        return Response(VersionOut(_Step(step)).data)


class ProgrammeVersions(APIView):
    """Every approved version with what changed from the one before; the draft's changes since approval."""

    @extend_schema(responses={200: VersionsOut, **READ_ERRORS})
    def get(self, request, pk: int):
        programme = _programme(request, pk)
        steps = [_Step(s) for s in programme_selectors.version_steps(programme)]
        draft = None
        if programme.status != "approved":
            draft = _Step(programme_selectors.draft_step(programme))
        return Response(VersionsOut({"versions": steps, "draft": draft}).data)


class ProgrammeVersionDetail(APIView):
    @extend_schema(operation_id="v1_programmes_version_retrieve", responses={200: VersionOut, **READ_ERRORS})
    def get(self, request, pk: int, number: int):
        programme = _programme(request, pk)
        step = None if number > inputs.REVISION_MAX else programme_selectors.version_step(programme, number)
        if step is None:
            raise Http404(_("This version does not exist."))
        return Response(VersionOut(_Step(step)).data)


class _ActionFields(inputs.InputSerializer):
    title = inputs.Text(max_length=500, required=False)
    description = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)
    department = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, required=False, allow_null=True)
    responsible = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, required=False, allow_null=True)
    starts_on = inputs.Day()
    deadline = inputs.Day()
    budget_vnd = inputs.WholeNumber(
        min_value=0, max_value=action_services.BUDGET_MAX, required=False, allow_null=True, help_text="VND"
    )
    budget_source = inputs.Choice(choices=BudgetSource.choices, required=False, allow_blank=True)
    budget_note = inputs.Text(max_length=300, required=False, allow_blank=True)
    expected_result = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)
    target_value = Target(help_text="only with a measured (performance) criterion")
    status = StatusChoice(choices=OPEN_STATUSES, required=False, allow_blank=True)
    progress = inputs.WholeNumber(min_value=0, max_value=100, required=False, allow_null=True)
    weight = inputs.WholeNumber(min_value=1, max_value=action_services.WEIGHT_MAX, required=False, allow_null=True)
    areas = _ids(help_text="ids of areas of the assessment")
    indicators = _ids(help_text="ids of indicators of the assessment's set")
    criteria = _ids(help_text="ids of criteria of the assessment's set")
    documents = _ids(help_text="ids of documents of the unit's register")


class ActionCreate(_ActionFields):
    """A new action; ``revision`` is the programme's."""

    revision = inputs.WholeNumber(min_value=0, max_value=inputs.REVISION_MAX, help_text=REVISION_HELP)


class ActionUpdate(ActionCreate):
    """Change some fields of an action (the others stay)."""


class ActionCancel(inputs.InputSerializer):
    revision = inputs.WholeNumber(min_value=0, max_value=inputs.REVISION_MAX, help_text=REVISION_HELP)
    reason = inputs.Text(max_length=TEXT_MAX)


class ProgressWrite(inputs.InputSerializer):
    on = inputs.Day(help_text="the day of the update (not in the future)")
    title = inputs.Text(max_length=action_services.UPDATE_TITLE_LIMIT)
    note = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True)
    status = StatusChoice(choices=OPEN_STATUSES)
    progress = inputs.WholeNumber(min_value=0, max_value=100, required=False, allow_null=True)
    documents = _ids(help_text="ids of documents of the unit's register")


class ProgressOut(serializers.ModelSerializer):
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    author = serializers.CharField(source="author.display_name", default="")
    status = serializers.CharField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "on", "title", "note", "progress", "status", "documents", "author", "created_at"]


def _action_out(action: Action) -> dict[str, Any]:
    loaded = (
        Action.objects.select_related("department", "responsible")
        .prefetch_related("areas", "indicators", "criteria", "documents")
        .get(pk=action.pk)
    )
    return ActionOut(loaded).data


class ActionList(APIView):
    """Add an action to the programme (the unit's focal point and leader)."""

    @extend_schema(request=json_or_form(ActionCreate), responses={201: ActionOut, **WRITE_ERRORS, **CONFLICT})
    def post(self, request, pk: int):
        programme = _programme(request, pk)
        if not access.can_edit_programme(request.user, programme.assessment):
            raise PermissionDenied(_("Only the unit's focal point and leader add actions to its programme."))
        data = validated(ActionCreate, request)
        revision = data.pop("revision")
        action = action_services.action_create(actor=request.user, programme=programme, revision=revision, **data)
        return Response(_action_out(action), status=status.HTTP_201_CREATED)


class ActionDetail(APIView):
    """One action; PATCH some of its fields with the programme's revision."""

    @extend_schema(responses={200: ActionOut, **READ_ERRORS})
    def get(self, request, pk: int):
        return Response(_action_out(_action(request, pk)))

    @extend_schema(request=json_or_form(ActionUpdate), responses={200: ActionOut, **WRITE_ERRORS, **CONFLICT})
    def patch(self, request, pk: int):
        action = _action(request, pk)
        if not access.can_edit_programme(request.user, action.programme.assessment):
            raise PermissionDenied(_("Only the unit's focal point and leader change the actions of its programme."))
        data = validated(ActionUpdate, request)
        revision = data.pop("revision")
        saved = action_services.action_update(actor=request.user, action=action, revision=revision, **data)
        return Response(_action_out(saved))


class ActionCancelView(APIView):
    @extend_schema(request=json_or_form(ActionCancel), responses={200: ActionOut, **WRITE_ERRORS, **CONFLICT})
    def post(self, request, pk: int):
        action = _action(request, pk)
        if not access.can_edit_programme(request.user, action.programme.assessment):
            raise PermissionDenied(_("Only the unit's focal point and leader cancel actions of its programme."))
        data = validated(ActionCancel, request)
        saved = action_services.action_cancel(
            actor=request.user, action=action, revision=data["revision"], reason=data["reason"]
        )
        return Response(_action_out(saved))


@extend_schema(methods=["GET"], responses={200: ProgressOut(many=True), **READ_ERRORS, **error_responses(400)})
@extend_schema(methods=["POST"], request=json_or_form(ProgressWrite), responses={201: ProgressOut, **WRITE_ERRORS})
class ProgressList(generics.ListCreateAPIView):
    """The progress log of an action, newest first; POST a dated update (its status and progress)."""

    serializer_class = ProgressOut

    def get_queryset(self):
        action = _action(self.request, self.kwargs["pk"])
        return action.updates.select_related("author").prefetch_related("documents").order_by("-on", "-id")

    def create(self, request, *args, **kwargs):
        action = _action(request, self.kwargs["pk"])
        if not access.can_post_progress(request.user, action):
            raise PermissionDenied(
                _("Only the person responsible, the owner department, the focal point and the leader post progress.")
            )
        data = validated(ProgressWrite, request)
        update = action_services.progress_post(
            actor=request.user,
            action=action,
            on=data.get("on"),
            title=data["title"],
            note=data.get("note", ""),
            progress=data.get("progress"),
            status=data["status"],
            document_ids=data.get("documents", []),
        )
        return Response(ProgressOut(update).data, status=status.HTTP_201_CREATED)


# ---- the coordinator's view -------------------------------------------------------------------------------------


class CoordinationFilter(serializers.Serializer):
    campaign = inputs.Text(max_length=100, required=False, allow_blank=True, help_text="code; absent: the latest")
    province = inputs.Text(max_length=100, required=False, allow_blank=True, help_text="key of a province")
    group = inputs.Text(max_length=100, required=False, allow_blank=True, help_text="code of a peer group")


class CoordinationRowOut(serializers.Serializer):
    assessment_id = serializers.IntegerField()
    unit_key = serializers.CharField()
    unit_name = serializers.CharField()
    parent_name = serializers.CharField(allow_blank=True)
    programme_id = serializers.IntegerField(allow_null=True)
    status = serializers.CharField(help_text="none (no programme) or the programme's status")
    progress = serializers.IntegerField(allow_null=True)
    actions = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    overdue = serializers.IntegerField()
    budget_vnd = serializers.IntegerField()
    idle_areas = serializers.IntegerField()
    idle_codes = serializers.ListField(child=serializers.CharField())


class CoordinationTotalsOut(serializers.Serializer):
    units = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    progress = serializers.IntegerField(allow_null=True)
    actions = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    overdue = serializers.IntegerField()
    units_overdue = serializers.IntegerField()
    budget_vnd = serializers.IntegerField()
    idle_areas = serializers.IntegerField()
    units_idle = serializers.IntegerField()


class CoordinationOut(serializers.Serializer):
    campaign = serializers.CharField(allow_null=True)
    province = serializers.CharField(allow_null=True)
    group = serializers.CharField(allow_null=True)
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    totals = CoordinationTotalsOut(allow_null=True)
    results = CoordinationRowOut(many=True)


PAGE_PARAMETERS = [
    OpenApiParameter(p["name"], {**p["schema"], "type": "integer"}, description=p["description"], required=False)
    for p in CappedLimitOffset().get_schema_operation_parameters(None)
]


class Coordination(APIView):
    """The coordinator's view of programmes (the page's selector): one row per unit of the campaign in your
    subtree, narrowed by province and peer group, paged; totals over every row. Coordinators, viewers, admins."""

    @extend_schema(
        parameters=[CoordinationFilter, *PAGE_PARAMETERS],
        responses={200: CoordinationOut, **error_responses(400, 403, 404, 429)},
    )
    def get(self, request):
        if not access.can_view_coordination(request.user):
            raise PermissionDenied(
                _(
                    "The programmes of all units are for coordinators and viewers. "
                    "Your unit's own action programme is on its assessment page."
                )
            )
        params = {k: printable(v).strip() for k, v in _query(CoordinationFilter, request).items()}
        campaigns = coordination_selectors.coordination_campaigns(request.user)
        pager = CappedLimitOffset()
        empty = {"campaign": None, "province": None, "group": None, "totals": None}
        if params.get("campaign"):
            campaign = next((c for c in campaigns if c.code == params["campaign"]), None)
            if campaign is None:
                raise Http404(_("Campaign not found within your scope."))
        else:
            campaign = campaigns[0] if campaigns else None
        if campaign is None:
            pager.paginate_queryset([], request, self)
            return Response(CoordinationOut({**empty, "count": 0, "next": None, "previous": None, "results": []}).data)
        view = coordination_selectors.coordination(
            request.user, campaign, params.get("province", ""), params.get("group", "")
        )
        rows = pager.paginate_queryset(view.rows, request, self)
        coordination_selectors.idle_area_codes(list(rows))
        body = {
            "campaign": campaign.code,
            "province": view.province.key if view.province else None,
            "group": view.group.code if view.group else None,
            "count": pager.count,
            "next": pager.get_next_link(),
            "previous": pager.get_previous_link(),
            "totals": view.totals,
            "results": rows,
        }
        return Response(CoordinationOut(body).data)


# ---- effectiveness ----------------------------------------------------------------------------------------------


class ComparisonOut(serializers.Serializer):
    kind = serializers.CharField(help_text="criterion or indicator")
    code = serializers.CharField()
    before = serializers.CharField(allow_null=True)
    after = serializers.CharField(allow_null=True)
    before_score = serializers.FloatField(allow_null=True)
    after_score = serializers.FloatField(allow_null=True)
    outcome = serializers.CharField()
    why = serializers.CharField(allow_blank=True)


class VerdictOut(serializers.Serializer):
    verdict = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    reviewer = serializers.CharField(source="reviewer.display_name", default="")
    next_assessment = serializers.IntegerField(source="next_assessment_id", allow_null=True)
    outcomes = serializers.DictField(child=serializers.CharField())
    updated_at = serializers.DateTimeField()


class ActionEffectOut(serializers.Serializer):
    action = serializers.IntegerField(source="action.pk")
    number = serializers.IntegerField(source="action.number")
    title = serializers.CharField(source="action.title")
    status = serializers.CharField(source="action.status")
    comparisons = ComparisonOut(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())
    suggestion = serializers.CharField(allow_null=True)
    verdict = VerdictOut(allow_null=True)
    verdict_outdated = serializers.BooleanField()


class EffectivenessOut(serializers.Serializer):
    programme = serializers.IntegerField()
    next_assessment = serializers.IntegerField(allow_null=True, help_text="the appraised assessment that follows")
    can_record = serializers.BooleanField()
    rule = serializers.CharField()
    actions = ActionEffectOut(many=True)


class VerdictWrite(inputs.InputSerializer):
    verdict = inputs.Choice(choices=VerdictChoice.choices)
    note = inputs.Text(max_length=TEXT_MAX, required=False, allow_blank=True, help_text="needed unless effective")


class Effectiveness(APIView):
    """Each action of the programme: its criteria and indicators before → after, the outcome, the verdict."""

    @extend_schema(responses={200: EffectivenessOut, **READ_ERRORS})
    def get(self, request, pk: int):
        programme = _programme(request, pk)
        visible = assessments_visible_to(request.user)
        nexts = effect_selectors.next_assessments([programme.assessment], visible)
        scores_refresh(
            Assessment.objects.filter(pk__in=effect_selectors.assessments_to_refresh([programme.assessment], nexts))
        )
        effect = effect_selectors.programmes_effectiveness([programme], nexts)[programme.pk]
        following = effect.next_assessment
        body = {
            "programme": programme.pk,
            "next_assessment": following.pk if following else None,
            "can_record": following is not None and access.can_record_verdict(request.user, following),
            "rule": str(effect_selectors.SUGGESTION_RULE),
            "actions": effect.actions,
        }
        return Response(EffectivenessOut(body).data)


class VerdictRecord(APIView):
    """Record (or replace) the verdict on one action at the next appraised assessment."""

    @extend_schema(request=json_or_form(VerdictWrite), responses={200: VerdictOut, **WRITE_ERRORS})
    def post(self, request, pk: int, action: int):
        programme = _programme(request, pk)
        found = programme.actions.filter(pk=_id(action)).first()
        if found is None:
            raise Http404(_("This action is not part of the programme."))
        data = validated(VerdictWrite, request)
        verdict = effect_services.verdict_record(
            actor=request.user, action=found, verdict=data["verdict"], note=data.get("note", "")
        )
        return Response(VerdictOut(verdict).data)


# ---- reminder rules and the send log ----------------------------------------------------------------------------


class RuleOut(serializers.ModelSerializer):
    class Meta:
        model = ReminderRule
        fields = ["id", "name", "offset_days", "recipients", "channels", "is_active", "created_at", "updated_at"]


class RuleRowOut(RuleOut):
    pending = serializers.IntegerField(source="api_pending")
    sent = serializers.IntegerField(source="api_sent")

    class Meta(RuleOut.Meta):
        fields = [*RuleOut.Meta.fields, "pending", "sent"]


class RuleWrite(inputs.InputSerializer):
    name = inputs.Text(max_length=200)
    offset_days = inputs.WholeNumber(min_value=-365, max_value=365, help_text="days from the deadline (−: before)")
    recipients = serializers.ListField(child=inputs.Choice(choices=ReminderRecipient.choices), max_length=10)
    channels = serializers.ListField(child=inputs.Choice(choices=Channel.choices), max_length=5)
    is_active = inputs.YesNo(required=False)


class RulePatch(RuleWrite):
    """Any of the rule's fields; the others stay."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def _manager(request: Any) -> None:
    if not access.can_manage_reminder_rules(request.user):
        raise PermissionDenied(_("Only administrators and national coordinators manage reminder rules."))


def _rule(pk: int) -> ReminderRule:
    rule = ReminderRule.objects.filter(pk=_id(pk)).first()
    if rule is None:
        raise Http404(_("This reminder rule does not exist."))
    return rule


class RuleList(APIView):
    """Reminder rules with their pending and sent reminders (administrators and national coordinators)."""

    @extend_schema(responses={200: RuleRowOut(many=True), **READ_ERRORS})
    def get(self, request):
        _manager(request)
        rows = []
        for row in reminder_selectors.reminder_rules():
            row.rule.api_pending, row.rule.api_sent = row.pending, row.sent
            rows.append(row.rule)
        return Response(RuleRowOut(rows, many=True).data)

    @extend_schema(request=json_or_form(RuleWrite), responses={201: RuleOut, **WRITE_ERRORS})
    def post(self, request):
        _manager(request)
        data = validated(RuleWrite, request)
        rule = reminder_services.reminder_rule_create(
            actor=request.user,
            name=data["name"],
            offset_days=data["offset_days"],
            recipients=data["recipients"],
            channels=data["channels"],
            is_active=data.get("is_active", True),
        )
        return Response(RuleOut(rule).data, status=status.HTTP_201_CREATED)


class RuleDetail(APIView):
    @extend_schema(request=json_or_form(RulePatch), responses={200: RuleOut, **WRITE_ERRORS})
    def patch(self, request, pk: int):
        _manager(request)
        rule = _rule(pk)
        data = validated(RulePatch, request)
        saved = reminder_services.reminder_rule_update(
            actor=request.user,
            rule=rule,
            **{
                name: data.get(name, getattr(rule, name))
                for name in ("name", "offset_days", "recipients", "channels", "is_active")
            },
        )
        return Response(RuleOut(saved).data)


class RuleDeactivate(APIView):
    @extend_schema(request=None, responses={200: RuleOut, **WRITE_ERRORS})
    def post(self, request, pk: int):
        _manager(request)
        saved = reminder_services.reminder_rule_deactivate(actor=request.user, rule=_rule(pk))
        return Response(RuleOut(saved).data)


class ReminderOut(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.IntegerField(source="rule_id")
    rule_name = serializers.CharField(source="rule.name")
    action = serializers.IntegerField(source="action_id")
    unit = serializers.CharField(source="action.programme.assessment.unit.key")
    due_on = serializers.DateField()
    state = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    recipients = serializers.ListField(child=serializers.IntegerField(), help_text="user ids")
    channels = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(allow_blank=True)


class LogFilter(serializers.Serializer):
    state = inputs.Choice(choices=ReminderState.choices, required=False, allow_blank=True)
    rule = inputs.WholeNumber(min_value=1, max_value=inputs.PK_MAX, required=False)
    due_from = inputs.Day()
    due_to = inputs.Day()


@extend_schema(parameters=[LogFilter], responses={200: ReminderOut(many=True), **LIST_ERRORS})
class ReminderLog(generics.ListAPIView):
    """The send log: what waits, what was sent to whom, cancelled or skipped; filters state, rule, due dates."""

    serializer_class = ReminderOut

    def get_queryset(self):
        if not reminder_selectors.can_read_log(self.request.user):
            raise PermissionDenied(_("The reminder log is for administrators, coordinators and viewers."))
        data = _query(LogFilter, self.request)
        filters = reminder_selectors.LogFilters(
            state=data.get("state") or "",
            rule=data.get("rule"),
            due_from=data.get("due_from"),
            due_to=data.get("due_to"),
        )
        return reminder_selectors.reminder_log(self.request.user, filters)
