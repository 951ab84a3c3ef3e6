from __future__ import annotations

from rest_framework import serializers

from tincay.catalogue.models import Criterion, Framework, FrameworkVersion, Indicator, Pillar
from tincay.orgunits.models import AdminUnit, LineageEvent


class VersionSummarySerializer(serializers.ModelSerializer):
    framework = serializers.CharField(source="framework.code")
    derived_from = serializers.CharField(source="derived_from.ref", default=None, allow_null=True)
    owner_unit = serializers.CharField(source="owner_unit.key", default=None, allow_null=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = FrameworkVersion
        fields = [
            "framework",
            "code",
            "title_vi",
            "title_en",
            "status",
            "effective_date",
            "derived_from",
            "owner_unit",
            "issued_at",
            "content_hash",
            "url",
        ]

    def get_url(self, obj: FrameworkVersion) -> str:
        request = self.context.get("request")
        path = f"/api/v1/frameworks/{obj.framework.code}/versions/{obj.code}/"
        return request.build_absolute_uri(path) if request else path


class FrameworkSerializer(serializers.ModelSerializer):
    versions = VersionSummarySerializer(many=True, source="visible_versions")

    class Meta:
        model = Framework
        fields = ["code", "title_vi", "title_en", "publisher_vi", "publisher_en", "versions"]


class CriterionSerializer(serializers.ModelSerializer):
    levels = serializers.SerializerMethodField()
    measure = serializers.SerializerMethodField()

    class Meta:
        model = Criterion
        fields = [
            "code",
            "title_vi",
            "title_en",
            "description_vi",
            "description_en",
            "guidance_vi",
            "guidance_en",
            "type",
            "weight",
            "applies_to",
            "levels",
            "measure",
        ]

    def get_levels(self, obj: Criterion) -> dict[str, dict[str, str]]:
        return {
            n: {"vi": getattr(obj, f"level_{n}_vi"), "en": getattr(obj, f"level_{n}_en")}
            for n in ("red", "yellow", "green")
        }

    def get_measure(self, obj: Criterion) -> dict | None:
        if obj.type != "performance":
            return None
        return {
            "unit_vi": obj.measure_unit_vi,
            "unit_en": obj.measure_unit_en,
            "direction": obj.direction,
            "yellow": obj.threshold_yellow,
            "green": obj.threshold_green,
        }


class IndicatorSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title_vi",
            "title_en",
            "description_vi",
            "description_en",
            "sdgs",
            "iso9001",
            "criteria",
        ]


class PillarSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = Pillar
        fields = ["code", "title_vi", "title_en", "indicators"]


class VersionDetailSerializer(VersionSummarySerializer):
    scoring = serializers.JSONField()
    pillars = serializers.SerializerMethodField()

    class Meta(VersionSummarySerializer.Meta):
        fields = [*VersionSummarySerializer.Meta.fields, "scoring", "pillars"]

    def get_pillars(self, obj: FrameworkVersion) -> list[dict]:
        return PillarSerializer(self.context["pillars"], many=True).data


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.key", default=None, allow_null=True)
    parent_code = serializers.CharField(source="parent.code", default=None, allow_null=True)
    level_label = serializers.CharField(source="get_level_display")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = AdminUnit
        fields = [
            "key",
            "code",
            "name",
            "level",
            "level_label",
            "kind",
            "kind_label",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
            "listed_on",
            "is_pilot",
        ]


class LineageUnitSerializer(serializers.Serializer):
    key = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    valid_to = serializers.DateField(allow_null=True)


class LineageEventSerializer(serializers.ModelSerializer):
    role = serializers.CharField(help_text="the unit's role in the event: predecessor or successor")
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()

    class Meta:
        model = LineageEvent
        fields = [
            "kind",
            "date",
            "legal_basis",
            "legal_basis_confirmed",
            "note_vi",
            "note_en",
            "role",
            "predecessors",
            "successors",
        ]

    def _side(self, obj: LineageEvent, role: str) -> list[dict]:
        units = [link.unit for link in obj.all_links if link.role == role]
        return LineageUnitSerializer(sorted(units, key=lambda u: u.sort_key), many=True).data

    def get_predecessors(self, obj: LineageEvent) -> list[dict]:
        return self._side(obj, "predecessor")

    def get_successors(self, obj: LineageEvent) -> list[dict]:
        return self._side(obj, "successor")
