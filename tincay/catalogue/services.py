"""Writes to the catalogue: load a library document, derive, edit and issue versions.

Every function runs in one transaction, refuses to touch an issued version, and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.audit import services as audit
from tincay.catalogue import library
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.models import Criterion, Framework, FrameworkVersion, Indicator, Pillar
from tincay.catalogue.scheme import normalise_scheme
from tincay.catalogue.selectors import version_document
from tincay.common.errors import InvalidInput

Outcome = Literal["created", "updated", "unchanged"]


class CatalogueError(InvalidInput):
    """A change the catalogue refuses; the message says why and what to do."""


def _immutable_message(version: FrameworkVersion) -> str:
    return _("Version %(ref)s has been issued and can no longer change. Derive a new version to make changes.") % {
        "ref": version.ref
    }


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _write_content(version: FrameworkVersion, doc: dict[str, Any]) -> None:
    """Replace the pillars, indicators and criteria of a draft version with those of ``doc``."""
    Pillar.objects.filter(version=version).delete()
    pillars = [
        Pillar(version=version, code=p["code"], order=n, title_vi=p["title"]["vi"], title_en=p["title"]["en"])
        for n, p in enumerate(doc["pillars"])
    ]
    Pillar.objects.bulk_create(pillars)
    indicators: list[Indicator] = []
    for pillar, p in zip(pillars, doc["pillars"], strict=True):
        for i in p["indicators"]:
            indicators.append(
                Indicator(
                    version=version,
                    pillar=pillar,
                    code=i["code"],
                    order=len(indicators),
                    title_vi=i["title"]["vi"],
                    title_en=i["title"]["en"],
                    description_vi=i["description"]["vi"],
                    description_en=i["description"]["en"],
                    sdgs=i["sdgs"],
                    iso9001=i["iso9001"],
                )
            )
    Indicator.objects.bulk_create(indicators)
    criteria: list[Criterion] = []
    flat = [i for p in doc["pillars"] for i in p["indicators"]]
    for indicator, i in zip(indicators, flat, strict=True):
        for c in i["criteria"]:
            criteria.append(
                Criterion(version=version, indicator=indicator, order=len(criteria), **_criterion_fields(c))
            )
    Criterion.objects.bulk_create(criteria)


def _criterion_fields(c: dict[str, Any]) -> dict[str, Any]:
    measure = c.get("measure") or {}
    unit = measure.get("unit") or {"vi": "", "en": ""}
    fields = {
        "code": c["code"],
        "title_vi": c["title"]["vi"],
        "title_en": c["title"]["en"],
        "description_vi": c["description"]["vi"],
        "description_en": c["description"]["en"],
        "guidance_vi": c["guidance"]["vi"],
        "guidance_en": c["guidance"]["en"],
        "type": c["type"],
        "weight": _dec(c["weight"]),
        "max_points": _dec(c["max_points"]),
        "applies_to": c["applies_to"],
        "measure_unit_vi": unit["vi"],
        "measure_unit_en": unit["en"],
        "direction": measure.get("direction", ""),
        "threshold_yellow": _dec(measure.get("yellow")),
        "threshold_green": _dec(measure.get("green")),
    }
    for name in ("red", "yellow", "green"):
        fields[f"level_{name}_vi"] = c["levels"][name]["vi"]
        fields[f"level_{name}_en"] = c["levels"][name]["en"]
    return fields


def _apply_header(version: FrameworkVersion, doc: dict[str, Any]) -> None:
    v = doc["version"]
    version.title_vi, version.title_en = v["title"]["vi"], v["title"]["en"]
    version.notes_vi, version.notes_en = v["notes"]["vi"], v["notes"]["en"]
    version.effective_date = dt.date.fromisoformat(v["effective_date"]) if v["effective_date"] else None
    version.scoring = doc["scoring"]


def _resolve_parent(ref: str | None) -> FrameworkVersion | None:
    if not ref:
        return None
    framework_code, _sep, version_code = ref.partition("/")
    parent = FrameworkVersion.objects.filter(framework__code=framework_code, code=version_code).first()
    if parent is None:
        raise CatalogueError(_("The parent version %(ref)s named in derived_from is not loaded.") % {"ref": ref})
    return parent


@transaction.atomic
def version_load_document(
    *, doc: dict[str, Any], actor: Any = None, owner_unit: Any = None
) -> tuple[FrameworkVersion, Outcome]:
    """Load a canonical document; idempotent. A changed document over an issued version is refused."""
    new_hash = library.content_hash(doc)
    fw = doc["framework"]
    framework, _created = Framework.objects.get_or_create(
        code=fw["code"], defaults={"title_vi": fw["title"]["vi"], "title_en": fw["title"]["en"]}
    )
    version = (
        FrameworkVersion.objects.select_for_update().filter(framework=framework, code=doc["version"]["code"]).first()
    )
    status = doc["version"]["status"]
    if version is not None:
        if version.content_hash == new_hash and version.status == status:
            return version, "unchanged"
        if not version.is_editable:
            if version.content_hash == new_hash:
                return version, "unchanged"
            raise CatalogueError(_immutable_message(version))
        before = {"content_hash": version.content_hash, "status": version.status}
        outcome: Outcome = "updated"
    else:
        version = FrameworkVersion(framework=framework, code=doc["version"]["code"], owner_unit=owner_unit)
        before = None
        outcome = "created"
    for field, value in (
        ("title_vi", fw["title"]["vi"]),
        ("title_en", fw["title"]["en"]),
        ("publisher_vi", fw["publisher"]["vi"]),
        ("publisher_en", fw["publisher"]["en"]),
    ):
        setattr(framework, field, value)
    framework.save()
    _apply_header(version, doc)
    version.derived_from = _resolve_parent(doc["version"]["derived_from"])
    version.status = VersionStatus.DRAFT
    version.content_hash = new_hash
    version.save()
    _write_content(version, doc)
    if status != VersionStatus.DRAFT:
        version.status = status
        version.issued_at = version.issued_at or _issue_time(version.effective_date)
        version.save(update_fields=["status", "issued_at", "updated_at"])
    audit.record(
        actor=actor,
        action=f"catalogue.version_{outcome}",
        obj=version,
        before=before,
        after={"content_hash": new_hash, "status": version.status, **library.counts(doc)},
    )
    return version, outcome


def _issue_time(effective_date: dt.date | None) -> dt.datetime:
    """An issued library file was issued on its effective date, not on the day it was loaded."""
    if effective_date is None:
        return timezone.now()
    return timezone.make_aware(dt.datetime.combine(effective_date, dt.time(0, 0)))


def _refresh_hash(version: FrameworkVersion) -> None:
    version.content_hash = library.content_hash(version_document(version))
    version.save(update_fields=["content_hash", "updated_at"])


def _require_draft(version: FrameworkVersion) -> None:
    if not version.is_editable:
        raise CatalogueError(_immutable_message(version))


@transaction.atomic
def version_derive(
    *,
    source: FrameworkVersion,
    actor: Any,
    code: str,
    title_vi: str,
    title_en: str = "",
    owner_unit: Any = None,
) -> FrameworkVersion:
    """A new draft (local) version with a copy of ``source``'s content and scoring scheme."""
    if FrameworkVersion.objects.filter(framework=source.framework, code=code).exists():
        raise CatalogueError(_("A version with code “%(code)s” already exists in this framework.") % {"code": code})
    doc = version_document(source)
    doc["version"].update(
        code=code,
        title={"vi": title_vi, "en": title_en},
        status=VersionStatus.DRAFT.value,
        derived_from=source.ref,
        effective_date=None,
    )
    version = FrameworkVersion.objects.create(
        framework=source.framework,
        code=code,
        title_vi=title_vi,
        title_en=title_en,
        notes_vi=source.notes_vi,
        notes_en=source.notes_en,
        derived_from=source,
        owner_unit=owner_unit,
        scoring=source.scoring,
        content_hash=library.content_hash(doc),
    )
    _write_content(version, doc)
    audit.record(actor=actor, action="catalogue.version_derived", obj=version, after={"from": source.ref})
    return version


@transaction.atomic
def version_update(*, version: FrameworkVersion, actor: Any, data: dict[str, Any]) -> FrameworkVersion:
    """Change a draft's title, notes, effective date and scoring scheme (validated)."""
    _require_draft(version)
    scheme, problems = normalise_scheme(data.get("scoring", version.scoring))
    if problems:
        raise CatalogueError("; ".join(f"{path}: {message}" for path, message in problems))
    before = {"title_vi": version.title_vi, "title_en": version.title_en, "scoring": version.scoring}
    for field in ("title_vi", "title_en", "notes_vi", "notes_en", "effective_date"):
        if field in data:
            setattr(version, field, data[field])
    version.scoring = scheme
    version.save()
    _refresh_hash(version)
    audit.record(
        actor=actor,
        action="catalogue.version_updated",
        obj=version,
        before=before,
        after={"title_vi": version.title_vi, "title_en": version.title_en, "scoring": version.scoring},
    )
    return version


@transaction.atomic
def version_issue(*, version: FrameworkVersion, actor: Any) -> FrameworkVersion:
    """Freeze a draft. From now on nothing in it can change."""
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(version)
    doc = version_document(version)
    try:
        library.normalise(doc)
    except library.LibraryError as exc:
        raise CatalogueError(
            _("The version cannot be issued until these problems are fixed: %(problems)s") % {"problems": exc}
        ) from None
    if not library.counts(doc)["criteria"]:
        raise CatalogueError(_("A version without criteria cannot be issued."))
    version.status = VersionStatus.ISSUED
    version.issued_at = timezone.now()
    version.issued_by = actor
    version.content_hash = library.content_hash(doc)
    version.save()
    audit.record(actor=actor, action="catalogue.version_issued", obj=version, after={"hash": version.content_hash})
    return version


CRITERION_EDITABLE = (
    "title_vi",
    "title_en",
    "description_vi",
    "description_en",
    "guidance_vi",
    "guidance_en",
    "type",
    "weight",
    "applies_to",
    "level_red_vi",
    "level_red_en",
    "level_yellow_vi",
    "level_yellow_en",
    "level_green_vi",
    "level_green_en",
    "measure_unit_vi",
    "measure_unit_en",
    "direction",
    "threshold_yellow",
    "threshold_green",
)


def _criterion_snapshot(criterion: Criterion) -> dict[str, Any]:
    return {field: getattr(criterion, field) for field in ("code", *CRITERION_EDITABLE)}


@transaction.atomic
def criterion_save(
    *,
    version: FrameworkVersion,
    actor: Any,
    data: dict[str, Any],
    criterion: Criterion | None = None,
    indicator: Indicator | None = None,
) -> Criterion:
    """Create (with ``indicator``) or change (with ``criterion``) one criterion of a draft version.

    ``data`` has been cleaned by the form; the whole version is re-checked against the format rules.
    """
    _require_draft(version)
    # the stored state: a bound ModelForm has already copied its data onto ``criterion``
    before = _criterion_snapshot(Criterion.objects.get(pk=criterion.pk)) if criterion else None
    if criterion is None:
        assert indicator is not None
        last = indicator.criteria.order_by("-order").first()
        siblings = set(indicator.criteria.values_list("code", flat=True))
        number_ = 1
        while f"{indicator.code}.{number_}" in siblings:
            number_ += 1
        criterion = Criterion(
            version=version,
            indicator=indicator,
            code=f"{indicator.code}.{number_}",
            order=(last.order + 1) if last else 0,
        )
    for field in CRITERION_EDITABLE:
        if field in data:
            setattr(criterion, field, data[field])
    if criterion.type != "performance":
        criterion.direction, criterion.threshold_yellow, criterion.threshold_green = "", None, None
        criterion.measure_unit_vi = criterion.measure_unit_en = ""
    criterion.save()
    try:
        library.normalise(version_document(version))
    except library.LibraryError as exc:
        transaction.set_rollback(True)
        raise CatalogueError(str(exc)) from None
    _refresh_hash(version)
    audit.record(
        actor=actor,
        action="catalogue.criterion_created" if before is None else "catalogue.criterion_updated",
        obj=criterion,
        before=before,
        after=_criterion_snapshot(criterion),
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: Any, reason: str = "") -> None:
    version = criterion.version
    _require_draft(version)
    if criterion.indicator.criteria.count() <= 1:
        raise CatalogueError(_("An indicator needs at least one criterion; add another before removing this one."))
    before = _criterion_snapshot(criterion)
    criterion_id = criterion.pk
    criterion.delete()
    _refresh_hash(version)
    audit.record(
        actor=actor,
        action="catalogue.criterion_deleted",
        object_type="catalogue.criterion",
        object_id=str(criterion_id),
        object_repr=before["code"],
        before=before,
        reason=reason,
    )


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor: Any, data: dict[str, Any]) -> Indicator:
    version = indicator.version
    _require_draft(version)
    fields = ("title_vi", "title_en", "description_vi", "description_en", "sdgs", "iso9001")
    before = {f: getattr(indicator, f) for f in fields}
    for field in fields:
        if field in data:
            setattr(indicator, field, data[field])
    indicator.save()
    _refresh_hash(version)
    audit.record(
        actor=actor,
        action="catalogue.indicator_updated",
        obj=indicator,
        before=before,
        after={f: getattr(indicator, f) for f in fields},
    )
    return indicator
