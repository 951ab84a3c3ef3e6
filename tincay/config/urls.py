from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from tincay.config import views

handler404 = views.not_found
handler500 = views.failed

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("tincay.accounts.urls")),
    path("catalogue/", include("tincay.catalogue.urls")),
    path("", include("tincay.orgunits.urls")),
    path("", include("tincay.assessments.urls")),
    path("improvement/", include("tincay.improvement.urls")),
    path("rollout/", include("tincay.rollout.urls")),
    path("", include("tincay.reports.urls")),
    path("public/", include("tincay.portal.urls")),
    path("s/", include("tincay.feedback.urls_public")),
    path("surveys/", include("tincay.feedback.urls")),
    path("api/v1/", include("tincay.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's start-up script as a file (?script): no inline script under the CSP
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html"),
        name="api-docs",
    ),
]
