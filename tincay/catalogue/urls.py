from django.urls import path

from tincay.catalogue import views

app_name = "catalogue"

_V = "<slug:framework>/<slug:version>"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/", views.version_import, name="import"),
    path(f"{_V}/", views.version_detail, name="version"),
    path(f"{_V}/edit/", views.version_edit, name="version_edit"),
    path(f"{_V}/derive/", views.version_derive, name="version_derive"),
    path(f"{_V}/issue/", views.version_issue, name="version_issue"),
    path(f"{_V}/export.<str:fmt>", views.version_export, name="version_export"),
    path(f"{_V}/indicators/<str:code>/", views.indicator_detail, name="indicator"),
    path(f"{_V}/indicators/<str:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path(f"{_V}/indicators/<str:code>/criteria/new/", views.criterion_new, name="criterion_new"),
    path(f"{_V}/criteria/<str:code>/edit/", views.criterion_edit, name="criterion_edit"),
    path(f"{_V}/criteria/<str:code>/delete/", views.criterion_delete, name="criterion_delete"),
]
