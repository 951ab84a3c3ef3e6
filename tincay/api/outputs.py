"""The shapes of the API's hand-built responses, for the OpenAPI schema only (the views build plain dicts).

They say what a client can rely on: which values may be null (a score not computed yet, a total of an
assessment not answered), which keys a map holds (the three tracks), what a unit's lineage and a trend hold.
The schemathesis test (tests/test_api_schema_fuzz.py) checks every response against them.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from tincay.api.errors import error_responses
from tincay.api.serializers import LineageEventSerializer, UnitSerializer
from tincay.assessments.choices import Level, State
from tincay.assessments.scoring import TRACKS

TRACK_HELP = "one entry per track: " + ", ".join(TRACKS)
TRACK_PARAMETER = OpenApiParameter(
    "track", OpenApiTypes.STR, enum=[*TRACKS, ""], description="the track shown; empty or absent: final"
)
QUERY_ERRORS = error_responses(400, 403, 404, 429)
SCOPE_PARAMETERS = [
    OpenApiParameter(
        "unit",
        OpenApiTypes.STR,
        description="code or name of a unit: its subtree only (404 with the reason if unusable)",
    ),
    OpenApiParameter("group", OpenApiTypes.STR, description="code of a peer group: its units only"),
    TRACK_PARAMETER,
]
_LEVEL_OR_NULL = {"allow_null": True, "choices": Level.choices}


def _score(**kwargs: object) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, **kwargs)


def _by_track(field: serializers.Field, help_text: str = TRACK_HELP) -> serializers.DictField:
    return serializers.DictField(child=field, help_text=help_text)


class LineageOut(serializers.Serializer):
    unit = UnitSerializer()
    events = LineageEventSerializer(many=True)


class IndicatorScoreOut(serializers.Serializer):
    score = _score(help_text="0..1; null when not answered")
    colour = serializers.ChoiceField(**_LEVEL_OR_NULL)


class TrackScoresOut(serializers.Serializer):
    total = _score(help_text="on the scheme's scale; null until every applicable criterion is answered")
    classification = serializers.CharField(allow_null=True)
    complete = serializers.BooleanField()
    indicators = serializers.DictField(child=IndicatorScoreOut(), help_text="by indicator code")


class AssessmentDetailOut(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.CharField()
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    leader_approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    actions = serializers.ListField(child=serializers.CharField(), help_text="transitions you may make now")
    scores = _by_track(TrackScoresOut())


class ResultCellOut(serializers.Serializer):
    code = serializers.CharField()
    scores = _by_track(_score())
    colours = _by_track(serializers.ChoiceField(**_LEVEL_OR_NULL))
    gap = _score(help_text="self minus final; null when either is missing")
    flagged = _by_track(serializers.BooleanField(), "by track: a stored value of the indicator breaks today's rules")


class PillarResultsOut(serializers.Serializer):
    code = serializers.CharField()
    scores = _by_track(_score())
    indicators = ResultCellOut(many=True)


class UnitResultsOut(serializers.Serializer):
    assessment = serializers.IntegerField()
    unit = serializers.CharField()
    campaign = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    totals = _by_track(_score())
    classes = _by_track(serializers.CharField(allow_null=True, allow_blank=True))
    problems = _by_track(
        serializers.ListField(child=serializers.DictField()),
        "by track: stored values that break today's rules (criterion, indicator, field), counted as not answered",
    )
    pillars = PillarResultsOut(many=True)


class HeatRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField()
    name = serializers.CharField()
    total = _score()
    appraised = serializers.BooleanField()
    colours = serializers.ListField(
        child=serializers.ChoiceField(**_LEVEL_OR_NULL), help_text="one per indicator, in the order of indicators"
    )
    flagged = serializers.ListField(
        child=serializers.CharField(), help_text="indicators with a stored value that breaks today's rules"
    )


class HeatmapOut(serializers.Serializer):
    campaign = serializers.CharField()
    track = serializers.CharField()
    indicators = serializers.ListField(child=serializers.CharField())
    rows = HeatRowOut(many=True)


class RankRowOut(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_blank=True)
    total = _score()
    classification = serializers.CharField(allow_null=True, allow_blank=True)
    appraised = serializers.BooleanField()
    flagged = serializers.BooleanField(help_text="a stored value of the unit breaks today's rules")


class RankingOut(serializers.Serializer):
    campaign = serializers.CharField()
    track = serializers.CharField()
    rows = RankRowOut(many=True)


class TrendPointOut(serializers.Serializer):
    year = serializers.IntegerField()
    campaign = serializers.CharField()
    unit = serializers.CharField()
    name = serializers.CharField()
    total = _score()
    classification = serializers.CharField(allow_null=True, allow_blank=True)
    predecessor = serializers.BooleanField(help_text="the result of a unit this one came from")


class TrendYearOut(serializers.Serializer):
    year = serializers.IntegerField()
    campaign = serializers.CharField()
    own = _score()
    predecessors_combined = _score(help_text="population-weighted total of the predecessors, when known")
    rule = serializers.ChoiceField(choices=["own", "population", "side_by_side"])


class TrendOut(serializers.Serializer):
    unit = serializers.CharField()
    points = TrendPointOut(many=True)
    years = TrendYearOut(many=True)


class SnapshotOut(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    rows = serializers.IntegerField()
    csv_sha256 = serializers.CharField()
    json_sha256 = serializers.CharField()
    csv = serializers.CharField(help_text="address of the CSV file")
    json = serializers.CharField(help_text="address of the JSON file")
    previous = serializers.IntegerField(allow_null=True)
