"""Phases 1–2 of a rollout: the preliminary survey (questionnaire, answers, the unit's profile) and training sessions
with their attendance (by name, or by a short code shown in the room).

Every function checks permission through ``rollout.access`` and validates its whole input before it touches a row
(``InvalidInput`` with every message at once, ``Refused`` for someone else), writes inside one transaction and
records an audit event.

- The coordinator configures the questionnaire; once any unit has submitted its answers the questions are locked
  (answers of different units stay comparable): no change, no deletion, no new question.
- A unit's leader or focal point saves drafts and submits; submitting fills the unit's profile from the questions
  that name a profile entry and tells the rollout's coordinators (a notice linking to the unit's answers). After
  submission only the coordinator reopens the survey, with a reason.
- A training session's attendance code is 6 characters of an alphabet without look-alikes (no 0/O, 1/I) and is
  valid for the minutes the organiser chose; an official signs in once, for a unit the session trains. Wrong codes
  are counted per person in Django's cache: after 10 in 10 minutes every code is refused until the window passes.
"""

from tincay.rollout.services.preparation.survey import (
    clean_answer,
    default_questions,
    is_answered,
    question_create,
    question_delete,
    question_move,
    question_update,
    questionnaire_use_default,
    questions_locked,
    survey_answers_save,
    survey_reopen,
)
from tincay.rollout.services.preparation.training import (
    attendance_add,
    attendance_code_close,
    attendance_code_open,
    attendance_remove,
    attendance_sign_in,
    normalise_code,
    training_session_create,
    training_session_update,
)

__all__ = [
    "attendance_add",
    "attendance_code_close",
    "attendance_code_open",
    "attendance_remove",
    "attendance_sign_in",
    "clean_answer",
    "default_questions",
    "is_answered",
    "normalise_code",
    "question_create",
    "question_delete",
    "question_move",
    "question_update",
    "questionnaire_use_default",
    "questions_locked",
    "survey_answers_save",
    "survey_reopen",
    "training_session_create",
    "training_session_update",
]
