from django.urls import path

from tincay.improvement.views import effectiveness

urlpatterns = [
    path("programmes/<int:pk>/effectiveness/", effectiveness.programme_effectiveness, name="effectiveness"),
    path(
        "programmes/<int:pk>/effectiveness/<int:action_id>/verdict/",
        effectiveness.verdict_record,
        name="verdict_record",
    ),
    path("units/<str:key>/cycle/", effectiveness.unit_cycle, name="cycle"),
]
