from django.urls import path

from tincay.assessments.views import assigning, campaigns, evidence, links, publication, team, workspace

app_name = "assessments"

urlpatterns = [
    path("campaigns/", campaigns.campaign_list, name="campaigns"),
    path("campaigns/new/", campaigns.campaign_new, name="campaign_new"),
    path("campaigns/<slug:code>/", campaigns.campaign_board, name="board"),
    path("campaigns/<slug:code>/team/", campaigns.campaign_member, name="campaign_member"),
    path("campaigns/<slug:code>/team/<int:member_id>/remove/", team.member_remove, name="member_remove"),
    path("campaigns/<slug:code>/publish/", publication.campaign_publish, name="campaign_publish"),
    path("campaigns/<slug:code>/corrections/", publication.campaign_corrections, name="campaign_corrections"),
    path("assessments/<int:pk>/", workspace.assessment_detail, name="detail"),
    path("assessments/<int:pk>/review/", workspace.review, name="review"),
    path("assessments/<int:pk>/transition/", workspace.transition, name="transition"),
    path("assessments/<int:pk>/publish/", publication.assessment_publish, name="publish"),
    path("assessments/<int:pk>/corrections/", publication.assessment_corrections, name="corrections"),
    path("assessments/<int:pk>/corrections/<str:code>/", publication.result_correct, name="correct"),
    path("assessments/<int:pk>/assign/", workspace.assign, name="assign"),
    path("assessments/<int:pk>/assign-many/", assigning.assign_many, name="assign_many"),
    path("assessments/<int:pk>/indicators/<str:code>/", workspace.indicator_page, name="indicator"),
    path("assessments/<int:pk>/results/<int:result_id>/questions/", workspace.clarification_ask, name="ask"),
    path("assessments/<int:pk>/questions/<int:item_id>/answer/", workspace.clarification_answer, name="answer"),
    path("assessments/<int:pk>/results/<int:result_id>/evidence/", evidence.link, name="evidence_link"),
    path(
        "assessments/<int:pk>/results/<int:result_id>/evidence/<int:document_id>/remove/",
        evidence.unlink,
        name="evidence_unlink",
    ),
    # last among results/…/: <track> would otherwise swallow "questions" and "evidence"
    path("assessments/<int:pk>/results/<int:result_id>/<str:track>/", workspace.result_save, name="result_save"),
    path("units/<str:key>/documents/", evidence.register, name="register"),
    path("documents/<int:pk>/download/", evidence.download, name="download"),
    path("documents/<int:pk>/link/", links.document_link, name="document_link"),
]
