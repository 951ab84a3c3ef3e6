"""The product's URLs plus the two yardstick views: the ceiling and the signed-in ceiling (``loadtest.settings``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tincay.config import urls as product


def ceiling(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: no session read, no query, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


def signed_in(request: HttpRequest) -> HttpResponse:
    """The least a signed-in page does: the session read and the person loaded, nothing else."""
    return HttpResponse(str(request.user.pk).encode(), content_type="text/plain")


handler404 = product.handler404
handler500 = product.handler500
urlpatterns = [path("_load/ceiling/", ceiling), path("_load/signed-in/", signed_in), *product.urlpatterns]
