"""Hive's URLs plus the media route, until config/urls.py mounts profiles.views.media itself."""

from django.urls import path

from config.urls import urlpatterns as hive_urlpatterns
from profiles.views import media

urlpatterns = [*hive_urlpatterns]
if not any(getattr(p, "name", None) == "media" for p in urlpatterns):
    urlpatterns.append(path("media/<path:path>", media, name="media"))
