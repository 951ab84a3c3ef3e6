from django.urls import path

from tincay.improvement.views import programmes as views

urlpatterns: list = [
    path("", views.programme_index, name="index"),
    path("assessments/<int:pk>/programme/", views.programme_for_assessment, name="programme_for_assessment"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/approve/", views.programme_approve, name="programme_approve"),
    path("programmes/<int:pk>/versions/", views.programme_versions, name="programme_versions"),
    path("programmes/<int:pk>/versions/draft/", views.programme_draft_diff, name="programme_draft_diff"),
    path("programmes/<int:pk>/versions/<int:number>/", views.programme_version, name="programme_version"),
    path("programmes/<int:pk>/actions/new/", views.action_new, name="action_new"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/cancel/", views.action_cancel, name="action_cancel"),
    path("actions/<int:pk>/progress/", views.progress_new, name="progress_new"),
]
