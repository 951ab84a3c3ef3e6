"""REST API v1. Reads go through the same access functions as the pages."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tincay.api import serializers as s
from tincay.api.errors import error_responses
from tincay.api.outputs import LineageOut
from tincay.api.pagination import UnitPagination
from tincay.api.queries import query_value, query_values
from tincay.catalogue import access as catalogue_access
from tincay.catalogue import selectors as catalogue_selectors
from tincay.orgunits import access as unit_access
from tincay.orgunits import selectors as unit_selectors
from tincay.orgunits.choices import Kind, Level
from tincay.orgunits.models import LineageEvent, LineageLink


@extend_schema(responses={200: s.FrameworkSerializer(many=True), **error_responses(429)})
class FrameworkList(generics.ListAPIView):
    """Frameworks with the versions visible to you and their status."""

    serializer_class = s.FrameworkSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return catalogue_selectors.frameworks_with_versions(catalogue_access.versions_visible_to(self.request.user))


class VersionDetail(APIView):
    """One version nested: scoring scheme, pillars → indicators → criteria."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: s.VersionDetailSerializer, **error_responses(404, 429)})
    def get(self, request, framework: str, version: str):
        obj = catalogue_access.get_version_for_user(request.user, framework, version)
        if obj is None:
            raise Http404
        pillars = catalogue_selectors.version_tree(obj)
        return Response(s.VersionDetailSerializer(obj, context={"request": request, "pillars": pillars}).data)


_DATE_FORMATS = (
    (re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "%Y-%m-%d"),
    (re.compile(r"[0-9]{2}/[0-9]{2}/[0-9]{4}"), "%d/%m/%Y"),
)


def _parse_date(raw: str | None) -> dt.date | None:
    """An empty or absent date is today; anything else must be a real date in one of the two forms."""
    if not raw:
        return None
    for shape, fmt in _DATE_FORMATS:
        if shape.fullmatch(raw):
            try:
                return dt.datetime.strptime(raw, fmt).date()
            except ValueError:
                break
    raise ValidationError({"date": _("Write the date as YYYY-MM-DD or dd/mm/yyyy.")})


_DATE_PARAM = OpenApiParameter(
    "date",
    {"oneOf": [{"type": "string", "format": "date"}, {"type": "string", "maxLength": 0}]},
    description="the tree as it stood on this date (YYYY-MM-DD; dd/mm/yyyy is read too); empty or absent: today",
)


@extend_schema(
    parameters=[
        OpenApiParameter("level", OpenApiTypes.STR, enum=[*Level.values, ""], description="empty: any"),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=[*Kind.values, ""], description="empty: any"),
        OpenApiParameter("parent", OpenApiTypes.STR, description="key (or code) of the parent unit"),
        OpenApiParameter("search", OpenApiTypes.STR, description="name or code; diacritics ignored"),
        _DATE_PARAM,
    ],
    responses={200: s.UnitSerializer(many=True), **error_responses(400, 403, 429)},
)
class UnitList(generics.ListAPIView):
    """Administrative units you may see, today or on a date; paginated with a total count."""

    serializer_class = s.UnitSerializer
    pagination_class = UnitPagination

    def get_queryset(self):
        params = query_values(self.request, ("date", "level", "kind", "parent", "search"))
        units = unit_selectors.units_on(
            unit_access.units_visible_to(self.request.user), _parse_date(params.get("date"))
        ).select_related("parent")
        for name, choices in (("level", Level.values), ("kind", Kind.values)):
            value = params.get(name)
            if value:
                if value not in choices:
                    raise ValidationError({name: _("Must be one of: %(c)s") % {"c": ", ".join(choices)}})
                units = units.filter(**{name: value})
        if params.get("parent"):
            units = units.filter(parent__key=params["parent"]) | units.filter(parent__code=params["parent"])
        if params.get("search"):
            units = unit_selectors.units_search(units, params["search"])
        return units.order_by("sort_key", "key")


def _unit_or_404(request, code: str):
    """The unit by key; else, by its code, the period of it standing on ``date`` (checked even when unused)."""
    date = _parse_date(query_value(request, "date"))
    if "\x00" in code:
        raise Http404
    unit = unit_access.get_unit_for_user(request.user, code)
    if unit is None:
        candidates = unit_selectors.units_on(unit_access.units_visible_to(request.user), date).filter(code=code)
        unit = candidates.select_related("parent").order_by("-valid_to").first()
    if unit is None:
        raise Http404
    return unit


class UnitDetail(APIView):
    @extend_schema(responses={200: s.UnitSerializer, **error_responses(400, 403, 404, 429)}, parameters=[_DATE_PARAM])
    def get(self, request, code: str):
        return Response(s.UnitSerializer(_unit_or_404(request, code)).data)


class UnitLineage(APIView):
    """Lineage events of a unit (merge, split, rename, …) with the units on both sides."""

    @extend_schema(responses={200: LineageOut, **error_responses(400, 403, 404, 429)}, parameters=[_DATE_PARAM])
    def get(self, request, code: str):
        unit = _unit_or_404(request, code)
        roles = dict(LineageLink.objects.filter(unit=unit).values_list("event_id", "role"))
        events = (
            LineageEvent.objects.filter(pk__in=roles)
            .prefetch_related(
                Prefetch("links", queryset=LineageLink.objects.select_related("unit"), to_attr="all_links")
            )
            .order_by("date", "pk")
        )
        for event in events:
            event.role = roles[event.pk]
        return Response(
            {
                "unit": s.UnitSerializer(unit).data,
                "events": s.LineageEventSerializer(events, many=True).data,
            }
        )
