"""Pages of phases 1–2: the questionnaire editor, a unit's survey, the side-by-side comparison, training sessions,
their attendance (by name, and the big code shown in the room) and the page where an official types the code.

The pages translate form input into the services' arguments and show their errors next to the fields; every rule
is in ``rollout.services.preparation``. Everything works without JavaScript.
"""

from tincay.rollout.views.preparation.survey import (
    question_delete,
    question_edit,
    question_move,
    survey_answer,
    survey_compare,
    survey_editor,
    survey_reopen,
    survey_use_default,
)
from tincay.rollout.views.preparation.training import (
    attendance_remove,
    training_code,
    training_code_close,
    training_edit,
    training_list,
    training_session,
    training_sign_in,
)

__all__ = [
    "attendance_remove",
    "question_delete",
    "question_edit",
    "question_move",
    "survey_answer",
    "survey_compare",
    "survey_editor",
    "survey_reopen",
    "survey_use_default",
    "training_code",
    "training_code_close",
    "training_edit",
    "training_list",
    "training_session",
    "training_sign_in",
]
