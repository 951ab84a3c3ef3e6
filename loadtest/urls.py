"""The product's URLs plus the ceiling view (``loadtest.settings``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from tincay.config import urls as product


def ceiling(request: HttpRequest) -> HttpResponse:
    """The least a Django view can do: no session read, no query, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


handler404 = product.handler404
handler500 = product.handler500
urlpatterns = [path("_load/ceiling/", ceiling), *product.urlpatterns]
