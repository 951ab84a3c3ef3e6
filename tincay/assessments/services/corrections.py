"""Correcting a published result: only through a recorded correction (what changed, why, who, when).

``result_save`` refuses every write on a published assessment (the workflow lets nobody edit a track there);
this service is the one way to change a published final result. It checks like ``result_save`` (the same rules
of the final track, ``rules.check_track``, and the revision the form was loaded with), plus a reason, then
rescores the assessment and records the totals before and after. The open-data snapshots taken earlier keep
the earlier values; the campaign's coordinators cut a new snapshot when they are ready.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.accounts.choices import Role
from tincay.accounts.roles import is_system
from tincay.assessments import access, rules
from tincay.assessments.choices import State
from tincay.assessments.models import AssessmentScore, CriterionResult, ResultCorrection
from tincay.assessments.services.errors import AssessmentError, ConflictError, NotYours
from tincay.assessments.services.results import snapshot
from tincay.assessments.services.scores import assessment_rescore, mark_stale
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput
from tincay.common.text import grouped

TRACK = "final"
FIELDS = rules.TRACK_FIELDS[TRACK]
REASON_LIMIT = 2_000


def _reason(errors: ErrorCollector, raw: Any) -> str:
    if raw is not None and not isinstance(raw, str):
        errors.add("reason", _("Enter text."))
        return ""
    text = (raw or "").strip()
    if not text:
        errors.add("reason", _("Say why the published result is corrected: the reason is shown on the public page."))
    elif len(text) > REASON_LIMIT:
        errors.add("reason", _("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(REASON_LIMIT)})
    return text


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _final_total(assessment_id: int) -> float | None:
    score = AssessmentScore.objects.filter(assessment_id=assessment_id, track=TRACK).only("total").first()
    return score.total if score else None


@transaction.atomic
def result_correct(*, user: Any, result: Any, data: Any, reason: Any, revision: Any) -> ResultCorrection:
    """Correct the final result of one criterion of a published assessment, as ``user`` (a coordinator over the
    unit, an administrator or the campaign's appraisal council). Every input is checked together and nothing is
    stored when one check fails: NotYours (403) for someone else, AssessmentError (400) for an assessment not
    published, a missing reason, values the rules refuse or no change, ConflictError (409) when the criterion was
    changed since ``revision``. Records the correction and an audit event, and rescores the assessment."""
    if not isinstance(result, CriterionResult):
        raise AssessmentError({"result": [_("Choose a criterion of a published assessment.")]})
    locked = (
        CriterionResult.objects.select_for_update(of=("self",))
        .select_related("assessment__unit", "assessment__campaign__version", "criterion", "updated_by")
        .get(pk=result.pk)
    )
    assessment = locked.assessment
    if not is_system(user) and not access.can_correct_result(user, assessment):
        raise NotYours(_("Only the campaign's coordinators and appraisal council correct its published results."))
    if assessment.state != State.PUBLISHED:
        raise AssessmentError(
            _(
                "Only a published result is corrected this way; before publication the council changes the final "
                "result in the appraisal."
            )
        )
    errors = ErrorCollector()
    reason_text = _reason(errors, reason)
    cleaned: dict[str, Any] = {}
    try:
        cleaned = rules.check_track(
            track=TRACK,
            data=data,
            criterion=locked.criterion,
            scheme=assessment.campaign.version.scoring,
            stored=locked,
        )
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(name, message)
    cleaned.pop("revision", None)  # only the argument counts
    try:
        loaded = rules.clean_revision(revision)
    except InvalidInput as exc:
        errors.add("revision", exc.messages_for("revision")[0])
        loaded = None
    changed = {name: value for name, value in cleaned.items() if getattr(locked, name) != value}
    if not errors and not changed:
        errors.add("__all__", _("Nothing changed: change the final level, the value or the council's comment."))
    if errors:
        raise AssessmentError(errors.errors)
    if locked.revision != loaded:
        raise ConflictError(
            _("Someone changed this criterion while you were correcting it. Compare both versions and correct again."),
            snapshot(locked, TRACK),
        )
    return _write(user, locked, changed, reason_text)


def _write(user: Any, locked: CriterionResult, changed: dict[str, Any], reason: str) -> ResultCorrection:
    assessment = locked.assessment
    assessment_rescore(assessment)  # the total as published (also when the stored scores were stale)
    total_before = _final_total(assessment.pk)
    before = {name: _plain(getattr(locked, name)) for name in changed}
    for name, value in changed.items():
        setattr(locked, name, value)
    now = timezone.now()
    locked.revision += 1
    locked.updated_by = None if is_system(user) else user
    locked.updated_at = now
    locked.save()
    mark_stale([assessment.pk])
    assessment_rescore(assessment)
    correction = ResultCorrection.objects.create(
        assessment=assessment,
        result=locked,
        before=before,
        after={name: _plain(value) for name, value in changed.items()},
        reason=reason,
        corrected_by=None if is_system(user) else user,
        corrected_at=now,
        total_before=total_before,
        total_after=_final_total(assessment.pk),
    )
    audit.record(
        actor=user,
        action="assessments.result_corrected",
        obj=locked,
        before={**before, "total": correction.total_before},
        after={**correction.after, "total": correction.total_after},
        reason=reason,
    )
    _notify(user, correction)
    return correction


def _notify(user: Any, correction: ResultCorrection) -> None:
    """The unit's leader and focal point learn that their published result was corrected, and why."""
    assessment = correction.assessment
    people = (
        get_user_model()
        .objects.filter(
            memberships__unit=assessment.unit,
            memberships__role__in=[Role.UNIT_LEADER, Role.FOCAL_POINT],
            is_active=True,
        )
        .distinct()
    )
    params = {
        "unit": assessment.unit.name,
        "campaign": {
            "vi": assessment.campaign.title_vi,
            "en": assessment.campaign.title_en or assessment.campaign.title_vi,
        },
        "criterion": correction.result.criterion.code,
        "who": getattr(user, "display_name", str(user)),
        "reason": correction.reason[:300],
    }
    account_services.notify(
        users=[p for p in people if p != user],
        message=gettext_noop(
            "%(unit)s — %(campaign)s: the published result of criterion %(criterion)s was corrected by %(who)s. "
            "Reason: %(reason)s"
        ),
        subject=gettext_noop("Published result corrected: %(unit)s, criterion %(criterion)s"),
        params=params,
        url=reverse("assessments:corrections", args=[assessment.pk]),
    )
