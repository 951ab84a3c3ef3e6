"""A closed survey's individual responses, for administrators only: a page of 50 at a time, or all of them as CSV
(one row per response, one column per question, options as their labels). Never a token: nothing joins one to a
response. Everyone else gets 403; before close, administrators too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tincay.common.csv_export import csv_response
from tincay.feedback.choices import Channel
from tincay.feedback.models import SurveyQuestion
from tincay.feedback.selectors.responses import answer_value, responses_for_admin
from tincay.feedback.views import _survey

PAGE_SIZE = 50


def _shown(question: SurveyQuestion, value: Any) -> Any:
    """An answer as a person reads it: option keys become their labels."""
    english = get_language() == "en"
    labels = {o["key"]: (o.get("en") if english and o.get("en") else o.get("vi", "")) for o in question.options}
    if isinstance(value, list):
        return "; ".join(labels.get(key, key) for key in value)
    if question.options and isinstance(value, str):
        return labels.get(value, value)
    return value


def _rows(questions: list[SurveyQuestion], responses: Any) -> list[dict[str, Any]]:
    by_id = {q.pk: q for q in questions}
    channels = dict(Channel.choices)
    rows = []
    for response in responses:
        given = {a.question_id: a for a in response.answers.all()}
        cells = []
        for q in questions:
            answer = given.get(q.pk)
            cells.append("" if answer is None else _shown(q, answer_value(answer, by_id[q.pk].kind)))
        rows.append({"id": response.id, "day": response.day, "channel": channels.get(response.channel), "cells": cells})
    return rows


@login_required
def responses(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    found = responses_for_admin(request.user, survey)
    if found is None:
        raise PermissionDenied(_("Only administrators read individual responses, once the survey is closed."))
    questions = list(survey.questions.order_by("order", "pk"))
    if request.GET.get("format") == "csv":
        header = [_("Response"), _("Day"), _("Channel"), *[f"{n}. {q.key}" for n, q in enumerate(questions, 1)]]
        rows = _rows(questions, found.responses.iterator(chunk_size=2000))
        return csv_response(
            f"khao-sat-{survey.pk}-phieu.csv",
            header,
            ([str(r["id"]), r["day"].isoformat(), r["channel"], *r["cells"]] for r in rows),
        )
    page = Paginator(found.responses, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"survey": survey, "questions": questions, "page": page, "rows": _rows(questions, page.object_list)}
    return render(request, "feedback/responses.html", context)
