"""Moving an assessment through the workflow, with data guards, history, audit and notifications."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tincay.accounts import services as account_services
from tincay.assessments import access, workflow
from tincay.assessments.choices import CampaignRole, ClarificationStatus, State
from tincay.assessments.models import Assessment, Clarification, CriterionResult, TransitionRecord
from tincay.assessments.selectors import ANSWERED, is_answered
from tincay.assessments.services import clarification_notices, publication
from tincay.assessments.services.errors import AssessmentError, NotYours
from tincay.assessments.services.results import ensure_can_write
from tincay.audit import services as audit
from tincay.common.text import grouped

REASON_LIMIT = 2_000
TEXT_LIMIT = 4_000

NOTIFY: dict[str, tuple[str, ...]] = {
    "submit": ("unit_leader",),
    "approve_submission": ("focal_point", "scorer", "coordinator"),
    "return_submission": ("focal_point",),
    "request_clarification": ("focal_point", "unit_leader"),
    "answer_clarification": ("scorer",),
    "finish_scoring": ("council", "coordinator"),
    "start_appraisal": ("council", "focal_point"),
    "approve": ("coordinator", "unit_leader", "focal_point"),
    "publish": ("unit_leader", "focal_point", "scorer"),
    "reopen": ("focal_point", "unit_leader", "scorer"),
}


def submission_blockers(assessment: Assessment, results: Sequence[Mapping[str, Any]] | None = None) -> list[str]:
    """What stops the unit from submitting: unanswered criteria, criteria without evidence or explanation.

    ``results``: the assessment's rows already read, in criterion order (``selectors.assessment_overview``: the
    keys ``code``, ``na``, the scored values, ``evidence_count`` and ``no_evidence_reason``), checked in memory by
    the same rules; without them the database is asked (as the guard of a transition always does)."""
    if results is None:
        rows = assessment.results.annotate(evidence=Count("evidence_links"))
        unanswered = [
            r.criterion.code for r in rows.exclude(ANSWERED).select_related("criterion").order_by("criterion__order")
        ]
        no_evidence = [
            r.criterion.code
            for r in rows.filter(evidence=0, no_evidence_reason="", na=False)
            .select_related("criterion")
            .order_by("criterion__order")
        ]
    else:
        unanswered = [r["code"] for r in results if not is_answered(r)]
        no_evidence = [
            r["code"] for r in results if not r["evidence_count"] and r["no_evidence_reason"] == "" and not r["na"]
        ]
    problems = []
    if codes := unanswered:
        problems.append(_("%(n)s criteria are not answered yet: %(codes)s") % {"n": len(codes), "codes": _short(codes)})
    if codes := no_evidence:
        problems.append(
            _("%(n)s criteria have neither evidence nor an explanation of why there is none: %(codes)s")
            % {"n": len(codes), "codes": _short(codes)}
        )
    return problems


def _short(codes: list[str]) -> str:
    return ", ".join(codes[:12]) + (" …" if len(codes) > 12 else "")


def _without(results: Sequence[Mapping[str, Any]] | None, assessment: Assessment, level: str) -> int:
    """Applicable criteria without ``level`` (``scorer_level``, ``final_level``): counted in ``results`` when the
    rows are at hand, else in the database."""
    if results is None:
        return assessment.results.filter(na=False, **{level: ""}).count()
    return sum(1 for r in results if not r["na"] and r[level] == "")


def _data_blockers(
    action: str, assessment: Assessment, results: Sequence[Mapping[str, Any]] | None = None
) -> list[str]:
    open_questions = Clarification.objects.filter(result__assessment=assessment, status=ClarificationStatus.OPEN)
    if action == "submit":
        return submission_blockers(assessment, results)
    if action == "request_clarification" and not open_questions.exists():
        return [_("Write at least one question on a criterion first.")]
    if action == "answer_clarification" and open_questions.filter(answer="").exists():
        return [_("Answer every question before sending the answers.")]
    if action == "finish_scoring":
        problems = []
        if n := _without(results, assessment, "scorer_level"):
            problems.append(_("%(n)s criteria have no scorer level yet.") % {"n": n})
        if open_questions.exists():
            problems.append(_("Some clarification questions are still open."))
        return problems
    if action == "approve" and (n := _without(results, assessment, "final_level")):
        return [_("%(n)s criteria have no final level yet.") % {"n": n}]
    return []


def blockers(
    actor: workflow.Actor,
    assessment: Assessment,
    action: str,
    reason: str = "",
    *,
    results: Sequence[Mapping[str, Any]] | None = None,
) -> list[str]:
    """Why ``actor`` cannot make ``action`` now (empty when they can), for the page to show before they try.
    ``results``: the assessment's rows the page already read (see ``submission_blockers``), so that they are
    not read again; the transition itself checks the database."""
    try:
        workflow.check(
            actor, assessment.state, action, submitted_by_id=assessment.submitted_by_id, reason=reason or "-"
        )
    except workflow.TransitionRefused as refused:
        return [str(r) for r in refused.reasons]
    return _data_blockers(action, assessment, results)


def _text(raw: Any, *, field: str, limit: int, required_message: str | None = None) -> str:
    """One free-text input: text, stripped, within ``limit`` characters (and present when required)."""
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        raise AssessmentError({field: [_("Enter text.")]})
    text = raw.strip()
    if len(text) > limit:
        raise AssessmentError(
            {field: [_("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(limit)}]}
        )
    if required_message and not text:
        raise AssessmentError({field: [required_message]})
    return text


@transaction.atomic
def assessment_transition(*, user: Any, assessment: Assessment, action: str, reason: str = "") -> Assessment:
    """Make one transition as ``user`` (their roles over the assessment are computed here);
    TransitionRefused / AssessmentError say why not. Audited and notified. Publishing freezes a new open-data
    snapshot of the campaign in the same transaction."""
    moved = make_transition(user=user, assessment=assessment, action=action, reason=reason)
    if action == "publish":
        publication.freeze_snapshot(actor=user, campaign=moved.campaign)
    return moved


@transaction.atomic
def make_transition(*, user: Any, assessment: Assessment, action: str, reason: str = "") -> Assessment:
    """The transition itself, inside the caller's transaction, without the snapshot of a publication: for
    services that publish several assessments and then freeze one snapshot (``campaign_publish``)."""
    reason = _text(reason, field="reason", limit=REASON_LIMIT)
    if not isinstance(action, str) or action not in workflow.BY_ACTION:
        raise AssessmentError({"action": [_("Unknown action: choose one of the buttons offered.")]})
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign", "unit__parent")
        .get(pk=assessment.pk)
    )
    actor = access.actor_for(user, locked)
    transition = workflow.check(actor, locked.state, action, submitted_by_id=locked.submitted_by_id, reason=reason)
    if problems := _data_blockers(action, locked):
        raise workflow.TransitionRefused(problems)
    source, now = locked.state, timezone.now()
    locked.state, locked.state_changed_at = transition.target, now
    _side_effects(action, locked, user, now)
    locked.save()
    TransitionRecord.objects.create(
        assessment=locked, action=action, from_state=source, to_state=locked.state, actor=user, reason=reason
    )
    audit.record(
        actor=user,
        action=f"assessments.{action}",
        obj=locked,
        before={"state": source},
        after={"state": locked.state},
        reason=reason,
    )
    _notify(locked, action, user, reason)
    if action == "request_clarification":
        clarification_notices.notify_assigned_contributors(assessment=locked, user=user)
    return locked


def _side_effects(action: str, assessment: Assessment, user: Any, now: Any) -> None:
    if action == "submit":
        assessment.submitted_by, assessment.submitted_at = user, now
    elif action == "approve_submission":
        assessment.leader_approved_by, assessment.leader_approved_at = user, now
    elif action == "answer_clarification":
        Clarification.objects.filter(result__assessment=assessment, status=ClarificationStatus.OPEN).update(
            status=ClarificationStatus.ANSWERED
        )
    elif action == "start_appraisal":
        # the final result starts from the scorer's; the council changes it with a reason
        for result in assessment.results.filter(final_level=""):
            result.final_level, result.final_value = result.scorer_level, result.scorer_value
            result.save(update_fields=["final_level", "final_value"])
        assessment.scores_stale = True
    elif action == "publish":
        assessment.published_at = now
    elif action == "reopen":
        assessment.published_at = None


def _people(assessment: Assessment, roles: tuple[str, ...]) -> set[Any]:
    model = get_user_model()
    q = Q(pk__in=[])
    unit_roles = [r for r in roles if r in ("unit_leader", "focal_point", "contributor")]
    if unit_roles:
        q |= Q(memberships__unit=assessment.unit, memberships__role__in=unit_roles)
    campaign_roles = [r for r in roles if r in CampaignRole.values]
    for role in campaign_roles:
        members = Q(campaign_roles__campaign=assessment.campaign, campaign_roles__role=role)
        if role == CampaignRole.SCORER:
            members &= Q(campaign_roles__units=assessment.unit)
        q |= members
    if "coordinator" in roles and assessment.campaign.created_by_id:
        q |= Q(pk=assessment.campaign.created_by_id)
    return set(model.objects.filter(q, is_active=True).distinct())


def _notify(assessment: Assessment, action: str, user: Any, reason: str) -> None:
    recipients = _people(assessment, NOTIFY.get(action, ())) - {user}
    campaign = assessment.campaign
    params = {
        "unit": assessment.unit.name,
        "campaign": {"vi": campaign.title_vi, "en": campaign.title_en},
        "step": workflow.BY_ACTION[action].label,
        "who": getattr(user, "display_name", str(user)),
        "reason": reason,
    }
    account_services.notify(
        users=recipients,
        message=(
            gettext_noop("%(unit)s — %(campaign)s: %(step)s by %(who)s. Reason: %(reason)s")
            if reason
            else gettext_noop("%(unit)s — %(campaign)s: %(step)s by %(who)s.")
        ),
        params=params,
        subject=gettext_noop("%(unit)s: %(step)s"),
        url=reverse("assessments:detail", args=[assessment.pk]),
    )


@transaction.atomic
def clarification_ask(*, user: Any, result: CriterionResult, question: Any) -> Clarification:
    """A scorer of this unit asks about one criterion while scoring."""
    actor = access.actor_for(user, result.assessment)
    if not workflow.can_edit(actor, result.assessment.state, "scorer"):
        if "scorer" in actor.effective_roles():
            raise AssessmentError(_("Questions can be asked only while you are scoring this assessment."))
        raise NotYours(_("Only the scorer assigned to this unit can ask for clarification."))
    text = _text(question, field="question", limit=TEXT_LIMIT, required_message=_("Write the question."))
    item = Clarification.objects.create(result=result, question=text, asked_by=user)
    audit.record(actor=user, action="assessments.clarification_asked", obj=result, after={"question": item.question})
    return item


@transaction.atomic
def clarification_answer(*, user: Any, item: Clarification, answer: Any) -> Clarification:
    """The unit answers a question while clarification is requested (a contributor only on their indicators)."""
    result = item.result
    if result.assessment.state != State.CLARIFICATION:
        raise AssessmentError(_("Answers can be given only while clarification is requested."))
    ensure_can_write(user, result, "self")
    text = _text(answer, field="answer", limit=TEXT_LIMIT, required_message=_("Write the answer."))
    item.answer, item.answered_by, item.answered_at = text, user, timezone.now()
    item.save()
    audit.record(actor=user, action="assessments.clarification_answered", obj=result, after={"answer": item.answer})
    return item
