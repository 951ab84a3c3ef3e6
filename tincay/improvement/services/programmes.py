"""Writes of an action programme: create it for an assessment with final results, edit it, approve it as a version.

Every write checks the revision the form was loaded with (optimistic locking: a stale revision is refused with a
conflict message, nothing stored) and bumps ``Programme.revision``. A change of the programme or of its plan (an
action created, edited or cancelled) after an approval marks it CHANGED: the approved version stays what the public
sees until the leader approves again, which freezes version n+1. Progress updates are the execution of the plan,
not a change of it: they bump the revision but leave the status as it is (see ``actions.progress_post``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments.models import Assessment
from tincay.audit import services as audit
from tincay.common.errors import NON_FIELD, ErrorCollector, InvalidInput, Refused
from tincay.common.text import grouped
from tincay.improvement import access
from tincay.improvement.choices import ActionStatus, ProgrammeStatus
from tincay.improvement.models import Action, Programme, ProgrammeVersion

TITLE_LIMIT = 500
TEXT_LIMIT = 5_000


class ProgrammeConflict(InvalidInput):
    """The programme changed since the form was loaded (someone else saved meanwhile)."""

    status = 409


# --- small checks shared with the action services -------------------------------------------------------------


def clean_text(errors: ErrorCollector, name: str, raw: Any, *, limit: int, required: bool = False) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        errors.add(name, _("Enter text."))
        return ""
    text = raw.strip()
    if required and not text:
        errors.add(name, _("This field is required."))
    elif len(text) > limit:
        errors.add(name, _("Shorten this text to at most %(limit)s characters.") % {"limit": grouped(limit)})
    return text


def clean_revision(errors: ErrorCollector, raw: Any) -> int | None:
    if isinstance(raw, bool) or raw is None:
        errors.add("revision", _("Reload the page: the form does not say which version of the programme it edits."))
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isdigit():
        value = int(raw.strip())
    else:
        errors.add("revision", _("Reload the page: the form does not say which version of the programme it edits."))
        return None
    return value


def lock_programme(programme: Any) -> Programme:
    """The programme's row, locked for the rest of the transaction, with its assessment and unit."""
    if not isinstance(programme, Programme) or programme.pk is None:
        raise InvalidInput({"programme": [_("Choose an action programme.")]})
    return (
        Programme.objects.select_for_update(of=("self",))
        .select_related("assessment__unit", "assessment__campaign__version", "approved_version")
        .get(pk=programme.pk)
    )


def check_revision(locked: Programme, loaded: int | None) -> None:
    if loaded is not None and locked.revision != loaded:
        raise ProgrammeConflict(
            {
                NON_FIELD: [
                    _(
                        "Someone changed this programme while you were editing it (version %(stored)s, your form "
                        "was loaded at %(loaded)s). Nothing was saved: reload the page, check their changes and "
                        "enter yours again."
                    )
                    % {"stored": locked.revision, "loaded": loaded}
                ]
            }
        )


def bump(locked: Programme, *, plan_changed: bool = True) -> None:
    """One more revision; a plan change after an approval marks the programme CHANGED."""
    locked.revision += 1
    fields = ["revision", "updated_at"]
    if plan_changed and locked.status == ProgrammeStatus.APPROVED:
        locked.status = ProgrammeStatus.CHANGED
        fields.append("status")
    locked.save(update_fields=fields)


def person(actor: Any) -> Any:
    return None if is_system(actor) else actor


# --- services -----------------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(*, actor: Any, assessment: Any, title: Any, summary: Any = "") -> Programme:
    """The action programme of ``assessment`` (one per assessment), once the assessment has final results."""
    if not isinstance(assessment, Assessment) or assessment.pk is None:
        raise InvalidInput({"assessment": [_("Choose an assessment.")]})
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("unit").get(pk=assessment.pk)
    if not access.can_edit_programme(actor, assessment):
        raise Refused(_("Only the unit's focal point and leader draft its action programme."))
    errors = ErrorCollector()
    title_text = clean_text(errors, "title", title, limit=TITLE_LIMIT, required=True)
    summary_text = clean_text(errors, "summary", summary, limit=TEXT_LIMIT)
    if assessment.state not in access.FINAL_STATES:
        errors.add(
            NON_FIELD,
            _("The action programme is drafted once the assessment's final results are approved or published."),
        )
    if Programme.objects.filter(assessment=assessment).exists():
        errors.add(NON_FIELD, _("This assessment already has its action programme: open it instead."))
    errors.raise_if_any()
    programme = Programme.objects.create(
        assessment=assessment, title=title_text, summary=summary_text, created_by=person(actor)
    )
    audit.record(
        actor=actor,
        action="improvement.programme_created",
        obj=programme,
        after={"assessment": assessment.pk, "title": title_text, "summary": summary_text},
    )
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme: Any, revision: Any, title: Any, summary: Any) -> Programme:
    locked = lock_programme(programme)
    if not access.can_edit_programme(actor, locked.assessment):
        raise Refused(_("Only the unit's focal point and leader change its action programme."))
    errors = ErrorCollector()
    loaded = clean_revision(errors, revision)
    title_text = clean_text(errors, "title", title, limit=TITLE_LIMIT, required=True)
    summary_text = clean_text(errors, "summary", summary, limit=TEXT_LIMIT)
    errors.raise_if_any()
    check_revision(locked, loaded)
    before = {"title": locked.title, "summary": locked.summary}
    after = {"title": title_text, "summary": summary_text}
    if before == after:
        raise InvalidInput({NON_FIELD: [_("Nothing changed: change the title or the summary.")]})
    locked.title, locked.summary = title_text, summary_text
    locked.save(update_fields=["title", "summary", "updated_at"])
    bump(locked)
    audit.record(actor=actor, action="improvement.programme_updated", obj=locked, before=before, after=after)
    return locked


@transaction.atomic
def programme_approve(*, actor: Any, programme: Any, revision: Any, note: Any = "") -> ProgrammeVersion:
    """The unit leader approves the programme as it stands: a frozen version n+1 becomes what the public sees."""
    locked = lock_programme(programme)
    if not access.can_approve_programme(actor, locked.assessment):
        raise Refused(_("Only the unit leader approves the action programme."))
    errors = ErrorCollector()
    loaded = clean_revision(errors, revision)
    note_text = clean_text(errors, "note", note, limit=TEXT_LIMIT)
    if not locked.actions.exclude(status=ActionStatus.CANCELLED).exists():
        errors.add(NON_FIELD, _("Add at least one action that is not cancelled before approving the programme."))
    if locked.status == ProgrammeStatus.APPROVED and locked.approved_version_id:
        errors.add(
            NON_FIELD,
            _("Nothing changed since version %(number)s was approved.") % {"number": locked.approved_version.number},
        )
    errors.raise_if_any()
    check_revision(locked, loaded)
    number = (locked.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = ProgrammeVersion.objects.create(
        programme=locked,
        number=number,
        content=programme_content(locked),
        note=note_text,
        approved_by=person(actor),
        approved_at=timezone.now(),
    )
    before_status = locked.status
    locked.approved_version = version
    locked.status = ProgrammeStatus.APPROVED
    locked.revision += 1
    locked.save(update_fields=["approved_version", "status", "revision", "updated_at"])
    audit.record(
        actor=actor,
        action="improvement.programme_approved",
        obj=locked,
        before={"status": before_status},
        after={"status": locked.status, "version": number},
        reason=note_text,
    )
    return version


# --- the frozen content of a version -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


ACTION_FIELDS = (
    "title",
    "description",
    "starts_on",
    "deadline",
    "budget_vnd",
    "budget_source",
    "budget_note",
    "expected_result",
    "target_value",
    "status",
    "cancel_reason",
    "progress",
    "weight",
    "finished_on",
)


def action_content(action: Action) -> dict[str, Any]:
    """An action as plain JSON: every field, names of the department and person, codes of its links."""
    data: dict[str, Any] = {"id": action.pk, "number": action.number}
    for name in ACTION_FIELDS:
        data[name] = _plain(getattr(action, name))
    data["department_id"] = action.department_id
    data["department"] = action.department.name if action.department_id else ""
    data["responsible_id"] = action.responsible_id
    data["responsible"] = action.responsible.display_name if action.responsible_id else ""
    data["areas"] = sorted(str(a) for a in action.areas.all())
    data["indicators"] = sorted(i.code for i in action.indicators.all())
    data["criteria"] = sorted(c.code for c in action.criteria.all())
    data["documents"] = sorted(d.pk for d in action.documents.all())
    return data


def programme_content(programme: Programme) -> dict[str, Any]:
    actions = (
        Action.objects.filter(programme=programme)
        .select_related("department", "responsible")
        .prefetch_related("areas__indicator", "areas__criterion", "indicators", "criteria", "documents")
        .order_by("number")
    )
    return {
        "programme": {"title": programme.title, "summary": programme.summary},
        "actions": [action_content(a) for a in actions],
    }
