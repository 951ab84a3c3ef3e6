from django.urls import path

from tincay.reports import views

app_name = "reports"

urlpatterns = [
    path("results/assessments/<int:pk>/", views.unit_results, name="unit_results"),
    path("results/campaigns/<slug:code>/", views.campaign_heatmap, name="heatmap"),
    path("results/campaigns/<slug:code>/ranking/", views.campaign_ranking, name="ranking"),
    path("results/campaigns/<slug:code>/analysis/", views.campaign_analysis, name="analysis"),
    path("results/campaigns/<slug:code>/timeliness/", views.campaign_timeliness, name="timeliness"),
    path("results/campaigns/<slug:code>/snapshots/", views.campaign_snapshots, name="snapshots"),
    path("results/units/<str:key>/", views.unit_trend, name="trend"),
]
