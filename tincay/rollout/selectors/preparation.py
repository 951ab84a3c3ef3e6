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

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tincay.common.i18n import current_language
from tincay.orgunits.models import AdminUnit
from tincay.orgunits.selectors import unit_search_q
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
    questions: list[QuestionSummary]  # over every submitted visible unit, whatever the filters and the page
    rows: list[ComparisonRow]  # the page's rows
    submitted: int  # visible units that submitted
    total: int = 0  # visible units
    page: Page | None = None


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


PAGE_SIZE = 50  # units per page of the side-by-side table


def _comparison_kept(name: str, submitted_only: bool) -> Q:
    """The units the comparison's filters keep: every word of ``name`` in the unit's name or code (without
    diacritics), and only the submitted ones for ``submitted_only``."""
    kept = Q()
    if submitted_only:
        kept &= Q(survey_submitted_at__isnull=False)
    return kept & unit_search_q(name)


def survey_comparison(
    rollout: Rollout,
    entries: QuerySet[RolloutUnit],
    *,
    page: Any = 1,
    name: str = "",
    submitted_only: bool = False,
) -> Comparison:
    """Per question the count of submitted units choosing each option (or the sum and mean of numbers) over every
    visible unit, and one page of the units the filters keep (a row per unit, a column per question, ordered by
    unit). Drafts are shown in their row but counted nowhere. Five queries whatever the number of units: the
    questions, the counts, the submitted answers, the page, the page's answers."""
    questions = survey_questions(rollout)
    entries = entries.order_by()
    kept = _comparison_kept(name, submitted_only)
    counts = entries.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(survey_submitted_at__isnull=False)),
        **({"kept": Count("pk", filter=kept)} if kept else {}),
    )
    by_question: dict[int, list[Any]] = defaultdict(list)
    for question_id, value in SurveyAnswer.objects.filter(
        rollout_unit__in=entries.filter(survey_submitted_at__isnull=False).values("pk"), question__rollout=rollout
    ).values_list("question_id", "value"):
        by_question[question_id].append(value)
    submitted = counts["submitted"]
    summaries = [  # a submitted unit without an answer counts as unanswered (None)
        _summary(number, q, by_question[q.pk] + [None] * (submitted - len(by_question[q.pk])))
        for number, q in enumerate(questions, start=1)
    ]
    paginator = Paginator(entries.filter(kept).select_related("unit").order_by("unit__sort_key", "pk"), PAGE_SIZE)
    paginator.count = counts["kept" if kept else "total"]  # type: ignore[misc]
    current_page = paginator.get_page(page)
    current_page.object_list = on_page = list(current_page.object_list)
    values: dict[tuple[int, int], Any] = {
        (entry_id, question_id): value
        for entry_id, question_id, value in SurveyAnswer.objects.filter(
            rollout_unit__in=[e.pk for e in on_page], question__rollout=rollout
        ).values_list("rollout_unit_id", "question_id", "value")
    }
    rows = [
        ComparisonRow(
            entry=entry,
            submitted=entry.survey_submitted_at is not None,
            cells=[answer_display(q, values.get((entry.pk, q.pk))) for q in questions],
        )
        for entry in on_page
    ]
    return Comparison(questions=summaries, rows=rows, submitted=submitted, total=counts["total"], page=current_page)


TRAINING_PAGE_SIZE = 50  # units per page of the attendance table
SESSION_PREVIEW = 5  # units named per session in the list (the rest counted)


@dataclass
class SessionLine:
    session: TrainingSession
    unit_count: int  # units the session trains
    preview: list[AdminUnit]  # the first of them, by name order
    attendance: int  # attendees of the units the reader sees


@dataclass
class UnitLine:
    unit: AdminUnit
    sessions: list[tuple[TrainingSession, int]]  # sessions with attendees from the unit, and how many
    attendance: int  # over every session


@dataclass
class TrainingOverview:
    sessions: list[SessionLine]
    units: list[UnitLine]  # one page of the visible units
    page: Page
    total: int  # visible units
    trained: int  # visible units with at least one attendee


def training_overview(
    rollout: Rollout,
    entries: QuerySet[RolloutUnit],
    *,
    everything: bool,
    page: Any = 1,
    untrained_only: bool = False,
) -> TrainingOverview:
    """The rollout's sessions (all of them for ``everything``, else those training a visible unit), each with its
    number of units, the first of them by name and its attendees from the visible units; then one page of the
    visible units (only those nobody from has attended, for ``untrained_only``) with the sessions they attended.
    A fixed number of queries and work bounded by the page, whatever the number of units: a national rollout
    (3,321 units) costs what a pilot of twelve does."""
    visible_units = entries.values("unit_id")
    sessions = (
        TrainingSession.objects.filter(rollout=rollout)
        .annotate(unit_count=Count("units", distinct=True))
        .prefetch_related(Prefetch("units", AdminUnit.objects.order_by("sort_key")[:SESSION_PREVIEW], "preview"))
        .order_by("held_on", "id")
    )
    if not everything:
        sessions = sessions.filter(
            Exists(
                TrainingSession.units.through.objects.filter(
                    trainingsession_id=OuterRef("pk"), adminunit_id__in=visible_units
                )
            )
        )
    attended = Attendance.objects.filter(session__rollout=rollout, unit_id__in=visible_units)
    by_session = dict(attended.order_by().values("session_id").annotate(n=Count("id")).values_list("session_id", "n"))
    lines = [SessionLine(s, s.unit_count, s.preview, by_session.get(s.pk, 0)) for s in sessions]
    has_attended = Exists(Attendance.objects.filter(session__rollout=rollout, unit_id=OuterRef("unit_id")))
    counts = entries.order_by().aggregate(total=Count("pk"), trained=Count("pk", filter=Q(has_attended)))
    shown = entries.filter(~has_attended) if untrained_only else entries
    paginator = Paginator(shown.select_related("unit").order_by("unit__sort_key", "pk"), TRAINING_PAGE_SIZE)
    if not untrained_only:
        paginator.count = counts["total"]  # type: ignore[misc]  # counted above
    current = paginator.get_page(page)
    on_page = [e.unit for e in current.object_list]
    per_unit: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for unit_id, session_id, number in (
        attended.filter(unit_id__in=[u.pk for u in on_page])
        .order_by("session__held_on", "session_id")
        .values("unit_id", "session_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "session_id", "n")
    ):
        per_unit[unit_id].append((session_id, number))
    by_id = {line.session.pk: line.session for line in lines}
    units = [
        UnitLine(
            unit=u,
            sessions=[(by_id[sid], n) for sid, n in per_unit[u.pk] if sid in by_id],
            attendance=sum(n for _sid, n in per_unit[u.pk]),
        )
        for u in on_page
    ]
    return TrainingOverview(sessions=lines, units=units, page=current, total=counts["total"], trained=counts["trained"])


SESSION_PAGE_SIZE = 50  # units per page of a session's attendance


@dataclass
class SessionDetail:
    session: TrainingSession
    unit_count: int  # units the session trains
    preview: list[AdminUnit]  # the first of them, by name order
    materials: list[Any]
    per_unit: list[tuple[AdminUnit, int]]  # one page of the units the reader sees, with their attendees
    attendance: list[Attendance]  # the people of those units (and, on the first page, those of no unit)
    page: Page
    attendees: int  # people on the list the reader may see, over every page


def session_detail(session: TrainingSession, visible_units: QuerySet[Any] | None, *, page: Any = 1) -> SessionDetail:
    """A session, its materials and, one page of units at a time, its attendance: every unit and attendee for
    ``visible_units=None`` (the organisers), else only the people of those units (a query of unit ids). A fixed
    number of queries and work bounded by the page, so a session for every commune of the country stays light."""
    units = session.units.order_by("sort_key", "pk")
    shown = units if visible_units is None else units.filter(pk__in=visible_units)
    current = Paginator(shown, SESSION_PAGE_SIZE).get_page(page)
    on_page = list(current.object_list)
    people = Attendance.objects.filter(session=session)
    if visible_units is not None:
        people = people.filter(unit_id__in=visible_units)
    of_page = Q(unit_id__in=[u.pk for u in on_page])
    if visible_units is None and current.number == 1:
        of_page |= Q(unit__isnull=True)
    attendance = list(people.filter(of_page).select_related("unit").order_by("unit__sort_key", "name", "id"))
    counter = Counter(a.unit_id for a in attendance)
    preview = on_page[:SESSION_PREVIEW] if current.number == 1 and visible_units is None else None
    return SessionDetail(
        session=session,
        unit_count=current.paginator.count if visible_units is None else units.count(),
        preview=preview if preview is not None else list(units[:SESSION_PREVIEW]),
        materials=list(session.materials.all()),
        per_unit=[(u, counter[u.pk]) for u in on_page],
        attendance=attendance,
        page=current,
        attendees=people.count(),
    )
