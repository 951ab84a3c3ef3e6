"""REST API for issue 10's rollouts: the list (and opening one), adding units, the board (paged, with filters), a
unit's entry with its phase history and gates, moving a unit into a phase or skipping one, recording a gate by hand,
the unit's documents (steering committee decision, support team, final report), the preliminary survey (the
questionnaire and its editing, a unit's answers saved or submitted, reopening them, every unit side by side) and
training sessions (list, create, edit, attendance by name, the attendance code opened and closed, signing in with
it). Same rules as the pages: 404 when the rollout or the unit is not visible, 403 when visible but not yours to
change; every write calls the rollout services.
"""

from __future__ import annotations

from django.urls import path

from tincay.api.rollout.board import (
    EntryDetail,
    GateRecordView,
    PhaseEnter,
    PhaseSkipView,
    RolloutDetail,
    RolloutList,
    RolloutUnitsAdd,
    UnitDocuments,
)
from tincay.api.rollout.survey import (
    SurveyAnswers,
    SurveyCompare,
    SurveyDefault,
    SurveyQuestionDetail,
    SurveyQuestionMove,
    SurveyQuestions,
    SurveyReopen,
)
from tincay.api.rollout.training import (
    AttendanceCode,
    AttendanceCodeClose,
    AttendanceList,
    SessionDetail,
    SessionList,
    TrainingSignIn,
)

urlpatterns = [
    path("rollouts/", RolloutList.as_view(), name="rollouts"),
    path("rollouts/training/sign-in/", TrainingSignIn.as_view(), name="training-sign-in"),
    path("rollouts/<slug:code>/", RolloutDetail.as_view(), name="rollout"),
    path("rollouts/<slug:code>/units/", RolloutUnitsAdd.as_view(), name="rollout-units"),
    path("rollouts/<slug:code>/units/<str:key>/documents/", UnitDocuments.as_view(), name="rollout-documents"),
    path("rollouts/<slug:code>/units/<str:key>/survey/reopen/", SurveyReopen.as_view(), name="rollout-survey-reopen"),
    path("rollouts/<slug:code>/survey/default/", SurveyDefault.as_view(), name="rollout-questions-default"),
    path(
        "rollouts/<slug:code>/survey/questions/<int:question>/",
        SurveyQuestionDetail.as_view(),
        name="rollout-question",
    ),
    path(
        "rollouts/<slug:code>/survey/questions/<int:question>/move/",
        SurveyQuestionMove.as_view(),
        name="rollout-question-move",
    ),
    path("rollouts/<slug:code>/training/<int:pk>/", SessionDetail.as_view(), name="rollout-session"),
    path("rollouts/<slug:code>/training/<int:pk>/code/", AttendanceCode.as_view(), name="rollout-session-code"),
    path(
        "rollouts/<slug:code>/training/<int:pk>/code/close/",
        AttendanceCodeClose.as_view(),
        name="rollout-session-code-close",
    ),
    path("rollouts/<slug:code>/units/<str:key>/", EntryDetail.as_view(), name="rollout-entry"),
    path("rollouts/<slug:code>/units/<str:key>/phase/", PhaseEnter.as_view(), name="rollout-phase"),
    path("rollouts/<slug:code>/units/<str:key>/skip/", PhaseSkipView.as_view(), name="rollout-skip"),
    path("rollouts/<slug:code>/units/<str:key>/gates/", GateRecordView.as_view(), name="rollout-gate"),
    path("rollouts/<slug:code>/units/<str:key>/survey/", SurveyAnswers.as_view(), name="rollout-survey"),
    path("rollouts/<slug:code>/survey/questions/", SurveyQuestions.as_view(), name="rollout-questions"),
    path("rollouts/<slug:code>/survey/compare/", SurveyCompare.as_view(), name="rollout-compare"),
    path("rollouts/<slug:code>/training/", SessionList.as_view(), name="rollout-training"),
    path("rollouts/<slug:code>/training/<int:pk>/attendance/", AttendanceList.as_view(), name="rollout-attendance"),
]
