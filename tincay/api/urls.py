from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from tincay.api import views

app_name = "api"

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="token"),
    path("frameworks/", views.FrameworkList.as_view(), name="frameworks"),
    path("frameworks/<slug:framework>/versions/<slug:version>/", views.VersionDetail.as_view(), name="version"),
    path("units/", views.UnitList.as_view(), name="units"),
    path("units/<str:code>/", views.UnitDetail.as_view(), name="unit"),
    path("units/<str:code>/lineage/", views.UnitLineage.as_view(), name="unit-lineage"),
]
