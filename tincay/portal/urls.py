from django.urls import path

from tincay.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("phuong-phap/", views.methodology, name="methodology"),
    path("tim-kiem/", views.search, name="search"),
    path("campaigns/<slug:code>/", views.campaign, name="campaign"),
    path("campaigns/<slug:code>/phuong-phap/", views.methodology, name="campaign_methodology"),
    path("campaigns/<slug:code>/results.csv", views.results_csv, name="results_csv"),
    path("provinces/<str:key>/", views.province, name="province"),
    path("units/<str:key>/", views.unit, name="unit"),
    path("snapshots/<int:pk>.<str:fmt>", views.snapshot_file, name="snapshot_file"),
    path("snapshots/<int:pk>/changes/", views.snapshot_diff, name="snapshot_changes"),
]
