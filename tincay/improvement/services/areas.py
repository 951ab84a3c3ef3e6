"""Areas to improve (chủ điểm cần cải thiện): suggested from the final results, decided and added by the unit.

:func:`areas_suggest` derives the suggestions of an approved or published assessment: every red or yellow indicator
of the final scores (``AssessmentScore``, track "final") and every red or yellow criterion of the final results
(N/A left out), each with its level, weight, gap to green and priority, computed only through ``rules``
(``gap_to_green``, ``priority``): a criterion's score is the scheme's value of its level, an indicator's its final
score; a criterion weighs its catalogue weight, an indicator the sum of its applicable criteria's weights. Every
area of the assessment is then ranked 1..n by priority (highest first), ties in catalogue order.

Running it again keeps what the unit decided (selected, stage, reason) and the areas it added, and refreshes their
figures; a suggestion that is no longer red or yellow goes away unless the unit selected it (or an action serves
it): it stays, with its new level (green), which the page flags.

The unit's leader and focal point (``access.can_edit_areas``) decide each area (:func:`area_decide`), accept
several suggestions at once (:func:`areas_accept_suggested`) and add their own (:func:`area_add`). Each service
checks permission and its whole input before it touches a row, and records an audit event per change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments import selectors as assessment_selectors
from tincay.assessments.models import Assessment, AssessmentScore, CriterionResult
from tincay.assessments.scoring import LEVELS
from tincay.assessments.services.scores import scores_refresh
from tincay.audit import services as audit
from tincay.catalogue.models import Criterion, Indicator
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.improvement import access, rules
from tincay.improvement.choices import AreaOrigin, Stage
from tincay.improvement.models import Action, ImprovementArea

REASON_LIMIT = 2_000
CODE_LIMIT = 30
CODES_LIMIT = 500  # more codes than a version has areas is not a list of areas
WEAK = ("red", "yellow")
TRACK = "final"

Key = tuple[int, int | None]  # (indicator id, criterion id or None)


@dataclass(frozen=True)
class Figures:
    """What the results say about one indicator or criterion: level, weight, gap to green, priority."""

    level: str
    weight: float
    gap: float
    priority: float
    order: tuple[int, int, int]  # catalogue order: pillar, indicator, criterion (-1 for the indicator itself)


# --- reading the final results -------------------------------------------------------------------------------


def _score_of(scheme: dict[str, Any], level: str) -> float | None:
    try:
        return float(scheme["levels"][level])
    except (KeyError, TypeError, ValueError):
        return None


def _figures(assessment: Assessment) -> dict[Key, Figures]:
    """Figures of every indicator and criterion of the assessment's version from its final results (criteria
    not applicable to the unit, i.e. without a result row, and N/A criteria are left out)."""
    scores_refresh(Assessment.objects.filter(pk=assessment.pk))
    final = AssessmentScore.objects.filter(assessment_id=assessment.pk, track=TRACK).first()
    indicator_scores = final.indicators if final else {}
    scheme = assessment.campaign.version.scoring
    results = CriterionResult.objects.filter(assessment_id=assessment.pk).select_related("criterion__indicator__pillar")
    figures: dict[Key, Figures] = {}
    weights: dict[int, float] = {}
    indicators: dict[int, Indicator] = {}
    for result in results:
        criterion = result.criterion
        indicator = criterion.indicator
        indicators[indicator.pk] = indicator
        if result.na:
            continue
        weight = float(criterion.weight)
        weights[indicator.pk] = weights.get(indicator.pk, 0.0) + weight
        level = assessment_selectors.measured_level(criterion, result.final_value) or result.final_level
        if level not in LEVELS:
            level = ""
        score = _score_of(scheme, level) if level else None
        figures[(indicator.pk, criterion.pk)] = Figures(
            level=level,
            weight=round(weight, 4),
            gap=rules.gap_to_green(score),
            priority=rules.priority(weight, score),
            order=(indicator.pillar.order, indicator.order, criterion.order),
        )
    for indicator_id, indicator in indicators.items():
        if indicator.code not in indicator_scores:
            continue  # every criterion N/A: the indicator does not apply
        score, colour = [*(indicator_scores[indicator.code] or []), None, None][:2]
        weight = weights.get(indicator_id, 0.0)
        figures[(indicator_id, None)] = Figures(
            level=colour if colour in LEVELS else "",
            weight=round(weight, 4),
            gap=rules.gap_to_green(score),
            priority=rules.priority(weight, score),
            order=(indicator.pillar.order, indicator.order, -1),
        )
    return figures


def _key(area: ImprovementArea) -> Key:
    return (area.indicator_id, area.criterion_id)


def _apply(area: ImprovementArea, figures: Figures | None) -> None:
    if figures is None:  # no longer scored (the criterion became N/A): nothing left to close
        area.level, area.gap, area.priority = "", 0.0, 0.0
        return
    area.level, area.weight, area.gap, area.priority = figures.level, figures.weight, figures.gap, figures.priority


def _rerank(assessment: Assessment, figures: dict[Key, Figures]) -> None:
    """Ranks 1..n over every area of the assessment: priority first (highest first), then catalogue order."""
    areas = list(ImprovementArea.objects.filter(assessment=assessment).select_related("indicator__pillar", "criterion"))

    def order(area: ImprovementArea) -> tuple[Any, ...]:
        known = figures.get(_key(area))
        if known is not None:
            return (-area.priority, *known.order)
        criterion_order = area.criterion.order if area.criterion_id else -1
        return (-area.priority, area.indicator.pillar.order, area.indicator.order, criterion_order)

    changed = []
    for rank, area in enumerate(sorted(areas, key=order), start=1):
        if area.rank != rank:
            area.rank = rank
            changed.append(area)
    ImprovementArea.objects.bulk_update(changed, ["rank"])


# --- input checks --------------------------------------------------------------------------------------------


def _check_assessment(assessment: Any) -> Assessment:
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise InvalidInput({"assessment": [_("Choose an assessment.")]})
    found = Assessment.objects.select_related("campaign__version", "unit").filter(pk=assessment.pk).first()
    if found is None:
        raise InvalidInput({"assessment": [_("This assessment no longer exists.")]})
    return found


def _guard(actor: Any, assessment: Assessment) -> None:
    """Permission first (Refused, 403), then the state: areas come from final results only."""
    if not access.can_edit_areas(actor, assessment):
        raise Refused(_("Only the unit's leader and focal point decide its areas to improve."))
    if assessment.state not in access.FINAL_STATES:
        raise InvalidInput(
            _(
                "Areas to improve come from the final results: wait until the appraisal council has approved "
                "this assessment."
            )
        )


def _stage(errors: ErrorCollector, raw: Any, *, required: bool) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add("stage", _("Choose short term or medium term."))
        return ""
    stage = raw.strip()
    if stage and stage not in Stage.values:
        errors.add("stage", _("Choose short term or medium term."))
        return ""
    if required and not stage:
        errors.add("stage", _("Choose the stage of a selected area: short term or medium term."))
    return stage


def _reason(errors: ErrorCollector, raw: Any, *, required: bool, missing: str = "") -> str:
    if raw is not None and not isinstance(raw, str):
        errors.add("reason", _("Enter text."))
        return ""
    text = (raw or "").strip()
    if required and not text:
        errors.add("reason", missing or _("Give a reason."))
    elif len(text) > REASON_LIMIT:
        errors.add("reason", _("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(REASON_LIMIT)})
    return text


def _code(errors: ErrorCollector, field: str, raw: Any, *, required: bool) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add(field, _("Enter a code such as 1.1 or 1.1.2."))
        return ""
    code = raw.strip()
    if required and not code:
        errors.add(field, _("Choose an indicator."))
    elif len(code) > CODE_LIMIT:
        errors.add(field, _("Enter a code such as 1.1 or 1.1.2."))
        return ""
    return code


def _record(actor: Any, action: str, area: ImprovementArea, before: Any, after: Any, reason: str = "") -> None:
    audit.record(actor=actor, action=action, obj=area, before=before, after=after, reason=reason)


def _decision(area: ImprovementArea) -> dict[str, Any]:
    return {"selected": area.selected, "stage": area.stage, "reason": area.reason}


# --- services ------------------------------------------------------------------------------------------------


@transaction.atomic
def areas_suggest(*, actor: Any, assessment: Any) -> list[ImprovementArea]:
    """Derive (or refresh) the suggested areas of an approved or published assessment from its final results.
    Returns the assessment's areas in rank order."""
    assessment = _check_assessment(assessment)
    _guard(actor, assessment)
    figures = _figures(assessment)
    weak = {key: f for key, f in figures.items() if f.level in WEAK}
    existing = {
        _key(a): a
        for a in ImprovementArea.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .select_related("indicator", "criterion")
    }
    served = set(
        Action.areas.through.objects.filter(improvementarea__assessment=assessment).values_list(
            "improvementarea_id", flat=True
        )
    )
    created, updated, removed = [], [], []
    for key, area in existing.items():
        if key in weak or area.origin == AreaOrigin.ADDED or area.selected or area.pk in served:
            _apply(area, figures.get(key))
            updated.append(area)
        else:
            removed.append(area)
    for key, found in weak.items():
        if key not in existing:
            area = ImprovementArea(assessment=assessment, indicator_id=key[0], criterion_id=key[1])
            _apply(area, found)
            created.append(area)
    ImprovementArea.objects.bulk_update(updated, ["level", "weight", "gap", "priority"])
    ImprovementArea.objects.bulk_create(created)
    gone = [str(a) for a in removed]
    ImprovementArea.objects.filter(pk__in=[a.pk for a in removed]).delete()
    _rerank(assessment, figures)
    areas = list(
        ImprovementArea.objects.filter(assessment=assessment).select_related("indicator", "criterion").order_by("rank")
    )
    audit.record(
        actor=actor,
        action="improvement.areas_suggested",
        obj=assessment,
        before={"removed": sorted(gone)},
        after={
            "areas": [
                {"code": str(a), "level": a.level, "priority": a.priority, "rank": a.rank, "selected": a.selected}
                for a in areas
            ],
            "new": len(created),
        },
    )
    return areas


def _check_area(area: Any, assessment: Any) -> ImprovementArea:
    if not isinstance(area, ImprovementArea) or area.pk is None:
        raise InvalidInput({"area": [_("Choose an area to improve of this assessment.")]})
    locked = (
        ImprovementArea.objects.select_for_update(of=("self",))
        .select_related("assessment__campaign__version", "assessment__unit", "indicator", "criterion")
        .filter(pk=area.pk)
        .first()
    )
    if locked is None:
        raise InvalidInput({"area": [_("This area to improve no longer exists: reload the page.")]})
    if assessment is not None and (not isinstance(assessment, Assessment) or locked.assessment_id != assessment.pk):
        raise InvalidInput({"area": [_("This area to improve belongs to another assessment.")]})
    return locked


@transaction.atomic
def area_decide(
    *, actor: Any, area: Any, selected: Any, stage: Any, reason: Any, assessment: Any = None
) -> ImprovementArea:
    """Select an area (with its stage: short or medium term) or drop it (with a reason). ``assessment``, when
    given, must be the area's (the pages pass the one in the address)."""
    locked = _check_area(area, assessment)
    _guard(actor, locked.assessment)
    errors = ErrorCollector()
    if not isinstance(selected, bool):
        errors.add("selected", _("Say whether the area is selected or dropped."))
        selected = None
    stage_value = _stage(errors, stage, required=selected is True)
    reason_text = _reason(
        errors,
        reason,
        required=selected is False,
        missing=_("Say why the unit drops this area: the reason is kept with the results."),
    )
    errors.raise_if_any()
    before = _decision(locked)
    locked.selected = bool(selected)
    locked.stage = stage_value if selected else ""
    if reason_text:
        locked.reason = reason_text
    elif locked.origin != AreaOrigin.ADDED:
        locked.reason = ""  # a suggestion selected again: the old reason for dropping it no longer holds
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.decided_at = timezone.now()
    locked.save(update_fields=["selected", "stage", "reason", "decided_by", "decided_at", "updated_at"])
    _record(actor, "improvement.area_decided", locked, before, _decision(locked), reason_text)
    return locked


def _codes(errors: ErrorCollector, raw: Any) -> list[str]:
    if isinstance(raw, str) or not isinstance(raw, (list, tuple)):
        errors.add("codes", _("Choose the areas to accept."))
        return []
    if not raw:
        errors.add("codes", _("Choose at least one area to accept."))
        return []
    if len(raw) > CODES_LIMIT or not all(isinstance(c, str) for c in raw):
        errors.add("codes", _("Choose the areas to accept."))
        return []
    return list(dict.fromkeys(c.strip() for c in raw))


@transaction.atomic
def areas_accept_suggested(*, actor: Any, assessment: Any, codes: Any, stage: Any) -> list[ImprovementArea]:
    """Accept several areas of the assessment at once (by indicator or criterion code) for one stage."""
    assessment = _check_assessment(assessment)
    _guard(actor, assessment)
    errors = ErrorCollector()
    wanted = _codes(errors, codes)
    stage_value = _stage(errors, stage, required=True)
    areas = list(
        ImprovementArea.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .select_related("indicator", "criterion")
    )
    by_code = {str(a): a for a in areas}
    unknown = [c for c in wanted if c not in by_code]
    if unknown:
        errors.add(
            "codes",
            _("Not an area to improve of this assessment: %(codes)s.")
            % {"codes": ", ".join(c[:CODE_LIMIT] for c in unknown[:10])},
        )
    errors.raise_if_any()
    now = timezone.now()
    accepted = []
    for code in wanted:
        area = by_code[code]
        before = _decision(area)
        area.selected, area.stage = True, stage_value
        if area.origin != AreaOrigin.ADDED:
            area.reason = ""
        area.decided_by = actor if getattr(actor, "is_authenticated", False) else None
        area.decided_at = now
        area.save(update_fields=["selected", "stage", "reason", "decided_by", "decided_at", "updated_at"])
        _record(actor, "improvement.area_decided", area, before, _decision(area))
        accepted.append(area)
    return accepted


def _catalogue_item(
    errors: ErrorCollector, assessment: Assessment, indicator_code: str, criterion_code: str
) -> tuple[Indicator | None, Criterion | None]:
    version_id = assessment.campaign.version_id
    indicator = Indicator.objects.filter(version_id=version_id, code=indicator_code).first() if indicator_code else None
    if indicator_code and indicator is None:
        errors.add(
            "indicator",
            _("%(code)s is not an indicator of this assessment's indicator set.") % {"code": indicator_code},
        )
    criterion = None
    if criterion_code:
        criterion = (
            Criterion.objects.filter(version_id=version_id, code=criterion_code).select_related("indicator").first()
        )
        if criterion is None:
            errors.add(
                "criterion",
                _("%(code)s is not a criterion of this assessment's indicator set.") % {"code": criterion_code},
            )
        elif indicator is not None and criterion.indicator_id != indicator.pk:
            errors.add(
                "criterion",
                _("Criterion %(criterion)s belongs to indicator %(indicator)s: choose the matching indicator.")
                % {"criterion": criterion.code, "indicator": criterion.indicator.code},
            )
    return indicator, criterion


@transaction.atomic
def area_add(
    *, actor: Any, assessment: Any, indicator_code: Any, criterion_code: Any = None, stage: Any, reason: Any
) -> ImprovementArea:
    """Add the unit's own area (an indicator, or one criterion of it) for a stage, with the reason."""
    assessment = _check_assessment(assessment)
    _guard(actor, assessment)
    errors = ErrorCollector()
    indicator_text = _code(errors, "indicator", indicator_code, required=True)
    criterion_text = _code(errors, "criterion", criterion_code, required=False)
    stage_value = _stage(errors, stage, required=True)
    reason_text = _reason(
        errors, reason, required=True, missing=_("Say why the unit adds this area: what it wants to improve.")
    )
    indicator, criterion = _catalogue_item(errors, assessment, indicator_text, criterion_text)
    if indicator is not None and not errors:
        taken = ImprovementArea.objects.filter(assessment=assessment)
        taken = taken.filter(criterion=criterion) if criterion else taken.filter(indicator=indicator, criterion=None)
        if taken.exists():
            errors.add(
                "criterion" if criterion else "indicator",
                _("%(code)s is already an area to improve of this assessment: select it in the list instead.")
                % {"code": criterion.code if criterion else indicator.code},
            )
    errors.raise_if_any()
    figures = _figures(assessment)
    area = ImprovementArea(
        assessment=assessment,
        indicator=indicator,
        criterion=criterion,
        origin=AreaOrigin.ADDED,
        selected=True,
        stage=stage_value,
        reason=reason_text,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
        decided_at=timezone.now(),
    )
    _apply(area, figures.get((indicator.pk, criterion.pk if criterion else None)))
    area.save()
    _rerank(assessment, figures)
    area.refresh_from_db(fields=["rank"])
    _record(
        actor,
        "improvement.area_added",
        area,
        None,
        {**_decision(area), "level": area.level, "priority": area.priority},
        reason_text,
    )
    return area


def area_codes(areas: Iterable[ImprovementArea]) -> list[str]:
    """The codes of areas as the services take them (criterion code, else indicator code)."""
    return [str(a) for a in areas]
