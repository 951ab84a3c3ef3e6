"""Phases 1–2 of a rollout: the preliminary survey and the training sessions (mounted at /rollout/)."""

from django.urls import path

from tincay.rollout.views import preparation as views

urlpatterns: list = [
    path("training/sign-in/", views.training_sign_in, name="training_sign_in"),
    path("<slug:code>/survey/", views.survey_editor, name="survey_editor"),
    path("<slug:code>/survey/default/", views.survey_use_default, name="survey_default"),
    path("<slug:code>/survey/questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("<slug:code>/survey/questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("<slug:code>/survey/questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("<slug:code>/survey/compare/", views.survey_compare, name="survey_compare"),
    path("<slug:code>/units/<str:key>/survey/", views.survey_answer, name="survey_answer"),
    path("<slug:code>/units/<str:key>/survey/reopen/", views.survey_reopen, name="survey_reopen"),
    path("<slug:code>/training/", views.training_list, name="training_list"),
    path("<slug:code>/training/<int:pk>/", views.training_session, name="training_session"),
    path("<slug:code>/training/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("<slug:code>/training/<int:pk>/code/", views.training_code, name="training_code"),
    path("<slug:code>/training/<int:pk>/code/close/", views.training_code_close, name="training_code_close"),
    path(
        "<slug:code>/training/<int:pk>/attendance/<int:attendance>/remove/",
        views.attendance_remove,
        name="attendance_remove",
    ),
]
