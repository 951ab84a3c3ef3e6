"""Writes to the catalogue: load a library document, derive, edit and issue versions.

Every function runs in one transaction, refuses to touch an issued version, and records an audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_admin, is_system
from tincay.audit import services as audit
from tincay.catalogue import access, edits, library, limits
from tincay.catalogue.choices import VersionStatus
from tincay.catalogue.models import Criterion, Framework, FrameworkVersion, Indicator, Pillar
from tincay.catalogue.selectors import version_document
from tincay.common.errors import NON_FIELD, ErrorCollector, InvalidInput, Refused

Outcome = Literal["created", "updated", "unchanged"]


class CatalogueError(InvalidInput):
    """A change the catalogue refuses; the message says why and what to do."""


class DocumentError(CatalogueError):
    """A document (file, workbook, or a draft as it would be after an edit) that breaks the format or the columns.

    ``problems`` keeps every place (``pillars[0].indicators[2].criteria[1].weight``) for pages that list them."""

    def __init__(self, problems: list[library.Problem], *, field_of: Callable[[str], str | None] | None = None):
        self.problems = problems
        errors: dict[str, list[str]] = {}
        for problem in problems:
            field = field_of(problem.path) if field_of else None
            errors.setdefault(field or NON_FIELD, []).append(problem.message if field else str(problem))
        super().__init__(errors)


class CatalogueRefused(Refused):
    """This person may not make that change to the catalogue."""


def _immutable_message(version: FrameworkVersion) -> str:
    return _("Version %(ref)s has been issued and can no longer change. Derive a new version to make changes.") % {
        "ref": version.ref
    }


def _refused_message(version: FrameworkVersion) -> str:
    return _(
        "Only administrators and the coordinators over the owner unit change draft %(ref)s. "
        "Derive your own version to make changes."
    ) % {"ref": version.ref}


def _checked(doc: dict[str, Any], *, field_of: Callable[[str], str | None] | None = None) -> dict[str, Any]:
    """The canonical form of ``doc`` when it keeps the format and fits the columns; else DocumentError."""
    try:
        normalised = library.normalise(doc)
    except library.LibraryError as exc:
        raise DocumentError(exc.problems, field_of=field_of) from None
    problems = limits.document_problems(normalised)
    if problems:
        raise DocumentError(problems, field_of=field_of)
    return normalised


def _locked_draft(actor: Any, version: FrameworkVersion) -> FrameworkVersion:
    """The version row, locked for this transaction, after checking it is a draft this actor may change."""
    locked = FrameworkVersion.objects.select_for_update().select_related("framework").get(pk=version.pk)
    if not locked.is_editable:
        raise CatalogueError(_immutable_message(locked))
    if not access.can_edit_version(actor, locked):
        raise CatalogueRefused(_refused_message(locked))
    return locked


def _mapping(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise CatalogueError(_("Send the changes as a set of named fields."))
    return data


def _check_keys(data: Mapping[str, Any], allowed: tuple[str, ...], errors: ErrorCollector) -> None:
    unknown = sorted(str(key) for key in data if key not in allowed)
    if unknown:
        errors.add(
            NON_FIELD,
            _("These fields cannot be changed here: %(names)s. Remove them and try again.")
            % {"names": ", ".join(unknown)},
        )


def _check_texts(data: Mapping[str, Any], names: tuple[str, ...], errors: ErrorCollector) -> None:
    for name in names:
        if name in data and data[name] is not None and not isinstance(data[name], str):
            errors.add(name, _("Enter text here."))


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
    version.changes = v.get("changes") or []
    version.effective_date = dt.date.fromisoformat(v["effective_date"]) if v["effective_date"] else None
    version.scoring = doc["scoring"]


def _resolve_parent(ref: str | None, actor: Any) -> FrameworkVersion | None:
    if not ref:
        return None
    framework_code, _sep, version_code = ref.partition("/")
    parents = FrameworkVersion.objects if is_system(actor) else access.versions_visible_to(actor)
    parent = parents.filter(framework__code=framework_code, code=version_code).first()
    if parent is None:
        raise CatalogueError(_("The parent version %(ref)s named in derived_from is not loaded.") % {"ref": ref})
    return parent


def _check_load(actor: Any, version: FrameworkVersion | None, status: str, owner_unit: Any) -> None:
    """May ``actor`` write this document over ``version`` (None: a new one owned by ``owner_unit``)?"""
    if version is not None:
        if not version.is_editable:
            raise CatalogueError(_immutable_message(version))
        if not access.can_edit_version(actor, version):
            raise CatalogueRefused(_refused_message(version))
    elif not (access.can_derive(actor) and access.can_own(actor, owner_unit)):
        raise CatalogueRefused(
            _("Only administrators and coordinators load indicator sets, for units they coordinate.")
        )
    if status != VersionStatus.DRAFT and not is_system(actor):
        raise CatalogueError(
            _("A file or workbook is loaded as a draft; issue the version from its page once checked.")
        )


def _check_owner(owner_unit: Any) -> None:
    unit_model = FrameworkVersion._meta.get_field("owner_unit").related_model
    if owner_unit is not None and (not isinstance(owner_unit, unit_model) or owner_unit.valid_to is not None):
        raise CatalogueError({"owner_unit": _("Choose one of today's units as the owner, or none for a national set.")})


@transaction.atomic
def version_load_document(
    *, doc: dict[str, Any], actor: Any, owner_unit: Any = None
) -> tuple[FrameworkVersion, Outcome]:
    """Load a library document (checked here again, whoever read it); idempotent.

    A changed document over an issued version is refused; people load drafts they may edit, commands anything.
    Only commands and administrators change the header (title, publisher) of an existing framework."""
    doc = _checked(doc)
    _check_owner(owner_unit)
    new_hash = library.content_hash(doc)
    fw = doc["framework"]
    framework = Framework.objects.filter(code=fw["code"]).first()
    version = (
        FrameworkVersion.objects.select_for_update().filter(framework=framework, code=doc["version"]["code"]).first()
        if framework is not None
        else None
    )
    status = doc["version"]["status"]
    if (
        version is not None
        and version.content_hash == new_hash
        and (version.status == status or not version.is_editable)
    ):
        return version, "unchanged"
    _check_load(actor, version, status, owner_unit)
    parent = _resolve_parent(doc["version"]["derived_from"], actor)
    if framework is None:
        framework = Framework(code=fw["code"])
    if framework.pk is None or is_system(actor) or is_admin(actor):
        framework.title_vi, framework.title_en = fw["title"]["vi"], fw["title"]["en"]
        framework.publisher_vi, framework.publisher_en = fw["publisher"]["vi"], fw["publisher"]["en"]
        framework.save()
    if version is not None:
        before = {"content_hash": version.content_hash, "status": version.status}
        outcome: Outcome = "updated"
    else:
        version = FrameworkVersion(framework=framework, code=doc["version"]["code"], owner_unit=owner_unit)
        before = None
        outcome = "created"
    _apply_header(version, doc)
    version.derived_from = parent
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


_HEADER_FIELDS = {"version.code": "code", "version.title": "title_vi", "version.title.vi": "title_vi"}
_HEADER_FIELDS |= {f"version.{name}.{lang}": f"{name}_{lang}" for name in ("title", "notes") for lang in ("vi", "en")}
_HEADER_FIELDS["version.effective_date"] = "effective_date"


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
    errors = ErrorCollector()
    _check_texts({"code": code, "title_vi": title_vi, "title_en": title_en}, ("code", "title_vi", "title_en"), errors)
    _check_owner(owner_unit)
    if errors:
        raise CatalogueError(errors.errors)
    if not (access.can_derive(actor) and access.can_own(actor, owner_unit)):
        raise CatalogueRefused(
            {"owner_unit": _("You may derive versions only for the units you coordinate. Choose one of them.")}
        )
    if not is_system(actor) and not access.versions_visible_to(actor).filter(pk=source.pk).exists():
        raise CatalogueRefused(_("This indicator set does not exist or is not visible to you."))
    doc = version_document(source)
    doc["version"].pop("changes", None)  # a derived version starts with no change note of its own
    doc["version"].update(
        code=(code or "").strip(),
        title={"vi": title_vi or "", "en": title_en or ""},
        status=VersionStatus.DRAFT.value,
        derived_from=source.ref,
        effective_date=None,
    )
    doc = _checked(doc, field_of=_HEADER_FIELDS.get)
    code = doc["version"]["code"]
    if FrameworkVersion.objects.filter(framework=source.framework, code=code).exists():
        raise CatalogueError(
            {"code": _("A version with code “%(code)s” already exists in this framework.") % {"code": code}}
        )
    version = FrameworkVersion.objects.create(
        framework=source.framework,
        code=code,
        title_vi=doc["version"]["title"]["vi"],
        title_en=doc["version"]["title"]["en"],
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


VERSION_EDITABLE = ("title_vi", "title_en", "notes_vi", "notes_en", "effective_date", "scoring")


def _date_input(value: Any, errors: ErrorCollector) -> str | None:
    """A date, an ISO text (YYYY-MM-DD) or nothing, as the document's ISO text."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    errors.add("effective_date", _("Enter a date such as 01/01/2027."))
    return None


@transaction.atomic
def version_update(*, version: FrameworkVersion, actor: Any, data: dict[str, Any]) -> FrameworkVersion:
    """Change a draft's title, notes, effective date and scoring scheme; the whole draft is re-checked."""
    data = _mapping(data)
    locked = _locked_draft(actor, version)
    errors = ErrorCollector()
    _check_keys(data, VERSION_EDITABLE, errors)
    _check_texts(data, ("title_vi", "title_en", "notes_vi", "notes_en"), errors)
    doc = version_document(locked)
    header = doc["version"]
    for name in ("title", "notes"):
        for lang in ("vi", "en"):
            if f"{name}_{lang}" in data:
                header[name][lang] = data[f"{name}_{lang}"] or ""
    if "effective_date" in data:
        header["effective_date"] = _date_input(data["effective_date"], errors)
    if "scoring" in data:
        if not isinstance(data["scoring"], Mapping):
            errors.add(NON_FIELD, _("The scoring scheme must be a set of named values."))
        else:
            doc["scoring"] = dict(data["scoring"])
    if errors:
        raise CatalogueError(errors.errors)
    doc = _checked(doc, field_of=_HEADER_FIELDS.get)
    before = {"title_vi": locked.title_vi, "title_en": locked.title_en, "scoring": locked.scoring}
    _apply_header(locked, doc)
    locked.save()
    _refresh_hash(locked)
    audit.record(
        actor=actor,
        action="catalogue.version_updated",
        obj=locked,
        before=before,
        after={"title_vi": locked.title_vi, "title_en": locked.title_en, "scoring": locked.scoring},
    )
    return locked


@transaction.atomic
def version_issue(*, version: FrameworkVersion, actor: Any) -> FrameworkVersion:
    """Freeze a draft. From now on nothing in it can change."""
    version = _locked_draft(actor, version)
    doc = version_document(version)
    try:
        doc = _checked(doc)
    except DocumentError as exc:
        raise CatalogueError(
            _("The version cannot be issued until these problems are fixed: %(problems)s")
            % {"problems": "; ".join(str(p) for p in exc.problems)}
        ) from None
    if not library.counts(doc)["criteria"]:
        raise CatalogueError(_("A version without criteria cannot be issued."))
    version.status = VersionStatus.ISSUED
    version.issued_at = timezone.now()
    version.issued_by = None if is_system(actor) else actor
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
# The service also takes the maximum points (points schemes); the page form shows CRITERION_EDITABLE.
CRITERION_FIELDS = (*CRITERION_EDITABLE, "max_points")
REASON_MAX = 2000


def _criterion_snapshot(criterion: Criterion) -> dict[str, Any]:
    return {field: getattr(criterion, field) for field in ("code", *CRITERION_FIELDS)}


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

    The draft as it would be after the change is checked against the format and the columns before any row is
    written; ``data`` may come from a form (typed values) or elsewhere (texts, numbers)."""
    data = _mapping(data)
    version = _locked_draft(actor, version)
    if criterion is not None:
        criterion = Criterion.objects.select_related("indicator").filter(pk=criterion.pk, version=version).first()
    elif indicator is not None:
        indicator = Indicator.objects.filter(pk=indicator.pk, version=version).first()
    if criterion is None and indicator is None:
        raise CatalogueError(_("Choose a criterion or an indicator of this version."))
    indicator = criterion.indicator if criterion is not None else indicator
    errors = ErrorCollector()
    _check_keys(data, CRITERION_FIELDS, errors)
    edits.check_criterion_input(data, errors)
    if errors:
        raise CatalogueError(errors.errors)
    doc = version_document(version)
    path, entry = edits.criterion_entry(doc, indicator.code, criterion.code if criterion else None)
    edits.apply_criterion_data(entry, data)
    doc = _checked(doc, field_of=lambda p: edits.criterion_field(p, path))
    saved = edits.find(doc, path)
    before = _criterion_snapshot(criterion) if criterion else None
    if criterion is None:
        last = indicator.criteria.order_by("-order").first()
        criterion = Criterion(version=version, indicator=indicator, order=(last.order + 1) if last else 0)
    for field, value in _criterion_fields(saved).items():
        setattr(criterion, field, value)
    criterion.save()
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
    version = _locked_draft(actor, criterion.version)
    criterion = Criterion.objects.select_related("indicator").filter(pk=criterion.pk, version=version).first()
    if criterion is None:
        raise CatalogueError(_("This criterion has already been removed. Reload the page."))
    if reason is not None and not isinstance(reason, str):
        raise CatalogueError({"reason": _("Enter text here.")})
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise CatalogueError({"reason": _("Enter at most %(limit)d characters.") % {"limit": REASON_MAX}})
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


INDICATOR_EDITABLE = ("title_vi", "title_en", "description_vi", "description_en", "sdgs", "iso9001")


@transaction.atomic
def indicator_update(*, indicator: Indicator, actor: Any, data: dict[str, Any]) -> Indicator:
    """Change an indicator's titles, description and links; the draft as it would be is checked first."""
    data = _mapping(data)
    version = _locked_draft(actor, indicator.version)
    indicator = Indicator.objects.filter(pk=indicator.pk, version=version).first()
    if indicator is None:
        raise CatalogueError(_("This indicator is not part of the version. Reload the page."))
    errors = ErrorCollector()
    _check_keys(data, INDICATOR_EDITABLE, errors)
    _check_texts(data, ("title_vi", "title_en", "description_vi", "description_en"), errors)
    for name in ("sdgs", "iso9001"):
        if name in data and not isinstance(data[name], (list, tuple)):
            errors.add(name, _("Give a list of values."))
    if errors:
        raise CatalogueError(errors.errors)
    doc = version_document(version)
    path, entry = edits.indicator_entry(doc, indicator.code)
    edits.apply_indicator_data(entry, data)
    doc = _checked(doc, field_of=lambda p: edits.indicator_field(p, path))
    saved = edits.find(doc, path)
    fields = ("title_vi", "title_en", "description_vi", "description_en", "sdgs", "iso9001")
    before = {f: getattr(indicator, f) for f in fields}
    indicator.title_vi, indicator.title_en = saved["title"]["vi"], saved["title"]["en"]
    indicator.description_vi, indicator.description_en = saved["description"]["vi"], saved["description"]["en"]
    indicator.sdgs, indicator.iso9001 = saved["sdgs"], saved["iso9001"]
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
