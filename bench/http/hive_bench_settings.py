"""Hive's settings plus the bench's own URLs (a trivial signed-in view): for bench/http/run.py only.

Imported as a top-level module (run.py puts this folder on gunicorn's path), so the same file
serves a checkout of any commit, including one that has no bench/http of its own.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "hive_bench_urls"
# Production's hashed-manifest storage needs `collectstatic` first; the bench renders pages
# without it (as bench/feed/measure.py does). Static files are not what this bench measures.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
