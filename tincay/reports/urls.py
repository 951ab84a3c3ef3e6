from django.urls import path

from tincay.reports import views, views_documents
from tincay.reports import views_exports as exports
from tincay.reports.imports import views as imports

app_name = "reports"
XLSX, CSV = {"fmt": "xlsx"}, {"fmt": "csv"}  # the exports: one view, two formats

urlpatterns = [
    path("results/assessments/<int:pk>/", views.unit_results, name="unit_results"),
    path("results/campaigns/<slug:code>/", views.campaign_heatmap, name="heatmap"),
    path("results/campaigns/<slug:code>/ranking/", views.campaign_ranking, name="ranking"),
    path("results/campaigns/<slug:code>/analysis/", views.campaign_analysis, name="analysis"),
    path("results/campaigns/<slug:code>/timeliness/", views.campaign_timeliness, name="timeliness"),
    path("results/campaigns/<slug:code>/snapshots/", views.campaign_snapshots, name="snapshots"),
    path("results/units/<str:key>/", views.unit_trend, name="trend"),
    path("reports/documents/", views_documents.documents, name="documents"),
    path("reports/documents/new/", views_documents.document_new, name="document_new"),
    path("reports/documents/<int:pk>/download/", views_documents.document_download, name="document_download"),
    path("reports/templates/", views_documents.document_templates, name="document_templates"),
    path("reports/templates/starter.docx", views_documents.document_template_starter, name="template_starter"),
    path(
        "reports/templates/<str:kind>/<str:language>.docx",
        views_documents.document_template_file,
        name="document_template_file",
    ),
    path("results/campaigns/<slug:code>/results.xlsx", exports.campaign_results, XLSX, name="results_xlsx"),
    path("results/campaigns/<slug:code>/results.csv", exports.campaign_results, CSV, name="results_csv"),
    path("results/campaigns/<slug:code>/actions.xlsx", exports.programme_actions, XLSX, name="actions_xlsx"),
    path("results/campaigns/<slug:code>/actions.csv", exports.programme_actions, CSV, name="actions_csv"),
    path("results/rollouts/<slug:code>/board.xlsx", exports.rollout_board, name="rollout_xlsx"),
    path("results/campaigns/<slug:code>/imports/", imports.import_page, name="imports"),
    path("results/campaigns/<slug:code>/imports/<int:pk>/", imports.import_run_page, name="import_run"),
    path("results/campaigns/<slug:code>/imports/<int:pk>/start/", imports.import_run_start, name="import_start"),
    path("results/campaigns/<slug:code>/criteria.xlsx", imports.criteria_export, XLSX, name="criteria_xlsx"),
    path("results/campaigns/<slug:code>/criteria.csv", imports.criteria_export, CSV, name="criteria_csv"),
    path("reports/imports/", imports.import_page, name="general_imports"),
    path("reports/imports/<int:pk>/", imports.import_run_page, name="general_import_run"),
    path("reports/imports/<int:pk>/start/", imports.import_run_start, name="general_import_start"),
    path("reports/imports/<slug:kind>.<str:fmt>", imports.general_export, name="general_import_export"),
]
