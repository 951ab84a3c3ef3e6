from django.urls import path, re_path

from tincay.accounts.api import TokenObtain
from tincay.api import assessments, results, views
from tincay.api.errors import NotFoundView

app_name = "api"

urlpatterns = [
    path("auth/token/", TokenObtain.as_view(), name="token"),
    path("frameworks/", views.FrameworkList.as_view(), name="frameworks"),
    path("frameworks/<slug:framework>/versions/<slug:version>/", views.VersionDetail.as_view(), name="version"),
    path("units/", views.UnitList.as_view(), name="units"),
    path("units/<str:code>/", views.UnitDetail.as_view(), name="unit"),
    path("units/<str:code>/lineage/", views.UnitLineage.as_view(), name="unit-lineage"),
    path("units/<str:key>/documents/", assessments.DocumentList.as_view(), name="unit-documents"),
    path("documents/<int:pk>/download/", assessments.DocumentDownload.as_view(), name="document-download"),
    path("campaigns/", assessments.CampaignList.as_view(), name="campaigns"),
    path("assessments/", assessments.AssessmentList.as_view(), name="assessments"),
    path("assessments/<int:pk>/", assessments.AssessmentDetail.as_view(), name="assessment"),
    path("assessments/<int:pk>/results/", assessments.ResultList.as_view(), name="results"),
    path("assessments/<int:pk>/results/<str:code>/", assessments.ResultDetail.as_view(), name="result"),
    path(
        "assessments/<int:pk>/results/<str:code>/evidence/",
        assessments.EvidenceLinkCreate.as_view(),
        name="result-evidence",
    ),
    path(
        "assessments/<int:pk>/results/<str:code>/evidence/<int:document>/",
        assessments.EvidenceLinkDelete.as_view(),
        name="result-evidence-unlink",
    ),
    path("results/assessments/<int:pk>/", results.UnitResults.as_view(), name="results-assessment"),
    path("results/campaigns/<slug:code>/heatmap/", results.Heatmap.as_view(), name="results-heatmap"),
    path("results/campaigns/<slug:code>/ranking/", results.Ranking.as_view(), name="results-ranking"),
    path("results/units/<str:key>/trend/", results.Trend.as_view(), name="results-trend"),
    path("public/campaigns/<slug:code>/snapshots/", results.Snapshots.as_view(), name="public-snapshots"),
    path("assessments/<int:pk>/transitions/", assessments.TransitionCreate.as_view(), name="transitions"),
    # anything else under /api/v1/ (a malformed id, a mistyped path): a 404 in the API's body shape
    re_path(r"^.*$", NotFoundView.as_view()),
]
