"""The coordinator's view of programmes: the page (GET filters campaign, province, group, page) and its CSV."""

from django.urls import path

from tincay.improvement.views import coordination

urlpatterns = [
    path("coordination/", coordination.coordination_page, name="coordination"),
    path("coordination/export.csv", coordination.coordination_export, name="coordination_export"),
]
