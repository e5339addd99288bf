"""Hive's URLs plus /bench/ok/, the yardstick: through every middleware, signed in, no template."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler500  # noqa: F401  (Hive's error pages: a database outage answers 503)
from config.urls import urlpatterns as hive_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", ok), *hive_urlpatterns]
