"""A closed survey's results: per question, per factor and overall, with 95 % intervals, from real responses only.

Call :func:`results_for_user` (pages, API) or :func:`results_public` (the portal): they return None while the survey
is not closed or the user does not see it (``feedback.access``). :func:`survey_results` itself checks nothing.

**What counts.** Only responses that came in while the survey was live: test responses (``Response.test``) never
count. A question's ``n`` is the number of respondents who answered it: a point of the template's scale (likert), a
number (number), at least one of its options (single, multiple), a non-empty text (text). Values off the scale and
option keys the question does not offer are ignored.

**Figures.**

- likert: answers per scale point (each with its share), the share satisfied (a value from the template's
  ``satisfied_from``) and the mean, clamped to the scale;
- single and multiple choice: respondents per option and each option's share of the question's respondents (the
  shares of a multiple-choice question add up to more than 100 %);
- number: the mean; text: only how many answered (texts are never aggregated here);
- a factor (``factor_key``): the share satisfied over its likert questions of aspect *satisfaction*, pooled (SIPAS
  has one per factor, so ``n`` is its respondents); factors without such a question have no figure;
- overall: the share satisfied of the likert question keyed ``overall``, when the survey has one.

Shares are :class:`~tincay.feedback.stats.Proportion` with the Wilson interval, means
:class:`~tincay.feedback.stats.Mean` with the normal approximation.

**Suppression.** A question, factor or overall figure whose ``n`` is below ``survey.min_responses`` (or zero) is
*suppressed*: ``suppressed`` is True and ``n`` and every figure are None or empty, so a template or serializer
cannot show them by mistake (the dataclasses refuse to be built otherwise). The response total and its split by
channel are always given (the survey's page shows them while it runs).

**Queries.** Three whatever the number of responses and questions: the questions, the responses per channel, and
the answers grouped by (question, value, options chosen), which Likert scales, numbers and option sets keep to a few
rows; one more when the survey was loaded without its template.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q

from tincay.feedback import access
from tincay.feedback.choices import Aspect, Channel, QuestionKind
from tincay.feedback.models import Answer, Response, Survey, SurveyQuestion
from tincay.feedback.stats import Mean, Proportion, mean_interval_from_counts

OVERALL = "overall"  # the key of the overall satisfaction question


def _check_hidden(result: Any, figures: tuple[str, ...]) -> None:
    """A suppressed result carries no ``n`` and no figure; a shown one has its ``n``."""
    if result.suppressed:
        leaked = [name for name in ("n", *figures) if getattr(result, name)]
        if leaked:
            raise ValueError(f"a suppressed result cannot carry {', '.join(leaked)}")
    elif result.n is None:
        raise ValueError("a result that is shown needs its n")


@dataclass(frozen=True)
class ScalePoint:
    """A point of the scale with how many chose it and its share of the question's respondents."""

    value: int
    label_vi: str
    label_en: str
    count: int
    share: Proportion


@dataclass(frozen=True)
class OptionResult:
    """An option with how many respondents chose it and its share of the question's respondents."""

    key: str
    label_vi: str
    label_en: str
    count: int
    share: Proportion


@dataclass(frozen=True)
class QuestionResult:
    """One question's figures; when ``suppressed``, ``n`` is None and ``scale``, ``options``, ``satisfied`` and
    ``mean`` are empty or None whatever its kind."""

    key: str
    order: int
    kind: str
    aspect: str
    factor_key: str
    text_vi: str
    text_en: str
    measures: str
    suppressed: bool
    n: int | None = None
    scale: tuple[ScalePoint, ...] = ()  # likert
    satisfied: Proportion | None = None  # likert
    mean: Mean | None = None  # likert, number
    options: tuple[OptionResult, ...] = ()  # single, multiple

    def __post_init__(self) -> None:
        _check_hidden(self, ("scale", "satisfied", "mean", "options"))


@dataclass(frozen=True)
class SatisfactionResult:
    """The share satisfied of a factor (``key`` its factor key) or overall (``key`` "overall"); when
    ``suppressed``, ``n`` and ``satisfied`` are None."""

    key: str
    title_vi: str
    title_en: str
    suppressed: bool
    n: int | None = None
    satisfied: Proportion | None = None

    def __post_init__(self) -> None:
        _check_hidden(self, ("satisfied",))


@dataclass(frozen=True)
class SurveyResults:
    """A survey's results: the response total and its split by channel (every channel, adding up to
    ``responses``), the questions in order, the factors in the order of their first question, and overall
    satisfaction (None when the survey has no likert question keyed "overall")."""

    survey_id: int
    min_responses: int
    responses: int
    by_channel: dict[str, int]
    questions: tuple[QuestionResult, ...] = ()
    factors: tuple[SatisfactionResult, ...] = ()
    overall: SatisfactionResult | None = None
    by_key: dict[str, QuestionResult] = field(default_factory=dict, repr=False)

    def question(self, key: str) -> QuestionResult | None:
        return self.by_key.get(key)


# --- reading ------------------------------------------------------------------------------------------------------


@dataclass
class _Tally:
    """What the answers to one question add up to."""

    numbers: Counter = field(default_factory=Counter)  # value -> answers
    choices: Counter = field(default_factory=Counter)  # option key -> respondents
    chose: int = 0  # respondents with at least one of the question's options
    texts: int = 0


def _tallies(answers: Any, questions: list[SurveyQuestion]) -> dict[int, _Tally]:
    """One query: ``answers`` (the real ones of one or several surveys) grouped by (question, value, options
    chosen, text given)."""
    offered = {q.pk: {option["key"] for option in q.options} for q in questions}
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    rows = (
        answers.values_list("question_id", "number", "choices")
        .annotate(answers=Count("pk"), texts=Count("pk", filter=~Q(text="")))
        .order_by()
    )
    for question_id, number, choices, answers, texts in rows:
        tally = tallies[question_id]
        tally.texts += texts
        if number is not None:
            tally.numbers[Decimal(number)] += answers
        chosen = set(choices) & offered.get(question_id, set()) if isinstance(choices, list) else set()
        if chosen:
            tally.chose += answers
            for key in chosen:
                tally.choices[key] += answers
    return tallies


def survey_channels(survey: Survey) -> tuple[int, dict[str, int]]:
    """The real responses (test answers left out) and their split by channel, every channel listed (retired
    ones kept): counts only, which the survey's pages show while it runs. One query."""
    counts = dict(
        Response.objects.filter(survey=survey, test=False)
        .values("channel")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("channel", "n")
    )
    by_channel = {channel: counts.pop(channel, 0) for channel in Channel.values}
    by_channel.update(counts)  # a channel retired since keeps its responses in the total
    return sum(by_channel.values()), by_channel


# --- figures ------------------------------------------------------------------------------------------------------


def _question_result(question: SurveyQuestion, tally: _Tally, template: Any, threshold: int) -> QuestionResult:
    head = {
        "key": question.key,
        "order": question.order,
        "kind": question.kind,
        "aspect": question.aspect,
        "factor_key": question.factor_key,
        "text_vi": question.text_vi,
        "text_en": question.text_en,
        "measures": question.measures,
    }
    if question.kind == QuestionKind.LIKERT:
        values = [point["value"] for point in template.scale]
        counts = {value: tally.numbers.get(value, 0) for value in values}
        n = sum(counts.values())
        if n < threshold:
            return QuestionResult(**head, suppressed=True)
        satisfied = sum(count for value, count in counts.items() if value >= template.satisfied_from)
        return QuestionResult(
            **head,
            suppressed=False,
            n=n,
            scale=tuple(
                ScalePoint(
                    value=point["value"],
                    label_vi=point.get("vi", ""),
                    label_en=point.get("en", ""),
                    count=counts[point["value"]],
                    share=Proportion.wilson(counts[point["value"]], n),
                )
                for point in template.scale
            ),
            satisfied=Proportion.wilson(satisfied, n),
            mean=mean_interval_from_counts(counts, bounds=(min(values), max(values))),
        )
    if question.kind == QuestionKind.NUMBER:
        n = sum(tally.numbers.values())
        if n < threshold:
            return QuestionResult(**head, suppressed=True)
        return QuestionResult(**head, suppressed=False, n=n, mean=mean_interval_from_counts(tally.numbers))
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        n = tally.chose
        if n < threshold:
            return QuestionResult(**head, suppressed=True)
        options = tuple(
            OptionResult(
                key=option["key"],
                label_vi=option.get("vi", ""),
                label_en=option.get("en", ""),
                count=tally.choices.get(option["key"], 0),
                share=Proportion.wilson(tally.choices.get(option["key"], 0), n),
            )
            for option in question.options
        )
        return QuestionResult(**head, suppressed=False, n=n, options=options)
    n = tally.texts
    return QuestionResult(**head, suppressed=True) if n < threshold else QuestionResult(**head, suppressed=False, n=n)


def _satisfaction(
    key: str, title_vi: str, title_en: str, tallies: list[_Tally], template: Any, threshold: int
) -> SatisfactionResult:
    """The share satisfied over the answers of likert questions (their tallies, pooled), whether or not each
    question is suppressed on its own."""
    scale = {point["value"] for point in template.scale}
    n = satisfied = 0
    for tally in tallies:
        for value, count in tally.numbers.items():
            if value in scale:
                n += count
                satisfied += count if value >= template.satisfied_from else 0
    if n < threshold:
        return SatisfactionResult(key=key, title_vi=title_vi, title_en=title_en, suppressed=True)
    satisfied_share = Proportion.wilson(satisfied, n)
    return SatisfactionResult(
        key=key, title_vi=title_vi, title_en=title_en, suppressed=False, n=n, satisfied=satisfied_share
    )


def _satisfactions(
    questions: list[Any], tallies: dict[int, _Tally], template: Any, threshold: int
) -> tuple[tuple[SatisfactionResult, ...], SatisfactionResult | None]:
    """The factors (in the order of their first question; only those with a likert question of aspect
    satisfaction) and overall satisfaction (None without a likert question keyed "overall") of one survey's
    ``questions`` in order (``SurveyQuestion`` instances, or rows with their fields: ``selectors.summary``), from
    their tallies (``tallies[question.pk]``)."""
    pooled: dict[str, list[Any]] = {}  # factors in the order of their first question
    for q in questions:
        if q.factor_key and q.factor_key not in pooled:
            pooled[q.factor_key] = []
        if q.factor_key and q.kind == QuestionKind.LIKERT and q.aspect == Aspect.SATISFACTION:
            pooled.setdefault(q.factor_key, []).append(q)
    factors = tuple(
        _satisfaction(key, qs[0].factor_vi, qs[0].factor_en, [tallies[q.pk] for q in qs], template, threshold)
        for key, qs in pooled.items()
        if qs
    )
    overall_q = next((q for q in questions if q.key == OVERALL and q.kind == QuestionKind.LIKERT), None)
    overall = None
    if overall_q is not None:
        overall = _satisfaction(
            OVERALL, overall_q.text_vi, overall_q.text_en, [tallies[overall_q.pk]], template, threshold
        )
    return factors, overall


# --- entry points -------------------------------------------------------------------------------------------------


def survey_results(survey: Survey) -> SurveyResults:
    """The results of ``survey`` (see the module's docstring). Checks no permission: reach it through
    :func:`results_for_user` or :func:`results_public`."""
    template = survey.template
    threshold = max(survey.min_responses, 1)
    questions = list(survey.questions.order_by("order", "pk"))
    responses, by_channel = survey_channels(survey)
    tallies = _tallies(Answer.objects.filter(response__survey=survey, response__test=False), questions)
    results = tuple(_question_result(q, tallies[q.pk], template, threshold) for q in questions)
    factors, overall = _satisfactions(questions, tallies, template, threshold)
    return SurveyResults(
        survey_id=survey.pk,
        min_responses=threshold,
        responses=responses,
        by_channel=by_channel,
        questions=results,
        factors=factors,
        overall=overall,
        by_key={r.key: r for r in results},
    )


def results_for_user(user: Any, survey: Survey) -> SurveyResults | None:
    """The results for a signed-in user: None until the survey is closed, and for anyone who does not see it."""
    if not access.can_see_results(user, survey):
        return None
    return survey_results(survey)


def results_public(survey: Survey) -> SurveyResults | None:
    """The results for the portal: None until the survey is closed."""
    if not access.results_visible(survey):
        return None
    return survey_results(survey)
