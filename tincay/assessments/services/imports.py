"""Importing results recorded elsewhere (paper records of earlier campaigns, spreadsheets).

Every row meets the same rules as a save on the page (``rules.check_track``, per track of the row's fields);
every bad row is reported, each problem named ``<criterion code>.<field>``, and nothing is written unless every
row is good. A row equal to what is stored is not written (its revision stays): the import returns what changed,
field by field, so a spreadsheet import can report every row as changed or unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments import access, rules
from tincay.assessments.choices import State
from tincay.assessments.models import Assessment, CriterionResult, TransitionRecord
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.assessments.services.scores import mark_stale
from tincay.audit import services as audit
from tincay.common.bulk import fast_bulk_update
from tincay.common.errors import ErrorCollector, InvalidInput

IMPORTABLE = set(rules.ALL_FIELDS)
REASON_LIMIT = 2_000

# criterion code -> field -> (stored before, after the import), only for the fields that change
Changes = dict[str, dict[str, tuple[Any, Any]]]


def _check_row(
    errors: ErrorCollector, code: str, row: Any, result: CriterionResult, scheme: Mapping[str, Any]
) -> dict[str, Any]:
    """The typed values of one row, or its problems added to ``errors`` under ``<code>.<field>``."""

    def add(field: str, message: Any) -> None:
        errors.add(f"{code}.{field}", _("Criterion %(code)s: %(message)s") % {"code": code, "message": message})

    if not isinstance(row, Mapping):
        add("__all__", _("give the row's values as columns"))
        return {}
    for name in sorted(set(row) - IMPORTABLE, key=str):
        add(str(name), _("Unknown column: remove it."))
    stored = {name: getattr(result, name) for name in rules.ALL_FIELDS}
    cleaned: dict[str, Any] = {}
    for track, fields in rules.TRACK_FIELDS.items():  # self, scorer, final: the final is checked against the scorer
        data = {name: row[name] for name in fields if name in row}
        if not data:
            continue
        try:
            values = rules.check_track(
                track=track, data=data, criterion=result.criterion, scheme=scheme, stored={**stored, **cleaned}
            )
        except InvalidInput as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    add(name, message)
        else:
            cleaned.update(values)
    return cleaned


def assessment_import_results(
    *,
    user: Any,
    assessment: Assessment,
    rows: Mapping[str, Mapping[str, Any]],
    final_state: str | None = None,
    reason: str = "",
) -> int:
    """Write many results at once (by criterion code); optionally record the state the source reached. Returns
    how many results changed (see :func:`assessment_import_changes`)."""
    changes = assessment_import_changes(
        user=user, assessment=assessment, rows=rows, final_state=final_state, reason=reason
    )
    return len(changes)


@transaction.atomic
def assessment_import_changes(
    *,
    user: Any,
    assessment: Assessment,
    rows: Mapping[str, Mapping[str, Any]],
    final_state: str | None = None,
    reason: str = "",
) -> Changes:
    """Write many results at once (by criterion code); optionally record the state the source reached. Returns,
    for each result that changed, its changed fields as (before, after); results equal to their row are left as
    they are.

    Only an administrator, a coordinator over the unit or a server command imports. Every row is checked
    before anything is written; one audit event covers the import (none when it changes nothing).
    """
    if not is_system(user) and not access.can_import_results(user, assessment):
        raise NotYours(_("Only an administrator or a coordinator of this unit can import results."))
    errors = ErrorCollector()
    if final_state not in (None, "", *State.values):
        errors.add("final_state", _("Choose a state of the workflow, or leave it empty."))
    if not isinstance(reason, str) or len(reason) > REASON_LIMIT:
        errors.add("reason", _("Give the reason as text of at most %(limit)s characters.") % {"limit": REASON_LIMIT})
    if not isinstance(rows, Mapping) or not rows:
        errors.add("rows", _("Give at least one row, by criterion code."))
    errors.raise_if_any()
    scheme = assessment.campaign.version.scoring
    results = {r.criterion.code: r for r in assessment.results.select_related("criterion")}
    if missing := sorted(set(rows) - set(results), key=str):
        errors.add(
            "rows", _("Criteria not in this assessment: %(codes)s") % {"codes": ", ".join(map(str, missing[:10]))}
        )
    cleaned = {
        code: _check_row(errors, code, row, results[code], scheme) for code, row in rows.items() if code in results
    }
    if errors:
        raise AssessmentError(errors.errors)
    now = timezone.now()
    who = None if is_system(user) else user  # imports may run as a command, not a person
    changes: Changes = {}
    for code, values in cleaned.items():
        result = results[code]
        differences = {
            name: (getattr(result, name), value) for name, value in values.items() if getattr(result, name) != value
        }
        if not differences:
            continue
        for name, (_before, value) in differences.items():
            setattr(result, name, value)
        result.revision += 1
        result.updated_by, result.updated_at = who, now
        changes[code] = differences
    if changes:
        fields = {name for differences in changes.values() for name in differences}
        changed = [results[code] for code in changes]
        fields |= {"revision", "updated_by", "updated_at"}
        fast_bulk_update(changed, sorted(fields))
        mark_stale([assessment.pk])
    moves = bool(final_state) and final_state != assessment.state
    if not changes and not moves:
        return changes
    if moves:
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
        after={"rows": len(changes), "state": assessment.state},
        reason=reason,
    )
    return changes
