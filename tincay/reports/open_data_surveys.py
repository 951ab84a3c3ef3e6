"""The campaign's closed citizens' surveys in its open-data snapshot: aggregates only, as the public portal shows
them (``docs/open-data.md`` describes the format).

Every closed survey of the campaign (``Survey.campaign``) is one record in the JSON's ``surveys`` list and a block
of rows in the long-format ``surveys.csv``: the unit, the survey's public code, the days it opened and closed, the
real responses and their split by channel, the minimum of responses under which a figure is withheld, overall
satisfaction and the share satisfied per factor (n, satisfied, share and its Wilson 95 % interval), and per
question what the public page shows (likert: share satisfied and answers per scale point; one or several choices:
respondents per option; number: the mean; free text: only how many answered).

A suppressed figure keeps its key and ``"suppressed": true`` and nothing else: no n, no count, no share. Nothing
here comes from a single response: no response key, no day of answer, no text.

Figures come from ``feedback.selectors.public.closed_results`` (four queries whatever the number of surveys) and are
rounded to four decimals so that the frozen bytes do not depend on floating-point noise.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import QuerySet

from tincay.assessments.models import Campaign
from tincay.feedback.choices import QuestionKind
from tincay.feedback.models import Survey
from tincay.feedback.selectors.public import closed_results
from tincay.feedback.selectors.results import QuestionResult, SatisfactionResult, SurveyResults
from tincay.feedback.stats import Z95, Mean, Proportion

DIGITS = 4
METHOD = {
    "closed_only": True,
    "interval": "wilson",
    "confidence": 0.95,
    "z": Z95,
    "satisfied": "answers from the template's satisfied_from upwards on its scale",
    "suppression": "a figure from fewer answers than the survey's min_responses is given without n or figures",
    "test_responses": "not counted",
    "texts": "free-text answers are counted, never published",
}
CSV_FIELDS = [
    "survey",
    "unit_key",
    "unit_code",
    "unit_name",
    "closed_on",
    "responses",
    "min_responses",
    "item",  # channel, overall, factor, question, scale_point, option
    "key",
    "factor",
    "kind",
    "value",
    "label_vi",
    "label_en",
    "suppressed",
    "n",
    "count",
    "share",
    "low",
    "high",
    "mean",
    "mean_low",
    "mean_high",
]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _share(proportion: Proportion) -> dict[str, Any]:
    return {"share": _r(proportion.share), "low": _r(proportion.low), "high": _r(proportion.high)}


def _mean(mean: Mean) -> dict[str, Any]:
    return {"mean": _r(mean.value), "mean_low": _r(mean.low), "mean_high": _r(mean.high)}


def _satisfaction(figure: SatisfactionResult) -> dict[str, Any]:
    head = {"key": figure.key, "title_vi": figure.title_vi, "title_en": figure.title_en}
    if figure.suppressed:
        return {**head, "suppressed": True}
    return {
        **head,
        "suppressed": False,
        "n": figure.n,
        "satisfied": figure.satisfied.successes,
        **_share(figure.satisfied),
    }


def _question(question: QuestionResult) -> dict[str, Any]:
    head: dict[str, Any] = {
        "key": question.key,
        "order": question.order,
        "kind": question.kind,
        "aspect": question.aspect,
        "factor": question.factor_key,
        "text_vi": question.text_vi,
        "text_en": question.text_en,
        "measures": question.measures,
    }
    if question.suppressed:
        return {**head, "suppressed": True}
    out = {**head, "suppressed": False, "n": question.n}
    if question.kind == QuestionKind.LIKERT:
        out.update(satisfied=question.satisfied.successes, **_share(question.satisfied), **_mean(question.mean))
        out["scale"] = [
            {"value": p.value, "label_vi": p.label_vi, "label_en": p.label_en, "count": p.count, **_share(p.share)}
            for p in question.scale
        ]
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        out["options"] = [
            {"key": o.key, "label_vi": o.label_vi, "label_en": o.label_en, "count": o.count, **_share(o.share)}
            for o in question.options
        ]
    elif question.kind == QuestionKind.NUMBER:
        out.update(_mean(question.mean))
    return out  # free text: how many answered, nothing of what they wrote


def survey_record(survey: Survey, results: SurveyResults) -> dict[str, Any]:
    """One closed survey's aggregates as the snapshot's JSON holds them."""
    unit = survey.unit
    return {
        "survey": survey.public_code,
        "unit_key": unit.key,
        "unit_code": unit.code,
        "unit_name": unit.name,
        "title_vi": survey.title_vi,
        "title_en": survey.title_en,
        "template": survey.template.code,
        "template_version": survey.template.version,
        "satisfied_from": survey.template.satisfied_from,
        "opened_on": survey.opened_on.isoformat() if survey.opened_on else None,
        "closed_on": survey.closed_on.isoformat() if survey.closed_on else None,
        "responses": results.responses,
        "by_channel": dict(results.by_channel),
        "min_responses": results.min_responses,
        "overall": _satisfaction(results.overall) if results.overall else None,
        "factors": [_satisfaction(f) for f in results.factors],
        "questions": [_question(q) for q in results.questions],
    }


def campaign_surveys(campaign: Campaign) -> list[dict[str, Any]]:
    """The records of the campaign's closed surveys, by unit key, closing day and public code (four queries)."""
    surveys: QuerySet[Survey] = Survey.objects.filter(campaign=campaign).order_by(
        "unit__key", "closed_on", "public_code"
    )
    return [survey_record(survey, results) for survey, results in closed_results(surveys)]


# --- the long-format CSV ------------------------------------------------------------------------------------------


def _figure_row(item: str, record: dict[str, Any], label: str = "title") -> dict[str, Any]:
    row = {
        "item": item,
        "key": record["key"],
        "label_vi": record.get(f"{label}_vi", ""),
        "label_en": record.get(f"{label}_en", ""),
        "suppressed": "true" if record["suppressed"] else "false",
    }
    if not record["suppressed"]:
        row.update(n=record["n"], count=record.get("satisfied"))
        row.update({k: record.get(k) for k in ("share", "low", "high", "mean", "mean_low", "mean_high")})
    return row


def _rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = [
        {"item": "channel", "key": channel, "count": n} for channel, n in sorted(record["by_channel"].items())
    ]
    if record["overall"] is not None:
        rows.append(_figure_row("overall", record["overall"]))
    rows += [_figure_row("factor", factor) for factor in record["factors"]]
    for question in record["questions"]:
        head = {"factor": question["factor"], "kind": question["kind"]}
        rows.append({**_figure_row("question", question, "text"), **head})
        for point in question.get("scale", []):
            rows.append(_part("scale_point", question, point, point["value"]) | head)
        for option in question.get("options", []):
            rows.append(_part("option", question, option, option["key"]) | head)
    return rows


def _part(item: str, question: dict[str, Any], part: dict[str, Any], value: Any) -> dict[str, Any]:
    """A scale point or an option of a question that is shown (a suppressed question has none)."""
    return {
        "item": item,
        "key": question["key"],
        "value": value,
        "label_vi": part["label_vi"],
        "label_en": part["label_en"],
        "suppressed": "false",
        "n": question["n"],  # the question's respondents: the share's denominator
        "count": part["count"],
        "share": part["share"],
        "low": part["low"],
        "high": part["high"],
    }


def surveys_csv(records: list[dict[str, Any]]) -> str:
    """The records in long format, one figure a row (``CSV_FIELDS``); empty when there is no closed survey."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        survey = {k: record[k] for k in ("unit_key", "unit_code", "unit_name", "responses", "min_responses")}
        survey.update(survey=record["survey"], closed_on=record["closed_on"] or "")
        for row in _rows(record):
            writer.writerow({**survey, **{k: "" if v is None else v for k, v in row.items()}})
    return buffer.getvalue()
