"""Settings for a real gunicorn the tests start: production's, with static files served unhashed (the
tests do not run collectstatic)."""

from config.settings import *  # noqa: F403
from config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
