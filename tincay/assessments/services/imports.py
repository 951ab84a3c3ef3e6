"""Importing results recorded elsewhere (paper records of earlier campaigns, spreadsheets)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.assessments.choices import Level, State
from tincay.assessments.models import Assessment, CriterionResult, TransitionRecord
from tincay.assessments.services.errors import AssessmentError
from tincay.assessments.services.results import TRACK_FIELDS
from tincay.assessments.services.scores import mark_stale
from tincay.audit import services as audit

IMPORTABLE = {name for fields in TRACK_FIELDS.values() for name in fields}


def _clean(code: str, row: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(row) - IMPORTABLE
    if unknown:
        raise AssessmentError(
            _("%(code)s: unknown columns %(cols)s") % {"code": code, "cols": ", ".join(sorted(unknown))}
        )
    for name in ("self_level", "scorer_level", "final_level"):
        if row.get(name) not in (None, "", *Level.values):
            raise AssessmentError(
                _("%(code)s: “%(v)s” is not a level (red, yellow, green)") % {"code": code, "v": row[name]}
            )
    return {k: (Decimal(str(v)) if k.endswith(("_value", "_points")) and v is not None else v) for k, v in row.items()}


@transaction.atomic
def assessment_import_results(
    *,
    user: Any,
    assessment: Assessment,
    rows: Mapping[str, Mapping[str, Any]],
    final_state: str | None = None,
    reason: str = "",
) -> int:
    """Write many results at once (by criterion code); optionally record the state the source reached.

    Every row is checked before anything is written; one audit event covers the import.
    """
    results = {r.criterion.code: r for r in assessment.results.select_related("criterion")}
    missing = sorted(set(rows) - set(results))
    if missing:
        raise AssessmentError(_("Criteria not in this assessment: %(codes)s") % {"codes": ", ".join(missing[:10])})
    cleaned = {code: _clean(code, row) for code, row in rows.items()}
    now = timezone.now()
    who = user if getattr(user, "pk", None) else None  # imports may run as a command, not a person
    changed = []
    for code, values in cleaned.items():
        result = results[code]
        for name, value in values.items():
            setattr(result, name, "" if value is None and not name.endswith(("_value", "_points")) else value)
        result.revision += 1
        result.updated_by, result.updated_at = who, now
        changed.append(result)
    fields = sorted({name for values in cleaned.values() for name in values} | {"revision", "updated_by", "updated_at"})
    CriterionResult.objects.bulk_update(changed, fields, batch_size=500)
    mark_stale([assessment.pk])
    if final_state and final_state != assessment.state:
        if final_state not in State.values:
            raise AssessmentError(_("Unknown state."))
        TransitionRecord.objects.create(
            assessment=assessment,
            action="import",
            from_state=assessment.state,
            to_state=final_state,
            actor=who,
            reason=reason,
        )
        assessment.state, assessment.state_changed_at = final_state, now
        if final_state == State.PUBLISHED:
            assessment.published_at = now
        assessment.save()
    audit.record(
        actor=user,
        action="assessments.results_imported",
        obj=assessment,
        after={"rows": len(changed), "state": assessment.state},
        reason=reason,
    )
    return len(changed)
