"""Training sessions and their attendance: by name, or by a short code shown in the room."""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
import time
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tincay.accounts.roles import is_system, user_scopes
from tincay.assessments.models import Document
from tincay.audit import services as audit
from tincay.common.errors import ErrorCollector, InvalidInput, Refused
from tincay.common.ratelimit import hit
from tincay.common.text import fold
from tincay.orgunits.models import AdminUnit
from tincay.rollout import access
from tincay.rollout.choices import AttendanceVia, TrainingLevel
from tincay.rollout.models import (
    Attendance,
    Rollout,
    RolloutUnit,
    TrainingSession,
)
from tincay.rollout.services.preparation.checks import (
    CODE_ALPHABET,
    CODE_GUESS_LIMIT,
    CODE_GUESS_WINDOW_MINUTES,
    CODE_LENGTH,
    CODE_MINUTES_MAX,
    NAME_LIMIT,
    NOTE_LIMIT,
    REASON_LIMIT,
    TOPIC_LIMIT,
    check_text,
    manage_rollout,
    who,
)

# ---------------------------------------------------------------------------------------------- training


def _date(errors: ErrorCollector, field: str, raw: Any) -> dt.date | None:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, str):
        try:
            raw = dt.date.fromisoformat(raw.strip())
        except ValueError:
            raw = None
    if not isinstance(raw, dt.date):
        errors.add(field, _("Enter a real date as dd/mm/yyyy."))
        return None
    today = timezone.localdate()
    if raw.year < 2000 or raw > today.replace(year=today.year + 2):
        errors.add(field, _("Enter a date between 01/01/2000 and two years from today."))
    return raw


def _session_units(errors: ErrorCollector, rollout: Rollout, units: Any) -> list[AdminUnit]:
    if not isinstance(units, Iterable) or isinstance(units, str | bytes | Mapping):
        errors.add("units", _("Choose the units this session trains."))
        return []
    chosen = list(units)
    if not chosen:
        errors.add("units", _("Choose the units this session trains."))
        return []
    if not all(isinstance(u, AdminUnit) for u in chosen):
        errors.add("units", _("Choose units of this rollout."))
        return []
    ids = {u.pk for u in chosen}
    inside = set(RolloutUnit.objects.filter(rollout=rollout, unit_id__in=ids).values_list("unit_id", flat=True))
    outside = [u.name for u in chosen if u.pk not in inside]
    if outside:
        errors.add(
            "units", _("These units are not in this rollout: %(units)s.") % {"units": ", ".join(sorted(set(outside)))}
        )
    unique = {u.pk: u for u in chosen}
    return list(unique.values())


def _materials(errors: ErrorCollector, rollout: Rollout, raw: Any) -> list[Document]:
    if raw is None:
        return []
    if not isinstance(raw, Iterable) or isinstance(raw, str | bytes | Mapping):
        errors.add("materials", _("Choose documents from the register."))
        return []
    docs = list(raw)
    if not all(isinstance(d, Document) for d in docs):
        errors.add("materials", _("Choose documents from the register."))
        return []
    allowed = set(RolloutUnit.objects.filter(rollout=rollout).values_list("unit_id", flat=True)) | {
        rollout.owner_unit_id
    }
    if any(d.unit_id not in allowed for d in docs):
        errors.add("materials", _("Choose documents of the coordinating unit's register or of the rollout's units."))
        return []
    return list({d.pk: d for d in docs}.values())


def _clean_session(errors: ErrorCollector, rollout: Rollout, data: Mapping[str, Any]) -> dict[str, Any]:
    level = data.get("level")
    if level not in TrainingLevel.values:
        errors.add("level", _("Choose basic or in-depth."))
    return {
        "units": _session_units(errors, rollout, data.get("units")),
        "held_on": _date(errors, "held_on", data.get("held_on")),
        "trainer": check_text(errors, "trainer", data.get("trainer"), NAME_LIMIT, required=True),
        "topic": check_text(errors, "topic", data.get("topic"), TOPIC_LIMIT, required=True),
        "level": level,
        "place": check_text(errors, "place", data.get("place"), TOPIC_LIMIT),
        "materials": _materials(errors, rollout, data.get("materials")),
        "materials_note": check_text(errors, "materials_note", data.get("materials_note"), NOTE_LIMIT),
    }


def _session_row(session: TrainingSession, units: list[AdminUnit], materials: list[Document]) -> dict[str, Any]:
    return {
        "units": sorted(u.key for u in units),
        "held_on": session.held_on.isoformat(),
        "trainer": session.trainer,
        "topic": session.topic,
        "level": session.level,
        "place": session.place,
        "materials": sorted(d.pk for d in materials),
        "materials_note": session.materials_note,
    }


@transaction.atomic
def training_session_create(
    *,
    actor: Any,
    rollout: Any,
    units: Any,
    held_on: Any,
    trainer: Any,
    topic: Any,
    level: Any,
    place: Any = "",
    materials: Any = (),
    materials_note: Any = "",
) -> TrainingSession:
    """Record a training session: units, held_on, trainer, topic, level, place, materials (documents of the
    register), materials_note."""
    data = {
        "units": units,
        "held_on": held_on,
        "trainer": trainer,
        "topic": topic,
        "level": level,
        "place": place,
        "materials": materials,
        "materials_note": materials_note,
    }
    rollout = manage_rollout(actor, rollout)
    errors = ErrorCollector()
    cleaned = _clean_session(errors, rollout, data)
    errors.raise_if_any()
    units, materials = cleaned.pop("units"), cleaned.pop("materials")
    session = TrainingSession.objects.create(rollout=rollout, created_by=who(actor), **cleaned)
    session.units.set(units)
    session.materials.set(materials)
    audit.record(
        actor=actor, action="rollout.training_created", obj=session, after=_session_row(session, units, materials)
    )
    return session


def _own_session(actor: Any, session: Any) -> TrainingSession:
    if not isinstance(session, TrainingSession):
        raise InvalidInput({"session": [_("Choose a training session.")]})
    locked = TrainingSession.objects.select_for_update(of=("self",)).select_related("rollout").get(pk=session.pk)
    manage_rollout(actor, locked.rollout)
    return locked


@transaction.atomic
def training_session_update(
    *,
    actor: Any,
    session: Any,
    units: Any,
    held_on: Any,
    trainer: Any,
    topic: Any,
    level: Any,
    place: Any = "",
    materials: Any = (),
    materials_note: Any = "",
) -> TrainingSession:
    """Change every field of a session (as in ``training_session_create``). A unit whose people are on the
    attendance list stays."""
    data = {
        "units": units,
        "held_on": held_on,
        "trainer": trainer,
        "topic": topic,
        "level": level,
        "place": place,
        "materials": materials,
        "materials_note": materials_note,
    }
    locked = _own_session(actor, session)
    errors = ErrorCollector()
    cleaned = _clean_session(errors, locked.rollout, data)
    kept = {u.pk for u in cleaned["units"]}
    attended = (
        AdminUnit.objects.filter(pk__in=locked.attendance.exclude(unit=None).values("unit_id"))
        .exclude(pk__in=kept)
        .values_list("name", flat=True)
    )
    if cleaned["units"] and attended:
        errors.add(
            "units",
            _(
                "People of these units are on the attendance list; keep the units or remove those people first: "
                "%(units)s."
            )
            % {"units": ", ".join(sorted(attended))},
        )
    errors.raise_if_any()
    old_units, old_materials = list(locked.units.all()), list(locked.materials.all())
    before = _session_row(locked, old_units, old_materials)
    units, materials = cleaned.pop("units"), cleaned.pop("materials")
    for name, value in cleaned.items():
        setattr(locked, name, value)
    after = _session_row(locked, units, materials)
    if before == after:
        raise InvalidInput(_("Nothing changed."))
    locked.save()
    locked.units.set(units)
    locked.materials.set(materials)
    changed = [name for name in after if before[name] != after[name]]
    audit.record(
        actor=actor,
        action="rollout.training_updated",
        obj=locked,
        before={n: before[n] for n in changed},
        after={n: after[n] for n in changed},
    )
    return locked


def _session_unit(errors: ErrorCollector, session: TrainingSession, unit: Any) -> AdminUnit | None:
    if not isinstance(unit, AdminUnit) or not session.units.filter(pk=unit.pk).exists():
        errors.add("unit", _("Choose one of the units this session trains."))
        return None
    return unit


@transaction.atomic
def attendance_add(
    *, actor: Any, session: Any, name: Any, unit: Any, position: Any = "", user: Any = None
) -> Attendance:
    """The organiser records an attendee by name (optionally the person's account): once per account, and not
    the same name twice for one unit."""
    locked = _own_session(actor, session)
    errors = ErrorCollector()
    person_unit = _session_unit(errors, locked, unit)
    if user is not None and not getattr(user, "is_authenticated", False):
        errors.add("user", _("Choose an existing account, or leave it empty."))
        user = None
    if user is not None and not (name or "").strip():
        name = user.display_name
    text = check_text(errors, "name", name, NAME_LIMIT, required=True)
    job = check_text(errors, "position", position, NAME_LIMIT)
    if user is not None and locked.attendance.filter(user=user).exists():
        errors.add("user", _("%(name)s is already on the attendance list.") % {"name": user.display_name})
    elif text and person_unit is not None:
        folded = fold(text)
        same = [a for a in locked.attendance.filter(unit=person_unit) if fold(a.name) == folded]
        if same:
            errors.add("name", _("%(name)s is already on the attendance list.") % {"name": text})
    errors.raise_if_any()
    attendance = Attendance.objects.create(
        session=locked,
        user=user,
        name=text,
        unit=person_unit,
        position=job,
        via=AttendanceVia.NAME,
        recorded_by=who(actor),
    )
    audit.record(
        actor=actor,
        action="rollout.attendance_added",
        obj=attendance,
        after={"session": locked.pk, "name": text, "unit": person_unit.key, "user": getattr(user, "pk", None)},
    )
    return attendance


@transaction.atomic
def attendance_remove(*, actor: Any, attendance: Any, reason: Any = "") -> None:
    """The organiser takes someone off the list (recorded by mistake)."""
    if not isinstance(attendance, Attendance):
        raise InvalidInput({"attendance": [_("Choose someone on the attendance list.")]})
    locked = _own_session(actor, attendance.session)
    errors = ErrorCollector()
    text = check_text(errors, "reason", reason, REASON_LIMIT)
    errors.raise_if_any()
    row = Attendance.objects.filter(pk=attendance.pk, session=locked).first()
    if row is None:
        raise InvalidInput(_("This person is no longer on the attendance list."))
    audit.record(
        actor=actor,
        action="rollout.attendance_removed",
        obj=row,
        before={"session": locked.pk, "name": row.name, "unit_id": row.unit_id, "via": row.via},
        reason=text,
    )
    row.delete()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


@transaction.atomic
def attendance_code_open(*, actor: Any, session: Any, minutes: Any) -> TrainingSession:
    """A new attendance code for the session, valid for ``minutes`` (1–240) from now."""
    locked = _own_session(actor, session)
    if isinstance(minutes, str) and minutes.strip().isdigit():
        minutes = int(minutes.strip())
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= CODE_MINUTES_MAX:
        raise InvalidInput({"minutes": [_("Enter whole minutes from 1 to %(limit)s.") % {"limit": CODE_MINUTES_MAX}]})
    code = new_code()
    while TrainingSession.objects.filter(attendance_code=code).exists():
        code = new_code()
    before = {"code_open_until": locked.code_open_until.isoformat() if locked.code_open_until else None}
    locked.attendance_code = code
    locked.code_open_until = timezone.now() + dt.timedelta(minutes=minutes)
    locked.save(update_fields=["attendance_code", "code_open_until", "updated_at"])
    audit.record(
        actor=actor,
        action="rollout.attendance_code_opened",
        obj=locked,
        before=before,
        after={"code_open_until": locked.code_open_until.isoformat(), "minutes": minutes},
    )
    return locked


@transaction.atomic
def attendance_code_close(*, actor: Any, session: Any) -> TrainingSession:
    locked = _own_session(actor, session)
    if not locked.code_open_until or locked.code_open_until <= timezone.now():
        raise InvalidInput(_("The attendance code is not open."))
    before = {"code_open_until": locked.code_open_until.isoformat()}
    locked.code_open_until = timezone.now()
    locked.save(update_fields=["code_open_until", "updated_at"])
    audit.record(actor=actor, action="rollout.attendance_code_closed", obj=locked, before=before)
    return locked


def normalise_code(raw: Any) -> str:
    """What the person typed, as a code: upper case, without spaces or dashes."""
    if not isinstance(raw, str):
        return ""
    return re.sub(r"[\s\-]", "", raw).upper()


def _count_try(actor: Any, now: float) -> None:
    """Count one try of a code, or refuse it: after ``CODE_GUESS_LIMIT`` tries within the window every code is
    refused, a right one too, until the oldest of them leaves the window, so six characters cannot be found by
    trying. Checked and counted in one step (``common.ratelimit``, like the password-reset limit: shared by every
    web process with ``REDIS_URL``) before the code is looked up, so a burst of guesses sent at once is counted in
    full. A right code counts too (it cannot be told from a guess before the lookup); one person needs one try."""
    wait = hit(
        [f"tincay:attendance-code:{actor.pk}"], limit=CODE_GUESS_LIMIT, window=CODE_GUESS_WINDOW_MINUTES * 60, now=now
    )
    if wait is None:
        return
    minutes = max(1, math.ceil(wait / 60))
    raise InvalidInput(
        {
            "code": [
                ngettext(
                    "Too many wrong codes. Wait %(minutes)d minute, then type the code shown in the room again, or "
                    "ask the organiser to record your attendance.",
                    "Too many wrong codes. Wait %(minutes)d minutes, then type the code shown in the room again, or "
                    "ask the organiser to record your attendance.",
                    minutes,
                )
                % {"minutes": minutes}
            ]
        }
    )


@transaction.atomic
def attendance_sign_in(*, actor: Any, code: Any) -> Attendance:
    """The signed-in official records their own attendance with the code shown in the room: refused when the code
    is unknown or expired, when none of their units is trained in the session, or when they are already listed.
    Every code that could be right counts as a try: after ``CODE_GUESS_LIMIT`` of them within
    ``CODE_GUESS_WINDOW_MINUTES`` minutes every code is refused until the window passes (``_count_try``)."""
    if is_system(actor) or not getattr(actor, "is_authenticated", False):
        raise Refused(_("Log in to record your attendance."))
    typed = normalise_code(code)
    if len(typed) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in typed):
        raise InvalidInput(
            {
                "code": [
                    _("Type the %(length)s characters shown in the room (letters and digits).")
                    % {"length": CODE_LENGTH}
                ]
            }
        )
    _count_try(actor, time.time())
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("rollout")
        .filter(attendance_code=typed)
        .order_by("-code_open_until")
        .first()
    )
    if session is None:
        raise InvalidInput({"code": [_("This code is not known: check it against the one shown in the room.")]})
    if session.code_open_until is None or session.code_open_until <= timezone.now():
        raise InvalidInput({"code": [_("This code has expired: ask the organiser to show a new one.")]})
    own = {s.unit_id for s in user_scopes(actor) if s.role in access.UNIT_PEOPLE and s.unit_id}
    unit = session.units.filter(pk__in=own).order_by("sort_key").first()
    if unit is None:
        raise Refused(_("Your unit is not among the units this session trains: ask the organiser to record you."))
    if session.attendance.filter(user=actor).exists():
        raise InvalidInput({"code": [_("You are already on the attendance list of this session.")]})
    attendance = Attendance.objects.create(
        session=session,
        user=actor,
        name=actor.display_name[:NAME_LIMIT],
        unit=unit,
        position=(getattr(actor, "position", "") or "")[:NAME_LIMIT],
        via=AttendanceVia.CODE,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="rollout.attendance_signed_in",
        obj=attendance,
        after={"session": session.pk, "unit": unit.key},
    )
    return attendance
