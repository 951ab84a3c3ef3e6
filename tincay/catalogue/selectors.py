"""Reads of the catalogue. Access is decided in tincay.catalogue.access; these take what it allows."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tincay.catalogue.library import FORMAT
from tincay.catalogue.models import Criterion, Framework, FrameworkVersion, Indicator, Pillar
from tincay.catalogue.scheme import number


def _pair(obj: Any, field: str) -> dict[str, str]:
    return {"vi": getattr(obj, f"{field}_vi"), "en": getattr(obj, f"{field}_en")}


def version_tree(version: FrameworkVersion) -> list[Pillar]:
    """Pillars with their indicators and criteria, in three queries whatever the size."""
    criteria = Prefetch("criteria", queryset=Criterion.objects.order_by("order"))
    indicators = Prefetch("indicators", queryset=Indicator.objects.order_by("order").prefetch_related(criteria))
    return list(version.pillars.order_by("order").prefetch_related(indicators))


def version_outline(version: FrameworkVersion) -> list[Pillar]:
    """Pillars with indicators and their criterion counts (two queries)."""
    indicators = Prefetch(
        "indicators", queryset=Indicator.objects.order_by("order").annotate(criteria_count=Count("criteria"))
    )
    return list(version.pillars.order_by("order").prefetch_related(indicators))


def _count_of(model: type) -> Subquery:
    """COUNT(*) of a version's rows in ``model`` as a correlated subquery (no join fan-out)."""
    rows = model.objects.filter(version=OuterRef("pk")).order_by().values("version").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n")[:1]), 0)


def frameworks_with_versions(versions: QuerySet[FrameworkVersion]) -> list[Framework]:
    visible = versions.select_related("derived_from__framework", "owner_unit").annotate(
        indicator_count=_count_of(Indicator), criterion_count=_count_of(Criterion)
    )
    return list(
        Framework.objects.filter(versions__in=visible)
        .distinct()
        .prefetch_related(Prefetch("versions", queryset=visible.order_by("-created_at"), to_attr="visible_versions"))
    )


def _criterion_document(c: Criterion) -> dict[str, Any]:
    measure = None
    if c.type == "performance":
        measure = {
            "unit": _pair(c, "measure_unit"),
            "direction": c.direction,
            "yellow": None if c.threshold_yellow is None else number(c.threshold_yellow),
            "green": None if c.threshold_green is None else number(c.threshold_green),
        }
    return {
        "code": c.code,
        "title": _pair(c, "title"),
        "description": _pair(c, "description"),
        "guidance": _pair(c, "guidance"),
        "type": c.type,
        "weight": number(c.weight),
        "max_points": number(c.max_points),
        "applies_to": list(c.applies_to),
        "levels": {name: _pair(c, f"level_{name}") for name in ("red", "yellow", "green")},
        "measure": measure,
    }


def version_document(version: FrameworkVersion) -> dict[str, Any]:
    """The version as a canonical library document (docs/framework-format.md)."""
    framework = version.framework
    doc = {
        "format": FORMAT,
        "framework": {
            "code": framework.code,
            "title": _pair(framework, "title"),
            "publisher": _pair(framework, "publisher"),
        },
        "version": {
            "code": version.code,
            "title": _pair(version, "title"),
            "status": version.status,
            "effective_date": version.effective_date.isoformat() if version.effective_date else None,
            "derived_from": version.derived_from.ref if version.derived_from_id else None,
            "notes": _pair(version, "notes"),
        },
        "scoring": version.scoring,
        "pillars": [
            {
                "code": p.code,
                "title": _pair(p, "title"),
                "indicators": [
                    {
                        "code": i.code,
                        "title": _pair(i, "title"),
                        "description": _pair(i, "description"),
                        "sdgs": list(i.sdgs),
                        "iso9001": list(i.iso9001),
                        "criteria": [_criterion_document(c) for c in i.criteria.all()],
                    }
                    for i in p.indicators.all()
                ],
            }
            for p in version_tree(version)
        ],
    }
    if version.changes:
        doc["version"]["changes"] = [
            {"code": c["code"], "kind": c["kind"], "note": dict(c["note"])} for c in version.changes
        ]
    return doc


def version_changes(version: FrameworkVersion) -> list[dict[str, Any]]:
    """The change note of a version, each entry with the title of its code in this version (or, for a removed
    code, in the parent version), in the order the note gives."""
    if not version.changes:
        return []
    codes = [c["code"] for c in version.changes]
    sources = [pk for pk in (version.derived_from_id, version.pk) if pk]
    titles: dict[str, Any] = {}
    for model in (Pillar, Indicator, Criterion):  # three queries; this version's title wins over the parent's
        rows = model.objects.filter(version_id__in=sources, code__in=codes).only(
            "version_id", "code", "title_vi", "title_en"
        )
        for row in sorted(rows, key=lambda r: r.version_id == version.pk):
            titles[row.code] = row
    return [{**change, "item": titles.get(change["code"])} for change in version.changes]


def version_by_ref(framework_code: str, version_code: str) -> FrameworkVersion | None:
    return (
        FrameworkVersion.objects.select_related("framework", "derived_from__framework", "owner_unit", "issued_by")
        .filter(framework__code=framework_code, code=version_code)
        .first()
    )
