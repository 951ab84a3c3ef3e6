from django.urls import path

from tincay.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<slug:code>/", views.campaign, name="campaign"),
    path("provinces/<str:key>/", views.province, name="province"),
    path("units/<str:key>/", views.unit, name="unit"),
    path("snapshots/<int:pk>.<str:fmt>", views.snapshot_file, name="snapshot_file"),
    path("snapshots/<int:pk>/changes/", views.snapshot_diff, name="snapshot_changes"),
]
