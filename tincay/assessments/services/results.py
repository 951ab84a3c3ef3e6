"""Saving criterion results on the three tracks, with a version check so that no save silently overwrites."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments import workflow
from tincay.assessments.models import CriterionResult
from tincay.assessments.services.errors import AssessmentError, ConflictError
from tincay.assessments.services.scores import mark_stale
from tincay.audit import services as audit

TRACK_FIELDS: dict[str, tuple[str, ...]] = {
    "self": ("self_level", "self_value", "self_points", "na", "na_reason", "narrative", "no_evidence_reason"),
    "scorer": ("scorer_level", "scorer_value", "scorer_comment"),
    "final": ("final_level", "final_value", "final_comment"),
}


def snapshot(result: CriterionResult, track: str) -> dict[str, Any]:
    values = {name: getattr(result, name) for name in TRACK_FIELDS[track]}
    values = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
    values["revision"] = result.revision
    values["updated_by"] = getattr(result.updated_by, "display_name", "") if result.updated_by_id else ""
    values["updated_at"] = result.updated_at.isoformat() if result.updated_at else None
    return values


def _validate(track: str, data: dict[str, Any], result: CriterionResult) -> None:
    if track == "self" and data.get("na") and not (data.get("na_reason") or "").strip():
        raise AssessmentError(_("Say why this criterion does not apply to your unit."))
    if track == "final":
        scorer = result.scorer_level
        if (
            data.get("final_level")
            and scorer
            and data["final_level"] != scorer
            and not (data.get("final_comment") or "").strip()
        ):
            raise AssessmentError(_("The final level differs from the scorer's: give the reason."))


@transaction.atomic
def result_save(
    *, user: Any, actor: workflow.Actor, result: CriterionResult, track: str, data: dict[str, Any], revision: int
) -> CriterionResult:
    """Save one track of one criterion. ``revision`` is the one the form was loaded with; a different stored
    revision means someone else saved meanwhile: ConflictError carries their version, nothing is written."""
    locked = (
        CriterionResult.objects.select_for_update(of=("self",))
        .select_related("assessment", "updated_by")
        .get(pk=result.pk)
    )
    if not workflow.can_edit(actor, locked.assessment.state, track):
        raise AssessmentError(_("You cannot change this result in the assessment's current state."))
    if locked.revision != revision:
        raise ConflictError(
            _("Someone else saved this criterion while you were editing. Compare both versions and save again."),
            snapshot(locked, track),
        )
    _validate(track, data, locked)
    before = snapshot(locked, track)
    for name in TRACK_FIELDS[track]:
        if name in data:
            setattr(locked, name, data[name])
    if track == "self" and locked.na:
        locked.self_level, locked.self_value = "", None
    locked.revision += 1
    locked.updated_by = user
    locked.updated_at = timezone.now()
    locked.save()
    mark_stale([locked.assessment_id])
    audit.record(
        actor=user, action=f"assessments.result_saved_{track}", obj=locked, before=before, after=snapshot(locked, track)
    )
    return locked
