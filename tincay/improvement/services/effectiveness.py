"""Verdicts on actions at the next campaign: was the action effective, partly, or not?

A reviewer (a coordinator over the unit assessed next, that campaign's appraisal council, an administrator) records
the verdict once the next assessment of the unit, or of its successor through lineage, is appraised. The verdict
keeps the outcomes seen at that moment (code → improved / stayed / fell / unknown), so a later correction of the
results does not rewrite what the reviewer looked at. Recording again replaces the verdict; the audit trail keeps
the one replaced (before/after), like a correction of a published result.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments.models import Assessment
from tincay.audit import services as audit
from tincay.common.errors import NON_FIELD, ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.improvement import access
from tincay.improvement.choices import Verdict
from tincay.improvement.models import Action, ActionVerdict
from tincay.improvement.selectors.effectiveness import action_effect

NOTE_LIMIT = 2_000
NOTE_REQUIRED = {Verdict.PARTLY, Verdict.NOT_EFFECTIVE}


def _verdict(errors: ErrorCollector, raw: Any) -> str:
    if not isinstance(raw, str) or raw not in Verdict.values:
        errors.add("verdict", _("Choose effective, partly effective or not effective."))
        return ""
    return raw


def _note(errors: ErrorCollector, raw: Any, verdict: str) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add("note", _("Enter text."))
        return ""
    text = raw.strip()
    if verdict in NOTE_REQUIRED and not text:
        errors.add("note", _("Say why the action was only partly effective or not effective: a note is required."))
    elif len(text) > NOTE_LIMIT:
        errors.add("note", _("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(NOTE_LIMIT)})
    return text


def _snapshot(verdict: ActionVerdict) -> dict[str, Any]:
    return {
        "verdict": verdict.verdict,
        "note": verdict.note,
        "next_assessment": verdict.next_assessment_id,
        "outcomes": verdict.outcomes,
    }


@transaction.atomic
def verdict_record(*, actor: Any, action: Any, verdict: Any, note: Any) -> ActionVerdict:
    """Record (or replace) the verdict on ``action`` at the next appraised assessment, as ``actor``.

    Refused with InvalidInput (400) when no appraised assessment follows yet, when the verdict is not one of
    ``choices.Verdict`` or when a partly / not effective verdict comes without a note; with Refused (403) when the
    actor may not record verdicts on that assessment. Every check runs before anything is stored."""
    if not isinstance(action, Action) or action.pk is None:
        raise InvalidInput({NON_FIELD: [_("Choose an action of an action programme.")]})
    locked = Action.objects.select_for_update(of=("self",)).get(pk=action.pk)
    following, effect = action_effect(locked, Assessment.objects.all())
    next_assessment = following.assessment
    if next_assessment is None or effect is None:
        raise InvalidInput(
            {
                NON_FIELD: [
                    _(
                        "No appraised assessment of this unit (or of the unit it became) follows yet: the verdict "
                        "waits for the next campaign's approved results."
                    )
                ]
            }
        )
    if not is_system(actor) and not access.can_record_verdict(actor, next_assessment):
        raise Refused(
            _(
                "Only coordinators over the unit, the next campaign's appraisal council and administrators "
                "record verdicts."
            )
        )
    errors = ErrorCollector()
    chosen = _verdict(errors, verdict)
    text = _note(errors, note, chosen)
    errors.raise_if_any()
    reviewer = None if is_system(actor) else actor
    values = {
        "next_assessment": next_assessment,
        "verdict": chosen,
        "note": text,
        "outcomes": effect.outcomes,
        "reviewer": reviewer,
    }
    existing = ActionVerdict.objects.select_for_update().filter(action=locked).first()
    if existing is None:
        recorded = ActionVerdict.objects.create(action=locked, **values)
        audit.record(actor=actor, action="improvement.verdict_recorded", obj=recorded, after=_snapshot(recorded))
        return recorded
    before = _snapshot(existing)
    for name, value in values.items():
        setattr(existing, name, value)
    existing.save()
    audit.record(
        actor=actor,
        action="improvement.verdict_replaced",
        obj=existing,
        before=before,
        after=_snapshot(existing),
        reason=text,
    )
    return existing
