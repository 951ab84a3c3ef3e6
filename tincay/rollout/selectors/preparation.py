"""Reads of phases 1–2: a unit's survey, every unit's answers side by side with counts per option, training
sessions with attendance counts per unit. Each takes the entries (units) the reader sees, from
``access.entries_visible_to``, and runs a fixed number of queries whatever the number of units, questions or
attendees.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tincay.common.i18n import current_language
from tincay.orgunits.models import AdminUnit
from tincay.rollout.choices import QuestionKind
from tincay.rollout.models import Attendance, Rollout, RolloutUnit, SurveyAnswer, SurveyQuestion, TrainingSession

CHOICE_KINDS = {QuestionKind.CHOICE, QuestionKind.MULTI}


def option_label(option: dict[str, str]) -> str:
    """An option's text in the reader's language (Vietnamese when not translated)."""
    return (option.get("en") if current_language() == "en" else "") or option.get("vi") or option.get("key", "")


def _number(value: Decimal) -> str:
    """A number in the reader's format, grouped from 10 000 up (a year or a staff count reads better ungrouped)."""
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value, force_grouping=abs(value) >= 10_000)


def answer_display(question: SurveyQuestion, value: Any) -> str:
    """One answer as text for a table: option texts, yes/no, numbers in the reader's format."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if value is True else _("No")
    if question.kind == QuestionKind.NUMBER and isinstance(value, int | float):
        return _number(Decimal(str(value)))
    if question.kind in CHOICE_KINDS:
        labels = {o["key"]: option_label(o) for o in question.options}
        keys = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(k, k) for k in keys)
    return str(value)


def survey_questions(rollout: Rollout) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(rollout=rollout).order_by("order", "id"))


def survey_of_entry(entry: RolloutUnit) -> tuple[list[SurveyQuestion], dict[str, Any]]:
    """The questionnaire and the unit's stored answers (question key → value): two queries."""
    questions = survey_questions(entry.rollout)
    keys = {q.pk: q.key for q in questions}
    answers = {
        keys[question_id]: value
        for question_id, value in SurveyAnswer.objects.filter(rollout_unit=entry).values_list("question_id", "value")
        if question_id in keys
    }
    return questions, answers


@dataclass
class OptionCount:
    label: str
    count: int
    percent: int


@dataclass
class QuestionSummary:
    question: SurveyQuestion
    number: int
    counts: list[OptionCount] = field(default_factory=list)  # choice kinds and yes/no, over submitted units
    total: str = ""  # numbers: sum and mean over submitted units
    mean: str = ""
    answered: int = 0


@dataclass
class ComparisonRow:
    entry: RolloutUnit
    submitted: bool
    cells: list[str]


@dataclass
class Comparison:
    questions: list[QuestionSummary]
    rows: list[ComparisonRow]
    submitted: int


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _summary(number: int, question: SurveyQuestion, values: list[Any]) -> QuestionSummary:
    answered = [v for v in values if v is not None and v != "" and v != []]
    summary = QuestionSummary(question=question, number=number, answered=len(answered))
    whole = len(values)
    if question.kind in CHOICE_KINDS:
        counter: Counter[str] = Counter()
        for value in answered:
            counter.update(value if isinstance(value, list) else [value])
        summary.counts = [
            OptionCount(option_label(o), counter[o["key"]], _percent(counter[o["key"]], whole))
            for o in question.options
        ]
    elif question.kind == QuestionKind.YES_NO:
        yes = sum(1 for v in answered if v is True)
        no = sum(1 for v in answered if v is False)
        summary.counts = [
            OptionCount(_("Yes"), yes, _percent(yes, whole)),
            OptionCount(_("No"), no, _percent(no, whole)),
        ]
    elif question.kind == QuestionKind.NUMBER:
        numbers = [Decimal(str(v)) for v in answered if isinstance(v, int | float)]
        if numbers:
            total = sum(numbers, Decimal(0))
            summary.total = _number(total)
            summary.mean = _number(round(total / len(numbers), 1))
    return summary


def survey_comparison(rollout: Rollout, entries: QuerySet[RolloutUnit]) -> Comparison:
    """Every visible unit's answers side by side (a row per unit, a column per question), and per question the
    count of submitted units choosing each option (or the sum and mean of numbers). Drafts are shown in their row
    but counted nowhere. Three queries."""
    questions = survey_questions(rollout)
    rows_entries = list(entries.select_related("unit").order_by("unit__sort_key"))
    values: dict[tuple[int, int], Any] = {
        (entry_id, question_id): value
        for entry_id, question_id, value in SurveyAnswer.objects.filter(
            rollout_unit__in=[e.pk for e in rows_entries], question__rollout=rollout
        ).values_list("rollout_unit_id", "question_id", "value")
    }
    rows = [
        ComparisonRow(
            entry=entry,
            submitted=entry.survey_submitted_at is not None,
            cells=[answer_display(q, values.get((entry.pk, q.pk))) for q in questions],
        )
        for entry in rows_entries
    ]
    submitted = [e for e in rows_entries if e.survey_submitted_at is not None]
    summaries = [
        _summary(number, q, [values.get((e.pk, q.pk)) for e in submitted])
        for number, q in enumerate(questions, start=1)
    ]
    return Comparison(questions=summaries, rows=rows, submitted=len(submitted))


@dataclass
class SessionLine:
    session: TrainingSession
    units: list[AdminUnit]
    attendance: int  # attendees of the units the reader sees
    per_unit: dict[int, int]


@dataclass
class TrainingOverview:
    sessions: list[SessionLine]
    units: list[AdminUnit]
    per_unit: dict[int, int]  # unit id → attendees over every session
    trained: int  # units with at least one attendee


def training_overview(rollout: Rollout, entries: QuerySet[RolloutUnit], *, everything: bool) -> TrainingOverview:
    """The rollout's sessions (all of them for ``everything``, else those training a visible unit) with attendance
    counted per unit: four queries."""
    units = [e.unit for e in entries.select_related("unit").order_by("unit__sort_key")]
    unit_ids = [u.pk for u in units]
    sessions = TrainingSession.objects.filter(rollout=rollout).prefetch_related("units").order_by("held_on", "id")
    if not everything:
        sessions = sessions.filter(units__in=unit_ids).distinct()
    sessions = list(sessions)
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for session_id, unit_id, number in (
        Attendance.objects.filter(session__rollout=rollout, unit_id__in=unit_ids)
        .values_list("session_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[session_id][unit_id] = number
    per_unit: Counter[int] = Counter()
    for per_session in counts.values():
        per_unit.update(per_session)
    lines = [
        SessionLine(
            session=s,
            units=sorted(s.units.all(), key=lambda u: u.sort_key),
            attendance=sum(counts[s.pk].values()),
            per_unit=counts[s.pk],
        )
        for s in sessions
    ]
    return TrainingOverview(
        sessions=lines, units=units, per_unit=dict(per_unit), trained=sum(1 for u in unit_ids if per_unit[u])
    )


@dataclass
class SessionDetail:
    session: TrainingSession
    units: list[AdminUnit]
    materials: list[Any]
    attendance: list[Attendance]
    per_unit: list[tuple[AdminUnit, int]]


def session_detail(session: TrainingSession, visible_unit_ids: set[int] | None) -> SessionDetail:
    """A session, its materials and its attendance list (only the visible units' people unless
    ``visible_unit_ids`` is None), with the count per unit: three queries."""
    units = sorted(session.units.all(), key=lambda u: u.sort_key)
    materials = list(session.materials.all())
    attendance = Attendance.objects.filter(session=session).select_related("unit").order_by("unit__sort_key", "name")
    if visible_unit_ids is not None:
        attendance = attendance.filter(unit_id__in=visible_unit_ids)
    attendance = list(attendance)
    counter = Counter(a.unit_id for a in attendance)
    shown = units if visible_unit_ids is None else [u for u in units if u.pk in visible_unit_ids]
    return SessionDetail(
        session=session,
        units=units,
        materials=materials,
        attendance=attendance,
        per_unit=[(u, counter[u.pk]) for u in shown],
    )
