from django.urls import path

from tincay.feedback import views, views_questions, views_responses

app_name = "feedback"

urlpatterns = [
    path("", views.surveys, name="surveys"),
    path("new/", views.survey_new, name="survey_new"),
    path("<int:pk>/", views.survey, name="survey"),
    path("<int:pk>/state/", views.survey_state, name="survey_state"),
    path("<int:pk>/slips/", views.survey_tokens, name="survey_tokens"),
    path("<int:pk>/dossiers/", views.survey_dossiers, name="survey_dossiers"),
    path("<int:pk>/compare/", views.survey_compare, name="compare"),
    path("<int:pk>/responses/", views_responses.responses, name="responses"),
    path("<int:pk>/poster/", views_questions.poster, name="poster"),
    path("<int:pk>/questions/", views_questions.questions, name="questions"),
    path("<int:pk>/questions/add/", views_questions.question_add, name="question_add"),
    path("<int:pk>/questions/<slug:key>/", views_questions.question_update, name="question_update"),
    path("<int:pk>/questions/<slug:key>/remove/", views_questions.question_remove, name="question_remove"),
]
