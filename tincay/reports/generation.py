"""Documents on request: asked for by a person (``document_request``: checks the input and that the person sees
what the document is about, then queues the job), built in the worker (``generated_file_build``: reads with the
person's own visibility at build time, keeps the file with its SHA-256), downloaded through
``access.get_generated_file_for_user``.

PDF comes from the same DOCX through LibreOffice (``pdf.docx_to_pdf``: a time limit and a profile per job), so the
two never drift apart.

Faults of the queue or the worker lose no document and never make one twice:

- a queue that cannot take the job (Redis down) leaves the request answered and the file waiting, with a warning;
- a build claims the file with its start time (``started_at``) and records its outcome only while it still holds
  that claim; a file still running after the lease (``TINCAY_TASKS_CLAIM_SECONDS``: its worker was killed) is taken
  over by the next delivery of its job, up to ``ATTEMPTS`` builds, so a slow first build that ends after a takeover
  keeps nothing and the document is done once;
- ``generated_files_requeue`` (every minute in ``manage.py worker``) hands again to the queue the files whose job
  was lost: never queued, queued but lost with a Redis restart, or abandoned by a killed worker.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tincay.accounts.roles import is_system
from tincay.assessments import access as assessment_access
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.i18n import localized
from tincay.common.text import printable
from tincay.improvement.models import Programme
from tincay.reports import access, docx_layout, pdf, templating
from tincay.reports.documents import FORMATS, KINDS
from tincay.reports.documents.common import Options
from tincay.reports.documents.programme import NoProgramme
from tincay.reports.models import DocumentTemplate, GeneratedFile, JobStatus

log = logging.getLogger(__name__)

LIMITS = {"signer_name": 100, "signer_title": 100, "authority": 100, "problems": 5000, "proposals": 5000}
RECIPIENT_LINES, RECIPIENT_LENGTH = 20, 200
NUMBER_MAX = 99_999
FIRST_YEAR, LAST_YEAR = 1990, 2100
_DAY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
ATTEMPTS = 3  # builds started in all: a document whose builds keep killing their worker then fails instead
REQUEUE_AFTER = dt.timedelta(minutes=2)  # the shortest wait in the queue before the sweep hands a file over again
REQUEUE_BATCH = 500  # files handed over by one sweep at most


def _day(raw: Any) -> dt.date | None:
    """ISO (2026-01-05) or as Vietnamese write it (05/01/2026); None when it is not a date."""
    if isinstance(raw, dt.date):
        return raw
    text = str(raw).strip()
    try:
        if match := _DAY.match(text):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def clean_options(data: Mapping[str, Any]) -> Options:
    """The requester's options, checked whole: every problem at once, under the field's name."""
    errors = ErrorCollector()
    if not isinstance(data, Mapping):
        raise InvalidInput(_("Give the document's options as named fields."))
    number = None
    raw_number = data.get("number")
    if raw_number not in (None, ""):
        text = str(raw_number).strip()
        if not text.isdigit() or not 1 <= int(text) <= NUMBER_MAX:
            errors.add(
                "number",
                _(
                    "Type the document number as a whole number from 1 to %(max)s, or leave it "
                    "empty for the office to number it."
                )
                % {"max": NUMBER_MAX},
            )
        else:
            number = int(text)
    day = None
    if data.get("day") not in (None, ""):
        day = _day(data["day"])
        if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
            errors.add(
                "day",
                _("Type the date as dd/mm/yyyy (for example 05/01/2026), between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
            day = None
    texts = {}
    for name, limit in LIMITS.items():
        raw = data.get(name, "")
        if raw is None:
            raw = ""
        if not isinstance(raw, str):
            errors.add(name, _("Give this as text."))
            continue
        value = printable(raw).strip() if name in ("problems", "proposals") else " ".join(printable(raw).split())
        if len(value) > limit:
            errors.add(name, _("At most %(limit)s characters (you typed %(n)s).") % {"limit": limit, "n": len(value)})
        texts[name] = value
    raw_recipients = data.get("recipients", "")
    if isinstance(raw_recipients, str):
        raw_recipients = raw_recipients.splitlines()
    if not isinstance(raw_recipients, list | tuple) or not all(isinstance(r, str) for r in raw_recipients):
        errors.add("recipients", _("Give the recipients as text, one per line."))
        raw_recipients = []
    recipients = [" ".join(printable(r).split()).lstrip("- ").rstrip(";.") for r in raw_recipients]
    recipients = [r for r in recipients if r]
    if len(recipients) > RECIPIENT_LINES or any(len(r) > RECIPIENT_LENGTH for r in recipients):
        errors.add(
            "recipients",
            _("At most %(lines)s recipients of %(length)s characters each.")
            % {"lines": RECIPIENT_LINES, "length": RECIPIENT_LENGTH},
        )
    errors.raise_if_any()
    return Options(number=number, day=day, recipients=tuple(recipients), **texts)


def options_data(options: Options) -> dict[str, Any]:
    """The options as stored with the request (JSON)."""
    return {
        "number": options.number,
        "day": options.day.isoformat() if options.day else None,
        "recipients": list(options.recipients),
        **{name: getattr(options, name) for name in LIMITS},
    }


def document_request(
    *,
    user: Any,
    kind: Any,
    fmt: Any = "docx",
    assessment_id: Any = None,
    campaign_code: Any = None,
    unit: Any = "",
    group: Any = "",
    data: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> GeneratedFile:
    """Queue a document. Refused (403) for a subject the person does not see; every input problem at once."""
    errors = ErrorCollector()
    spec = KINDS.get(kind) if isinstance(kind, str) else None
    if spec is None:
        errors.add("kind", _("Choose one of the documents: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    if fmt not in FORMATS:
        errors.add("fmt", _("Choose the format DOCX or PDF."))
    try:
        options = clean_options(data or {})
    except InvalidInput as exc:
        for name, messages in exc.errors.items():
            for message in messages:
                errors.add(name, message)
        options = Options()
    errors.raise_if_any()
    assessment = campaign = None
    scope_options: dict[str, str] = {}
    if spec.subject == "assessment":
        pk = str(assessment_id or "").strip()
        assessment = assessment_access.get_assessment_for_user(user, int(pk)) if pk.isdigit() else None
        if assessment is None:
            raise Refused(_("No assessment with this number is visible to you."), field="assessment")
        if spec.key == "programme" and not Programme.objects.filter(assessment=assessment).exists():
            raise InvalidInput(_("This assessment has no action programme yet."), field="kind")
    else:
        code = str(campaign_code or "").strip()
        scope = access.results_scope(user, code, str(unit or ""), str(group or ""))
        if scope is None:
            raise Refused(_("No campaign with this code is visible to you."), field="campaign")
        if scope.unit_error:
            raise InvalidInput(scope.unit_error, field="unit")
        campaign = scope.campaign
        scope_options = {"unit": scope.unit.key if scope.unit else "", "group": scope.group.code if scope.group else ""}
    language = language if language in ("vi", "en") else (translation.get_language() or "vi")[:2]
    generated = GeneratedFile.objects.create(
        kind=spec.key,
        fmt=fmt,
        language=language if language in ("vi", "en") else "vi",
        campaign=campaign or (assessment.campaign if assessment else None),
        assessment=assessment,
        options={**options_data(options), **scope_options},
        requested_by=user,
    )
    transaction.on_commit(lambda: _enqueue_requested(generated.pk))
    return generated


def _hand_over(file_id: int) -> bool:
    """Give the file's job to the queue; False, with a warning, when the queue cannot take it (Redis down): the file
    stays waiting for the sweep, and whoever asked for it is not told of a fault that is not theirs."""
    from tincay.reports.tasks import build_generated_file  # the task module imports this one

    try:
        build_generated_file.enqueue(file_id)
    except Exception as error:  # whatever the backend raises: the queue is away, not the request's fault
        log.warning(
            "the job of generated file %s was not queued (%s: %s); the worker's sweep queues it later",
            file_id,
            type(error).__name__,
            error,
        )
        return False
    return True


def _enqueue_requested(file_id: int) -> None:
    if _hand_over(file_id):
        GeneratedFile.objects.filter(pk=file_id).update(enqueued_at=timezone.now())


def lease() -> dt.timedelta:
    """How long a build holds its claim on a file; a file still running after it was abandoned (worker killed)."""
    return dt.timedelta(seconds=settings.TINCAY_TASKS_CLAIM_SECONDS)


def _abandoned(now: dt.datetime) -> Q:
    return Q(status=JobStatus.RUNNING, started_at__lt=now - lease())


def _held(generated: GeneratedFile) -> Any:
    """The file while this build still holds its claim (no other build took it over)."""
    return GeneratedFile.objects.filter(pk=generated.pk, status=JobStatus.RUNNING, started_at=generated.started_at)


def _progress(generated: GeneratedFile, percent: int) -> None:
    _held(generated).update(progress=percent)


def _document(generated: GeneratedFile, options: Options) -> Any:
    spec = KINDS[generated.kind]
    user = generated.requested_by
    if spec.subject == "assessment":
        assessment = generated.assessment
        if user is None or assessment_access.get_assessment_for_user(user, assessment.pk) is None:
            raise Refused(_("The person who asked no longer sees this assessment."))
        return spec.build(assessment, options)
    scope = (
        access.results_scope(
            user, generated.campaign.code, generated.options.get("unit", ""), generated.options.get("group", "")
        )
        if user is not None
        else None
    )
    if scope is None:
        raise Refused(_("The person who asked no longer sees this campaign."))
    return spec.build(scope.campaign, scope.assessments, options, lambda p: _progress(generated, 10 + p * 6 // 10))


def _docx(generated: GeneratedFile, document: Any) -> bytes:
    """Through the administrator's template for this kind and language when there is one, else built in."""
    custom = DocumentTemplate.objects.filter(kind=generated.kind, language=generated.language).first()
    if custom is None:
        return docx_layout.build_docx(document)
    with custom.file.open("rb") as stream:
        content = stream.read()
    assessment, campaign = generated.assessment, generated.campaign
    facts = {
        "unit_name": assessment.unit.name if assessment else "",
        "campaign_title": localized(campaign, "title") if campaign else "",
        "year": campaign.year if campaign else "",
    }
    try:
        return templating.render(content, document, facts)
    except templating.TemplateRefused as exc:
        raise templating.TemplateRefused(
            _("The administrator's template “%(name)s” could not be used: %(reason)s")
            % {"name": custom.filename, "reason": exc}
        ) from exc


def generated_file_build(file_id: int) -> GeneratedFile:
    """Build a queued document (in the worker). Runs once: a file already done, failed, or running within its
    lease is left as it is. A file still running after its lease is taken over (claimed anew), unless ``ATTEMPTS``
    builds already started: it then fails with a message."""
    now = timezone.now()
    takeable = Q(status=JobStatus.QUEUED) | Q(_abandoned(now), attempts__lt=ATTEMPTS)
    claimed = GeneratedFile.objects.filter(takeable, pk=file_id).update(
        status=JobStatus.RUNNING, started_at=now, progress=5, attempts=F("attempts") + 1
    )
    generated = GeneratedFile.objects.select_related("assessment__unit", "campaign", "requested_by").get(pk=file_id)
    if not claimed:
        return _give_up(generated, now)
    generated.started_at = now  # the claim this build holds
    stored = generated.options
    options = Options(
        number=stored.get("number"),
        day=dt.date.fromisoformat(stored["day"]) if stored.get("day") else None,
        recipients=tuple(stored.get("recipients") or ()),
        **{name: stored.get(name, "") for name in LIMITS},
    )
    with translation.override(generated.language):  # its messages too, in the requester's language
        return _build(generated, options)


def _build(generated: GeneratedFile, options: Options) -> GeneratedFile:
    try:
        document = _document(generated, options)
        _progress(generated, 70)
        content = _docx(generated, document)
        if generated.fmt == "pdf":
            _progress(generated, 80)
            content = pdf.docx_to_pdf(content)
        subject = generated.assessment.unit.key if generated.assessment else generated.campaign.code
        generated.filename = f"{KINDS[generated.kind].stem}-{subject}.{generated.fmt}"
        generated.file.save(generated.filename, ContentFile(content), save=False)  # storage full: failed, below
    except (InvalidInput, NoProgramme, pdf.ConversionFailed, templating.TemplateRefused) as exc:
        return _finish(generated, JobStatus.FAILED, str(exc))
    except Exception:
        log.exception("building generated file %s failed", generated.pk)
        generated.file, generated.filename = None, ""
        return _finish(
            generated, JobStatus.FAILED, _("The document could not be made; the administrator has the details.")
        )
    generated.size, generated.sha256 = len(content), hashlib.sha256(content).hexdigest()
    return _finish(generated, JobStatus.DONE, "")


def _finish(generated: GeneratedFile, status: str, message: str) -> GeneratedFile:
    """Record the outcome while this build still holds its claim. Else another build took the file over (this one
    was only slow): the other's outcome stands, and the file this one stored is removed."""
    outcome = {
        "status": status,
        "message": message,
        "finished_at": timezone.now(),
        "file": generated.file.name or "",
        "filename": generated.filename,
        "size": generated.size,
        "sha256": generated.sha256,
        **({"progress": 100} if status == JobStatus.DONE else {}),
    }
    if _held(generated).update(**outcome):
        for name, value in outcome.items():
            setattr(generated, name, value)
        return generated
    log.warning("generated file %s was taken over by another build; this build's outcome is dropped", generated.pk)
    if generated.file:
        generated.file.delete(save=False)
    generated.refresh_from_db()
    return generated


def _give_up(generated: GeneratedFile, now: dt.datetime) -> GeneratedFile:
    """A file abandoned after ``ATTEMPTS`` builds (each one's worker stopped) fails with a message instead of
    being built again; any other file is returned as it is."""
    expired = generated.started_at is not None and generated.started_at < now - lease()
    if generated.status != JobStatus.RUNNING or generated.attempts < ATTEMPTS or not expired:
        return generated
    with translation.override(generated.language):
        message = _("The document could not be made; the administrator has the details.")
    if _held(generated).update(status=JobStatus.FAILED, message=message, finished_at=now):
        log.error("generated file %s failed: %s builds started and none finished", generated.pk, generated.attempts)
    generated.refresh_from_db()
    return generated


def _due(since: dt.datetime, enqueued_at: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a file waiting since ``since`` is handed to the queue again: once its last hand-over (or ``since``,
    when it had none since then) is ``REQUEUE_AFTER`` old, and at least as old as the file's wait was at that
    hand-over. The waits double, so a long backlog gets a handful of duplicate jobs per file (harmless: the first
    build claims the file, the others find it taken), not one a minute."""
    last = enqueued_at if enqueued_at is not None and enqueued_at >= since else since
    return now - last >= max(REQUEUE_AFTER, last - since)


def generated_files_requeue(*, actor: str, now: dt.datetime | None = None) -> dict[str, int]:
    """The sweep (``manage.py worker`` runs it every minute): hand again to the queue the documents whose job was
    lost, that is waiting files never queued (the queue was down) or queued long ago (a Redis restart emptied it),
    and files abandoned by a killed worker (running past the lease); fail those abandoned ``ATTEMPTS`` times. Safe
    with several workers: each hand-over is claimed by a conditional update first. Stops at the first hand-over the
    queue refuses (it is down: the next sweep tries again). Only a server process calls it (``actor`` names it);
    no transaction of its own, since the queue is outside the database."""
    if not is_system(actor):
        raise Refused(_("Only a server process queues documents again."))
    now = now or timezone.now()
    failed = 0
    for generated in GeneratedFile.objects.filter(_abandoned(now), attempts__gte=ATTEMPTS):
        failed += _give_up(generated, now).status == JobStatus.FAILED
    waiting = (
        GeneratedFile.objects.filter(
            Q(status=JobStatus.QUEUED, requested_at__lte=now - REQUEUE_AFTER)
            | Q(_abandoned(now - REQUEUE_AFTER), attempts__lt=ATTEMPTS)
        )
        .order_by("requested_at", "pk")
        .values_list("pk", "status", "requested_at", "started_at", "enqueued_at")
    )
    queued, refused = 0, False
    for pk, status, requested_at, started_at, enqueued_at in list(waiting):
        since = requested_at if status == JobStatus.QUEUED else started_at + lease()
        if not _due(since, enqueued_at, now):
            continue
        same = GeneratedFile.objects.filter(pk=pk, status=status, started_at=started_at, enqueued_at=enqueued_at)
        if not same.update(enqueued_at=now):
            continue  # another worker's sweep handed it over, or it moved on
        if not _hand_over(pk):
            GeneratedFile.objects.filter(pk=pk, enqueued_at=now).update(enqueued_at=enqueued_at)
            refused = True
            break
        queued += 1
        if queued >= REQUEUE_BATCH:
            break
    if queued or failed or refused:
        log.info("documents sweep: %s queued again, %s failed, queue refused: %s", queued, failed, refused)
    return {"queued": queued, "failed": failed, "refused": int(refused)}
