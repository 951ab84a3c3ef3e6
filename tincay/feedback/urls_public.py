from django.urls import path

from tincay.feedback import views_public

app_name = "survey"

urlpatterns = [
    path("<slug:code>/", views_public.answer, name="answer"),
    path("<slug:code>/thanks/", views_public.thanks, name="thanks"),
]
