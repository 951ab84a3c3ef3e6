from django.urls import path

from tincay.feedback import views

app_name = "feedback"

urlpatterns = [
    path("", views.surveys, name="surveys"),
    path("new/", views.survey_new, name="survey_new"),
    path("<int:pk>/", views.survey, name="survey"),
    path("<int:pk>/state/", views.survey_state, name="survey_state"),
    path("<int:pk>/slips/", views.survey_tokens, name="survey_tokens"),
]
