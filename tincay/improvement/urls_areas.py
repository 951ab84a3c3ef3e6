from django.urls import path

from tincay.improvement.views import areas

urlpatterns: list = [
    path("assessments/<int:pk>/areas/", areas.areas, name="areas"),
    path("assessments/<int:pk>/areas/suggest/", areas.areas_suggest, name="areas_suggest"),
    path("assessments/<int:pk>/areas/accept/", areas.areas_accept, name="areas_accept"),
    path("assessments/<int:pk>/areas/add/", areas.area_add, name="area_add"),
    path("assessments/<int:pk>/areas/<int:area_id>/decide/", areas.area_decide, name="area_decide"),
]
