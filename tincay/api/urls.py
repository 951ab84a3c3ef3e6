from django.urls import path, re_path

from tincay.accounts.api import TokenObtain
from tincay.api import assessments, documents, feedback, imports, improvement, results, rollout, views
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
    # issue 11: documents in Decree 30 layout (tincay/api/documents.py)
    path("documents/generated/", documents.GeneratedList.as_view(), name="generated-files"),
    path("documents/generated/<int:pk>/", documents.GeneratedDetail.as_view(), name="generated-file"),
    path("documents/generated/<int:pk>/file/", documents.GeneratedDownload.as_view(), name="generated-file-download"),
    path("campaigns/<slug:code>/imports/", imports.ImportList.as_view(), name="imports"),
    path("campaigns/<slug:code>/imports/<int:pk>/", imports.ImportDetail.as_view(), name="import"),
    path("campaigns/<slug:code>/imports/<int:pk>/rows/", imports.ImportRows.as_view(), name="import-rows"),
    path("campaigns/<slug:code>/imports/<int:pk>/start/", imports.ImportStart.as_view(), name="import-start"),
    path("imports/", imports.GeneralImportList.as_view(), name="general-imports"),
    path("imports/<int:pk>/", imports.ImportDetail.as_view(), name="general-import"),
    path("imports/<int:pk>/rows/", imports.ImportRows.as_view(), name="general-import-rows"),
    path("imports/<int:pk>/start/", imports.ImportStart.as_view(), name="general-import-start"),
    # issue 10: areas to improve, action programmes, coordination, effectiveness, reminders (tincay/api/improvement.py)
    path("assessments/<int:pk>/areas/", improvement.AreaList.as_view(), name="areas"),
    path("assessments/<int:pk>/areas/suggest/", improvement.AreasSuggest.as_view(), name="areas-suggest"),
    path("assessments/<int:pk>/areas/accept/", improvement.AreasAcceptView.as_view(), name="areas-accept"),
    path("assessments/<int:pk>/areas/<int:area>/decide/", improvement.AreaDecideView.as_view(), name="area-decide"),
    path("programmes/", improvement.ProgrammeList.as_view(), name="programmes"),
    path("programmes/<int:pk>/", improvement.ProgrammeDetail.as_view(), name="programme"),
    path("programmes/<int:pk>/approve/", improvement.ProgrammeApproveView.as_view(), name="programme-approve"),
    path("programmes/<int:pk>/versions/", improvement.ProgrammeVersions.as_view(), name="programme-versions"),
    path(
        "programmes/<int:pk>/versions/<int:number>/",
        improvement.ProgrammeVersionDetail.as_view(),
        name="programme-version",
    ),
    path("programmes/<int:pk>/actions/", improvement.ActionList.as_view(), name="programme-actions"),
    path("programmes/<int:pk>/effectiveness/", improvement.Effectiveness.as_view(), name="programme-effectiveness"),
    path(
        "programmes/<int:pk>/actions/<int:action>/verdict/",
        improvement.VerdictRecord.as_view(),
        name="action-verdict",
    ),
    path("actions/<int:pk>/", improvement.ActionDetail.as_view(), name="action"),
    path("actions/<int:pk>/cancel/", improvement.ActionCancelView.as_view(), name="action-cancel"),
    path("actions/<int:pk>/progress/", improvement.ProgressList.as_view(), name="action-progress"),
    path("coordination/", improvement.Coordination.as_view(), name="coordination"),
    path("reminder-rules/", improvement.RuleList.as_view(), name="reminder-rules"),
    path("reminder-rules/<int:pk>/", improvement.RuleDetail.as_view(), name="reminder-rule"),
    path("reminder-rules/<int:pk>/deactivate/", improvement.RuleDeactivate.as_view(), name="reminder-rule-off"),
    path("reminders/", improvement.ReminderLog.as_view(), name="reminders"),
    # issue 10: rollouts, phases, gates, preliminary survey, training (tincay/api/rollout/)
    *rollout.urlpatterns,
    # issue 12: citizens' surveys (tincay/api/feedback.py)
    path("survey-templates/", feedback.TemplateList.as_view(), name="survey-templates"),
    path("survey-templates/<int:pk>/", feedback.TemplateDetail.as_view(), name="survey-template"),
    path("surveys/", feedback.SurveyList.as_view(), name="surveys"),
    path("surveys/<int:pk>/", feedback.SurveyDetail.as_view(), name="survey"),
    path("surveys/<int:pk>/status/", feedback.SurveyStatusSet.as_view(), name="survey-status"),
    path("surveys/<int:pk>/tokens/", feedback.SurveyTokens.as_view(), name="survey-tokens"),
    path("surveys/<int:pk>/dossier-codes/", feedback.SurveyDossierCodes.as_view(), name="survey-dossier-codes"),
    path("surveys/<int:pk>/questions/<str:key>/", feedback.SurveyQuestionDetail.as_view(), name="survey-question"),
    path("surveys/<int:pk>/results/", feedback.SurveyResults.as_view(), name="survey-results"),
    path("surveys/<int:pk>/responses/", feedback.SurveyResponses.as_view(), name="survey-responses"),
    # anything else under /api/v1/ (a malformed id, a mistyped path): a 404 in the API's body shape; [\s\S], not ., so
    # a path with a line break (%0A) is caught here too, not by the site's handler404
    re_path(r"^[\s\S]*$", NotFoundView.as_view()),
]
