from django.urls import path

from tincay.portal import views, views_progress

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
    path("surveys/<slug:code>/", views.survey, name="survey"),
    path("snapshots/<int:pk>.<str:fmt>", views.snapshot_file, name="snapshot_file"),
    path("snapshots/<int:pk>/changes/", views.snapshot_diff, name="snapshot_changes"),
    path("progress/", views_progress.provinces, name="progress"),
    path("progress/<str:key>/", views_progress.province, name="progress_province"),
    path("units/<str:key>/programme/", views_progress.unit, name="progress_unit"),
    path("evidence/<int:pk>/", views_progress.evidence, name="progress_evidence"),
]
