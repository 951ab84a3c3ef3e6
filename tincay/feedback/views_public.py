"""The page a citizen answers on: no log-in, no JavaScript, light enough for a cheap phone on a slow connection.

``/s/<public code>/`` shows the questions (``?via=qr`` from the poster, ``?via=token`` with a field for the code on
a paper slip); the answers go to ``services.responses.response_submit``, which checks them whole. A refused answer
comes back with its message beside the question and everything the person chose kept. A hidden field that people
never see (a honeypot) catches simple robots: their submission is thanked and dropped. One address may send a
limited number of answers to one survey in a while (``throttle``); a counter tablet is far below it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tincay.common.errors import InvalidInput
from tincay.feedback.choices import Channel, QuestionKind, SurveyStatus
from tincay.feedback.models import Survey, SurveyQuestion
from tincay.feedback.services.responses import response_submit
from tincay.feedback.throttle import answer_wait

HONEYPOT = "website"
VIA = {"qr": Channel.QR, "token": Channel.TOKEN}


def _survey(code: str) -> Survey:
    survey = Survey.objects.select_related("template", "unit").filter(public_code=code).first()
    if survey is None or survey.status == SurveyStatus.DRAFT:
        raise Http404(_("No survey at this address."))
    return survey


def _answers(request: HttpRequest, questions: list[SurveyQuestion]) -> dict[str, Any]:
    """The form's fields as the service takes them: one value per question, a list for several choices."""
    answers: dict[str, Any] = {}
    for question in questions:
        if question.kind == QuestionKind.MULTIPLE:
            chosen = request.POST.getlist(question.key)
            if chosen:
                answers[question.key] = chosen
        elif request.POST.get(question.key, "").strip():
            answers[question.key] = request.POST[question.key]
    return answers


def _rows(survey: Survey, questions: list[SurveyQuestion], answers: dict[str, Any], errors: dict[str, Any]):
    """Each question with what was chosen (kept after a refusal) and its message, grouped under its factor."""
    scale = survey.template.scale
    groups: list[dict[str, Any]] = []
    for question in questions:
        given = answers.get(question.key)
        chosen = set(given) if isinstance(given, list) else {str(given)} if given is not None else set()
        row = {
            "question": question,
            "errors": errors.get(question.key, []),
            "points": [{**p, "checked": str(p["value"]) in chosen} for p in scale],
            "options": [{**o, "checked": o["key"] in chosen} for o in question.options],
            "value": given if isinstance(given, str) else "",
        }
        factor = question.factor_key
        if not groups or groups[-1]["key"] != factor:
            groups.append({"key": factor, "question": question, "rows": []})
        groups[-1]["rows"].append(row)
    return groups


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, code: str) -> HttpResponse:
    survey = _survey(code)
    questions = list(survey.questions.order_by("order"))
    via = request.GET.get("via", "")
    channel = VIA.get(via, Channel.LINK)
    answers: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and survey.status in (SurveyStatus.OPEN, SurveyStatus.TEST):
        answers = _answers(request, questions)
        if request.POST.get(HONEYPOT):
            return redirect("survey:thanks", code=survey.public_code)  # a robot: thanked, nothing kept
        wait = answer_wait(request, survey.public_code)
        if wait is not None:
            minutes = max(1, -(-wait // 60))
            errors["__all__"] = [
                ngettext(
                    "Many answers came from this connection just now. Wait %(minutes)d minute, then send again: "
                    "your answers are kept below.",
                    "Many answers came from this connection just now. Wait %(minutes)d minutes, then send again: "
                    "your answers are kept below.",
                    minutes,
                )
                % {"minutes": minutes}
            ]
            status = 429
        else:
            try:
                response_submit(survey=survey, channel=channel, answers=answers, token=request.POST.get("token"))
            except InvalidInput as exc:
                errors = {key: [str(m) for m in messages] for key, messages in exc.errors.items()}
                status = 400
            else:
                return redirect("survey:thanks", code=survey.public_code)
    context = {
        "survey": survey,
        "groups": _rows(survey, questions, answers, errors),
        "errors": errors,
        "general_errors": errors.get("__all__", []),
        "via": via if via in VIA else "",
        "token": request.POST.get("token", request.GET.get("token", "")),
        "taking": survey.status in (SurveyStatus.OPEN, SurveyStatus.TEST),
        "honeypot": HONEYPOT,
    }
    response = render(request, "feedback/answer.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


def thanks(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "feedback/thanks.html", {"survey": _survey(code)})
