"""Saving criterion results on the three tracks: the guard (who may write, what the values may be), then a
version check so that no save silently overwrites."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments import access, rules, workflow
from tincay.assessments.models import CriterionResult
from tincay.assessments.services.errors import AssessmentError, ConflictError, NotYours
from tincay.assessments.services.scores import mark_stale
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput

TRACK_FIELDS = rules.TRACK_FIELDS


def snapshot(result: CriterionResult, track: str) -> dict[str, Any]:
    values = {name: getattr(result, name) for name in TRACK_FIELDS[track]}
    values = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in values.items()}
    values["revision"] = result.revision
    values["updated_by"] = getattr(result.updated_by, "display_name", "") if result.updated_by_id else ""
    values["updated_at"] = result.updated_at.isoformat() if result.updated_at else None
    return values


def ensure_can_write(user: Any, result: CriterionResult, track: str) -> None:
    """Refuse unless this person may write ``track`` of this criterion now (system commands pass).

    A track the person's roles could write in another state is refused as bad timing (400); anything else is
    not theirs (403): another role's track, or, for a contributor, an indicator not assigned to them."""
    if is_system(user):
        return
    assessment = result.assessment
    actor = access.actor_for(user, assessment)
    if access.can_write_result(user, result, track, actor=actor):
        return
    if workflow.can_edit(actor, assessment.state, track):
        raise NotYours(
            _("This indicator is not assigned to you or your department; ask the focal point to assign it to you.")
        )
    roles = actor.effective_roles()
    if any(roles & allowed for allowed in workflow.EDITABLE.get(track, {}).values()):
        raise AssessmentError(_("You cannot change this result in the assessment's current state."))
    raise NotYours(_("Your role does not allow you to change this result."))


def _own_save_again(user: Any, locked: CriterionResult, revision: int, cleaned: dict[str, Any]) -> bool:
    """A save sent on an older revision that this same person moved on, with content equal to what is stored:
    the autosave and the "Save" button racing each other, or a retry. Not a conflict (nothing would be lost)."""
    if is_system(user) or locked.updated_by_id != getattr(user, "pk", None) or revision > locked.revision:
        return False
    return all(getattr(locked, name) == value for name, value in cleaned.items())


@transaction.atomic
def result_save(*, user: Any, result: CriterionResult, track: str, data: Any, revision: Any) -> CriterionResult:
    """Save one track of one criterion, after the guard: the person may write it now, every value is valid
    (``rules.check_track``), and ``revision`` (the one the form was loaded with) is still the stored one; a
    different stored revision means someone else saved meanwhile: ConflictError carries their version. A save on
    an older revision by the person who made the stored one, with the same content, is not a conflict: the stored
    row is returned unchanged. Keeping one's own version after a conflict is a save with the revision the
    conflict showed (the same checks apply). Nothing is written when any check fails."""
    if track not in TRACK_FIELDS:
        raise AssessmentError({"track": [_("Choose a track: self, scorer or final.")]})
    locked = (
        CriterionResult.objects.select_for_update(of=("self",))
        .select_related("assessment__unit", "assessment__campaign__version", "criterion", "updated_by")
        .get(pk=result.pk)
    )
    ensure_can_write(user, locked, track)
    errors = ErrorCollector()
    cleaned: dict[str, Any] = {}
    for check in (
        lambda: rules.check_track(
            track=track,
            data=data,
            criterion=locked.criterion,
            scheme=locked.assessment.campaign.version.scoring,
            stored=locked,
        ),
        lambda: {"revision": rules.clean_revision(revision)},  # the argument, not a "revision" key of data
    ):
        try:
            cleaned.update(check())
        except InvalidInput as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    errors.add(name, message)
    if errors:
        raise AssessmentError(errors.errors)
    revision = cleaned.pop("revision")
    if locked.revision != revision and _own_save_again(user, locked, revision, cleaned):
        return locked  # this person's own newer save already holds exactly this: nothing to do, no conflict
    if locked.revision != revision:
        raise ConflictError(
            _("Someone else saved this criterion while you were editing. Compare both versions and save again."),
            snapshot(locked, track),
        )
    before = snapshot(locked, track)
    for name in TRACK_FIELDS[track]:
        if name in cleaned:
            setattr(locked, name, cleaned[name])
    locked.revision += 1
    locked.updated_by = None if is_system(user) else user
    locked.updated_at = timezone.now()
    locked.save()
    mark_stale([locked.assessment_id])
    audit.record(
        actor=user, action=f"assessments.result_saved_{track}", obj=locked, before=before, after=snapshot(locked, track)
    )
    return locked
