"""Helpers of the public survey tests (portal pages, open-data snapshot): a campaign over the four test units with
surveys run through the services (created, opened, answered on several channels, closed), then published.

Figures were chosen so that every shown share differs from the suppressed ones, which lets a test check that a
suppressed figure's numbers appear nowhere:

- ``shown`` (Phường Hải An, minimum 5): 13 answers (9 by link, 2 by QR, 2 on paper); every factor 9 of 13 satisfied,
  overall 7 of 13; the optional "access-online" answered by 3 people (2 satisfied): suppressed; a secret comment in
  every response; two questions of the unit's own, so that every kind is counted: a number (``VISITS``, mean
  21/13) and one choice (``HOW``: 8 at the desk, 5 online);
- ``thin`` (the sibling ward, minimum 5): 3 answers, all "very satisfied": every figure suppressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.assessment_fixtures import complete, make_campaign
from tests.feedback_fixtures import good_answers, sipas_template
from tincay.assessments.models import Campaign
from tincay.assessments.services.campaigns import campaign_publish
from tincay.feedback.models import Survey
from tincay.feedback.services.responses import response_submit
from tincay.feedback.services.surveys import survey_create, survey_question_add, survey_status_set
from tincay.feedback.stats import Proportion
from tincay.orgunits.models import AdminUnit

CODE = "khao-sat-cong-khai"
SHOWN_UNIT = "11413"
THIN_UNIT = "11311"
BASE = [5, 5, 4, 4, 4, 4, 4, 4, 5, 3, 2, 2, 1]  # every factor's questions: 9 of 13 satisfied
OVERALL = [5, 4, 4, 4, 4, 4, 3, 3, 2, 2, 1, 1, 5]  # 7 of 13
ONLINE = [5, 5, 1]  # "access-online", optional: 2 of 3, below the minimum
CHANNELS = ["link"] * 9 + ["qr"] * 2 + ["paper"] * 2
VISITS = [1, 2, 1, 3, 1, 1, 2, 1, 1, 4, 1, 2, 1]  # "how many times did you come?": mean 21/13
HOW = ["desk"] * 8 + ["online"] * 5  # "how did you apply?": one choice
SECRET = "Góp ý riêng số"  # the free-text comment of each response: never public


def secret(i: int) -> str:
    return f"{SECRET} {i:02d}, Nguyễn Văn Bí Mật"


def percent(successes: int, n: int) -> tuple[str, str, str]:
    """A share and its Wilson bounds as the Vietnamese page writes them (one decimal, a comma)."""
    p = Proportion.wilson(successes, n)
    return tuple(f"{v:.1f}".replace(".", ",") for v in (p.percent, p.low_percent, p.high_percent))


SUPPRESSED_ONLINE = percent(2, 3)  # ("66,7", "20,8", "93,9")
SUPPRESSED_THIN = percent(3, 3)  # ("100,0", "43,9", "100,0")


def run_survey(
    actor: Any, campaign: Campaign | None, unit: str, answers: Callable[[Survey], list[dict[str, Any]]], *,
    channels: list[str] | None = None, close: bool = True, min_responses: int = 5,
    prepare: Callable[[Any, Survey], Any] | None = None,
) -> Survey:  # fmt: skip
    """A SIPAS survey of ``unit`` opened, answered (one response per item of ``answers(survey)``) and closed (or
    left open)."""
    survey = survey_create(
        actor=actor,
        unit=AdminUnit.objects.get(key=unit),
        template=sipas_template(),
        campaign=campaign,
        min_responses=min_responses,
    )
    if prepare is not None:
        prepare(actor, survey)
    survey_status_set(actor=actor, survey=survey, status="open")
    given_all = answers(survey)
    for i, given in enumerate(given_all):
        channel = (channels or ["link"] * len(given_all))[i]
        response_submit(survey=survey, channel=channel, answers=given, actor=actor if channel == "paper" else None)
    if close:
        survey_status_set(actor=actor, survey=survey, status="closed")
    survey.refresh_from_db()
    return survey


def own_questions(actor: Any, survey: Survey) -> None:
    """The unit's two questions of its own: a number and one choice."""
    survey_question_add(actor=actor, survey=survey, kind="number", text_vi="Ông/Bà đã phải đến cơ quan mấy lần?")
    survey_question_add(
        actor=actor,
        survey=survey,
        kind="single",
        text_vi="Ông/Bà nộp hồ sơ bằng cách nào?",
        text_en="How did you apply?",
        options=[{"vi": "Tại quầy", "en": "At the desk"}, {"vi": "Trực tuyến", "en": "Online"}],
    )


def shown_answers(survey: Survey) -> list[dict[str, Any]]:
    own = {q.kind: q for q in survey.questions.filter(key__startswith="q-")}
    options = {"desk": "opt-1", "online": "opt-2"}
    out = []
    for i, (base, overall) in enumerate(zip(BASE, OVERALL, strict=True)):
        given = {**good_answers(survey, base), "overall": overall, "comment": secret(i)}
        if i < len(ONLINE):
            given["access-online"] = ONLINE[i]
        if own:
            given[own["number"].key] = VISITS[i]
            given[own["single"].key] = options[HOW[i]]
        out.append(given)
    return out


def thin_answers(survey: Survey) -> list[dict[str, Any]]:
    return [{**good_answers(survey, 5), "comment": secret(90 + i)} for i in range(3)]


def shown_survey(actor: Any, campaign: Campaign | None, unit: str = SHOWN_UNIT, **kwargs: Any) -> Survey:
    return run_survey(actor, campaign, unit, shown_answers, channels=CHANNELS, prepare=own_questions, **kwargs)


def thin_survey(actor: Any, campaign: Campaign | None, unit: str = THIN_UNIT, **kwargs: Any) -> Survey:
    return run_survey(actor, campaign, unit, thin_answers, **kwargs)


def approved_campaign(users: dict[str, Any], code: str = CODE) -> Campaign:
    """The test campaign with every assessment answered and approved, not yet published."""
    campaign = make_campaign(users, code=code)
    for assessment in campaign.assessments.all():
        complete(assessment, submitted_by=users["daumoi"])
    campaign.assessments.update(state="approved")
    return campaign


def publish(users: dict[str, Any], campaign: Campaign) -> None:
    """The coordinator of Hải Phòng publishes its three units (and freezes a snapshot)."""
    campaign_publish(user=users["dieuphoi"], campaign=campaign)
